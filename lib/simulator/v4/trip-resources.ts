import { setNewest } from '../../bounded-map';
import type { SimContext } from '../context';
import { electricAutonomyKm, fuelAutonomyKm } from '../fleet/energy-readings';
import { type PrivacyState, privacyStateAt } from '../fleet/privacy';
import { DAY_MS, type TripRecord, type VehicleTimeline } from '../fleet/vehicle-timeline';
import { type DriveTrace, ENGINE_OFF } from '../physics/powertrain';
import { hasEngine, hasTractionBattery, type VehicleModel } from '../physics/vehicle-models';
import type { SimVehicle } from '../world/world';
import { V4ApiError } from './errors';
import { positionFeature } from './geojson';
import { link, rfc3339 } from './hal';
import { vehicleUrl } from './resources';

// The v4 `Trip` (spec 4.17 components/schemas/Trip, vehicle-apis.md §5.8) and a trip's way points,
// built from the car's timeline: the trip's 1 Hz trace gives every number, so a trip's distance is
// its trace's distance, its start mileage the odometer the timeline reports at its start, and its
// levels the trace's own. A trip is described as of an instant (`atMs`): before its end it is the
// pending trip, with what it has done so far.

export const round1 = (value: number) => Math.round(value * 10) / 10;

const notFound = () => new V4ApiError('noDataForContext', 'No data availble for such context.');

/** Trips the cloud holds for a car at `atMs`: from its history start, oldest first, the pending one last. */
export function visibleTrips(ctx: SimContext, vehicle: SimVehicle, atMs: number): TripRecord[] {
  const fromMs = ctx.fleet.historyStartMs(vehicle, atMs);
  return ctx.fleet.timelineOf(vehicle).tripsBetween(fromMs, atMs + 1);
}

/**
 * One of the car's visible trips by id (`<vehicle id>-<day>-<index>`, the timeline's own). An
 * unknown, malformed, future or other car's id is the API's 404 "no data".
 */
export function visibleTrip(ctx: SimContext, vehicle: SimVehicle, tripId: string, atMs: number): TripRecord {
  const prefix = `${vehicle.id}-`;
  const match = tripId.startsWith(prefix) ? /^(\d{1,7})-(\d{1,3})$/.exec(tripId.slice(prefix.length)) : null;
  if (!match) throw notFound();
  const day = Number(match[1]);
  const fromMs = ctx.fleet.historyStartMs(vehicle, atMs);
  // Only days inside the history window are generated: an id naming a far day costs nothing.
  if (day < Math.floor(fromMs / DAY_MS) - 1 || day > Math.floor(atMs / DAY_MS)) throw notFound();
  const trip = ctx.fleet
    .timelineOf(vehicle)
    .tripsBetween(Math.max(fromMs, day * DAY_MS), Math.min(atMs + 1, (day + 2) * DAY_MS))
    .find((candidate) => candidate.id === tripId);
  if (!trip) throw notFound();
  return trip;
}

/**
 * Samples of a trip recorded by `atMs` (sample i is at startMs + i s; the last one at endMs).
 * Derived from the record alone, so counting a month of telemetry simulates no trace.
 */
export function samplesAt(trip: TripRecord, atMs: number): number {
  if (atMs < trip.startMs) return 0;
  const total = Math.round((trip.endMs - trip.startMs) / 1000) + 1;
  return Math.min(total, Math.floor((atMs - trip.startMs) / 1000) + 1);
}

/** The in-car privacy mode in force when the trip started: a trip keeps it to its end. */
export const tripPrivacy = (seed: string, vehicle: SimVehicle, trip: TripRecord): PrivacyState =>
  privacyStateAt(seed, vehicle, trip.startMs);

// --- Energies -----------------------------------------------------------------------------------

export type LiteEnergy = {
  type: 'Fuel' | 'Electric';
  subType: 'FossilEnergy' | 'ElectricEnergy';
  level: number;
  autonomy: number;
};

/** The car's energies at sample i of a trace: fuel first, then electric (hybrids have both). */
export function energiesAt(model: VehicleModel, trace: DriveTrace, i: number): LiteEnergy[] {
  const energies: LiteEnergy[] = [];
  if (trace.fuelLevelPct) {
    const level = round1(trace.fuelLevelPct[i] ?? 0);
    energies.push({ type: 'Fuel', subType: 'FossilEnergy', level, autonomy: fuelAutonomyKm(model, level) });
  }
  if (trace.batteryLevelPct) {
    const level = round1(trace.batteryLevelPct[i] ?? 0);
    energies.push({
      type: 'Electric',
      subType: 'ElectricEnergy',
      level,
      autonomy: electricAutonomyKm(model, level),
    });
  }
  return energies;
}

// --- Trip body ----------------------------------------------------------------------------------

type Propulsion = 'Thermal' | 'Electric' | 'Hybrid';

/** What the trace says about samples 0..last: speeds and the km driven per kind of propulsion. */
function statsUpTo(model: VehicleModel, trace: DriveTrace, last: number) {
  let maxSpeed = 0;
  const km: Record<Propulsion, number> = { Thermal: 0, Electric: 0, Hybrid: 0 };
  for (let i = 0; i <= last; i++) {
    maxSpeed = Math.max(maxSpeed, trace.speedKmh[i] ?? 0);
    if (i === last) break;
    const step = (trace.distanceKm[i + 1] ?? 0) - (trace.distanceKm[i] ?? 0);
    if (model.powertrain === 'electric') km.Electric += step;
    else if (model.powertrain !== 'hybrid') km.Thermal += step;
    // A plug-in hybrid runs electrically with the engine off; with the engine on, the motor
    // helping from the battery makes it a hybrid second, else a thermal one.
    else if (trace.engineMode[i] === ENGINE_OFF) km.Electric += step;
    else if ((trace.energyKwh[i + 1] ?? 0) > (trace.energyKwh[i] ?? 0)) km.Hybrid += step;
    else km.Thermal += step;
  }
  return { maxSpeed, km };
}

function segmentsOf(km: Record<Propulsion, number>) {
  const total = km.Thermal + km.Electric + km.Hybrid;
  return (['Thermal', 'Electric', 'Hybrid'] as const)
    .filter((propulsion) => km[propulsion] > 0)
    .map((propulsion) => ({
      propulsion,
      percent: round1((km[propulsion] / total) * 100),
      distance: round1(km[propulsion]),
    }));
}

/**
 * `energyConsumptions`. Units: `consumption` is what the trip used, in cL of fuel or Wh of traction
 * energy (the units of `avgConsumption`, which the spec gives per 100 km: cL/100 km, Wh/100 km).
 * Net battery energy can be negative when a hybrid charges from its engine: reported as 0 (the
 * spec's minimum).
 */
function consumptionsOf(model: VehicleModel, fuelL: number, energyKwh: number, distanceKm: number) {
  const per100 = (amount: number) => (distanceKm > 0 ? (amount / distanceKm) * 100 : 0);
  const consumptions = [];
  if (hasEngine(model)) {
    const cl = Math.max(0, fuelL) * 100;
    consumptions.push({
      type: 'Fuel' as const,
      subType: 'FossilEnergy' as const,
      consumption: round1(cl),
      avgConsumption: round1(per100(cl)),
    });
  }
  if (hasTractionBattery(model)) {
    const wh = Math.max(0, energyKwh) * 1000;
    consumptions.push({
      type: 'Electric' as const,
      subType: 'ElectricEnergy' as const,
      consumption: Math.round(wh),
      avgConsumption: Math.round(per100(wh)),
    });
  }
  return consumptions;
}

export type TripFacts = {
  trip: TripRecord;
  trace: DriveTrace;
  /** Index of the last sample recorded by the instant described. */
  last: number;
  done: boolean;
  /** Trip seconds so far (the whole trip once done). */
  durationS: number;
  /** km driven so far, rounded as the body shows it. */
  distanceKm: number;
};

/**
 * The trip as of `atMs`. A finished trip's totals come from its record; its trace (`facts.trace`)
 * is generated only when something reads it.
 */
export function tripFacts(timeline: VehicleTimeline, trip: TripRecord, atMs: number): TripFacts {
  if (atMs >= trip.endMs) {
    const last = Math.max(0, Math.round((trip.endMs - trip.startMs) / 1000));
    return {
      trip,
      get trace() {
        return timeline.traceOf(trip);
      },
      last,
      done: true,
      durationS: last,
      distanceKm: round1(trip.distanceKm),
    };
  }
  const trace = timeline.traceOf(trip);
  const last = Math.max(0, Math.min(trace.speedKmh.length, samplesAt(trip, atMs)) - 1);
  return {
    trip,
    trace,
    last,
    done: false,
    durationS: last,
    distanceKm: round1(trace.distanceKm[last] ?? 0),
  };
}

/** `faults` of a trip from the privacy mode it ran under; none for a nominal trip. */
export function faultsOf(privacy: PrivacyState) {
  if (privacy === 'Geolocation') return [{ fault: 'DataLacking' as const, cause: 'GeoPrivacy' as const }];
  if (privacy === 'Full') return [{ fault: 'DataLacking' as const, cause: 'FullPrivacy' as const }];
  return [];
}

/** The states the `states` filter matches a trip on: its faults, or Nominal. */
export const tripStates = (privacy: PrivacyState): string[] => {
  const faults = faultsOf(privacy);
  return faults.length > 0 ? faults.map((fault) => fault.fault) : ['Nominal'];
};

export type TripResourceInput = {
  apiBase: string;
  vehicle: SimVehicle;
  timeline: VehicleTimeline;
  facts: TripFacts;
  /** The instant described: `createdAt` of the pending trip. */
  atMs: number;
  privacy: PrivacyState;
  /** `data:position` granted. */
  withPositions: boolean;
};

/**
 * A finished trip's body never changes: kept per car (its `_links` aside, which depend on the
 * caller's host), so a trips page costs no physics once seen. A car's trace cache holds only a few
 * dozen traces, fewer than a month of trips.
 */
const FINISHED_BODIES_PER_CAR = 400;
const finishedBodies = new WeakMap<VehicleTimeline, Map<string, ReturnType<typeof tripBody>>>();

export function tripResource(input: TripResourceInput) {
  const { apiBase, vehicle, facts } = input;
  const self = `${vehicleUrl(apiBase, vehicle.id)}/trips/${facts.trip.id}`;
  const _links = {
    self: link(self),
    vehicle: link(vehicleUrl(apiBase, vehicle.id)),
    waypoints: link(`${self}/wayPoints`),
    alerts: link(`${self}/alerts`),
    collisions: link(`${self}/collisions`),
  };
  if (!facts.done) return { ...tripBody(input), _links };
  let bodies = finishedBodies.get(input.timeline);
  if (!bodies) {
    bodies = new Map();
    finishedBodies.set(input.timeline, bodies);
  }
  const key = `${facts.trip.id}|${input.privacy}|${input.withPositions}`;
  let body = bodies.get(key);
  if (!body) {
    body = tripBody(input);
    setNewest(bodies, key, body, FINISHED_BODIES_PER_CAR);
  }
  return { ...body, _links };
}

function tripBody(input: TripResourceInput) {
  const { timeline, facts, atMs, privacy } = input;
  const { trip, trace, last, done, durationS, distanceKm } = facts;
  const model = timeline.model;
  const stamp = rfc3339(done ? trip.endMs : atMs);
  // Geolocation privacy hides positions; Full privacy hides positions and driving data (§3.6).
  const positions = input.withPositions && privacy === 'None';
  const drivingData = privacy !== 'Full';
  const positionAt = (i: number) =>
    positionFeature({
      ...timeline.positionOnTrip(trip, trace.distanceKm[i] ?? 0),
      createdAtMs: trip.startMs + i * 1000,
    });
  const stats = drivingData ? statsUpTo(model, trace, last) : null;
  const faults = faultsOf(privacy);
  return {
    id: trip.id,
    createdAt: stamp,
    updatedAt: stamp,
    startedAt: rfc3339(trip.startMs),
    ...(done ? { stoppedAt: rfc3339(trip.endMs) } : {}),
    ...(positions ? { startPosition: positionAt(0) } : {}),
    ...(positions && done ? { stopPosition: positionAt(last) } : {}),
    duration: durationS,
    distance: distanceKm,
    startMileage: round1(timeline.stateAt(trip.startMs).odometerKm),
    ...(stats
      ? {
          startEnergies: energiesAt(model, trace, 0),
          ...(done ? { endEnergies: energiesAt(model, trace, last) } : {}),
          energyConsumptions: consumptionsOf(
            model,
            trace.fuelL[last] ?? 0,
            trace.energyKwh[last] ?? 0,
            trace.distanceKm[last] ?? 0,
          ),
          // The trip computer's average: distance over the whole ignition-on time, stops included.
          kinetic: {
            avgSpeed: durationS > 0 ? round1(((trace.distanceKm[last] ?? 0) / durationS) * 3600) : 0,
            maxSpeed: round1(stats.maxSpeed),
          },
          segments: segmentsOf(stats.km),
        }
      : {}),
    done,
    ...(faults.length > 0 ? { faults } : {}),
  };
}

// --- Way points ---------------------------------------------------------------------------------

/** Way points are one GPS fix every WAYPOINT_STEP_S of the 1 Hz trace, plus the last sample. */
export const WAYPOINT_STEP_S = 5;

export type WayPoint = { atMs: number; lat: number; lon: number; headingDeg: number };

export function wayPointsOf(timeline: VehicleTimeline, facts: TripFacts): WayPoint[] {
  const { trip, trace, last } = facts;
  const points: WayPoint[] = [];
  const add = (i: number) =>
    points.push({
      atMs: trip.startMs + i * 1000,
      ...timeline.positionOnTrip(trip, trace.distanceKm[i] ?? 0),
    });
  for (let i = 0; i <= last; i += WAYPOINT_STEP_S) add(i);
  if (last % WAYPOINT_STEP_S !== 0) add(last);
  return points;
}

export const wayPointFeature = (point: WayPoint) =>
  positionFeature({ lat: point.lat, lon: point.lon, headingDeg: point.headingDeg, createdAtMs: point.atMs });

type Xy = { x: number; y: number };

function segmentDistance(p: Xy, a: Xy, b: Xy): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 > 0 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/**
 * Ramer–Douglas–Peucker on a local flat projection in km (trips stay within ≈ 30 km of home): keeps
 * the ends and every point farther than `toleranceKm` from the simplified path. Distances are to the
 * segment, not its line, so a loop that ends where it started still keeps its far side.
 */
export function simplifyPath<T extends { lat: number; lon: number }>(
  points: readonly T[],
  toleranceKm: number,
): T[] {
  const first = points[0];
  if (!first || points.length < 3 || !(toleranceKm > 0)) return [...points];
  const kmPerLon = 111.32 * Math.cos((first.lat * Math.PI) / 180);
  const xy = points.map((p) => ({ x: p.lon * kmPerLon, y: p.lat * 111.32 }));
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, points.length - 1]];
  for (let span = stack.pop(); span; span = stack.pop()) {
    const [from, to] = span;
    let worst = 0;
    let worstIndex = -1;
    for (let i = from + 1; i < to; i++) {
      const d = segmentDistance(xy[i] as Xy, xy[from] as Xy, xy[to] as Xy);
      if (d > worst) {
        worst = d;
        worstIndex = i;
      }
    }
    if (worstIndex >= 0 && worst > toleranceKm) {
      keep[worstIndex] = 1;
      stack.push([from, worstIndex], [worstIndex, to]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}
