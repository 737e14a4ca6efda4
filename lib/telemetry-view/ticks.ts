// Time-axis ticks on the owner's wall clock (midnights, whole hours, firsts of the month), since a
// number axis would otherwise tick at round epoch milliseconds that mean nothing to a person.

import { addDays, addMonths, offsetAt, startOfDay, wallTimeAt } from '@/lib/time/zone';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type TickUnit = 'minute' | 'hour' | 'day' | 'month';
export type TimeTicks = { unit: TickUnit; ticks: number[] };

const CLOCK_STEPS = [1, 2, 5, 10, 15, 30]
  .map((m) => m * MINUTE)
  .concat([1, 2, 3, 6, 12].map((h) => h * HOUR));
const DAY_STEPS = [1, 2, 7, 14];
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60];

/** At most `maxTicks` ticks inside [from, to], on round wall-clock values of `timeZone`. */
export function timeTicks(from: number, to: number, maxTicks: number, timeZone: string): TimeTicks {
  const span = to - from;
  if (!(span > 0) || maxTicks < 1) return { unit: 'minute', ticks: [] };
  const clockStep = CLOCK_STEPS.find((step) => span / step <= maxTicks);
  if (clockStep !== undefined) {
    // Whole local minutes/hours: align on the wall clock, whose offset is that of `from`.
    const offset = offsetAt(from, timeZone);
    const first = Math.ceil((from + offset) / clockStep) * clockStep - offset;
    const ticks: number[] = [];
    for (let t = first; t <= to; t += clockStep) ticks.push(t);
    return { unit: clockStep < HOUR ? 'minute' : 'hour', ticks };
  }
  const dayStep = DAY_STEPS.find((step) => span / (step * DAY) <= maxTicks);
  if (dayStep !== undefined) {
    const wall = wallTimeAt(from, timeZone);
    let date = { year: wall.year, month: wall.month, day: wall.day };
    const ticks: number[] = [];
    // Weeks start on Monday like the week preset; shorter steps on any midnight.
    if (dayStep >= 7) {
      const dow = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
      date = addDays(date, (8 - dow) % 7);
    }
    for (let t = startOfDay(date, timeZone); t <= to; t = startOfDay(date, timeZone)) {
      if (t >= from) ticks.push(t);
      date = addDays(date, dayStep);
    }
    return { unit: 'day', ticks };
  }
  const monthStep = MONTH_STEPS.find((step) => span / (step * 30.44 * DAY) <= maxTicks) ?? 120;
  const wall = wallTimeAt(from, timeZone);
  // Firsts of months aligned on multiples of the step from January (quarters, halves, years).
  let date = { year: wall.year, month: wall.month, day: 1 };
  const ticks: number[] = [];
  for (let t = startOfDay(date, timeZone); t <= to; t = startOfDay(date, timeZone)) {
    const index = date.year * 12 + (date.month - 1);
    if (t >= from && index % monthStep === 0) ticks.push(t);
    date = addMonths(date, 1);
  }
  return { unit: 'month', ticks };
}

/** How many ticks fit a chart of this width (one label needs about 70 px). */
export function maxTicksFor(width: number): number {
  return Math.max(2, Math.floor(width / 70));
}
