import { createHash } from 'node:crypto';
import type { SimContext } from '../context';
import { createRng, deriveSeed } from '../physics/random';
import type { SimVehicle } from '../world/world';
import { DAY_MS, type TripRecord, type VehicleTimeline } from './vehicle-timeline';

// Collisions the car's sensors recorded (v4 `Collision`, vehicle-apis.md §5.9). They are rare,
// about one per ten car-years (more for rough drivers), and mostly parking-speed knocks in town:
// 'Minimal' (no safety system fired), mostly on the rear. A few are 'Minor' (belt pretensioners)
// and very few 'Major' (airbags). Each one happens during a trip, at a moment of the trip's trace
// whose speed suits its severity, so it lines up with the trip's telemetry.

export type CollisionSide = 'Front' | 'Rear' | 'Lateral';
export type CollisionSeverity = 'Minimal' | 'Minor' | 'Major';
export type CollisionDetail = { side: CollisionSide; severity: CollisionSeverity };

export type SimCollision = {
  /** 64 hex characters, stable for a seed: the second it happened and a hash. */
  id: string;
  createdAtMs: number;
  details: readonly CollisionDetail[];
  pedestrian: boolean;
  tippedOver: boolean;
  tripId: string;
  /** The car's speed at the impact (not in the v4 body; it shows in the trip's telemetry). */
  speedKmh: number;
};

/** Mean collisions per car-year for a middling driver; ×0.6 for the gentlest, ×1.4 the roughest. */
export const COLLISIONS_PER_YEAR = 0.1;

type SeverityProfile = {
  share: number;
  /** Speeds at which this kind of impact happens (km/h). */
  speed: readonly [number, number];
  sides: readonly (readonly [CollisionSide, number])[];
};

const SEVERITIES: Readonly<Record<CollisionSeverity, SeverityProfile>> = {
  Minimal: {
    share: 0.8,
    speed: [1, 15],
    sides: [
      ['Rear', 0.6],
      ['Front', 0.3],
      ['Lateral', 0.1],
    ],
  },
  Minor: {
    share: 0.17,
    speed: [10, 45],
    sides: [
      ['Rear', 0.4],
      ['Front', 0.4],
      ['Lateral', 0.2],
    ],
  },
  Major: {
    share: 0.03,
    speed: [30, 110],
    sides: [
      ['Front', 0.5],
      ['Lateral', 0.3],
      ['Rear', 0.2],
    ],
  },
};

const WEEK_MS = 7 * DAY_MS;
/** An impact drawn while the car is parked happens on its next trip, if that comes within a week. */
const NEXT_TRIP_WITHIN_MS = 7 * DAY_MS;
const TOWN_LIMIT_KMH = 50;

/** The value whose cumulative share first passes `u`. */
function pickShare<T>(choices: readonly (readonly [T, number])[], u: number): T {
  let cumulative = 0;
  for (const [value, share] of choices) {
    cumulative += share;
    if (u < cumulative) return value;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

const SEVERITY_CHOICES = (Object.keys(SEVERITIES) as CollisionSeverity[]).map(
  (severity) => [severity, SEVERITIES[severity].share] as const,
);

type Occurrence = {
  week: number;
  k: number;
  instantMs: number;
  /** Uniform draws, all taken up front so every query window agrees on them. */
  u: {
    severity: number;
    side: number;
    moment: number;
    second: number;
    secondSide: number;
    pedestrian: number;
    tipped: number;
  };
};

function occurrences(ctx: SimContext, vehicle: SimVehicle, fromWeek: number, toWeek: number): Occurrence[] {
  const aggressiveness = ctx.world.ownerAt(vehicle.ownerIndex).style.aggressiveness;
  const perWeek = (COLLISIONS_PER_YEAR * (0.6 + 0.8 * Math.min(1, Math.max(0, aggressiveness))) * 7) / 365.25;
  const out: Occurrence[] = [];
  for (let week = fromWeek; week <= toWeek; week++) {
    const rng = createRng(deriveSeed(ctx.world.seed, vehicle.id, 'collision', week));
    // Poisson with a tiny mean: at most two a week is plenty.
    const draw = rng.next();
    const p0 = Math.exp(-perWeek);
    const count = draw < p0 ? 0 : draw < p0 * (1 + perWeek) ? 1 : 2;
    for (let k = 0; k < count; k++) {
      out.push({
        week,
        k,
        instantMs: Math.floor(((week + rng.next()) * WEEK_MS) / 1000) * 1000,
        u: {
          severity: rng.next(),
          side: rng.next(),
          moment: rng.next(),
          second: rng.next(),
          secondSide: rng.next(),
          pedestrian: rng.next(),
          tipped: rng.next(),
        },
      });
    }
  }
  return out;
}

function firstTripFrom(timeline: VehicleTimeline, fromMs: number, untilMs: number): TripRecord | null {
  for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS <= untilMs; day++) {
    const trips = timeline.tripsBetween(
      Math.max(fromMs, day * DAY_MS),
      Math.min((day + 1) * DAY_MS, untilMs + 1),
    );
    if (trips[0]) return trips[0];
  }
  return null;
}

/** The trace second of the impact: a speed that suits the severity, in town and braking if possible. */
function impactSecond(
  speeds: Float32Array,
  limits: Float32Array,
  accelerations: Float32Array,
  band: readonly [number, number],
  u: number,
): number {
  const inBand = (i: number) => (speeds[i] ?? 0) >= band[0] && (speeds[i] ?? 0) <= band[1];
  const tiers = [
    (i: number) => inBand(i) && (limits[i] ?? 0) <= TOWN_LIMIT_KMH && (accelerations[i] ?? 0) < 0,
    (i: number) => inBand(i) && (limits[i] ?? 0) <= TOWN_LIMIT_KMH,
    inBand,
    (i: number) => (speeds[i] ?? 0) > 0,
  ];
  for (const tier of tiers) {
    const candidates: number[] = [];
    for (let i = 0; i < speeds.length; i++) if (tier(i)) candidates.push(i);
    if (candidates.length > 0) return candidates[Math.floor(u * candidates.length)] as number;
  }
  return 0;
}

function collisionId(
  ctx: SimContext,
  vehicle: SimVehicle,
  occurrence: Occurrence,
  createdAtMs: number,
): string {
  const locator = Math.floor(createdAtMs / 1000)
    .toString(16)
    .padStart(10, '0');
  const hash = createHash('sha256')
    .update(`kinetic-sim|collision|${ctx.world.seed}|${vehicle.id}|${occurrence.week}|${occurrence.k}`)
    .digest('hex');
  return `${locator}${hash.slice(0, 64 - locator.length)}`;
}

function resolve(
  ctx: SimContext,
  vehicle: SimVehicle,
  occurrence: Occurrence,
  nowMs: number,
): SimCollision | null {
  const timeline = ctx.fleet.timelineOf(vehicle);
  const trip = firstTripFrom(
    timeline,
    occurrence.instantMs,
    Math.min(nowMs, occurrence.instantMs + NEXT_TRIP_WITHIN_MS),
  );
  if (!trip) return null;
  const { u } = occurrence;
  const severity = pickShare(SEVERITY_CHOICES, u.severity);
  const profile = SEVERITIES[severity];
  const side = pickShare(profile.sides, u.side);
  const trace = timeline.traceOf(trip);
  const second = impactSecond(trace.speedKmh, trace.limitKmh, trace.accelerationMs2, profile.speed, u.moment);
  const createdAtMs = trip.startMs + second * 1000;
  if (createdAtMs > nowMs) return null;
  const details: CollisionDetail[] = [{ side, severity }];
  // A harder impact often involves a second side (a spin, or being pushed into the car ahead).
  if (severity !== 'Minimal' && u.second < (severity === 'Major' ? 0.4 : 0.15)) {
    const others = (['Front', 'Rear', 'Lateral'] as const).filter((candidate) => candidate !== side);
    details.push({
      side: others[Math.floor(u.secondSide * others.length)] as CollisionSide,
      severity: 'Minimal',
    });
  }
  const speedKmh = trace.speedKmh[second] ?? 0;
  return {
    id: collisionId(ctx, vehicle, occurrence, createdAtMs),
    createdAtMs,
    details,
    pedestrian: side === 'Front' && severity !== 'Major' && speedKmh < 30 && u.pedestrian < 0.05,
    tippedOver: severity === 'Major' && u.tipped < 0.1,
    tripId: trip.id,
    speedKmh,
  };
}

/** The car's collisions that happened in [fromMs, toMs) and by `nowMs`, oldest first. */
export function collisionsBetween(
  ctx: SimContext,
  vehicle: SimVehicle,
  fromMs: number,
  toMs: number,
  nowMs: number,
): SimCollision[] {
  const from = Math.max(fromMs, ctx.fleet.enrolledAtMs(vehicle));
  const untilMs = Math.min(toMs - 1, nowMs);
  if (untilMs < from) return [];
  const found: SimCollision[] = [];
  const firstWeek = Math.floor((from - NEXT_TRIP_WITHIN_MS - DAY_MS) / WEEK_MS);
  for (const occurrence of occurrences(ctx, vehicle, firstWeek, Math.floor(untilMs / WEEK_MS))) {
    if (occurrence.instantMs > untilMs) continue;
    const collision = resolve(ctx, vehicle, occurrence, nowMs);
    if (collision && collision.createdAtMs >= from && collision.createdAtMs <= untilMs) found.push(collision);
  }
  return found.sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id));
}

/** One collision by id as known at `nowMs`; null when there is none. */
export function collisionById(
  ctx: SimContext,
  vehicle: SimVehicle,
  id: string,
  nowMs: number,
): SimCollision | null {
  if (!/^[0-9a-f]{64}$/.test(id)) return null;
  const atMs = Number.parseInt(id.slice(0, 10), 16) * 1000;
  if (atMs > nowMs) return null;
  return (
    collisionsBetween(ctx, vehicle, atMs, atMs + 1000, nowMs).find((collision) => collision.id === id) ?? null
  );
}
