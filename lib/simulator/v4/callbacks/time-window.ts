// Time triggers of monitors (spec 4.17 TimeTrigger, TimeTriggerEntry): intervals in a time zone,
// either daily (`start` a time of day such as PT14H30M, `duration`, on the listed days and ISO
// weeks) or once (`start` an RFC 3339 instant, open-ended without a duration).
//
// Daily intervals are laid on the local wall clock: a 22:00 + PT4H interval ends at 02:00 local
// the next day, also across a DST change (it then lasts 3 or 5 real hours) [infer].

import { wallClockMs } from '../../../time/zone';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** Longest interval honoured, so that checking an instant looks back a bounded number of days. */
const MAX_DAILY_DURATION_MS = 7 * DAY_MS;

/** ISO 8601 `P[nD]T[nH][nM][nS]` (weeks `PnW` too) in ms; null when not of that form. Years and months are refused. */
export function parseIsoDuration(text: string): number | null {
  const match = /^P(?:(\d{1,4})W)?(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,6})M)?(?:(\d{1,7})S)?)?$/.exec(
    text,
  );
  if (!match || text === 'P' || text.endsWith('T')) return null;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return (
    ((((weeks ?? 0) * 7 + (days ?? 0)) * 24 + (hours ?? 0)) * 60 + (minutes ?? 0)) * 60_000 +
    (seconds ?? 0) * 1000
  );
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** ISO 8601 week number (1..53) of a wall-clock day. */
function isoWeek(wallMs: number): number {
  // The week's Thursday decides its year; weeks count from that year's first Thursday.
  const date = new Date(Math.floor(wallMs / DAY_MS) * DAY_MS);
  date.setUTCDate(date.getUTCDate() + 4 - (date.getUTCDay() || 7));
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.ceil(((date.getTime() - yearStart) / DAY_MS + 1) / 7);
}

function inWeeks(week: number, items: readonly string[] | undefined): boolean {
  if (!items) return true;
  return items.some((item) => {
    const [from = 0, to = from] = item
      .toLowerCase()
      .split('-')
      .map((part) => Number(part.slice(1)));
    return week >= from && week <= to;
  });
}

export type TimeEntryInput = {
  recurrence?: 'None' | 'Daily';
  start: string;
  duration?: string;
  occurence?: { day?: readonly string[]; week?: readonly string[] };
  enabled?: boolean;
};

function inEntry(entry: TimeEntryInput, ms: number, zone: string): boolean {
  if (entry.enabled === false) return false;
  const durationMs = entry.duration === undefined ? null : parseIsoDuration(entry.duration);
  if ((entry.recurrence ?? 'Daily') === 'None') {
    const startMs = Date.parse(entry.start);
    return ms >= startMs && (durationMs === null || ms < startMs + durationMs);
  }
  const startOfDayMs = parseIsoDuration(entry.start) ?? 0;
  const lengthMs = Math.min(durationMs ?? 0, MAX_DAILY_DURATION_MS);
  const wall = wallClockMs(ms, zone);
  const today = Math.floor(wall / DAY_MS);
  // The interval that contains `wall` started today or on one of the days before.
  for (let day = today; day >= today - Math.ceil(lengthMs / DAY_MS); day--) {
    const fromMs = day * DAY_MS + startOfDayMs;
    if (wall < fromMs || wall >= fromMs + lengthMs) continue;
    const weekday = WEEKDAYS[new Date(day * DAY_MS).getUTCDay()] ?? 'Mon';
    const days = entry.occurence?.day;
    if (days && !days.includes(weekday)) continue;
    if (!inWeeks(isoWeek(day * DAY_MS), entry.occurence?.week)) continue;
    return true;
  }
  return false;
}

/** Whether `ms` falls in one of the trigger's intervals (Europe/Paris unless a zone is given). */
export function inTimeWindows(
  trigger: { times: readonly TimeEntryInput[]; timeZone?: string },
  ms: number,
): boolean {
  const zone = trigger.timeZone ?? 'Europe/Paris';
  return trigger.times.some((entry) => inEntry(entry, ms, zone));
}
