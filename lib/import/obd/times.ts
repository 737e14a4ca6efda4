import 'server-only';
import { offsetAt } from '../../time/zone';
import { parseNumberCell } from './cells';
import { ObdImportError } from './errors';

// Timestamps as OBD apps write them, turned into epoch milliseconds. Local wall times (no zone in
// the cell) are placed in an IANA zone with the runtime's own time-zone database through Intl, so
// no date library is needed.

export type TimeCell =
  | { kind: 'absent' }
  /** A complete instant. */
  | { kind: 'instant'; at: number }
  /** An epoch number a spreadsheet rounded into exponent form: only `resolutionMs` precise. */
  | { kind: 'coarse'; at: number; resolutionMs: number }
  /** A time of day without a date, milliseconds after midnight (local). */
  | { kind: 'clock'; msOfDay: number }
  | { kind: 'invalid'; reason: string };

const DAY_MS = 86_400_000;
// The model's instant bounds (2000-01-01 … 2100-01-01), in epoch seconds and milliseconds. The
// two ranges are 1000× apart and do not overlap, so a number's size says which it is.
const MIN_S = 946_684_800;
const MAX_S = 4_102_444_800;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
/** Torque's GPS Time, from Java's Date.toString: `Mon Aug 07 10:26:46 GMT+02:00 2017`. */
const JAVA_DATE =
  /^[a-z]{3},?\s+([a-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s+(\S+)\s+(\d{4})$/i;
/** Torque's Device Time: `07-Aug-2017 10:26:46.925`. */
const DAY_MONTH_NAME = /^(\d{1,2})-([a-z]{3})-(\d{4})[ T]+(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?$/i;
/** European numeric dates: `07.08.2017 10:26:46`. */
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
const OFFSET = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * Reads one time cell. Numbers are epoch seconds or milliseconds by size; a number in exponent
 * form whose last digit is coarser than its unit (`1.50201E+12` ms is known to 10⁷ ms, ±1.4 h)
 * is "coarse" so the caller can fall back to an elapsed-time column.
 */
export function parseTimeCell(raw: string, zone: string): TimeCell {
  const text = raw.trim();
  const number = parseNumberCell(text);
  if (number.kind === 'absent') return { kind: 'absent' };
  if (number.kind === 'number' && number.unit === '') {
    const scale = number.value >= MIN_S && number.value < MAX_S ? 1000 : 1;
    const at = number.value * scale;
    if (at < MIN_S * 1000 || at >= MAX_S * 1000) {
      return {
        kind: 'invalid',
        reason: `time "${text}" is neither epoch seconds nor epoch milliseconds between 2000 and 2100`,
      };
    }
    // Coarse: the last digit kept is coarser than the number's own unit (a second or a millisecond).
    if (number.exponent && number.resolution > 1) {
      return { kind: 'coarse', at: Math.round(at), resolutionMs: number.resolution * scale };
    }
    return { kind: 'instant', at: Math.round(at) };
  }
  const parsed = parseDateText(text, zone);
  if (parsed) return parsed;
  return { kind: 'invalid', reason: `time "${text}" is not a date and time this import can read` };
}

function parseDateText(text: string, zone: string): TimeCell | undefined {
  let match = ISO.exec(text);
  if (match) {
    const [, y, mo, d, h, mi, s, frac, offset] = match;
    return wallTime([y, mo, d, h, mi, s, frac].map(toInt), frac, offset, zone);
  }
  match = JAVA_DATE.exec(text);
  if (match) {
    const [, monthName, d, h, mi, s, frac, zoneToken, y] = match;
    const month = monthNumber(monthName);
    if (month === undefined) return undefined;
    // A zone abbreviation (`CEST`) is ambiguous worldwide: only GMT/UTC±offset is trusted, and
    // an abbreviation falls back to the import's zone.
    const offset =
      zoneToken !== undefined && /^(GMT|UTC)$|^(GMT|UTC)?[+-]/i.test(zoneToken) ? zoneToken : undefined;
    return wallTime([toInt(y), month, ...[d, h, mi, s, frac].map(toInt)], frac, offset, zone);
  }
  match = DAY_MONTH_NAME.exec(text);
  if (match) {
    const [, d, monthName, y, h, mi, s, frac] = match;
    const month = monthNumber(monthName);
    if (month === undefined) return undefined;
    return wallTime([toInt(y), month, ...[d, h, mi, s, frac].map(toInt)], frac, undefined, zone);
  }
  match = DOTTED.exec(text);
  if (match) {
    const [, d, mo, y, h, mi, s, frac] = match;
    return wallTime([y, mo, d, h, mi, s, frac].map(toInt), frac, undefined, zone);
  }
  match = CLOCK.exec(text);
  if (match) {
    const [, h, mi, s, frac] = match;
    const hour = toInt(h);
    const minute = toInt(mi);
    const second = toInt(s);
    if (hour > 23 || minute > 59 || second > 59)
      return { kind: 'invalid', reason: `time "${text}" is not a time of day` };
    return { kind: 'clock', msOfDay: ((hour * 60 + minute) * 60 + second) * 1000 + fractionMs(frac) };
  }
  return undefined;
}

function toInt(text: string | undefined): number {
  return text === undefined ? 0 : Number.parseInt(text, 10);
}

function monthNumber(name: string | undefined): number | undefined {
  const index = MONTHS.indexOf((name ?? '').toLowerCase());
  return index < 0 ? undefined : index + 1;
}

/** Milliseconds from a fraction of a second's digits (`925` → 925, `5` → 500, `1234` → 123). */
function fractionMs(digits: string | undefined): number {
  if (!digits) return 0;
  return Math.floor(Number(`0.${digits}`) * 1000 + 1e-6);
}

function wallTime(
  parts: number[],
  frac: string | undefined,
  offsetText: string | undefined,
  zone: string,
): TimeCell {
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second) + fractionMs(frac);
  const check = new Date(wall);
  if (
    month < 1 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return { kind: 'invalid', reason: 'the date or time is not a real one' };
  }
  if (offsetText !== undefined) {
    const offset = parseOffset(offsetText);
    if (offset === undefined) return { kind: 'invalid', reason: `"${offsetText}" is not a UTC offset` };
    return { kind: 'instant', at: wall - offset };
  }
  return { kind: 'instant', at: zonedToUtc(wall, zone) };
}

/** `Z`, `UTC`, `GMT` → 0; `+02:00`, `+0200`, `GMT+02:00`, `-5` → milliseconds east of UTC. */
function parseOffset(text: string): number | undefined {
  if (/^(Z|UTC|GMT)$/i.test(text)) return 0;
  const match = OFFSET.exec(text);
  if (!match) return undefined;
  const [, sign, hours, minutes] = match;
  const value = (toInt(hours) * 60 + toInt(minutes)) * 60_000;
  if (value > 14 * 3_600_000) return undefined;
  return sign === '-' ? -value : value;
}

/** Throws a usage error unless the runtime knows this IANA zone. */
export function checkZone(zone: string, option: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new ObdImportError(
      'bad_option',
      `${option} "${zone}" is not a time zone this system knows (use an IANA name such as Europe/Paris).`,
    );
  }
}

// Offsets only change on whole quarter hours in every zone since 2000, so one lookup per zone and
// quarter hour serves a whole log; the cache is emptied before it grows.
const offsets = new Map<string, number>();
const QUARTER_HOUR = 900_000;

/** The zone's offset from UTC (ms, east positive) at an instant. */
export function zoneOffset(zone: string, at: number): number {
  const bucket = Math.floor(at / QUARTER_HOUR);
  const key = `${zone}@${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const start = bucket * QUARTER_HOUR;
  const offset = offsetAt(start, zone);
  if (offsets.size > 4096) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/**
 * The instant a wall-clock time (given as if it were UTC) names in a zone. Where clocks go back
 * and the time happens twice, the earlier; where they jump forward and it never happens, the time
 * moved forward by the gap — the "compatible" choice of Temporal and of most calendars.
 */
export function zonedToUtc(wall: number, zone: string): number {
  const before = zoneOffset(zone, wall - DAY_MS);
  const after = zoneOffset(zone, wall + DAY_MS);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((at) => wall - zoneOffset(zone, at) === at);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before;
}

/** The `YYYY-MM-DD` in a file name (`2017-08-07_Seat_Leon.csv`) as UTC midnight, if there is one. */
export function dateFromFileName(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const match = /(?:^|\D)(\d{4}-\d{2}-\d{2})(?:\D|$)/.exec(base);
  return match?.[1] !== undefined && parseDay(match[1]) !== undefined ? match[1] : undefined;
}

/** `YYYY-MM-DD` → epoch ms of that day's midnight as a wall time, or undefined when it is no date. */
export function parseDay(day: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number);
  if (y === undefined || m === undefined || d === undefined) return undefined;
  const at = Date.UTC(y, m - 1, d);
  const check = new Date(at);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d)
    return undefined;
  return at;
}
