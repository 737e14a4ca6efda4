// Wall-clock time in a named zone without a date library: Intl tells the offset at an instant, and
// a wall time becomes an instant by trying the offsets in force around it. Client-safe and pure
// (given the runtime's time zone data), so the server page and the browser compute the same ranges.

export type WallDate = { year: number; month: number; day: number };
export type WallTime = WallDate & { hour: number; minute: number; second: number };

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock of `instant` in `timeZone`. */
export function wallTimeAt(instant: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    // Some engines print midnight as 24 even with h23.
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** 400 Gregorian years, exactly (the calendar repeats, weekdays included). */
const GREGORIAN_CYCLE_MS = 146_097 * DAY_MS;

/**
 * Date.UTC for every year: Date.UTC reads the years 0 to 99 as 1900 to 1999 (a URL asking for
 * `0050-03-01` would otherwise land in 1950), so those are computed 400 years on and moved back.
 */
function utc(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0): number {
  if (year >= 0 && year < 100)
    return Date.UTC(year + 400, monthIndex, day, hour, minute, second) - GREGORIAN_CYCLE_MS;
  return Date.UTC(year, monthIndex, day, hour, minute, second);
}

function wallAsUtc(wall: WallTime): number {
  return utc(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** The wall clock of `instant` in `timeZone` written as if it were UTC (epoch ms, whole seconds). */
export function wallClockMs(instant: number, timeZone: string): number {
  return wallAsUtc(wallTimeAt(instant, timeZone));
}

/** The zone's offset from UTC at an instant, in ms (Paris in winter: +3,600,000). */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallAsUtc(wallTimeAt(whole, timeZone)) - whole;
}

/**
 * The instant a wall time names in a zone. Assumes at most one offset change within a day of it
 * (true of every zone in the tz database). An ambiguous time (clocks going back) takes the first
 * occurrence; a time that does not exist (clocks going forward) takes the instant of the change,
 * so "midnight" on a day that starts at 01:00 is when that day begins.
 */
export function instantOf(wall: WallTime, timeZone: string): number {
  const asUtc = wallAsUtc(wall);
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  const candidates = [asUtc - before, asUtc - after];
  const valid = candidates.filter((t) => asUtc - offsetAt(t, timeZone) === t);
  if (valid.length > 0) return Math.min(...valid);
  // In the gap: the offset before the change puts the wall time after it, at the change itself.
  return asUtc - before;
}

/** Calendar arithmetic on dates alone (Date.UTC carries overflowing days and months). */
export function addDays(date: WallDate, days: number): WallDate {
  const d = new Date(utc(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addMonths(date: WallDate, months: number): WallDate {
  const d = new Date(utc(date.year, date.month - 1 + months, 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: 1 };
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(date: WallDate): number {
  const dow = new Date(utc(date.year, date.month - 1, date.day)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

export function startOfDay(date: WallDate, timeZone: string): number {
  return instantOf({ ...date, hour: 0, minute: 0, second: 0 }, timeZone);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatWallDate(date: WallDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** `YYYY-MM-DD` → a real calendar date (year 1 or later: Intl writes year 0 as 1 BC), or null. */
export function parseWallDate(text: string): WallDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (date.year < 1) return null;
  const roundTrip = addDays(date, 0);
  return roundTrip.year === date.year && roundTrip.month === date.month && roundTrip.day === date.day
    ? date
    : null;
}

/** The value of an `<input type="datetime-local">` for an instant, on the zone's wall clock. */
export function toDateTimeLocal(instant: number, timeZone: string): string {
  const wall = wallTimeAt(instant, timeZone);
  return `${formatWallDate(wall)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** An `<input type="datetime-local">` value read on the zone's wall clock, or null. */
export function fromDateTimeLocal(value: string, timeZone: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const date = parseWallDate(match[1] ?? '');
  const hour = Number(match[2]);
  const minute = Number(match[3]);
  const second = Number(match[4] ?? 0);
  if (!date || hour > 23 || minute > 59 || second > 59) return null;
  return instantOf({ ...date, hour, minute, second }, timeZone);
}
