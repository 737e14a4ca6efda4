import type { SimVehicle } from '../world/world';
import { V4ApiError } from './errors';
import type { Call, Filters } from './route-types';
import { parseTimestamps, type TimeRange } from './timestamps';

// Time-windowed collections (trips, telemetry, way points, alerts, collisions) pin the instant
// they describe in their page token (`at`) and keep `timestamps` as given, resolved against that
// instant: page 2 shows the same window as page 1 while the clock runs, and a repeating range (up
// to thousands of windows) still fits in a token.

/** A page token keeps filter values of at most this length. */
const MAX_TIMESTAMPS_LENGTH = 256;

/** `at` (the call's present) and `timestamps` as given, validated now: a 400 on page 1, not page 2. */
export function pinnedWindow(call: Call): Filters {
  parseTimestamps(call.url, call.now);
  const timestamps = call.url.searchParams.getAll('timestamps');
  if (timestamps.some((value) => value.length > MAX_TIMESTAMPS_LENGTH)) {
    throw new V4ApiError('invalidParameter', 'Invalid query parameter timestamps: a range is too long.');
  }
  return { at: [String(call.now)], timestamps };
}

/** The instant a collection describes, as its filters pinned it. */
export const pinnedAt = (filters: Filters) => Number(filters.at?.[0]);

/** The ranges of stored `timestamps` values at the pinned instant, or null without any. */
export function rangesAt(values: readonly string[] | undefined, atMs: number): TimeRange[] | null {
  if (!values || values.length === 0) return null;
  const url = new URL('http://timestamps.invalid/');
  for (const value of values) url.searchParams.append('timestamps', value);
  return parseTimestamps(url, atMs);
}

export type EventWindow = {
  /** The present of the first page. */
  nowMs: number;
  /** The asked ranges cut to what the cloud serves: from the car's history start to now. */
  ranges: TimeRange[];
  /** Their span. */
  fromMs: number;
  toMs: number;
};

/** The window a collection's filters describe for a car; null when nothing of it is served. */
export function eventWindow(call: Call, vehicle: SimVehicle, filters: Filters): EventWindow | null {
  const at = pinnedAt(filters);
  const nowMs = Number.isFinite(at) ? at : call.now;
  const historyStartMs = call.ctx.fleet.historyStartMs(vehicle, nowMs);
  const asked = rangesAt(filters.timestamps, nowMs) ?? [{ fromMs: historyStartMs, toMs: nowMs + 1 }];
  const ranges = asked
    .map((range) => ({
      fromMs: Math.max(range.fromMs, historyStartMs),
      toMs: Math.min(range.toMs, nowMs + 1),
    }))
    .filter((range) => range.toMs > range.fromMs);
  if (ranges.length === 0) return null;
  return {
    nowMs,
    ranges,
    fromMs: Math.min(...ranges.map((range) => range.fromMs)),
    toMs: Math.max(...ranges.map((range) => range.toMs)),
  };
}
