import { addDays, instantOf, parseWallDate, startOfDay as startOfWallDay } from '../time/zone';

// Calendar days in the owner's time zone as instants: a filter "from 3 March to 5 March" means the
// owner's own midnights, not UTC's. The wall-clock arithmetic is the explorer's (telemetry-view/zone).

function wallDate(day: string) {
  const date = parseWallDate(day);
  if (!date) throw new RangeError(`not a calendar date: ${day}`);
  return date;
}

/** The instant the day `YYYY-MM-DD` starts in the zone (DST-safe). */
export function startOfDay(day: string, timeZone: string): number {
  return startOfWallDay(wallDate(day), timeZone);
}

/** The instant after the day ends in the zone: the next day's start. */
export function endOfDay(day: string, timeZone: string): number {
  return instantOf({ ...addDays(wallDate(day), 1), hour: 0, minute: 0, second: 0 }, timeZone);
}
