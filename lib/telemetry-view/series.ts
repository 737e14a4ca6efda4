// Shapes the API's metric series for the screen: converted to the owner's units, merged into table
// rows, summarised for screen readers, and matched across charts for the shared crosshair.

import { type SeriesDisplay, seriesDisplay } from '@/lib/units/convert';
import type { UnitPreferences } from '@/lib/units/preferences';

/** One series as the API answers it (interfaces.md › HTTP). */
export type ApiSeries = {
  unit: string;
  available: boolean;
  points: ReadonlyArray<readonly [number, number | null]>;
};

export type ChartPoint = { t: number; v: number | null };

export type DisplaySeries = {
  available: boolean;
  display: SeriesDisplay | null;
  /** The API's unit when the display does not know it (shown unconverted). */
  apiUnit: string;
  points: ChartPoint[];
};

/** Converts every point; a null stays null so the line breaks there (no invented data). */
export function toDisplaySeries(series: ApiSeries | undefined, units: UnitPreferences): DisplaySeries {
  if (!series) return { available: false, display: null, apiUnit: '', points: [] };
  const display = seriesDisplay(series.unit, units);
  const convert = display?.convert ?? ((v: number | null) => v);
  return {
    available: series.available,
    display,
    apiUnit: series.unit,
    points: series.points.map(([t, v]) => ({ t, v: convert(v) })),
  };
}

/**
 * The index of the point nearest to `target` in points sorted by time (binary search), or -1 for
 * none. Synchronised charts have different instants (each series is downsampled on its own), so the
 * crosshair matches by nearest time rather than by index.
 */
export function nearestIndex(times: ReadonlyArray<number>, target: number): number {
  if (times.length === 0 || !Number.isFinite(target)) return -1;
  let low = 0;
  let high = times.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((times[mid] as number) < target) low = mid + 1;
    else high = mid;
  }
  if (low > 0 && target - (times[low - 1] as number) <= (times[low] as number) - target) return low - 1;
  return low;
}

export type TableRow = { t: number; values: Record<string, number | null> };

/** One row per instant of any series, in time order; a series without a point there gets null. */
export function tableRows(series: Record<string, DisplaySeries>, metrics: ReadonlyArray<string>): TableRow[] {
  const byTime = new Map<number, Record<string, number | null>>();
  for (const metric of metrics) {
    const current = series[metric];
    if (!current?.available) continue;
    for (const point of current.points) {
      let values = byTime.get(point.t);
      if (!values) {
        values = Object.fromEntries(metrics.map((m) => [m, null]));
        byTime.set(point.t, values);
      }
      values[metric] = point.v;
    }
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, values]) => ({ t, values }));
}

export type SeriesSummary = { count: number; min: number; max: number; mean: number };

/** Min, max and mean of the values shown (the text a chart image offers a screen reader). */
export function summarise(points: ReadonlyArray<ChartPoint>): SeriesSummary | null {
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { v } of points) {
    if (v === null || !Number.isFinite(v)) continue;
    count += 1;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return count === 0 ? null : { count, min, max, mean: sum / count };
}

export const LIVE_DRIVING_REFETCH_MS = 5_000;
export const LIVE_PARKED_REFETCH_MS = 30_000;
/** A car whose last speed reading is older than this is not driving (it may be parked or asleep). */
export const DRIVING_RECENCY_MS = 2 * 60_000;

/**
 * How often the live range refetches: every 5 s while the car drives (its newest speed reading is
 * recent and above zero), every 30 s otherwise — enough to notice it set off.
 */
export function liveRefetchInterval(speed: ApiSeries | undefined, now: number): number {
  const points = speed?.points ?? [];
  for (let i = points.length - 1; i >= 0; i -= 1) {
    const [t, v] = points[i] as readonly [number, number | null];
    if (v === null) continue;
    return now - t <= DRIVING_RECENCY_MS && v > 0 ? LIVE_DRIVING_REFETCH_MS : LIVE_PARKED_REFETCH_MS;
  }
  return LIVE_PARKED_REFETCH_MS;
}
