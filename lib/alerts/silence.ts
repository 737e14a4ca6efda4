import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

// "Data stopped arriving": a vehicle whose measurements have not come in for longer than its own
// habits explain. Cars only report while they are used or when their state changes — a parked car
// reports nothing (vehicle-apis.md: "missing data is normal … asleep car"; the simulator's cars
// stay silent while parked) — so silence alone means nothing; silence well beyond the car's usual
// gap between days of use does.
//
// Expected cadence: the median gap between the days (UTC) on which the car reported anything over
// the last 30 days, read from the daily rollups (one row per day of use, never the raw samples),
// with a floor of 24 hours: no car is expected to report more than daily, so a car driven every
// day is not called silent after one quiet night. Silent: no measurement for more than
// SILENCE_FACTOR × the cadence (three days for a daily car, three weeks for a weekly one): one
// skipped day of use, or a long weekend, is not an alarm. A car that never reported is not "stopped".

export const DAY_MS = 86_400_000;
export const CADENCE_WINDOW_MS = 30 * DAY_MS;
export const CADENCE_FLOOR_MS = DAY_MS;
export const SILENCE_FACTOR = 3;

export type VehicleSilence = { silent: boolean; lastMeasuredAt: number | null; expectedCadenceMs: number };

/** Median gap between consecutive days of use (bucket starts, any order), floored at 24 h. */
export function expectedCadenceMs(dayStarts: readonly number[]): number {
  const days = [...new Set(dayStarts)].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < days.length; i++) gaps.push((days[i] as number) - (days[i - 1] as number));
  if (gaps.length === 0) return CADENCE_FLOOR_MS;
  gaps.sort((a, b) => a - b);
  const middle = Math.floor(gaps.length / 2);
  const median =
    gaps.length % 2 === 1
      ? (gaps[middle] as number)
      : ((gaps[middle - 1] as number) + (gaps[middle] as number)) / 2;
  return Math.max(CADENCE_FLOOR_MS, median);
}

/** The silence verdict from what was read (pure, for tests). */
export function silenceOf(
  lastMeasuredAt: number | null,
  dayStarts: readonly number[],
  now: number,
): VehicleSilence {
  const cadence = expectedCadenceMs(dayStarts);
  const silent = lastMeasuredAt !== null && now - lastMeasuredAt > SILENCE_FACTOR * cadence;
  return { silent, lastMeasuredAt, expectedCadenceMs: cadence };
}

/** Whether this vehicle has gone silent (the caller has already checked who owns it). */
export async function vehicleSilence(
  db: Kysely<Database>,
  vehicleId: string,
  now: number,
): Promise<VehicleSilence> {
  const [last, days] = await Promise.all([
    db
      .selectFrom('samples')
      .select((eb) => eb.fn.max('at').as('at'))
      .where('vehicle_id', '=', vehicleId)
      .where('at', '<=', now)
      .executeTakeFirst(),
    db
      .selectFrom('sample_rollups')
      .select('bucket_start')
      .where('vehicle_id', '=', vehicleId)
      .where('resolution', '=', 'day')
      .where('bucket_start', '>=', now - CADENCE_WINDOW_MS)
      .where('bucket_start', '<=', now)
      .where('samples_n', '>', 0)
      .execute(),
  ]);
  const lastAt = last?.at === null || last?.at === undefined ? null : Number(last.at);
  return silenceOf(
    lastAt,
    days.map((row) => Number(row.bucket_start)),
    now,
  );
}
