// The explorer's time range: what the URL says (`?range=day&from=2026-11-26`), validated,
// resolved to instants on the owner's wall clock, and stepped backwards and forwards. Pure and
// client-safe: the server page prefetches exactly the range the client will ask for.

import {
  addDays,
  addMonths,
  formatWallDate,
  isoWeekday,
  parseWallDate,
  startOfDay,
  type WallDate,
  wallTimeAt,
} from '@/lib/time/zone';

export const RANGE_PRESETS = ['live', 'trip', 'day', 'week', 'month', 'year', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export type CalendarPreset = 'day' | 'week' | 'month' | 'year';

export const LIVE_SPAN_MS = 15 * 60_000;
/** The API refuses more than five years (interfaces.md › HTTP). */
export const MAX_SPAN_MS = 5 * 366 * 86_400_000;
export const MIN_SPAN_MS = 60_000;

export type RangeSelection =
  | { preset: 'live' }
  | { preset: CalendarPreset; anchor: WallDate }
  | { preset: 'custom'; from: number; to: number }
  | { preset: 'trip'; from: number; to: number };

export type ResolvedRange = { preset: RangePreset; from: number; to: number };

// Checked by hand rather than with zod: this module runs in the browser, and three URL parameters
// do not justify a validation library in the charts page's bundle (zod/mini came to ~25 kB gzip).
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const CALENDAR_PRESETS: readonly string[] = ['day', 'week', 'month', 'year'] satisfies CalendarPreset[];

/** An ISO 8601 instant with its offset (`Z` or ±hh:mm), as epoch ms; null for anything else. */
function instantOf(text: string | undefined): number | null {
  if (text === undefined || !ISO_INSTANT.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : at;
}

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function single(params: ParamSource, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? undefined : value;
}

/** The selection the URL asks for, or null when there is none or it is not valid. */
export function parseSelection(params: ParamSource): RangeSelection | null {
  const range = single(params, 'range');
  const from = single(params, 'from');
  if (range === 'live') return { preset: 'live' };
  if (range !== undefined && CALENDAR_PRESETS.includes(range)) {
    const anchor = from === undefined ? null : parseWallDate(from);
    return anchor ? { preset: range as CalendarPreset, anchor } : null;
  }
  if (range === 'custom' || range === 'trip') {
    const start = instantOf(from);
    const end = instantOf(single(params, 'to'));
    if (start === null || end === null) return null;
    const span = end - start;
    // Between a minute and five years.
    return span >= MIN_SPAN_MS && span <= MAX_SPAN_MS ? { preset: range, from: start, to: end } : null;
  }
  return null;
}

/** The search params that name a selection (the inverse of parseSelection). */
export function selectionParams(selection: RangeSelection): Record<string, string> {
  if (selection.preset === 'live') return { range: 'live' };
  if (selection.preset === 'custom' || selection.preset === 'trip')
    return {
      range: selection.preset,
      from: new Date(selection.from).toISOString(),
      to: new Date(selection.to).toISOString(),
    };
  return { range: selection.preset, from: formatWallDate(selection.anchor) };
}

export function today(now: number, timeZone: string): WallDate {
  const wall = wallTimeAt(now, timeZone);
  return { year: wall.year, month: wall.month, day: wall.day };
}

export function defaultSelection(now: number, timeZone: string): RangeSelection {
  return { preset: 'day', anchor: today(now, timeZone) };
}

function calendarBounds(preset: CalendarPreset, anchor: WallDate): [WallDate, WallDate] {
  switch (preset) {
    case 'day':
      return [anchor, addDays(anchor, 1)];
    case 'week': {
      const monday = addDays(anchor, 1 - isoWeekday(anchor));
      return [monday, addDays(monday, 7)];
    }
    case 'month': {
      const first = { ...anchor, day: 1 };
      return [first, addMonths(first, 1)];
    }
    case 'year': {
      const first = { year: anchor.year, month: 1, day: 1 };
      return [first, addMonths(first, 12)];
    }
  }
}

/** The instants a selection covers on the owner's wall clock (a DST day lasts 23 or 25 hours). */
export function resolveRange(selection: RangeSelection, now: number, timeZone: string): ResolvedRange {
  if (selection.preset === 'live') {
    // Whole seconds: the server page and the browser's first render must name the same window.
    const second = Math.floor(now / 1000) * 1000;
    return { preset: 'live', from: second - LIVE_SPAN_MS, to: second };
  }
  if (selection.preset === 'custom' || selection.preset === 'trip')
    return { preset: selection.preset, from: selection.from, to: selection.to };
  const [start, end] = calendarBounds(selection.preset, selection.anchor);
  return {
    preset: selection.preset,
    from: startOfDay(start, timeZone),
    to: startOfDay(end, timeZone),
  };
}

/** The period before (-1) or after (+1): a calendar step for presets, the same span otherwise. */
export function shiftSelection(
  selection: RangeSelection,
  direction: -1 | 1,
  now: number,
  timeZone: string,
): RangeSelection {
  switch (selection.preset) {
    case 'day':
      return { preset: 'day', anchor: addDays(selection.anchor, direction) };
    case 'week':
      return { preset: 'week', anchor: addDays(selection.anchor, 7 * direction) };
    case 'month':
      return { preset: 'month', anchor: addMonths(selection.anchor, direction) };
    case 'year':
      return { preset: 'year', anchor: { year: selection.anchor.year + direction, month: 1, day: 1 } };
    default: {
      // Live, a trip or a custom range step by their own length and become a custom range.
      const { from, to } = resolveRange(selection, now, timeZone);
      const span = to - from;
      return { preset: 'custom', from: from + direction * span, to: to + direction * span };
    }
  }
}

/** Whether the next period has begun: there is nothing to see in the future. */
export function canGoNext(selection: RangeSelection, now: number, timeZone: string): boolean {
  if (selection.preset === 'live') return false;
  return resolveRange(shiftSelection(selection, 1, now, timeZone), now, timeZone).from < now;
}

/**
 * A new preset chosen from the current view: calendar presets keep the day the view starts on
 * (Day → Week shows the week of that day); Custom keeps the instants; Live is always now.
 */
export function switchPreset(
  current: ResolvedRange,
  preset: Exclude<RangePreset, 'trip'>,
  now: number,
  timeZone: string,
): RangeSelection {
  if (preset === 'live') return { preset: 'live' };
  if (preset === 'custom') return { preset: 'custom', from: current.from, to: current.to };
  // Live and today's ranges anchor on today; others on the day their view starts.
  const anchorInstant = current.preset === 'live' ? now : Math.min(current.from, now);
  return { preset, anchor: today(anchorInstant, timeZone) };
}

/** A selection from the explorer's initial props (ISO instants and the preset). */
export function selectionFromRange(range: ResolvedRange, timeZone: string): RangeSelection {
  if (range.preset === 'live') return { preset: 'live' };
  if (range.preset === 'custom' || range.preset === 'trip')
    return { preset: range.preset, from: range.from, to: range.to };
  return { preset: range.preset, anchor: today(range.from, timeZone) };
}
