import { DAY_MS, type TripRecord } from '../../fleet/vehicle-timeline';
import { readDayRange, readImperial, readLimit } from '../params';

// The period of GET /trip/period and POST /trip/list: `from` and `to` are UTC days (`yyyyMMdd`,
// vehicle-apis.md §7), both included. A trip belongs to the day it started on [infer]: one that
// starts at 23:59 and ends after midnight is that day's, not the next day's.

/** [fromMs, toMs): from the first day's midnight to the midnight after the last day. */
export type DayRange = { fromMs: number; toMs: number };

/** The period operations' query: the day range, `limit` (10 by default) and `unit`. */
export function readPeriod(url: URL): DayRange & { limit: number; imperial: boolean } {
  const { fromDay, toDay } = readDayRange(url, 'from', 'to');
  return {
    fromMs: fromDay * DAY_MS,
    toMs: (toDay + 1) * DAY_MS,
    limit: readLimit(url),
    imperial: readImperial(url),
  };
}

export const startsIn = (trip: TripRecord, range: DayRange): boolean =>
  trip.startMs >= range.fromMs && trip.startMs < range.toMs;
