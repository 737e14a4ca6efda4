// Calendar days in the owner's time zone as instants: a filter "from 3 March to 5 March" means the
// owner's own midnights, not UTC's. Pure (Intl only), so tests can pin any zone.

/** Milliseconds the zone is ahead of UTC at the instant `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant the day `YYYY-MM-DD` starts in the zone (DST-safe: checked at the result). */
export function startOfDay(day: string, timeZone: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(year, month - 1, date);
  let guess = utcMidnight - offsetAt(utcMidnight, timeZone);
  const corrected = utcMidnight - offsetAt(guess, timeZone);
  if (corrected !== guess) guess = corrected;
  return guess;
}

/** The instant after the day ends in the zone: the next day's start. */
export function endOfDay(day: string, timeZone: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
  return startOfDay(next, timeZone);
}
