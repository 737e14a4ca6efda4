import 'server-only';
import { type Kysely, sql } from 'kysely';
import { tripIdOf, writeVehicleData } from '../db/queries/vehicle-data';
import type { Database } from '../db/schema';
import { drivingEventToJson } from '../scoring/events';
import {
  derivedTripId,
  isNoiseTrip,
  PARKED_AFTER_MS,
  TripSegmenter,
} from '../telemetry/derive/segment-trips';
import { type StreamedTripSummary, TripAccumulator } from '../telemetry/derive/trip-accumulator';
import { tripRecord } from '../telemetry/derive/trip-summary';
import { emptyVehicleData, POWERTRAINS, type Powertrain, type Sample } from '../telemetry/model';
import type { ImportTripDeriver } from './import-obd';

// The trips of an imported log: the car's imported samples around the file's span are segmented
// again (lib/telemetry/derive), so a file that continues an earlier import makes one trip, not
// two, and importing the same file again gives the same trips under the same ids. Trips derived
// before over that span are replaced by the new segmentation.
//
// A 100 MB log is close to a million readings, and one trip can last days, so nothing here holds the
// span: samples are read a page at a time in time order (keyset on `at`, only the columns the
// rules read), fed one by one to the segmenter, and each trip is summed up as it goes
// (TripAccumulator); a page is dropped once read. What stays is one page, the readings of the
// current trip's last stop (segment-trips.ts), its speed readings since its last stop of 70 s or
// pause of a minute (trip-accumulator.ts), and one small summary per trip.

const PROVIDER = 'obd-import';
/** Rows per page: large enough that the per-query cost vanishes, small enough to be a few MB. */
export const SAMPLE_PAGE_ROWS = 10_000;
/** Trips per UPDATE of the figures the trip record has no field for (4 parameters each). */
const UPDATE_BATCH_TRIPS = 500;

/** What segmentation and the summary read of a sample (segment-trips.ts, trip-summary.ts). */
const COLUMNS = [
  'at',
  'speed_kmh',
  'engine_rpm',
  'ignition',
  'fuel_consumption_l100km',
  'energy_consumption_kwh100km',
  'fuel_rate_lph',
  'odometer_km',
  'fuel_level_pct',
  'battery_level_pct',
  'latitude',
  'longitude',
] as const;

/** Not read by the rules; one object for every sample instead of one each. */
const SOURCE = { provider: PROVIDER, ref: 'derived from imported samples' } as const;

type Row = { [K in (typeof COLUMNS)[number]]: Database['samples'][K] };

function sampleOf(row: Row): Sample {
  const sample: Sample = { at: row.at, source: SOURCE };
  if (row.speed_kmh !== null) sample.speedKmh = row.speed_kmh;
  if (row.engine_rpm !== null) sample.engineRpm = row.engine_rpm;
  if (row.ignition !== null) sample.ignition = row.ignition === 1;
  if (row.fuel_consumption_l100km !== null) sample.fuelConsumptionLPer100km = row.fuel_consumption_l100km;
  if (row.energy_consumption_kwh100km !== null)
    sample.energyConsumptionKwhPer100km = row.energy_consumption_kwh100km;
  if (row.fuel_rate_lph !== null) sample.fuelRateLph = row.fuel_rate_lph;
  if (row.odometer_km !== null) sample.odometerKm = row.odometer_km;
  if (row.fuel_level_pct !== null) sample.fuelLevelPct = row.fuel_level_pct;
  if (row.battery_level_pct !== null) sample.batteryLevelPct = row.battery_level_pct;
  if (row.latitude !== null) sample.latitude = row.latitude;
  if (row.longitude !== null) sample.longitude = row.longitude;
  return sample;
}

/**
 * The car's imported sample rows from `from` to `to` in time order, a page at a time. The store keeps
 * one sample per vehicle, provider and instant, so `at` alone orders them and marks the page's end.
 */
async function* importedSamplePages(
  trx: Kysely<Database>,
  vehicleId: string,
  from: number,
  to: number,
  pageRows: number,
): AsyncGenerator<Row[]> {
  let after: number | null = null;
  for (;;) {
    let query = trx
      .selectFrom('samples')
      .select(COLUMNS)
      .where('vehicle_id', '=', vehicleId)
      .where('provider', '=', PROVIDER)
      .where('at', '<=', to);
    query = after === null ? query.where('at', '>=', from) : query.where('at', '>', after);
    const rows = await query.orderBy('at').limit(pageRows).execute();
    yield rows;
    const last = rows[rows.length - 1];
    if (rows.length < pageRows || last === undefined) return;
    after = last.at;
  }
}

type DerivedTrip = { id: string; providerTripId: string; summary: StreamedTripSummary };

/** Segments and sums up the samples as they stream by; keeps only the summaries. */
async function deriveTrips(
  pages: AsyncIterable<readonly Row[]>,
  vehicleId: string,
  powertrain: Powertrain | undefined,
): Promise<DerivedTrip[]> {
  const trips: DerivedTrip[] = [];
  let trip: TripAccumulator | null = null;
  const current = () => trip as TripAccumulator;
  const segmenter = new TripSegmenter({
    begin: (sample) => {
      trip = new TripAccumulator();
      trip.add(sample);
    },
    add: (sample) => current().add(sample),
    end: () => {
      const summary = current().summary(powertrain ? { powertrain } : {});
      trip = null;
      if (isNoiseTrip(summary.endedAt - summary.startedAt, summary.distanceKm)) return;
      const providerTripId = derivedTripId(summary.startedAt);
      trips.push({ id: tripIdOf(vehicleId, PROVIDER, providerTripId), providerTripId, summary });
    },
    // Without `now` every trip is finished (segment-trips.ts rule 6): an import is complete.
    ongoing: () => {},
  });
  for await (const page of pages) for (const row of page) segmenter.push(sampleOf(row));
  segmenter.finish();
  return trips;
}

/** Moving and idle time and the events, which the trip record has no fields for: one UPDATE per batch. */
async function storeTripFigures(trx: Kysely<Database>, trips: readonly DerivedTrip[]): Promise<void> {
  for (let i = 0; i < trips.length; i += UPDATE_BATCH_TRIPS) {
    const batch = trips.slice(i, i + UPDATE_BATCH_TRIPS);
    // CAST: PostgreSQL types an untyped parameter in CASE … THEN as text, which `real` refuses.
    const column = <T extends number | string>(
      value: (trip: DerivedTrip) => T | null,
      type: 'real' | 'text',
    ) =>
      sql<T | null>`CASE id ${sql.join(
        batch.map((trip) => sql`WHEN ${trip.id} THEN CAST(${value(trip)} AS ${sql.raw(type)})`),
        sql` `,
      )} END`;
    await trx
      .updateTable('trips')
      .set({
        moving_s: column((trip) => trip.summary.movingS, 'real'),
        idle_s: column((trip) => trip.summary.idleS, 'real'),
        events: column((trip) => JSON.stringify(trip.summary.events.map(drivingEventToJson)), 'text'),
      })
      .where(
        'id',
        'in',
        batch.map((trip) => trip.id),
      )
      .execute();
  }
}

/** The deriver, reading `pageRows` samples per query (tests make pages small to move their edges). */
export const importedTripDeriver =
  (pageRows = SAMPLE_PAGE_ROWS): ImportTripDeriver =>
  async (trx, vehicle, fromMs, toMs) => {
    const from = fromMs - PARKED_AFTER_MS;
    const to = toMs + PARKED_AFTER_MS;
    const powertrain = (POWERTRAINS as readonly string[]).includes(vehicle.powertrain)
      ? (vehicle.powertrain as Powertrain)
      : undefined;
    const trips = await deriveTrips(
      importedSamplePages(trx, vehicle.id, from, to, pageRows),
      vehicle.id,
      powertrain,
    );

    await trx
      .deleteFrom('trips')
      .where('vehicle_id', '=', vehicle.id)
      .where('provider', '=', PROVIDER)
      .where('started_at', '<=', to)
      .where((eb) => eb(eb.fn.coalesce('ended_at', 'started_at'), '>=', from))
      .execute();
    await writeVehicleData(trx, vehicle.id, {
      ...emptyVehicleData(),
      trips: trips.map(({ providerTripId, summary }) => tripRecord(providerTripId, summary, SOURCE)),
    });
    await storeTripFigures(trx, trips);
    return trips.map((trip) => trip.id);
  };

export const deriveImportedTrips: ImportTripDeriver = importedTripDeriver();
