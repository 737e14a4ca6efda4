// The telemetry API's names and limits (docs/interfaces.md › HTTP), without zod: client code that
// needs a constant (the explorer, the marks list) imports this file, and does not ship zod for it
// (about 40 kB gzip). lib/schemas/telemetry.ts re-exports all of it beside the schemas.

export const TELEMETRY_METRICS = [
  'speed',
  'rpm',
  'consumption',
  'fuel_level',
  'battery_level',
  'altitude',
] as const;
export type TelemetryMetric = (typeof TELEMETRY_METRICS)[number];

/** What `metrics` means when the query leaves it out: the explorer's three charts. */
export const DEFAULT_TELEMETRY_METRICS: readonly TelemetryMetric[] = ['speed', 'rpm', 'consumption'];

export const TELEMETRY_UNITS = ['km/h', 'rpm', 'L/100km', 'kWh/100km', '%', 'm'] as const;
export type TelemetryUnit = (typeof TELEMETRY_UNITS)[number];

/** `raw` samples, or the rollup bucket read, as an ISO-8601 duration. */
export const TELEMETRY_RESOLUTIONS = ['raw', 'PT1M', 'PT1H', 'P1D'] as const;
export type TelemetryResolution = (typeof TELEMETRY_RESOLUTIONS)[number];

export const MIN_TELEMETRY_WIDTH = 1;
export const MAX_TELEMETRY_WIDTH = 4000;
/** The API answers at most this many points per CSS pixel of `width`, per series. */
export const POINTS_PER_PIXEL = 4;
export const MAX_TELEMETRY_RANGE_YEARS = 5;

/**
 * A range whose end is this close to now (or later) is "live": its data may still grow, so the
 * server answers it with revalidation and the client keeps it fresh for seconds, not minutes.
 */
export const LIVE_WINDOW_MS = 3_600_000;

export const isLiveRange = (toMs: number, nowMs: number = Date.now()) => toMs >= nowMs - LIVE_WINDOW_MS;

/** `from` plus five calendar years (UTC): the longest range the API reads. */
export function maxRangeEnd(fromMs: number): number {
  const end = new Date(fromMs);
  end.setUTCFullYear(end.getUTCFullYear() + MAX_TELEMETRY_RANGE_YEARS);
  return end.getTime();
}

/** At most this many events and this many alerts per marks answer (`truncated` says so). */
export const MAX_TELEMETRY_MARKS = 500;
