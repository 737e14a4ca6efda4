import { V4ApiError } from './errors';

// The `timestamps` query parameter of v4 collections (spec components/parameters/timestamps):
// 1 to 10 ranges, each one of
//   T1/T2        from T1 to T2
//   T1/D         from T1 for a duration D (ISO 8601, e.g. P3Y6M4DT12H30M5S)
//   T/           from T to now
//   /T           everything up to T
//   Rn/T/D[/d]   n windows of length d (default 24 h) starting every D from T
//   R/T/D[/d]    the same, repeated up to now
// Times are RFC 3339. An item matches when its time lies in any range, [from, to).

export type TimeRange = { fromMs: number; toMs: number };

const MAX_RANGES = 10;
/** A repeating range expands to at most this many windows (a year of hourly windows). */
const MAX_WINDOWS = 8784;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const DURATION =
  /^P(?!$)(?:(\d{1,4})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,6})D)?(?:T(?=\d)(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10}(?:\.\d{1,3})?)S)?)?$/;

const invalid = (detail: string) =>
  new V4ApiError('invalidParameter', `Invalid query parameter timestamps: ${detail}.`);

function parseTime(text: string): number {
  const ms = RFC3339.test(text) ? Date.parse(text.replace(' ', 'T')) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(`"${text}" is not an RFC 3339 date-time`);
  return ms;
}

/** T + D, with calendar years and months added on the UTC calendar. */
function addDuration(fromMs: number, text: string): number {
  // The spec's own example writes hours without the T (`P6H`); hours cannot be months, so accept it.
  const match = DURATION.exec(text.replace(/^P(\d+H)/, 'PT$1'));
  if (!match) throw invalid(`"${text}" is not an ISO 8601 duration`);
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const date = new Date(fromMs);
  if (y || mo) date.setUTCMonth(date.getUTCMonth() + (mo ?? 0) + (y ?? 0) * 12);
  const ms =
    date.getTime() +
    ((w ?? 0) * 7 + (d ?? 0)) * 86_400_000 +
    (h ?? 0) * 3_600_000 +
    (mi ?? 0) * 60_000 +
    Math.round((s ?? 0) * 1000);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw invalid(`"${text}" is too long`);
  return ms;
}

function parseRange(text: string, nowMs: number): TimeRange[] {
  const parts = text.split('/');
  if (parts[0]?.startsWith('R')) {
    const count = parts[0] === 'R' ? null : /^R(\d{1,5})$/.exec(parts[0])?.[1];
    if (count === undefined || parts.length < 3 || parts.length > 4) {
      throw invalid(`"${text}" is not Rn/T/D or Rn/T/D/d`);
    }
    const start = parseTime(parts[1] ?? '');
    const period = addDuration(start, parts[2] ?? '') - start;
    const length = parts[3] === undefined ? 86_400_000 : addDuration(start, parts[3]) - start;
    if (period <= 0 || length <= 0) throw invalid(`"${text}" needs positive durations`);
    const n = count === null ? Math.max(0, Math.ceil((nowMs - start) / period)) : Number(count);
    if (n > MAX_WINDOWS) throw invalid(`"${text}" repeats more than ${MAX_WINDOWS} times`);
    return Array.from({ length: n }, (_, k) => ({
      fromMs: start + k * period,
      toMs: start + k * period + length,
    }));
  }
  if (parts.length !== 2) throw invalid(`"${text}" is not a range such as T1/T2, T/D, T/ or /T`);
  const [from = '', to = ''] = parts;
  if (from === '' && to === '') throw invalid('"/" names no time');
  const fromMs = from === '' ? Number.NEGATIVE_INFINITY : parseTime(from);
  const toMs = to === '' ? nowMs : to.startsWith('P') ? addDuration(fromMs, to) : parseTime(to);
  if (toMs < fromMs) throw invalid(`"${text}" ends before it starts`);
  return [{ fromMs, toMs }];
}

/**
 * The ranges of every `timestamps` value (repeated parameter; 1..10 of them), or null when the
 * parameter is absent. Open ends are resolved against `nowMs`.
 */
export function parseTimestamps(url: URL, nowMs: number): TimeRange[] | null {
  const values = url.searchParams.getAll('timestamps');
  if (values.length === 0) return null;
  if (values.length > MAX_RANGES) throw invalid(`at most ${MAX_RANGES} ranges`);
  return values.flatMap((value) => parseRange(value, nowMs));
}

export const inRanges = (ms: number, ranges: readonly TimeRange[]) =>
  ranges.some((range) => ms >= range.fromMs && ms < range.toMs);
