import { setNewest } from '../../bounded-map';
import {
  createRng,
  type DriverHabits,
  type DriveTrace,
  type DrivingStyle,
  deriveSeed,
  driverHabits,
  generateSpeedProfile,
  getVehicleModel,
  hasEngine,
  hasTractionBattery,
  type PlannedTrip,
  planDay,
  type RoutineKind,
  simulateDrive,
  speedProfileOptionsFor,
  typicalOutsideTempC,
  type VehicleModel,
} from '../physics';
import type { SimVehicle } from '../world/world';
import { lifetimeFuelLitres } from './energy-readings';

/**
 * The timeline of one simulated car: its trips, the 1 Hz trace of each trip, and its state
 * (moving, odometer, levels, position) at any instant, generated on demand from the seed.
 *
 * Time model: days are UTC days (day index = floor(ms / 86 400 000)); `planDay` wall-clock minutes
 * are read on the UTC clock. The fleet has no time zone of its own, so a "07:40" departure is
 * 07:40Z. Callers that want local times can shift the whole fleet; nothing here depends on it.
 *
 * Approximations (all deterministic, O(1) in the distance to any epoch once a block is cached):
 * - Odometer: history since the car was new is not simulated. Days are grouped in 364-day blocks
 *   counted from EPOCH_DAY; inside a block a day starts at the block start plus the *planned*
 *   distances of the block's earlier days (cheap `planDay` calls, no physics: 364 per block,
 *   ≈ 7 ms, cached); inside a day the simulated distances are added. Simulated distances equal
 *   planned ones within 0.1 % (profiles end at the plan; the day's odometer is capped at its plan), so
 *   from EXACT_FROM_BLOCK (2024-12-25) on the odometer is exact to 0.1 %: it moves by each trip's
 *   distance and by nothing else, and never steps at midnight. Before that
 *   block it starts from a closed form (`initialOdometer + meanDailyKm × days`) and the block's
 *   steps are scaled (0.7–1.5 measured) so it ends where the next block starts: continuous and
 *   monotonic, O(1) per block. The cost is one block plan per year since 2025 on first use
 *   (≈ 7 ms each; a 2026 query plans two blocks).
 * - Fuel: the day-start level comes from litres burnt since the epoch (mean daily km × rated-based
 *   consumption × days: O(1), where the odometer would cost a block),
 *   folded into a 95 %→15 % refuel cycle; within a day levels are chained exactly through the
 *   traces, refuelling to 95 % before a trip that would start below 15 %. Overnight the level can
 *   step by a few % where the closed form and the day's traces disagree.
 * - Battery (EV / PHEV): charged at home to a per-car target most nights (deterministic draw per
 *   night); after uncharged nights the level is the target minus the mean daily use per night.
 *   Within a day it is chained through the traces; an EV that would start a trip below 10 % is
 *   rapid-charged to 80 % first.
 * - Position: straight lines on a local flat-earth projection; each trip goes from where the car is
 *   to a destination, via one waypoint chosen so the path length equals the trip distance (capped
 *   so the car stays within ≈ 30 km of home). The last trip of a day always ends at home.
 */

export type LatLon = { lat: number; lon: number };

export type TripRecord = {
  /** `${vehicleId}-${dayIndex}-${index}`: stable across processes. */
  id: string;
  startMs: number;
  endMs: number;
  distanceKm: number;
  routine: RoutineKind;
};

export type VehicleState = {
  moving: boolean;
  tripId: string | null;
  speedKmh: number;
  odometerKm: number;
  fuelLevelPct: number | null;
  batteryLevelPct: number | null;
  lat: number;
  lon: number;
  /** Direction of travel, or of arrival while parked (degrees, 0 = north, clockwise). */
  headingDeg: number;
  /** End of the last completed trip while parked (null when moving or after a month parked). */
  lastTripEndMs: number | null;
  /** The charging cable while plugged in at home (EV and PHEV), else null. */
  charging: ChargingState | null;
};

/**
 * A home charging session: plugged in a few minutes after the day's last trip on the nights the
 * car charges, unplugged at the next departure. Some owners delay the start to off-peak hours.
 */
export type ChargingState = {
  /** `Waiting` = plugged in, delayed start not reached yet. */
  status: 'Waiting' | 'InProgress' | 'Finished';
  pluggedAtMs: number;
  /** When energy starts flowing (later than pluggedAtMs with a delayed start). */
  startMs: number;
  /** When the target level is reached. */
  endMs: number;
  powerKw: number;
  fromPct: number;
  targetPct: number;
};

export type VehicleTimelineInput = {
  seed: string;
  vehicle: SimVehicle;
  style: DrivingStyle;
  homeLocation?: LatLon;
};

export type VehicleTimeline = {
  readonly model: VehicleModel;
  readonly home: LatLon;
  tripsBetween(fromMs: number, toMs: number): TripRecord[];
  traceOf(trip: TripRecord): DriveTrace;
  /** Where the car is `distanceKm` into a trip (clamped to the trip), and which way it heads. */
  positionOnTrip(trip: TripRecord, distanceKm: number): LatLon & { headingDeg: number };
  stateAt(ms: number): VehicleState;
  /**
   * The odometer as a day starts (00:00Z), from plans alone: no physics, O(1) once the day's
   * block is cached. Equal to `stateAt(day start)` unless a trip runs past midnight.
   */
  odometerAtDayStart(dayIndex: number): number;
  /** Odometer km per driven km on that instant's day (1 from 2024-12-25 on; see the header). */
  odometerScaleAt(ms: number): number;
  /** Instrumentation for tests and diagnostics: days simulated so far and days held in the cache. */
  stats(): { simulatedDays: number; cachedDays: number };
};

export const DAY_MS = 86_400_000;
/** 2020-01-01 as a UTC day index: where the closed-form odometer and fuel cycles are anchored. */
export const EPOCH_DAY = 18_262;
const BLOCK_DAYS = 364;
const DAY_CACHE_SIZE = 64;
const BLOCK_CACHE_SIZE = 4;
/** First block whose odometer is exact (2024-12-25 on): blocks before it are scaled. */
const EXACT_FROM_BLOCK = 5;
const FUEL_FULL_PCT = 95;
const FUEL_REFUEL_PCT = 15;
const EV_RAPID_CHARGE_BELOW_PCT = 10;
const EV_RAPID_CHARGE_TO_PCT = 80;
const MAX_RADIUS_KM = 28;
const MIN_GAP_MS = 60_000;
const PLUG_IN_DELAY_MS = 5 * 60_000;

// Metropolitan areas of France and Germany; homes are scattered around one of them.
const METROS: readonly LatLon[] = [
  { lat: 48.8566, lon: 2.3522 },
  { lat: 45.764, lon: 4.8357 },
  { lat: 43.2965, lon: 5.3698 },
  { lat: 43.6047, lon: 1.4442 },
  { lat: 50.6292, lon: 3.0573 },
  { lat: 44.8378, lon: -0.5792 },
  { lat: 47.2184, lon: -1.5536 },
  { lat: 48.5734, lon: 7.7521 },
  { lat: 52.52, lon: 13.405 },
  { lat: 48.1351, lon: 11.582 },
  { lat: 53.5511, lon: 9.9937 },
  { lat: 50.9375, lon: 6.9603 },
  { lat: 50.1109, lon: 8.6821 },
  { lat: 48.7758, lon: 9.1829 },
];

type Point = { x: number; y: number };

type DayTrip = TripRecord & {
  /** Exact km driven earlier the same day. */
  startDrivenKm: number;
  /** Odometer at key-on (what the trace was simulated with). */
  startOdometerKm: number;
  startFuelPct: number | null;
  startBatteryPct: number | null;
  endFuelPct: number | null;
  endBatteryPct: number | null;
  /** Path in km east/north of home: from, waypoint, to. */
  path: [Point, Point, Point];
};

type DayRecord = {
  dayIndex: number;
  trips: DayTrip[];
  startOdometerKm: number;
  odometerScale: number;
  dayBudgetKm: number;
};

/** prefixKm[k]: planned km of the block's days before its k-th; `scale` near 1. */
type Block = { startKm: number; prefixKm: number[]; scale: number };

/** A minimal LRU on Map's insertion order. */
class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    setNewest(this.map, key, value, this.capacity);
  }
  get size(): number {
    return this.map.size;
  }
}

const plannedKm = (trip: PlannedTrip) =>
  trip.phases.reduce((sum, phase) => sum + Math.max(0, phase.distanceKm), 0);
const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** A home near one of the metros, from the seed and a key (the fleet uses the owner: one home per household). */
export function homeFromSeed(seed: string, key: string): LatLon {
  const rng = createRng(deriveSeed(seed, key, 'home'));
  const metro = rng.pick(METROS);
  const km = Math.sqrt(rng.next()) * 15;
  const bearing = rng.range(0, 2 * Math.PI);
  return toLatLon(metro, { x: km * Math.sin(bearing), y: km * Math.cos(bearing) });
}

function toLatLon(origin: LatLon, p: Point): LatLon {
  const lat = origin.lat + p.y / 111.32;
  const lon = origin.lon + p.x / (111.32 * Math.cos((origin.lat * Math.PI) / 180));
  return { lat, lon };
}

/** A waypoint W with |AW| + |WB| = length (a detour), capped to stay near home. */
function detour(a: Point, b: Point, length: number): Point {
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  const half = dist(a, b) / 2;
  const h = Math.min(
    MAX_RADIUS_KM - Math.hypot(mid.x, mid.y),
    Math.sqrt(Math.max(0, (length / 2) ** 2 - half ** 2)),
  );
  const height = Math.max(0, h);
  // Perpendicular to AB; for a loop (A = B) any fixed direction will do, chosen by the midpoint.
  let nx = -(b.y - a.y);
  let ny = b.x - a.x;
  const norm = Math.hypot(nx, ny);
  if (norm < 1e-9) {
    const angle = (Math.abs(mid.x * 7.3 + mid.y * 3.1 + length) % 6.283) + 0.5;
    nx = Math.cos(angle);
    ny = Math.sin(angle);
  } else {
    nx /= norm;
    ny /= norm;
  }
  return { x: mid.x + nx * height, y: mid.y + ny * height };
}

/** Position at a fraction of the path's own length (paths shorter than the trip scale along). */
function along(path: readonly [Point, Point, Point], fraction: number): Point {
  const [a, w, b] = path;
  const l1 = dist(a, w);
  const total = l1 + dist(w, b);
  if (total < 1e-9) return a;
  const s = Math.min(1, Math.max(0, fraction)) * total;
  const [from, to, u] =
    s <= l1 ? [a, w, l1 > 0 ? s / l1 : 0] : [w, b, total - l1 > 0 ? (s - l1) / (total - l1) : 1];
  const length = dist(from, to);
  const x = from.x + (to.x - from.x) * u;
  const y = from.y + (to.y - from.y) * u;
  if (length < 1e-6) return { x, y };
  // Roads are not straight: bend sideways by a smooth wave that vanishes at both ends, its phase
  // fixed by the segment so the same trip always draws the same road.
  const amplitude = Math.min(0.6, 0.08 * length);
  const waves = Math.max(1, Math.round(length / 3));
  const phase = (Math.abs(from.x * 12.9898 + from.y * 78.233 + to.x * 37.719) % 1) * 2 * Math.PI;
  const offset = amplitude * Math.sin(Math.PI * u) * Math.sin(2 * Math.PI * waves * u + phase) * 0.7;
  const nx = -(to.y - from.y) / length;
  const ny = (to.x - from.x) / length;
  return { x: x + nx * offset, y: y + ny * offset };
}

/** Compass heading (0 = north, clockwise) of travel at a fraction of the path. */
function headingAlong(path: readonly [Point, Point, Point], fraction: number, tripKm: number): number {
  const step = tripKm > 0 ? Math.min(0.02, 0.05 / tripKm) : 0.01;
  const f = Math.min(1 - step, Math.max(0, fraction));
  const p = along(path, f);
  const q = along(path, f + step);
  const degrees = (Math.atan2(q.x - p.x, q.y - p.y) * 180) / Math.PI;
  return Math.round((degrees + 360) % 360);
}

export function createVehicleTimeline(input: VehicleTimelineInput): VehicleTimeline {
  const { seed, vehicle, style } = input;
  const found = getVehicleModel(vehicle.modelId);
  if (!found) throw new Error(`Unknown vehicle model: ${vehicle.modelId}`);
  const model: VehicleModel = found;
  const home = input.homeLocation ?? homeFromSeed(seed, vehicle.id);
  const habits: DriverHabits = driverHabits(style);
  const profileOptions = speedProfileOptionsFor(model);
  const carRng = createRng(deriveSeed(seed, vehicle.id, 'car'));
  const initialOdometerKm = Math.round(carRng.range(5_000, 60_000));
  const fuelPhaseL = carRng.next();
  const chargeTargetPct = carRng.pick([80, 90, 100]);
  // How the car stands in its own driveway when nobody knows how it got there.
  const homeHeadingDeg = carRng.int(0, 359);
  // Delayed (off-peak) charging start, minutes after midnight UTC, for about 40 % of owners.
  const offPeakStartMinute = carRng.chance(0.4) ? carRng.pick([22 * 60, 22 * 60 + 30, 23 * 60 + 30]) : null;
  const homeChargeKw = model.powertrain === 'electric' ? carRng.pick([7.4, 7.4, 11, 3.7]) : 3.7;
  const chargeRate = model.powertrain === 'electric' ? 0.85 : 0.7;
  const commuteKm = habits.commute.reduce((sum, phase) => sum + phase.distanceKm, 0);
  const workKm = Math.min(MAX_RADIUS_KM - 3, commuteKm * 0.75);
  const workBearing = carRng.range(0, 2 * Math.PI);
  const work: Point = { x: workKm * Math.sin(workBearing), y: workKm * Math.cos(workBearing) };

  const plan = (dayIndex: number) =>
    planDay(createRng(deriveSeed(seed, vehicle.id, dayIndex)), style, new Date(dayIndex * DAY_MS), habits);
  const plannedDayKm = (dayIndex: number) => plan(dayIndex).reduce((sum, trip) => sum + plannedKm(trip), 0);

  // The car's mean daily distance for the closed forms (odometer before 2025, fuel), from 168
  // planned days spread over two years so every season and weekday counts (≈ 3 ms).
  let sampleKm = 0;
  const SAMPLE_DAYS = 168;
  for (let d = 0; d < SAMPLE_DAYS; d++)
    sampleKm += plannedDayKm(EPOCH_DAY + 3 * BLOCK_DAYS + d * 4 + (d % 7));
  const meanDailyKm = Math.max(5, sampleKm / SAMPLE_DAYS);
  const allowanceKmPerDay = meanDailyKm;
  const litresPerKm = model.tankLitres ? lifetimeFuelLitres(model, 1) : 0;
  const cycleL = model.tankLitres ? ((FUEL_FULL_PCT - FUEL_REFUEL_PCT) / 100) * model.tankLitres : 0;
  // Mean battery use per day: EVs at their rating, PHEVs about 20 km electric a day.
  const dailyBatteryPct = model.batteryKwh
    ? model.powertrain === 'electric'
      ? ((meanDailyKm * model.ratedConsumption.value * 1.1) / 100 / model.batteryKwh) * 100
      : ((Math.min(meanDailyKm, 20) * 0.18) / model.batteryKwh) * 100
    : 0;

  const blocks = new Lru<number, Block>(BLOCK_CACHE_SIZE);
  const days = new Lru<number, DayRecord>(DAY_CACHE_SIZE);
  const traces = new Lru<string, DriveTrace>(32);
  let simulatedDays = 0;

  // Where exact blocks end (from EXACT_FROM_BLOCK on): small numbers, kept for good.
  const blockEnds = new Map<number, number>();

  function plannedPrefix(blockIndex: number): number[] {
    const first = EPOCH_DAY + blockIndex * BLOCK_DAYS;
    const prefixKm = [0];
    for (let d = 0; d < BLOCK_DAYS; d++) prefixKm.push((prefixKm[d] ?? 0) + plannedDayKm(first + d));
    return prefixKm;
  }

  /** The same sum a day start at the block's end computes, so the next block starts exactly there. */
  const endOf = (b: Block) => b.startKm + (b.prefixKm[BLOCK_DAYS] ?? 0) * b.scale;

  function block(blockIndex: number): Block {
    const cached = blocks.get(blockIndex);
    if (cached) return cached;
    const prefixKm = plannedPrefix(blockIndex);
    const closedFormStart = (index: number) => initialOdometerKm + allowanceKmPerDay * index * BLOCK_DAYS;
    let value: Block;
    if (blockIndex < EXACT_FROM_BLOCK) {
      // Steps are scaled so the block ends exactly where the next one starts (see the header).
      const plannedKmTotal = prefixKm[BLOCK_DAYS] ?? 0;
      const budgetKm = allowanceKmPerDay * BLOCK_DAYS;
      const scale = plannedKmTotal > 0 ? budgetKm / plannedKmTotal : 1;
      value = { startKm: closedFormStart(blockIndex), prefixKm, scale };
    } else {
      // Iteratively from the anchor (a recursive walk would nest one call per year).
      let startKm = closedFormStart(EXACT_FROM_BLOCK);
      for (let b = EXACT_FROM_BLOCK; b < blockIndex; b++) {
        const known = blockEnds.get(b);
        startKm = known ?? endOf({ startKm, prefixKm: plannedPrefix(b), scale: 1 });
        blockEnds.set(b, startKm);
      }
      value = { startKm, prefixKm, scale: 1 };
    }
    blocks.set(blockIndex, value);
    blockEnds.set(blockIndex, endOf(value));
    return value;
  }

  function dayStartOdometer(dayIndex: number): { startKm: number; scale: number } {
    const blockIndex = Math.floor((dayIndex - EPOCH_DAY) / BLOCK_DAYS);
    const b = block(blockIndex);
    const offset = dayIndex - EPOCH_DAY - blockIndex * BLOCK_DAYS;
    return { startKm: b.startKm + (b.prefixKm[offset] ?? 0) * b.scale, scale: b.scale };
  }

  function dayStartFuel(dayIndex: number): number | null {
    if (!hasEngine(model) || !model.tankLitres) return null;
    // Expected driving, not the odometer: its phantom km would burn fuel that was never used.
    const litres = Math.max(0, (dayIndex - EPOCH_DAY) * meanDailyKm * litresPerKm + fuelPhaseL * cycleL);
    return FUEL_FULL_PCT - ((litres % cycleL) / model.tankLitres) * 100;
  }

  const chargedBefore = (dayIndex: number) =>
    createRng(deriveSeed(seed, vehicle.id, 'charge', dayIndex)).chance(chargeRate);

  function dayStartBattery(dayIndex: number): number | null {
    if (!hasTractionBattery(model)) return null;
    // Nights without charging lower the level by the mean daily use; a week at most (then it charges).
    let nights = 0;
    while (nights < 7 && !chargedBefore(dayIndex - nights)) nights++;
    const floor = model.powertrain === 'electric' ? 20 : 12;
    return Math.max(floor, chargeTargetPct - nights * dailyBatteryPct);
  }

  function simulateTrip(
    id: string,
    planned: PlannedTrip,
    dayIndex: number,
    env: { odometerKm: number; fuelPct: number | null; batteryPct: number | null },
  ): DriveTrace {
    const profile = generateSpeedProfile(
      createRng(deriveSeed(seed, id)),
      planned.phases,
      style,
      profileOptions,
    );
    const outsideTempC = typicalOutsideTempC(
      new Date(dayIndex * DAY_MS),
      planned.startMinute,
      createRng(deriveSeed(seed, id, 'weather')),
    );
    return simulateDrive(model, style, profile, {
      outsideTempC,
      startOdometerKm: env.odometerKm,
      startFuelLevelPct: env.fuelPct ?? undefined,
      startBatteryLevelPct: env.batteryPct ?? undefined,
    });
  }

  function day(dayIndex: number): DayRecord {
    const cached = days.get(dayIndex);
    if (cached) return cached;
    simulatedDays++;
    const planned = plan(dayIndex);
    const { startKm, scale } = dayStartOdometer(dayIndex);
    // Within the day the odometer may not outrun the day's plan-based budget (see the header).
    // Capped at the plan: simulated distances run up to 0.1 % over it, and the next day starts
    // exactly at this day's planned total, so the odometer never steps back at midnight.
    const dayBudgetKm = planned.reduce((sum, p) => sum + plannedKm(p), 0);
    let drivenKm = 0;
    const odometerAt = (km: number) => Math.max(0, startKm + Math.min(km, dayBudgetKm) * scale);
    let fuelPct = dayStartFuel(dayIndex);
    let batteryPct = dayStartBattery(dayIndex);
    let at: Point = { x: 0, y: 0 };
    let freeMs = Number.NEGATIVE_INFINITY;
    const trips: DayTrip[] = [];
    for (let i = 0; i < planned.length; i++) {
      const p = planned[i] as PlannedTrip;
      const id = `${vehicle.id}-${dayIndex}-${i}`;
      if (fuelPct !== null && fuelPct < FUEL_REFUEL_PCT) fuelPct = FUEL_FULL_PCT;
      if (model.powertrain === 'electric' && batteryPct !== null && batteryPct < EV_RAPID_CHARGE_BELOW_PCT)
        batteryPct = EV_RAPID_CHARGE_TO_PCT;
      const trace = simulateTrip(id, p, dayIndex, { odometerKm: odometerAt(drivenKm), fuelPct, batteryPct });
      traces.set(id, trace);
      const n = trace.speedKmh.length;
      const distanceKm = trace.distanceKm[n - 1] ?? 0;
      // Simulated durations can exceed the planner's estimate: push a start past the previous end.
      const startMs = Math.max(p.startTime.getTime(), freeMs);
      const endMs = startMs + Math.max(1, n - 1) * 1000;
      const isLast = i === planned.length - 1;
      const atHome = Math.hypot(at.x, at.y) < 0.5;
      let to: Point;
      if (isLast || !atHome) to = { x: 0, y: 0 };
      else if (p.routine === 'commute') to = work;
      else {
        const rng = createRng(deriveSeed(seed, id, 'destination'));
        const km = Math.min(MAX_RADIUS_KM - 3, distanceKm * rng.range(0.2, 0.45));
        const bearing = rng.range(0, 2 * Math.PI);
        to = { x: km * Math.sin(bearing), y: km * Math.cos(bearing) };
      }
      const endFuelPct = trace.fuelLevelPct ? (trace.fuelLevelPct[n - 1] ?? null) : null;
      const endBatteryPct = trace.batteryLevelPct ? (trace.batteryLevelPct[n - 1] ?? null) : null;
      trips.push({
        id,
        startMs,
        endMs,
        distanceKm,
        routine: p.routine,
        startDrivenKm: drivenKm,
        startOdometerKm: odometerAt(drivenKm),
        startFuelPct: fuelPct,
        startBatteryPct: batteryPct,
        endFuelPct,
        endBatteryPct,
        path: [at, detour(at, to, distanceKm), to],
      });
      drivenKm += distanceKm;
      fuelPct = endFuelPct;
      batteryPct = endBatteryPct;
      at = to;
      freeMs = endMs + MIN_GAP_MS;
    }
    const value = { dayIndex, trips, startOdometerKm: startKm, odometerScale: scale, dayBudgetKm };
    days.set(dayIndex, value);
    return value;
  }

  const publicTrip = (trip: DayTrip): TripRecord => ({
    id: trip.id,
    startMs: trip.startMs,
    endMs: trip.endMs,
    distanceKm: trip.distanceKm,
    routine: trip.routine,
  });

  function tripsBetween(fromMs: number, toMs: number): TripRecord[] {
    const out: TripRecord[] = [];
    if (!(toMs > fromMs)) return out;
    const lastDay = Math.floor((toMs - 1) / DAY_MS);
    for (let d = Math.floor(fromMs / DAY_MS); d <= lastDay; d++) {
      for (const trip of day(d).trips)
        if (trip.startMs >= fromMs && trip.startMs < toMs) out.push(publicTrip(trip));
    }
    return out;
  }

  function findTrip(id: string): { record: DayRecord; trip: DayTrip } | null {
    const match = /-(-?\d+)-(\d+)$/.exec(id);
    if (!match || !id.startsWith(`${vehicle.id}-`)) return null;
    const record = day(Number(match[1]));
    const trip = record.trips[Number(match[2])];
    return trip && trip.id === id ? { record, trip } : null;
  }

  function traceOf(trip: TripRecord): DriveTrace {
    const found = findTrip(trip.id);
    if (!found) throw new Error(`Unknown trip: ${trip.id}`);
    const cached = traces.get(trip.id);
    if (cached) return cached;
    const dayIndex = found.record.dayIndex;
    const index = found.record.trips.indexOf(found.trip);
    const planned = plan(dayIndex)[index] as PlannedTrip;
    const trace = simulateTrip(trip.id, planned, dayIndex, {
      odometerKm: found.trip.startOdometerKm,
      fuelPct: found.trip.startFuelPct,
      batteryPct: found.trip.startBatteryPct,
    });
    traces.set(trip.id, trace);
    return trace;
  }

  const position = (p: Point) => toLatLon(home, p);
  const odometerOf = (record: DayRecord, drivenKm: number) =>
    // Clamped at 0 for dates years before the epoch (max keeps it monotonic).
    Math.max(0, record.startOdometerKm + Math.min(drivenKm, record.dayBudgetKm) * record.odometerScale);

  function parkedAfter(record: DayRecord, trip: DayTrip): VehicleState {
    const end = trip.path[2];
    return {
      moving: false,
      tripId: null,
      speedKmh: 0,
      odometerKm: odometerOf(record, trip.startDrivenKm + trip.distanceKm),
      fuelLevelPct: trip.endFuelPct,
      batteryLevelPct: trip.endBatteryPct,
      ...position(end),
      headingDeg: headingAlong(trip.path, 1, trip.distanceKm),
      lastTripEndMs: trip.endMs,
      charging: null,
    };
  }

  function positionOnTrip(trip: TripRecord, distanceKm: number) {
    const found = findTrip(trip.id);
    if (!found) throw new Error(`Unknown trip: ${trip.id}`);
    const { path, distanceKm: tripKm } = found.trip;
    const fraction = tripKm > 0 ? distanceKm / tripKm : 1;
    return { ...position(along(path, fraction)), headingDeg: headingAlong(path, fraction, tripKm) };
  }

  function lastTripEndBefore(dayIndex: number): number | null {
    // Most cars drive every few days; a month without driving reports no last trip.
    for (let d = dayIndex - 1; d >= dayIndex - 30; d--) {
      const last = day(d).trips.at(-1);
      if (last) return last.endMs;
    }
    return null;
  }

  /** The home charging session after the last trip of `dayIndex`, if the car charges that night. */
  function homeSession(dayIndex: number, trip: DayTrip): Omit<ChargingState, 'status'> | null {
    if (!hasTractionBattery(model) || !model.batteryKwh || trip.endBatteryPct === null) return null;
    if (!chargedBefore(dayIndex + 1) || trip.endBatteryPct >= chargeTargetPct) return null;
    const pluggedAtMs = trip.endMs + PLUG_IN_DELAY_MS;
    let startMs = pluggedAtMs;
    if (offPeakStartMinute !== null) {
      // Off-peak runs from the chosen minute to 06:00: plugged in inside it, charging starts at once.
      const minute = Math.floor((pluggedAtMs % DAY_MS) / 60_000);
      if (minute >= 360 && minute < offPeakStartMinute) {
        startMs = Math.floor(pluggedAtMs / DAY_MS) * DAY_MS + offPeakStartMinute * 60_000;
      }
    }
    const kwh = ((chargeTargetPct - trip.endBatteryPct) / 100) * model.batteryKwh;
    const endMs = startMs + Math.round((kwh / homeChargeKw) * 3_600_000);
    return {
      pluggedAtMs,
      startMs,
      endMs,
      powerKw: homeChargeKw,
      fromPct: trip.endBatteryPct,
      targetPct: chargeTargetPct,
    };
  }

  function chargingAt(
    session: Omit<ChargingState, 'status'>,
    ms: number,
  ): { state: ChargingState; levelPct: number } {
    const status = ms < session.startMs ? 'Waiting' : ms < session.endMs ? 'InProgress' : 'Finished';
    const progress = Math.min(
      1,
      Math.max(0, (ms - session.startMs) / Math.max(1, session.endMs - session.startMs)),
    );
    return {
      state: { ...session, status },
      levelPct: session.fromPct + (session.targetPct - session.fromPct) * progress,
    };
  }

  /** Parked after `trip`; plugged in and charging when it was the day's last and the car charges tonight. */
  function parkedAt(record: DayRecord, trip: DayTrip, ms: number): VehicleState {
    const parked = parkedAfter(record, trip);
    if (trip !== record.trips.at(-1)) return parked;
    const session = homeSession(record.dayIndex, trip);
    if (!session) return parked;
    const { state, levelPct } = chargingAt(session, ms);
    return { ...parked, batteryLevelPct: levelPct, charging: state };
  }

  function stateAt(ms: number): VehicleState {
    const dayIndex = Math.floor(ms / DAY_MS);
    // A late trip may run past midnight: look at yesterday's last trip first.
    const yesterday = day(dayIndex - 1);
    const late = yesterday.trips.at(-1);
    const today = day(dayIndex);
    const first = today.trips[0];
    if (late && ms < late.endMs) return movingState(yesterday, late, ms);
    let previous: DayTrip | null = null;
    for (const trip of today.trips) {
      if (ms < trip.startMs) break;
      if (ms < trip.endMs) return movingState(today, trip, ms);
      previous = trip;
    }
    if (previous) return parkedAt(today, previous, ms);
    // Parked since before the first trip today. Yesterday's last trip ending after midnight keeps
    // its own levels until the day's own closed-form start applies at the first departure.
    if (late && late.endMs > dayIndex * DAY_MS) return parkedAt(yesterday, late, ms);
    // Still plugged in since last night: the session's level (its target by morning, as a rule).
    const overnight = late ? homeSession(dayIndex - 1, late) : null;
    const charge = overnight ? chargingAt(overnight, ms) : null;
    const fuel = first ? first.startFuelPct : dayStartFuel(dayIndex);
    const battery = first ? first.startBatteryPct : dayStartBattery(dayIndex);
    return {
      moving: false,
      tripId: null,
      speedKmh: 0,
      odometerKm: odometerOf(today, 0),
      fuelLevelPct: fuel,
      batteryLevelPct: charge ? charge.levelPct : battery,
      ...home,
      headingDeg: late ? headingAlong(late.path, 1, late.distanceKm) : homeHeadingDeg,
      lastTripEndMs: late ? late.endMs : lastTripEndBefore(dayIndex - 1),
      charging: charge ? charge.state : null,
    };
  }

  function movingState(record: DayRecord, trip: DayTrip, ms: number): VehicleState {
    const trace = traceOf(trip);
    const n = trace.speedKmh.length;
    const i = Math.min(n - 1, Math.max(0, Math.floor((ms - trip.startMs) / 1000)));
    const doneKm = trace.distanceKm[i] ?? 0;
    return {
      moving: true,
      tripId: trip.id,
      speedKmh: trace.speedKmh[i] ?? 0,
      odometerKm: odometerOf(record, trip.startDrivenKm + doneKm),
      fuelLevelPct: trace.fuelLevelPct ? (trace.fuelLevelPct[i] ?? null) : null,
      batteryLevelPct: trace.batteryLevelPct ? (trace.batteryLevelPct[i] ?? null) : null,
      ...positionOnTrip(trip, doneKm),
      lastTripEndMs: null,
      charging: null,
    };
  }

  return {
    model,
    home,
    tripsBetween,
    traceOf,
    positionOnTrip,
    stateAt,
    odometerAtDayStart: (dayIndex) => Math.max(0, dayStartOdometer(dayIndex).startKm),
    odometerScaleAt: (ms) => dayStartOdometer(Math.floor(ms / DAY_MS)).scale,
    stats: () => ({ simulatedDays, cachedDays: days.size }),
  };
}
