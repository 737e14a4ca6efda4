import 'server-only';
import {
  type AccelerationSummary,
  analyzeDriving,
  type DrivingEvent,
  type DrivingEventJson,
  drivingEventToJson,
} from '../../scoring/events';
import type { Powertrain, Sample, Source, Trip } from '../model';
import { type DistanceSource, estimateDistance, MIN_COVERAGE } from './distance';
import { canonicalSamples, coveredMs, type Interval, intervalsWith } from './samples';

// One trip's figures from its samples — the rules, in plain words (distance: distance.ts):
//
//  1. Window. The trip runs from `startedAt` to `endedAt` (a provider trip's own bounds, or a
//     segmented trip's first and last reading); readings outside are ignored. Duration is the
//     window's length. Readings are canonical first (samples.ts), so repeated or shuffled rows
//     change nothing.
//  2. Joined readings. Every time-based figure below uses consecutive readings at most 10 s apart
//     (the join gap of samples.ts) and draws values straight between them; time across a longer
//     gap is counted in none of them, so moving + idle ≤ duration.
//  3. Moving and idle. The car is stationary below 2 km/h (walking pace in a car park is above
//     it; GPS and wheel-speed noise at a standstill stays under it). This is finer than the 5 km/h
//     that segmentation needs as proof the car is going somewhere: inside a trip, creeping in a
//     queue is moving, not idling. With speed drawn straight
//     between two readings, the share of their interval spent below 2 km/h is stationary, the
//     rest moving. Stationary time is idle unless the car says the engine is off there (ignition
//     off, or 0 rpm without ignition on — a start-stop engine is not idling); each of the two
//     readings decides for half the interval. Without any engine data, a stop inside a trip
//     counts as idle: the segmentation already ended the trip at any stop of 5 minutes or more.
//  4. Average speed = distance ÷ duration, stops included, like a trip computer.
//     Max speed = the highest smoothed speed of lib/scoring/events.ts (the same pass that finds the
//     events, so speed is smoothed once and one glitch cannot make the maximum); null when the
//     readings are too sparse to smooth (nothing 10 s apart or closer).
//  5. Fuel, the first of these that the data allows:
//       a. fuel rate (L/h) integrated over time, when the joined fuel-rate readings span at least
//          90 % of the trip;
//       b. instantaneous consumption (L/100 km) × speed integrated over time (consumption ×
//          distance, reading by reading), same 90 % rule;
//       c. fuel level drop × tank capacity, when the capacity is known and the level did not
//          rise (a rise means a refill or sloshing: unknown).
//     Energy (electric and hybrid): (a′) instantaneous consumption (kWh/100 km) × speed
//     integrated, same 90 % rule; else (b′) battery level drop × usable capacity when the
//     capacity is known. Energy may be negative (regeneration downhill).
//  6. Average consumption = fuel ÷ distance × 100 in L/100 km, or energy ÷ distance × 100 in
//     kWh/100 km for electric cars (and for any car whose fuel is unknown but energy known).
//     Null below 0.5 km: over a few hundred metres one reading's error dominates.
//  7. Engine speed distribution: time in bands of 500 rpm from 1,500 up (< 1,500, 1,500–2,000,
//     …, ≥ 3,500), each reading of a joined pair taking half the interval. 500-rpm steps let the
//     scoring read the published limits directly: ≤ 2,000 rpm eco band, > 2,500 rpm diesel and
//     > 3,000 rpm petrol (Drust, UDRIVE; product-anchors c.2, c.5). Readings at 0 rpm (engine
//     stopped) are left out. Null without engine speed data.
//  8. Events: lib/scoring/events.ts on the trip's speed.
//
// trip-accumulator.ts computes the same figures one reading at a time (for trips too long to
// hold, as a long OBD import has): a change to a rule here goes there too; its test compares the
// two on random trips.

/** Below this speed the car is stationary (rule 3), km/h. */
export const STATIONARY_BELOW_KMH = 2;
/** Average consumption needs at least this distance (rule 6), km. */
export const MIN_CONSUMPTION_DISTANCE_KM = 0.5;
/** Lower edges of the engine-speed bands after the first (rule 7), rpm. */
export const RPM_BAND_EDGES = [1500, 2000, 2500, 3000, 3500] as const;

const MS_PER_HOUR = 3_600_000;

export type FuelSource = 'fuel-rate' | 'consumption' | 'tank-level';
export type EnergySource = 'consumption' | 'battery-level';
export type ConsumptionUnit = 'L/100km' | 'kWh/100km';

export type RpmBand = {
  /** Inclusive lower edge, rpm (0 for the first band, which excludes 0 rpm itself). */
  fromRpm: number;
  /** Exclusive upper edge, rpm; null for the last band. */
  toRpm: number | null;
  seconds: number;
};

export type TripSummaryOptions = {
  /** The trip's bounds; default: first and last reading. */
  startedAt?: number;
  endedAt?: number;
  powertrain?: Powertrain;
  /** Fuel tank capacity, litres (rule 5c). */
  fuelTankL?: number;
  /** Usable battery capacity, kWh (rule 5b′). */
  usableBatteryKwh?: number;
};

export type Position = { latitude: number; longitude: number };

export type TripSummary = {
  startedAt: number;
  endedAt: number;
  durationS: number;
  distanceKm: number | null;
  distanceSource: DistanceSource | null;
  startOdometerKm: number | null;
  endOdometerKm: number | null;
  /** Null without two joined speed readings. */
  movingS: number | null;
  idleS: number | null;
  avgSpeedKmh: number | null;
  maxSpeedKmh: number | null;
  fuelUsedL: number | null;
  fuelSource: FuelSource | null;
  energyUsedKwh: number | null;
  energySource: EnergySource | null;
  avgConsumption: { value: number; unit: ConsumptionUnit } | null;
  rpmBands: RpmBand[] | null;
  events: DrivingEvent[];
  acceleration: AccelerationSummary;
  startPosition: Position | null;
  endPosition: Position | null;
};

const trapezoid = (intervals: readonly Interval[], rate: (sample: Sample) => number) =>
  intervals.reduce(
    (sum, { from, to, dtMs }) => sum + ((rate(from) + rate(to)) / 2) * (dtMs / MS_PER_HOUR),
    0,
  );

/** Share of [0, 1] of a straight line from v0 to v1 spent below the stationary threshold. */
export function stationaryShare(v0: number, v1: number): number {
  const lo = Math.min(v0, v1);
  const hi = Math.max(v0, v1);
  if (hi < STATIONARY_BELOW_KMH) return 1;
  if (lo >= STATIONARY_BELOW_KMH) return 0;
  return (STATIONARY_BELOW_KMH - lo) / (hi - lo);
}

/** Stationary time here is not idling (rule 3). */
export const engineOff = (sample: Sample) =>
  sample.ignition === false || (sample.ignition !== true && sample.engineRpm === 0);

function movingAndIdle(samples: readonly Sample[]): { movingS: number; idleS: number } | null {
  const intervals = intervalsWith(samples, ['speedKmh']);
  if (intervals.length === 0) return null;
  let movingMs = 0;
  let idleMs = 0;
  for (const { from, to, dtMs } of intervals) {
    const stationaryMs = dtMs * stationaryShare(from.speedKmh as number, to.speedKmh as number);
    movingMs += dtMs - stationaryMs;
    const engineOnHalves = (engineOff(from) ? 0 : 1) + (engineOff(to) ? 0 : 1);
    idleMs += (stationaryMs * engineOnHalves) / 2;
  }
  return { movingS: movingMs / 1000, idleS: idleMs / 1000 };
}

function rpmBands(samples: readonly Sample[]): RpmBand[] | null {
  const intervals = intervalsWith(samples, ['engineRpm']);
  if (intervals.length === 0) return null;
  const edges = [0, ...RPM_BAND_EDGES];
  const bands: RpmBand[] = edges.map((fromRpm, i) => ({ fromRpm, toRpm: edges[i + 1] ?? null, seconds: 0 }));
  const add = (rpm: number, seconds: number) => {
    if (rpm <= 0) return;
    let band = 0;
    while (band + 1 < edges.length && rpm >= (edges[band + 1] as number)) band++;
    (bands[band] as RpmBand).seconds += seconds;
  };
  for (const { from, to, dtMs } of intervals) {
    add(from.engineRpm as number, dtMs / 2000);
    add(to.engineRpm as number, dtMs / 2000);
  }
  return bands;
}

function levelDrop(samples: readonly Sample[], field: 'fuelLevelPct' | 'batteryLevelPct'): number | null {
  const levels = samples.filter((sample) => sample[field] !== undefined);
  const first = levels[0];
  const last = levels[levels.length - 1];
  if (!first || !last || levels.length < 2) return null;
  return (first[field] as number) - (last[field] as number);
}

function fuelUsed(samples: readonly Sample[], durationMs: number, options: TripSummaryOptions) {
  const covers = (intervals: readonly Interval[]) =>
    intervals.length > 0 && (durationMs === 0 || coveredMs(intervals) >= MIN_COVERAGE * durationMs);
  const rate = intervalsWith(samples, ['fuelRateLph']);
  if (covers(rate))
    return { value: trapezoid(rate, (s) => s.fuelRateLph as number), source: 'fuel-rate' as const };
  const consumption = intervalsWith(samples, ['fuelConsumptionLPer100km', 'speedKmh']);
  if (covers(consumption))
    return {
      value: trapezoid(
        consumption,
        (s) => ((s.fuelConsumptionLPer100km as number) * (s.speedKmh as number)) / 100,
      ),
      source: 'consumption' as const,
    };
  const drop = levelDrop(samples, 'fuelLevelPct');
  if (drop !== null && drop >= 0 && options.fuelTankL !== undefined)
    return { value: (drop / 100) * options.fuelTankL, source: 'tank-level' as const };
  return { value: null, source: null };
}

function energyUsed(samples: readonly Sample[], durationMs: number, options: TripSummaryOptions) {
  const consumption = intervalsWith(samples, ['energyConsumptionKwhPer100km', 'speedKmh']);
  if (consumption.length > 0 && (durationMs === 0 || coveredMs(consumption) >= MIN_COVERAGE * durationMs))
    return {
      value: trapezoid(
        consumption,
        (s) => ((s.energyConsumptionKwhPer100km as number) * (s.speedKmh as number)) / 100,
      ),
      source: 'consumption' as const,
    };
  const drop = levelDrop(samples, 'batteryLevelPct');
  if (drop !== null && options.usableBatteryKwh !== undefined)
    return { value: (drop / 100) * options.usableBatteryKwh, source: 'battery-level' as const };
  return { value: null, source: null };
}

export function averageConsumption(
  distanceKm: number | null,
  fuelL: number | null,
  energyKwh: number | null,
  powertrain: Powertrain | undefined,
): TripSummary['avgConsumption'] {
  if (distanceKm === null || distanceKm < MIN_CONSUMPTION_DISTANCE_KM) return null;
  if (powertrain !== 'electric' && fuelL !== null)
    return { value: (fuelL / distanceKm) * 100, unit: 'L/100km' };
  if (energyKwh !== null) return { value: (energyKwh / distanceKm) * 100, unit: 'kWh/100km' };
  return null;
}

/** A real fix: (0, 0) is what loggers write when they have none. */
export const positionOf = (sample: Sample): Position | null =>
  sample.latitude === undefined ||
  sample.longitude === undefined ||
  (sample.latitude === 0 && sample.longitude === 0)
    ? null
    : { latitude: sample.latitude, longitude: sample.longitude };

function firstPosition(samples: readonly Sample[]): Position | null {
  for (const sample of samples) {
    const position = positionOf(sample);
    if (position) return position;
  }
  return null;
}

export function summarizeTrip(input: readonly Sample[], options: TripSummaryOptions = {}): TripSummary {
  const all = canonicalSamples(input);
  const startedAt = options.startedAt ?? all[0]?.at ?? 0;
  const endedAt = options.endedAt ?? all[all.length - 1]?.at ?? startedAt;
  const samples = all.filter((sample) => sample.at >= startedAt && sample.at <= endedAt);
  const durationMs = Math.max(endedAt - startedAt, 0);

  const distance = estimateDistance(samples, durationMs);
  const motion = movingAndIdle(samples);
  const analysis = analyzeDriving(samples);
  let maxSpeedKmh: number | null = null;
  for (const segment of analysis.segments)
    for (const speed of segment.speedKmh)
      if (maxSpeedKmh === null || speed > maxSpeedKmh) maxSpeedKmh = speed;
  const fuel = fuelUsed(samples, durationMs, options);
  const energy = energyUsed(samples, durationMs, options);

  return {
    startedAt,
    endedAt,
    durationS: durationMs / 1000,
    distanceKm: distance.km,
    distanceSource: distance.source,
    startOdometerKm: distance.startOdometerKm,
    endOdometerKm: distance.endOdometerKm,
    movingS: motion?.movingS ?? null,
    idleS: motion?.idleS ?? null,
    avgSpeedKmh: distance.km !== null && durationMs > 0 ? distance.km / (durationMs / MS_PER_HOUR) : null,
    maxSpeedKmh,
    fuelUsedL: fuel.value,
    fuelSource: fuel.source,
    energyUsedKwh: energy.value,
    energySource: energy.source,
    avgConsumption: averageConsumption(distance.km, fuel.value, energy.value, options.powertrain),
    rpmBands: rpmBands(samples),
    events: analysis.events,
    acceleration: analysis.summary,
    startPosition: firstPosition(samples),
    endPosition: firstPosition([...samples].reverse()),
  };
}

/** The `trips --json` item of docs/interfaces.md; `id` and `vehicleId` come from the store. */
export type TripJson = {
  id: string;
  vehicleId: string;
  startedAt: string;
  endedAt: string;
  distanceKm: number | null;
  durationS: number;
  movingS: number | null;
  idleS: number | null;
  avgSpeedKmh: number | null;
  maxSpeedKmh: number | null;
  fuelUsedL: number | null;
  energyUsedKwh: number | null;
  avgConsumption: { value: number; unit: ConsumptionUnit } | null;
  events: DrivingEventJson[];
};

const roundTo = (value: number, digits: number) => {
  const rounded = Math.round(value * 10 ** digits) / 10 ** digits;
  return rounded === 0 ? 0 : rounded;
};
const maybe = (value: number | null, digits: number) => (value === null ? null : roundTo(value, digits));

/**
 * The JSON item, rounded to what the data can honestly claim: metres, 0.1 km/h, 0.1 s, millilitres
 * and watt-hours, 0.01 L or kWh per 100 km.
 */
export function tripSummaryToJson(ids: { id: string; vehicleId: string }, summary: TripSummary): TripJson {
  return {
    id: ids.id,
    vehicleId: ids.vehicleId,
    startedAt: new Date(summary.startedAt).toISOString(),
    endedAt: new Date(summary.endedAt).toISOString(),
    distanceKm: maybe(summary.distanceKm, 3),
    durationS: roundTo(summary.durationS, 1),
    movingS: maybe(summary.movingS, 1),
    idleS: maybe(summary.idleS, 1),
    avgSpeedKmh: maybe(summary.avgSpeedKmh, 1),
    maxSpeedKmh: maybe(summary.maxSpeedKmh, 1),
    fuelUsedL: maybe(summary.fuelUsedL, 3),
    energyUsedKwh: maybe(summary.energyUsedKwh, 3),
    avgConsumption:
      summary.avgConsumption === null
        ? null
        : { value: roundTo(summary.avgConsumption.value, 2), unit: summary.avgConsumption.unit },
    events: summary.events.map(drivingEventToJson),
  };
}

/**
 * A derived trip as a normalised record, ready for validation and the store. Values outside the
 * model's ranges are the validator's business (it quarantines them with a reason), not hidden here.
 */
export function tripRecord(
  providerTripId: string,
  summary: Omit<TripSummary, 'acceleration'>,
  source: Source,
): Trip {
  const trip: Trip = {
    providerTripId,
    startedAt: summary.startedAt,
    endedAt: summary.endedAt,
    durationS: summary.durationS,
    source,
  };
  if (summary.distanceKm !== null) trip.distanceKm = summary.distanceKm;
  if (summary.startOdometerKm !== null) trip.startOdometerKm = summary.startOdometerKm;
  if (summary.endOdometerKm !== null) trip.endOdometerKm = summary.endOdometerKm;
  if (summary.avgSpeedKmh !== null) trip.avgSpeedKmh = summary.avgSpeedKmh;
  if (summary.maxSpeedKmh !== null) trip.maxSpeedKmh = summary.maxSpeedKmh;
  if (summary.fuelUsedL !== null) trip.fuelUsedL = summary.fuelUsedL;
  if (summary.energyUsedKwh !== null) trip.energyUsedKwh = summary.energyUsedKwh;
  if (summary.startPosition !== null) trip.startPosition = summary.startPosition;
  if (summary.endPosition !== null) trip.endPosition = summary.endPosition;
  return trip;
}
