import { DAY_MS, type TripRecord } from '../../fleet/vehicle-timeline';
import type { SimVehicle } from '../../world/world';
import { V1Error } from '../gateway';
import { readDay, readDayRange, readMonth, readPresentation, readReferentialLocale } from '../params';
import {
  answersPerCar,
  type V1Call,
  type V1Route,
  type V1VehicleHandler,
  vehicleRoute,
} from '../route-table';
import { tripOfV1Id, v1TripId } from '../trip-ids';
import { combineEvaluations } from './aggregate';
import { evaluationBody } from './evaluation-body';
import { referentialRows } from './texts';
import { tripEvaluation } from './trip-evaluations';

// The "Correlation" domain of v1 (vehicle-apis.md §7–8): eco-driving evaluations of a car's
// trips, one trip at a time, per day, per month or over its whole history, and the referential of
// their texts. A trip is evaluated once it has ended [infer]: a trip under way has no evaluation
// yet. Trips are those the cloud holds at the (stale-shifted) now, as v4's trips
// (historyStartMs … now); days and months are UTC, as every v1 date parameter.

const NO_EVALUATION = 'No eco-driving evaluation for this vehicle yet.';
/** At most this many months per call, as readDayRange allows a year of days. [infer] */
const MAX_MONTHS = 12;

/**
 * The car's ended trips that start in [fromMs, toMs), within the history window, oldest first.
 * The day before is read too: a late trip of the previous day can start after midnight.
 */
function endedTrips(call: V1Call, vehicle: SimVehicle, fromMs: number, toMs: number): TripRecord[] {
  const from = Math.max(fromMs, call.ctx.fleet.historyStartMs(vehicle, call.nowMs));
  const to = Math.min(toMs, call.nowMs + 1);
  if (to <= from) return [];
  const timeline = call.ctx.fleet.timelineOf(vehicle);
  // Generating a day simulates its traces, and the timeline keeps only the last 32: evaluating
  // each day's trips as soon as it is generated saves simulating most of them a second time.
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    for (const trip of timeline.tripsBetween(day * DAY_MS, (day + 1) * DAY_MS)) {
      if (trip.endMs <= call.nowMs) tripEvaluation(call.ctx, vehicle, trip);
    }
  }
  return timeline
    .tripsBetween(from - DAY_MS, to)
    .filter((trip) => trip.startMs >= from && trip.endMs <= call.nowMs);
}

const allEndedTrips = (call: V1Call, vehicle: SimVehicle) =>
  endedTrips(call, vehicle, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);

function tripBody(call: V1Call, vehicle: SimVehicle, trip: TripRecord, locale: string) {
  return evaluationBody(tripEvaluation(call.ctx, vehicle, trip), vehicle, locale, trip.endMs, {
    tripId: v1TripId(trip),
    duration: Math.round((trip.endMs - trip.startMs) / 1000),
  });
}

/** One aggregate body per group of trips (trips oldest first; groups keep that order). */
function groupBodies(
  call: V1Call,
  vehicle: SimVehicle,
  trips: readonly TripRecord[],
  locale: string,
  groupOf: (trip: TripRecord) => number,
) {
  const groups = new Map<number, TripRecord[]>();
  for (const trip of trips) {
    const key = groupOf(trip);
    const group = groups.get(key);
    if (group) group.push(trip);
    else groups.set(key, [trip]);
  }
  return [...groups].map(([dateAggr, group]) => {
    const combined = combineEvaluations(group.map((trip) => tripEvaluation(call.ctx, vehicle, trip)));
    const lastEndMs = Math.max(...group.map((trip) => trip.endMs));
    return evaluationBody(combined, vehicle, locale, lastEndMs, { duration: combined.durationS, dateAggr });
  });
}

// --- Query parameters ------------------------------------------------------------------------------

const readLocale = (url: URL) => readPresentation(url).locale;

function readMonthRange(url: URL) {
  const from = readMonth(url, 'frommonth');
  const to = readMonth(url, 'tomonth');
  const fromIndex = from.year * 12 + from.month - 1;
  const toIndex = to.year * 12 + to.month - 1;
  if (toIndex < fromIndex) throw new V1Error(400, 'tomonth must not be before frommonth.');
  if (toIndex - fromIndex + 1 > MAX_MONTHS)
    throw new V1Error(400, `A range covers at most ${MAX_MONTHS} months.`);
  return {
    fromMs: Date.UTC(from.year, from.month - 1, 1),
    toMs: Date.UTC(to.year, to.month, 1),
  };
}

/** yyyyMMdd of a UTC day, as a number (the spec types dateAggr as a number). [infer] */
function dayNumber(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 10_000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/** yyyyMM of a UTC month, as a number. [infer] */
const monthNumber = (ms: number) => Math.floor(dayNumber(ms) / 100);

// --- Handlers ----------------------------------------------------------------------------------------

/** GET /ecodriving/evaluation/get/{vin}: every ended trip the cloud holds, as one evaluation. */
function wholeHistory(call: V1Call, vehicle: SimVehicle) {
  const locale = readLocale(call.url);
  const trips = allEndedTrips(call, vehicle);
  const last = trips.at(-1);
  if (!last) throw new V1Error(404, NO_EVALUATION);
  const combined = combineEvaluations(trips.map((trip) => tripEvaluation(call.ctx, vehicle, trip)));
  return evaluationBody(combined, vehicle, locale, last.endMs);
}

/** GET /ecodriving/evaluation/lasttrip/{vin}: the last ended trip. */
function lastTrip(call: V1Call, vehicle: SimVehicle) {
  const locale = readLocale(call.url);
  // The last day with a trip is usually today or yesterday; widen until one is found.
  for (let days = 2; ; days *= 4) {
    const fromMs = (Math.floor(call.nowMs / DAY_MS) - days) * DAY_MS;
    const last = endedTrips(call, vehicle, fromMs, Number.POSITIVE_INFINITY).at(-1);
    if (last) return tripBody(call, vehicle, last, locale);
    if (fromMs <= call.ctx.fleet.historyStartMs(vehicle, call.nowMs)) throw new V1Error(404, NO_EVALUATION);
  }
}

/** GET /ecodriving/evaluation/pertrip/{vin}/{tripid}: one trip by its v1 id. */
function perTrip(call: V1Call, vehicle: SimVehicle) {
  const locale = readLocale(call.url);
  const trip = tripOfV1Id(call.ctx, vehicle, call.params.tripid ?? '', call.nowMs);
  if (trip.endMs > call.nowMs)
    throw new V1Error(404, 'This trip is under way: it is evaluated when it ends.');
  return tripBody(call, vehicle, trip, locale);
}

/** GET /ecodriving/evaluation/daytrips/{vin}?day=: each ended trip that started that day. */
function dayTrips(call: V1Call, vehicle: SimVehicle) {
  const locale = readLocale(call.url);
  const day = readDay(call.url, 'day');
  return endedTrips(call, vehicle, day * DAY_MS, (day + 1) * DAY_MS).map((trip) =>
    tripBody(call, vehicle, trip, locale),
  );
}

/** GET /ecodriving/evaluation/trip/day/{vin}?fromday&today: one evaluation per day with trips. */
function perDay(call: V1Call, vehicle: SimVehicle) {
  const locale = readLocale(call.url);
  const { fromDay, toDay } = readDayRange(call.url, 'fromday', 'today');
  const trips = endedTrips(call, vehicle, fromDay * DAY_MS, (toDay + 1) * DAY_MS);
  return groupBodies(call, vehicle, trips, locale, (trip) => dayNumber(trip.startMs));
}

/** GET /ecodriving/evaluation/trip/month/{vin}?frommonth&tomonth: one evaluation per month with trips. */
function perMonth(call: V1Call, vehicle: SimVehicle) {
  const locale = readLocale(call.url);
  const { fromMs, toMs } = readMonthRange(call.url);
  const trips = endedTrips(call, vehicle, fromMs, toMs);
  return groupBodies(call, vehicle, trips, locale, (trip) => monthNumber(trip.startMs));
}

/** GET /referential/ecodriving: every text an evaluation can carry. `locale` and `brand` are optional here. */
function referential(call: V1Call) {
  return referentialRows(readReferentialLocale(call.url));
}

/**
 * The POST `…/list` twin of a handler. Its query (locale, brand, ranges) is checked before any car
 * is looked up, so a bad parameter is a 400 even when no car matches. The day and month twins
 * answer one flat array of every car's aggregates (spec: `type: array` of evaluation bodies).
 */
function listTwin(
  path: string,
  handler: V1VehicleHandler,
  checkQuery: (url: URL) => unknown,
  flat: boolean,
): V1Route {
  return {
    method: 'POST',
    path,
    handle: async (call: V1Call) => {
      checkQuery(call.url);
      const answers = await answersPerCar(call, handler);
      return flat ? answers.flat() : answers;
    },
  };
}

export const ecodrivingRoutes: readonly V1Route[] = [
  vehicleRoute('GET', '/ecodriving/evaluation/get/{vin}', wholeHistory),
  listTwin('/ecodriving/evaluation/list', wholeHistory, readLocale, false),
  vehicleRoute('GET', '/ecodriving/evaluation/lasttrip/{vin}', lastTrip),
  vehicleRoute('GET', '/ecodriving/evaluation/pertrip/{vin}/{tripid}', perTrip),
  vehicleRoute('GET', '/ecodriving/evaluation/daytrips/{vin}', dayTrips),
  vehicleRoute('GET', '/ecodriving/evaluation/trip/day/{vin}', perDay),
  listTwin(
    '/ecodriving/evaluation/trip/day/list',
    perDay,
    (url) => [readLocale(url), readDayRange(url, 'fromday', 'today')],
    true,
  ),
  vehicleRoute('GET', '/ecodriving/evaluation/trip/month/{vin}', perMonth),
  listTwin(
    '/ecodriving/evaluation/trip/month/list',
    perMonth,
    (url) => [readLocale(url), readMonthRange(url)],
    true,
  ),
  { method: 'GET', path: '/referential/ecodriving', handle: referential },
];
