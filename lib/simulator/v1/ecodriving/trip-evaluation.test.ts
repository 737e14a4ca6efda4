import { describe, expect, it } from 'vitest';
import { SimClock } from '../../clock';
import { createSimContext } from '../../context';
import { DAY_MS } from '../../fleet/vehicle-timeline';
import { simulateDrive } from '../../physics/powertrain';
import { createRng } from '../../physics/random';
import { generateSpeedProfile, type RoutePhase, type SpeedProfile } from '../../physics/speed-profile';
import { getVehicleModel, type VehicleModel } from '../../physics/vehicle-models';
import type { SimVehicle } from '../../world/world';
import { combineEvaluations, drivingAttitude, roadProfile } from './aggregate';
import {
  CRITERIA,
  CRITERION_WEIGHTS,
  type Criterion,
  coldFuelShare,
  ENGINE_CRITERIA,
  evaluateTrace,
  type TripEvaluation,
} from './trip-evaluation';
import { tripEvaluation } from './trip-evaluations';
import { tripDrivingMark } from './trip-mark';

// The evaluation of one trip: hand-written drives whose marks follow from the criteria's
// definitions, the simulated population (smooth drivers must score better), determinism, and the
// distance-weighted aggregates.

function model(id: string): VehicleModel {
  const found = getVehicleModel(id);
  if (!found) throw new Error(`unknown model ${id}`);
  return found;
}
const petrol = model('peugeot-208-puretech-100');
const electric = model('peugeot-e-208');

/** km/h per second with one posted limit. */
const profile = (speedsKmh: number[], limitKmh = 50): SpeedProfile => ({
  speedsKmh: Float32Array.from(speedsKmh),
  limitsKmh: new Float32Array(speedsKmh.length).fill(limitKmh),
});
const hold = (kmh: number, seconds: number) => Array.from({ length: seconds }, () => kmh);
/** From `from` to `to` in steps of `step` km/h per second, ending exactly on `to`. */
function ramp(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; step > 0 ? v < to : v > to; v += step) out.push(v);
  out.push(to);
  return out;
}

const SMOOTH = { aggressiveness: 0 };
const drive = (vehicle: VehicleModel, speeds: number[], outsideTempC = 15, limitKmh = 50) =>
  simulateDrive(vehicle, SMOOTH, profile(speeds, limitKmh), { outsideTempC });

// 0.8 m/s² launches (2.88 km/h per s), 0.4 m/s² lift-off (1.44 km/h per s): eco driving by the book.
const gentle = [...hold(0, 3), ...ramp(0, 50, 2.88), ...hold(50, 240), ...ramp(50, 0, -1.44), ...hold(0, 2)];
// 4 m/s² launches and stops, beyond both harsh thresholds (3.0 and −3.5 m/s²).
const harsh = [...hold(0, 3), ...ramp(0, 50, 14.4), ...hold(50, 240), ...ramp(50, 0, -14.4), ...hold(0, 2)];

describe('evaluateTrace on hand-written drives', () => {
  it('gives full marks to gentle driving within the limit', () => {
    const evaluation = evaluateTrace(drive(petrol, gentle), petrol);
    for (const criterion of ['acceleration', 'braking', 'speed', 'slope', 'stopAndStart'] as const) {
      expect(evaluation.marks[criterion], criterion).toBe(10);
    }
    expect(evaluation.marks.engineSpeed).toBe(10);
    expect(evaluation.drivingMark).toBeGreaterThan(9);
  });

  it('gives 0 for launches and stops beyond the harsh thresholds, all slowing done by the brakes', () => {
    const evaluation = evaluateTrace(drive(petrol, harsh), petrol);
    expect(evaluation.marks.acceleration).toBe(0);
    expect(evaluation.marks.braking).toBe(0);
    expect(evaluation.marks.slope).toBe(0);
    expect(evaluation.marks.speed).toBe(10);
  });

  it('marks speeding: 70 km/h in a 50 zone the whole way is 0', () => {
    const speeding = [...ramp(0, 70, 2.88), ...hold(70, 300), ...ramp(70, 0, -1.44)];
    expect(evaluateTrace(drive(petrol, speeding), petrol).marks.speed).toBe(0);
    const within = [...ramp(0, 70, 2.88), ...hold(70, 300), ...ramp(70, 0, -1.44)];
    expect(evaluateTrace(drive(petrol, within, 15, 80), petrol).marks.speed).toBe(10);
  });

  it('marks idling: five minutes warming up before a short drive is 0', () => {
    const warmingUp = [...hold(0, 300), ...gentle];
    expect(evaluateTrace(drive(petrol, warmingUp), petrol).marks.stopAndStart).toBe(0);
  });

  it('marks a short trip on a cold engine lower than a long one, and agrees with the engine’s temperature', () => {
    const short = drive(petrol, gentle, -5);
    const long = drive(petrol, [...ramp(0, 90, 2.88), ...hold(90, 2400), ...ramp(90, 0, -1.44)], 15, 90);
    // The physics says where the coolant ended: below 70 °C, every drop was burnt cold.
    expect(short.engineEndTempC).toBeLessThan(70);
    expect(coldFuelShare(short)).toBe(1);
    expect(long.engineEndTempC).toBeGreaterThan(85);
    expect(coldFuelShare(long)).toBeGreaterThan(0);
    expect(coldFuelShare(long)).toBeLessThan(0.5);
    expect(evaluateTrace(short, petrol).marks.coldTrips).toBe(0);
    expect(evaluateTrace(long, petrol).marks.coldTrips).toBeGreaterThan(5);
  });

  it('leaves the engine criteria out for an electric car', () => {
    const evaluation = evaluateTrace(drive(electric, harsh), electric);
    for (const criterion of CRITERIA) {
      if (ENGINE_CRITERIA.has(criterion)) expect(evaluation.marks[criterion], criterion).toBeNull();
      else expect(evaluation.marks[criterion], criterion).not.toBeNull();
    }
    // Speed is perfect (10) and the three others 0: the mark is speed's weight share of 10.
    const { acceleration, braking, speed, slope } = CRITERION_WEIGHTS;
    expect(evaluation.drivingMark).toBeCloseTo((10 * speed) / (acceleration + braking + speed + slope), 9);
  });

  it('measures the road profile from the posted limits', () => {
    const urban = evaluateTrace(drive(petrol, gentle), petrol);
    expect(urban.roadKm.urban).toBeCloseTo(urban.distanceKm, 6);
    expect(roadProfile(urban)).toBe('1');
    const motorway = evaluateTrace(
      drive(petrol, [...ramp(0, 120, 2.88), ...hold(120, 600), ...ramp(120, 0, -1.44)], 15, 130),
      petrol,
    );
    expect(roadProfile(motorway)).toBe('4');
  });
});

/** Spearman's rank correlation (average ranks for ties). */
function spearman(xs: readonly number[], ys: readonly number[]): number {
  const ranks = (values: readonly number[]) => {
    const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
    const out = new Array<number>(values.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]?.value === order[i]?.value) j++;
      for (let k = i; k <= j; k++) out[order[k]?.index ?? 0] = (i + j) / 2;
      i = j + 1;
    }
    return out;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(rx);
  const my = mean(ry);
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < rx.length; i++) {
    const a = (rx[i] as number) - mx;
    const b = (ry[i] as number) - my;
    num += a * b;
    dx += a * a;
    dy += b * b;
  }
  return num / Math.sqrt(dx * dy);
}

describe('the simulated population', () => {
  const NOW = Date.parse('2026-03-01T08:00:00Z');
  const ctx = createSimContext({
    seed: 'eco-population',
    peers: 200,
    clock: new SimClock({ now: NOW, frozen: true }),
  });

  /** Owners whose first car is a petrol car, with a week of their trips evaluated. */
  function petrolDrivers(count: number) {
    const drivers: { aggressiveness: number; vehicle: SimVehicle; evaluation: TripEvaluation }[] = [];
    for (let index = 0; index < ctx.world.ownerCount && drivers.length < count; index++) {
      const owner = ctx.world.ownerAt(index);
      const vehicle = owner.vehicles[0] as SimVehicle;
      if (vehicle.powertrain !== 'petrol') continue;
      const trips = ctx.fleet.timelineOf(vehicle).tripsBetween(NOW - 7 * DAY_MS, NOW - 3_600_000);
      if (trips.length === 0) continue;
      const evaluation = combineEvaluations(trips.map((trip) => tripEvaluation(ctx, vehicle, trip)));
      drivers.push({ aggressiveness: owner.style.aggressiveness, vehicle, evaluation });
    }
    return drivers;
  }
  const drivers = petrolDrivers(14);

  it('ranks smooth drivers above aggressive ones (Spearman ρ < −0.5 over ≥ 12 petrol owners)', () => {
    expect(drivers.length).toBeGreaterThanOrEqual(12);
    const styles = drivers.map((driver) => driver.aggressiveness);
    // The styles must spread for the test to mean anything.
    expect(Math.max(...styles) - Math.min(...styles)).toBeGreaterThan(0.5);
    const rho = spearman(
      styles,
      drivers.map((driver) => driver.evaluation.drivingMark),
    );
    expect(rho).toBeLessThan(-0.5);
    for (const criterion of ['acceleration', 'braking'] as const) {
      const rhoCriterion = spearman(
        styles,
        drivers.map((driver) => driver.evaluation.marks[criterion] ?? 0),
      );
      expect(rhoCriterion, criterion).toBeLessThan(-0.5);
    }
  });

  it('scores a smooth driver better than an aggressive one on the same routes', () => {
    const phases: RoutePhase[] = [
      { kind: 'urban', distanceKm: 4, speedLimitKmh: 50 },
      { kind: 'road', distanceKm: 12, speedLimitKmh: 80 },
      { kind: 'urban', distanceKm: 2, speedLimitKmh: 30 },
    ];
    const meanMark = (aggressiveness: number) => {
      let sum = 0;
      for (let route = 0; route < 6; route++) {
        const style = { aggressiveness };
        const speeds = generateSpeedProfile(createRng(`route-${route}`), phases, style);
        sum += evaluateTrace(simulateDrive(petrol, style, speeds, { outsideTempC: 12 }), petrol).drivingMark;
      }
      return sum / 6;
    };
    const calm = meanMark(0.1);
    const middle = meanMark(0.5);
    const wild = meanMark(0.9);
    expect(calm).toBeGreaterThan(middle);
    expect(middle).toBeGreaterThan(wild);
    expect(calm - wild).toBeGreaterThan(3);
  });

  it('keeps every mark within 0–10 and the attitude calmer for smoother drivers', () => {
    for (const { evaluation } of drivers) {
      for (const criterion of CRITERIA) {
        const mark = evaluation.marks[criterion];
        expect(mark, criterion).not.toBeNull();
        expect(mark).toBeGreaterThanOrEqual(0);
        expect(mark).toBeLessThanOrEqual(10);
      }
    }
    const smoothest = drivers.reduce((a, b) => (a.aggressiveness < b.aggressiveness ? a : b));
    const wildest = drivers.reduce((a, b) => (a.aggressiveness > b.aggressiveness ? a : b));
    expect(Number(drivingAttitude(smoothest.evaluation))).toBeLessThan(
      Number(drivingAttitude(wildest.evaluation)),
    );
  });

  it('gives the same trace the same evaluation, in this context and in a fresh one', () => {
    const { vehicle } = drivers[0] as (typeof drivers)[number];
    const timeline = ctx.fleet.timelineOf(vehicle);
    const trip = timeline.tripsBetween(NOW - 3 * DAY_MS, NOW - 3_600_000).at(-1);
    if (!trip) throw new Error('no trip');
    const trace = timeline.traceOf(trip);
    expect(evaluateTrace(trace, timeline.model)).toEqual(evaluateTrace(trace, timeline.model));
    const fresh = createSimContext({ seed: 'eco-population', peers: 200, clock: new SimClock({ now: NOW }) });
    expect(tripEvaluation(fresh, vehicle, trip)).toEqual(tripEvaluation(ctx, vehicle, trip));
    // Cached per context: asking again neither re-simulates nor re-evaluates the trip.
    expect(tripEvaluation(ctx, vehicle, trip)).toBe(tripEvaluation(ctx, vehicle, trip));
    const mark = tripDrivingMark(ctx, vehicle, trip);
    expect(mark).toBe(Math.round(evaluateTrace(trace, timeline.model).drivingMark * 10) / 10);
    expect(tripDrivingMark(fresh, vehicle, trip)).toBe(mark);
  });
});

describe('combineEvaluations', () => {
  const evaluation = (distanceKm: number, mark: number, engine: number | null): TripEvaluation => {
    const marks = {} as Record<Criterion, number | null>;
    for (const criterion of CRITERIA) marks[criterion] = ENGINE_CRITERIA.has(criterion) ? engine : mark;
    return {
      distanceKm,
      durationS: distanceKm * 60,
      marks,
      drivingMark: mark,
      roadKm: { urban: distanceKm, extraUrban: 0, motorway: 0 },
    };
  };

  it('weights trips by distance and adds durations', () => {
    const combined = combineEvaluations([evaluation(30, 9, 8), evaluation(10, 1, 4)]);
    expect(combined.drivingMark).toBeCloseTo((30 * 9 + 10 * 1) / 40, 9);
    expect(combined.marks.acceleration).toBeCloseTo(7, 9);
    expect(combined.marks.coldTrips).toBeCloseTo((30 * 8 + 10 * 4) / 40, 9);
    expect(combined.durationS).toBe(2400);
    expect(combined.distanceKm).toBe(40);
    expect(combined.roadKm.urban).toBe(40);
  });

  it('ignores trips where a criterion does not apply, and keeps null when none applies', () => {
    const mixed = combineEvaluations([evaluation(10, 6, null), evaluation(30, 6, 2)]);
    expect(mixed.marks.engineSpeed).toBe(2);
    expect(combineEvaluations([evaluation(10, 6, null)]).marks.stopAndStart).toBeNull();
  });

  it('uses equal weights when no trip moved', () => {
    expect(combineEvaluations([evaluation(0, 2, 2), evaluation(0, 8, 8)]).drivingMark).toBe(5);
  });
});
