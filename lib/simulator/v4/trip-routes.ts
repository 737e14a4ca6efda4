import { pinnedAt, pinnedWindow, rangesAt } from './collection-window';
import { V4ApiError } from './errors';
import { singleParam } from './params';
import {
  type Call,
  hasScope,
  ownedVehicle,
  pagedCollection,
  pathParam,
  requireScopes,
  type V4Route,
} from './route-types';
import { inRanges } from './timestamps';
import {
  round1,
  simplifyPath,
  tripFacts,
  tripPrivacy,
  tripResource,
  tripStates,
  visibleTrip,
  visibleTrips,
  wayPointFeature,
  wayPointsOf,
} from './trip-resources';

// getTripsByVehicle, getTripByVehicle and getPathForTrip (spec 4.17, vehicle-apis.md §4.1, §5.8).
// Collections pin the instant they describe in their page token (`at`), so page 2 lists the same
// trips as page 1 even while the clock runs.

const TRIP_STATES = ['Nominal', 'Unstarted', 'DataLacking', 'Unfinished'] as const;

const invalid = (name: string, detail: string) =>
  new V4ApiError('invalidParameter', `Invalid query parameter ${name}: ${detail}.`);

type Bounds = { min: number; max: number };

/** A trip `distance` (km, one decimal) or `duration` (s) range `min-max`, both ends included. */
function parseRange(url: URL, name: string, pattern: RegExp, example: string): string[] {
  const value = singleParam(url, name);
  if (value === undefined) return [];
  const match = pattern.exec(value);
  if (!match || (match[2] !== undefined && match[2] !== '' && Number(match[2]) < Number(match[1]))) {
    throw invalid(name, `expected a range "min-max" or "min-", e.g. "${example}"`);
  }
  return [value];
}

function boundsOf(values: readonly string[] | undefined): Bounds | null {
  const value = values?.[0];
  if (value === undefined) return null;
  const [min = '0', max = ''] = value.split('-');
  return { min: Number(min), max: max === '' ? Number.POSITIVE_INFINITY : Number(max) };
}

const within = (value: number, bounds: Bounds | null) =>
  !bounds || (value >= bounds.min && value <= bounds.max);

/** `states` (TripStateEnum, repeated or comma-separated). */
function parseStates(url: URL): string[] {
  const states: string[] = [];
  for (const value of url.searchParams.getAll('states').flatMap((text) => text.split(','))) {
    if (!(TRIP_STATES as readonly string[]).includes(value)) {
      throw invalid('states', `expected ${TRIP_STATES.join(', ')}`);
    }
    if (!states.includes(value)) states.push(value);
  }
  return states;
}

/** `tolerance` (km, ≥ 0) of the path simplification. */
function parseTolerance(url: URL): string[] {
  const value = singleParam(url, 'tolerance');
  if (value === undefined) return [];
  if (!/^(?:\d{1,6}(?:\.\d{0,9})?|\.\d{1,9})$/.test(value)) {
    throw invalid('tolerance', 'expected a distance in km, 0 or more, e.g. "0.05"');
  }
  return [value];
}

function listTrips(call: Call, params: Record<string, string>) {
  requireScopes(call, 'data:trip');
  const vehicle = ownedVehicle(call, params);
  const { ctx, apiBase } = call;
  const timeline = ctx.fleet.timelineOf(vehicle);
  const withPositions = hasScope(call, 'data:position');
  return pagedCollection(call, {
    name: 'trips',
    collectionPath: `/user/vehicles/${vehicle.id}/trips`,
    readFilters: (url) => ({
      ...pinnedWindow(call),
      distance: parseRange(url, 'distance', /^(\d{1,6}(?:\.\d)?)-(\d{1,6}(?:\.\d)?)?$/, '0.1-150'),
      duration: parseRange(url, 'duration', /^(\d{1,9})-(\d{1,9})?$/, '10-3600'),
      states: parseStates(url),
    }),
    items: (filters) => {
      const atMs = pinnedAt(filters);
      const ranges = rangesAt(filters.timestamps, atMs);
      const distance = boundsOf(filters.distance);
      const duration = boundsOf(filters.duration);
      const states = filters.states ?? [];
      return visibleTrips(ctx, vehicle, atMs).filter((trip) => {
        if (ranges && !inRanges(trip.startMs, ranges)) return false;
        if (
          states.length > 0 &&
          !tripStates(tripPrivacy(ctx.world.seed, vehicle, trip)).some((state) => states.includes(state))
        ) {
          return false;
        }
        const pending = atMs < trip.endMs;
        // Only the pending trip needs its trace here: a finished one's record has its totals.
        const facts = pending ? tripFacts(timeline, trip, atMs) : null;
        const km = facts ? facts.distanceKm : round1(trip.distanceKm);
        const seconds = facts ? facts.durationS : Math.round((trip.endMs - trip.startMs) / 1000);
        return within(km, distance) && within(seconds, duration);
      });
    },
    render: (trip, filters) => {
      const atMs = pinnedAt(filters);
      return tripResource({
        apiBase,
        vehicle,
        timeline,
        facts: tripFacts(timeline, trip, atMs),
        atMs,
        privacy: tripPrivacy(ctx.world.seed, vehicle, trip),
        withPositions,
      });
    },
  });
}

function getTrip(call: Call, params: Record<string, string>) {
  requireScopes(call, 'data:trip');
  const vehicle = ownedVehicle(call, params);
  const { ctx } = call;
  const timeline = ctx.fleet.timelineOf(vehicle);
  const trip = visibleTrip(ctx, vehicle, pathParam(params, 'tid'), call.now);
  return tripResource({
    apiBase: call.apiBase,
    vehicle,
    timeline,
    facts: tripFacts(timeline, trip, call.now),
    atMs: call.now,
    privacy: tripPrivacy(ctx.world.seed, vehicle, trip),
    withPositions: hasScope(call, 'data:position'),
  });
}

function listWayPoints(call: Call, params: Record<string, string>) {
  requireScopes(call, 'data:trip', 'data:position');
  const vehicle = ownedVehicle(call, params);
  const tripId = pathParam(params, 'tid');
  const { ctx } = call;
  const timeline = ctx.fleet.timelineOf(vehicle);
  return pagedCollection(call, {
    name: 'positions',
    collectionPath: `/user/vehicles/${vehicle.id}/trips/${encodeURIComponent(tripId)}/wayPoints`,
    readFilters: (url) => ({
      ...pinnedWindow(call),
      tolerance: parseTolerance(url),
    }),
    items: (filters) => {
      const atMs = pinnedAt(filters);
      const trip = visibleTrip(ctx, vehicle, tripId, atMs);
      // A trip driven with positions hidden has no path to give.
      if (tripPrivacy(ctx.world.seed, vehicle, trip) !== 'None') {
        throw new V4ApiError('noDataForContext', 'No data availble for such context.');
      }
      const ranges = rangesAt(filters.timestamps, atMs);
      const points = wayPointsOf(timeline, tripFacts(timeline, trip, atMs)).filter(
        (point) => !ranges || inRanges(point.atMs, ranges),
      );
      return simplifyPath(points, Number(filters.tolerance?.[0] ?? 0));
    },
    render: wayPointFeature,
  });
}

export const tripRoutes: readonly V4Route[] = [
  { path: 'user/vehicles/{id}/trips', handler: listTrips },
  { path: 'user/vehicles/{id}/trips/{tid}', handler: getTrip },
  { path: 'user/vehicles/{id}/trips/{tid}/wayPoints', handler: listWayPoints },
];
