import type { SimContext } from '../../context';
import { instantFuelLPer100km } from '../../fleet/energy-readings';
import { DAY_MS, type TripRecord } from '../../fleet/vehicle-timeline';
import type { DriveTrace } from '../../physics/powertrain';
import { rfc3339 } from '../../v4/hal';
import { lastUpload, type Upload } from '../../v4/status-resources';
import type { SimVehicle } from '../../world/world';
import { V1Error } from '../gateway';

// The v1 telemetry maps are keyed by the second ("1".."60") within one sampled minute
// (vehicle-apis.md §7: "[infer] the map keys are the second within the last sampled minute").
// [infer] That minute is the 60 s ending at the car's last report — v4's `lastUpload`, so v1 and
// v4 agree on when the car last reported: while driving that is the latest 30 s upload (at most
// 30 s old), once parked the key-off upload or a charging wake-up. Second s is the instant
// `reportMs − 60 s + s`: second 60 is the report itself. Each second is read from the trip's 1 Hz
// trace, sample i = (t − trip start) / 1 s, the very sample v4's telemetry reports for that
// second. Seconds the car stood still before key-on or after key-off read as a parked car would
// (0 speed, engine off), not as missing.

export const MINUTE_MS = 60_000;

/** Keys of the per-second maps: every second, every 10 s, every 6 s (positions, 0.17 Hz). */
export const EVERY_SECOND: readonly number[] = Array.from({ length: 60 }, (_, k) => k + 1);
export const EVERY_TEN_SECONDS: readonly number[] = [10, 20, 30, 40, 50, 60];
export const EVERY_SIX_SECONDS: readonly number[] = Array.from({ length: 10 }, (_, k) => 6 * (k + 1));

/** What the car was doing at one second of a minute. */
export type CarSecond = {
  atMs: number;
  /** The trace sample at that second while the trip ran (key-on to key-off), else null: parked. */
  index: number | null;
};

/** The trip a minute is read from, its trace, and the instant of its second 0. */
export type MinuteSource = { trip: TripRecord; trace: DriveTrace; startMs: number };

/** The car's last sampled minute: its report and where the minute's seconds come from. */
export type LastMinute = MinuteSource & { upload: Upload; reportMs: number };

/** The trace sample at `atMs` while the trip runs (its last one at key-off), else null. */
export function traceIndexAt(trip: TripRecord, trace: DriveTrace, atMs: number): number | null {
  if (atMs < trip.startMs || atMs > trip.endMs) return null;
  return Math.min(trace.speedKmh.length - 1, Math.floor((atMs - trip.startMs) / 1000));
}

/** Second `second` (1–60) of a minute. */
export function carSecond(source: MinuteSource, second: number): CarSecond {
  const atMs = source.startMs + second * 1000;
  return { atMs, index: traceIndexAt(source.trip, source.trace, atMs) };
}

/** A trace array's value at second `second` of a minute; a parked second reads 0. */
export function tracedAt(source: MinuteSource, values: ArrayLike<number>, second: number): number {
  const i = carSecond(source, second).index;
  return i === null ? 0 : (values[i] ?? 0);
}

/** Instantaneous consumption (L/100 km) at second `second` of a minute, as v4 reports it. */
export function instantConsumptionAt(source: MinuteSource, second: number): number {
  const { trace } = source;
  return instantFuelLPer100km(
    tracedAt(source, trace.fuelRateLph, second),
    tracedAt(source, trace.speedKmh, second),
  );
}

/**
 * The minute ending at the car's last report by `nowMs`. Only the report's own trip can hold any
 * of its seconds: trips are at least a minute apart, and a later one would be the report's own.
 * A car that has reported nothing since it joined the service answers 404, as v4's status does.
 */
export function lastMinute(ctx: SimContext, vehicle: SimVehicle, nowMs: number): LastMinute {
  const upload = lastUpload(ctx, vehicle, nowMs);
  if (!upload) throw new V1Error(404, 'No data for this vehicle yet.');
  const trace = ctx.fleet.timelineOf(vehicle).traceOf(upload.trip);
  return { upload, reportMs: upload.atMs, trip: upload.trip, trace, startMs: upload.atMs - MINUTE_MS };
}

/**
 * The last sampled minute of a UTC day: the one ending at the car's last report that day, as the
 * cloud had it by the day's end (or now). 404 when the car did not report that day, or the day is
 * outside the history the cloud serves.
 */
export function minuteOfDay(ctx: SimContext, vehicle: SimVehicle, day: number, nowMs: number): LastMinute {
  const dayStartMs = day * DAY_MS;
  const noData = new V1Error(404, 'No data for this vehicle on this day.');
  if (dayStartMs > nowMs) throw noData;
  let minute: LastMinute;
  try {
    minute = lastMinute(ctx, vehicle, Math.min(nowMs, dayStartMs + DAY_MS - 1));
  } catch (error) {
    if (error instanceof V1Error) throw noData;
    throw error;
  }
  if (minute.reportMs < Math.max(dayStartMs, ctx.fleet.historyStartMs(vehicle, nowMs))) throw noData;
  return minute;
}

/**
 * A per-second map `{ "<second>": value }` over `keys`, narrowed to the `listsecond` seconds
 * (null: all of them). A second the caller did not ask for is left out, not nulled.
 */
export function secondsMap<T>(
  keys: readonly number[],
  listSecond: ReadonlySet<number> | null,
  valueAt: (second: number) => T,
): Record<string, T> {
  const map: Record<string, T> = {};
  for (const second of keys) if (listSecond === null || listSecond.has(second)) map[second] = valueAt(second);
  return map;
}

/** `lastUpdate`: RFC 3339 to the second, as v4 writes its `createdAt`. */
export const v1Instant = (ms: number) => rfc3339(ms);
