import 'server-only';
import { sampleOfRow, tripIdOf, writeVehicleData } from '../db/queries/vehicle-data';
import { drivingEventToJson } from '../scoring/events';
import { PARKED_AFTER_MS, segmentTrips } from '../telemetry/derive/segment-trips';
import { summarizeTrip, tripRecord } from '../telemetry/derive/trip-summary';
import { emptyVehicleData, POWERTRAINS, type Powertrain } from '../telemetry/model';
import type { ImportTripDeriver } from './import-obd';

// The trips of an imported log: the car's imported samples around the file's span are segmented
// again (lib/telemetry/derive), so a file that continues an earlier import makes one trip, not
// two, and importing the same file again gives the same trips under the same ids. Trips derived
// before over that span are replaced by the new segmentation.

const PROVIDER = 'obd-import';

export const deriveImportedTrips: ImportTripDeriver = async (trx, vehicle, fromMs, toMs) => {
  const from = fromMs - PARKED_AFTER_MS;
  const to = toMs + PARKED_AFTER_MS;
  const rows = await trx
    .selectFrom('samples')
    .selectAll()
    .where('vehicle_id', '=', vehicle.id)
    .where('provider', '=', PROVIDER)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .orderBy('at')
    .execute();
  const { trips } = segmentTrips(rows.map(sampleOfRow));
  const powertrain = (POWERTRAINS as readonly string[]).includes(vehicle.powertrain)
    ? (vehicle.powertrain as Powertrain)
    : undefined;
  const summaries = trips.map((trip) => ({
    trip,
    summary: summarizeTrip(trip.samples, {
      startedAt: trip.startedAt,
      endedAt: trip.endedAt,
      ...(powertrain ? { powertrain } : {}),
    }),
  }));

  await trx
    .deleteFrom('trips')
    .where('vehicle_id', '=', vehicle.id)
    .where('provider', '=', PROVIDER)
    .where('started_at', '<=', to)
    .where((eb) => eb(eb.fn.coalesce('ended_at', 'started_at'), '>=', from))
    .execute();
  await writeVehicleData(trx, vehicle.id, {
    ...emptyVehicleData(),
    trips: summaries.map(({ trip, summary }) =>
      tripRecord(trip.providerTripId, summary, { provider: PROVIDER, ref: 'derived from imported samples' }),
    ),
  });
  const ids: string[] = [];
  for (const { trip, summary } of summaries) {
    const id = tripIdOf(vehicle.id, PROVIDER, trip.providerTripId);
    await trx
      .updateTable('trips')
      .set({
        moving_s: summary.movingS,
        idle_s: summary.idleS,
        events: JSON.stringify(summary.events.map(drivingEventToJson)),
      })
      .where('id', '=', id)
      .execute();
    ids.push(id);
  }
  return ids;
};
