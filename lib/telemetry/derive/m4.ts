import 'server-only';

// M4 downsampling for charts (Jugel et al., "M4: A Visualization-Oriented Time Series Data
// Aggregation", PVLDB 7(10), 2014; docs/performance.md §2.2, T4): the time range is cut into as
// many columns as the chart has pixel columns, and each column keeps its first, last, smallest
// and largest point. A line drawn through what is kept looks exactly like one drawn through every
// point, from at most 4 points per column; the global minimum and maximum and the first and last
// points are always kept. The server downsamples (performance.md, "the client never gets raw
// years"): this is for raw rows of short ranges; longer ranges read rollups (rollups.ts), whose
// per-bucket min and max the dashboard reduces the same way.

export type SeriesPoint = { at: number; value: number };

/**
 * M4 of a series sorted by `at`, over [from, to] in `columns` columns. Points outside the range
 * and values that are not finite numbers are ignored. The result is in time order, without repeats; a column's min or max that is also
 * its first or last point is kept once.
 */
export function m4(points: readonly SeriesPoint[], from: number, to: number, columns: number): SeriesPoint[] {
  if (!Number.isInteger(columns) || columns < 1) throw new RangeError('columns must be a positive integer');
  if (!(to >= from)) throw new RangeError('the range must not end before it starts');
  const width = to - from;
  const columnOf = (at: number) =>
    width === 0 ? 0 : Math.min(Math.floor(((at - from) * columns) / width), columns - 1);
  const out: SeriesPoint[] = [];
  let column = -1;
  let first = 0;
  let last = 0;
  let min = 0;
  let max = 0;
  const flush = () => {
    if (column < 0) return;
    const kept = [...new Set([first, min, max, last])].sort((a, b) => a - b);
    for (const index of kept) out.push(points[index] as SeriesPoint);
  };
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as SeriesPoint;
    if (point.at < from || point.at > to || !Number.isFinite(point.value)) continue;
    const c = columnOf(point.at);
    if (c !== column) {
      flush();
      column = c;
      first = i;
      min = i;
      max = i;
    }
    last = i;
    if (point.value < (points[min] as SeriesPoint).value) min = i;
    if (point.value > (points[max] as SeriesPoint).value) max = i;
  }
  flush();
  return out;
}
