import { queryOptions } from '@tanstack/react-query';
import type { TelemetryDto, TelemetryMarksDto, TelemetryMetric } from '../schemas/telemetry';
import { DEFAULT_TELEMETRY_METRICS, isLiveRange } from '../schemas/telemetry-limits';
import { fetchJson } from './fetch-json';

// The telemetry contracts (client-safe). A range that reaches into the last hour is live: the car
// may be driving, so it goes stale in seconds (the server revalidates it too, with an ETag). An
// older range only changes when a late sync or an import fills it: minutes of freshness, and the
// server lets the browser reuse it as long (lib/telemetry/query/handlers.ts).

export const LIVE_TELEMETRY_STALE_MS = 10_000;
export const SETTLED_TELEMETRY_STALE_MS = 5 * 60_000;

/** Instants as epoch ms or ISO text; keys and URLs always carry the ISO text. */
type Instant = number | string;

const iso = (instant: Instant) => new Date(instant).toISOString();

export const telemetryStaleTime = (to: Instant, nowMs: number = Date.now()) =>
  isLiveRange(new Date(to).getTime(), nowMs) ? LIVE_TELEMETRY_STALE_MS : SETTLED_TELEMETRY_STALE_MS;

export type TelemetryArgs = {
  vehicleId: string;
  metrics?: readonly TelemetryMetric[];
  from: Instant;
  to: Instant;
  /** The chart's plot width in CSS pixels (1–4000); round it to a step so resizes share answers. */
  width: number;
};

export const telemetryKeys = {
  all: ['telemetry'] as const,
  vehicle: (vehicleId: string) => ['telemetry', vehicleId] as const,
  series: ({ vehicleId, metrics = DEFAULT_TELEMETRY_METRICS, from, to, width }: TelemetryArgs) =>
    ['telemetry', vehicleId, 'series', metrics.join(','), iso(from), iso(to), width] as const,
  marks: (vehicleId: string, from: Instant, to: Instant) =>
    ['telemetry', vehicleId, 'marks', iso(from), iso(to)] as const,
};

export function telemetryUrl({
  vehicleId,
  metrics = DEFAULT_TELEMETRY_METRICS,
  from,
  to,
  width,
}: TelemetryArgs) {
  const search = new URLSearchParams({
    metrics: metrics.join(','),
    from: iso(from),
    to: iso(to),
    width: String(width),
  });
  return `/api/vehicles/${encodeURIComponent(vehicleId)}/telemetry?${search}`;
}

export function telemetryQueryOptions(args: TelemetryArgs) {
  return queryOptions({
    queryKey: telemetryKeys.series(args),
    queryFn: () => fetchJson<TelemetryDto>(telemetryUrl(args)),
    staleTime: telemetryStaleTime(args.to),
  });
}

export function telemetryMarksUrl(vehicleId: string, from: Instant, to: Instant) {
  const search = new URLSearchParams({ from: iso(from), to: iso(to) });
  return `/api/vehicles/${encodeURIComponent(vehicleId)}/telemetry/marks?${search}`;
}

export function telemetryMarksQueryOptions({
  vehicleId,
  from,
  to,
}: Omit<TelemetryArgs, 'metrics' | 'width'>) {
  return queryOptions({
    queryKey: telemetryKeys.marks(vehicleId, from, to),
    queryFn: () => fetchJson<TelemetryMarksDto>(telemetryMarksUrl(vehicleId, from, to)),
    staleTime: telemetryStaleTime(to),
  });
}
