import 'server-only';
import type { Kysely } from 'kysely';
import { drivingEventToJson } from '../../scoring/events';
import { summarizeTrip } from '../../telemetry/derive/trip-summary';
import type { Provider, Sample, VehicleData } from '../../telemetry/model';
import type { Database } from '../schema';
import { instantRuns } from './rollups';
import { forgetTripScore } from './trip-scores';

// Kinetic's own figures for the trips a provider reports (PSA v4 and v1): the provider sends
// distance, duration, speeds and fuel, but not moving and idle time nor harsh events. These come
// from the stored samples of the trip's span, by the same rules as every other trip
// (lib/telemetry/derive/trip-summary.ts rule 3, lib/scoring/events.ts). The rules:
//
//  1. Only finished trips (an end instant): a trip still running has an incomplete span.
//  2. Only moving_s, idle_s and events are written. The provider is the authority for its own
//     figures (distance, fuel, speeds): they are never replaced by an estimate from samples.
//  3. Recomputed from every stored sample of the span (all providers: the trip is the car's), so
//     calling it again, or after samples arrive late, gives the same or the completed figures.
//  4. A trip with no speed reading in its span is left as it is: either its samples have not
//     arrived yet, or retention dropped them (retention.ts never splits a trip), and in both cases
//     what is stored is the best known.
//  5. Segmented trips (the file import) are summarized when they are made (lib/import).

/** Providers whose trips come with their own figures but without Kinetic's summary. */
export const SUMMARIZED_PROVIDERS: readonly Provider[] = ['psa-v4', 'psa-v1'];

export type SummarizeRange = {
  /** Trips overlapping [fromMs, toMs] (both inclusive, epoch ms) are summarized. */
  fromMs: number;
  toMs: number;
  /** Only trips not summarized yet (events null): what retention needs before dropping samples. */
  onlyMissing?: boolean;
};

type StoredTrip = { id: string; started_at: number; ended_at: number | null };

async function tripsOverlapping(trx: Kysely<Database>, vehicleId: string, range: SummarizeRange) {
  let query = trx
    .selectFrom('trips')
    .select(['id', 'started_at', 'ended_at'])
    .where('vehicle_id', '=', vehicleId)
    .where('provider', 'in', SUMMARIZED_PROVIDERS)
    .where('ended_at', 'is not', null)
    .where('started_at', '<=', range.toMs)
    .where('ended_at', '>=', range.fromMs);
  if (range.onlyMissing) query = query.where('events', 'is', null);
  return query.orderBy('started_at').execute();
}

/**
 * The readings moving time, idle time and events need (trip-summary.ts rule 3, events.ts): speed,
 * engine speed and ignition. Read column by column rather than as whole samples, which also keeps
 * this module off vehicle-data.ts (the write path calls it).
 */
async function readingsOf(trx: Kysely<Database>, vehicleId: string, fromMs: number, toMs: number) {
  const rows = await trx
    .selectFrom('samples')
    .select(['at', 'provider', 'source_ref', 'speed_kmh', 'engine_rpm', 'ignition'])
    .where('vehicle_id', '=', vehicleId)
    .where('at', '>=', fromMs)
    .where('at', '<=', toMs)
    .execute();
  return rows.map((row) => {
    const sample: Sample = {
      at: Number(row.at),
      source: { provider: row.provider as Provider, ref: row.source_ref },
    };
    if (row.speed_kmh !== null) sample.speedKmh = row.speed_kmh;
    if (row.engine_rpm !== null) sample.engineRpm = row.engine_rpm;
    if (row.ignition !== null) sample.ignition = row.ignition === 1;
    return sample;
  });
}

/** Rules 3 and 4 for one trip; whether it was updated. */
async function summarizeOne(trx: Kysely<Database>, vehicleId: string, trip: StoredTrip): Promise<boolean> {
  const endedAt = trip.ended_at as number;
  const samples = await readingsOf(trx, vehicleId, trip.started_at, endedAt);
  if (!samples.some((sample) => sample.speedKmh !== undefined)) return false;
  const summary = summarizeTrip(samples, { startedAt: trip.started_at, endedAt });
  await trx
    .updateTable('trips')
    .set({
      moving_s: summary.movingS,
      idle_s: summary.idleS,
      events: JSON.stringify(summary.events.map(drivingEventToJson)),
    })
    .where('id', '=', trip.id)
    .execute();
  // The score read the old figures: it is scored again from these (trip-scores.ts).
  await forgetTripScore(trx, trip.id);
  return true;
}

/**
 * Computes moving time, idle time and harsh events of the vehicle's finished provider trips that
 * overlap the range, from the stored samples, in the caller's transaction. Returns how many trips
 * were updated.
 */
export async function summarizeStoredTrips(
  trx: Kysely<Database>,
  vehicleId: string,
  range: SummarizeRange,
): Promise<number> {
  if (!(range.toMs >= range.fromMs)) return 0;
  let updated = 0;
  for (const trip of await tripsOverlapping(trx, vehicleId, range)) {
    if (await summarizeOne(trx, vehicleId, trip)) updated++;
  }
  return updated;
}

/**
 * What the write path calls after storing a batch, in its transaction: the trips that the
 * batch's samples fall in (by runs of instants, as rollups.ts instantRuns) and the batch's own
 * trips, each summarized once. Returns how many trips were updated.
 */
export async function summarizeTripsOfBatch(
  trx: Kysely<Database>,
  vehicleId: string,
  data: Pick<VehicleData, 'samples' | 'trips'>,
): Promise<number> {
  const ranges = instantRuns(data.samples.map((sample) => sample.at));
  for (const trip of data.trips) ranges.push([trip.startedAt, trip.endedAt ?? trip.startedAt]);
  const seen = new Set<string>();
  let updated = 0;
  for (const [fromMs, toMs] of ranges) {
    for (const trip of await tripsOverlapping(trx, vehicleId, { fromMs, toMs })) {
      if (seen.has(trip.id)) continue;
      seen.add(trip.id);
      if (await summarizeOne(trx, vehicleId, trip)) updated++;
    }
  }
  return updated;
}
