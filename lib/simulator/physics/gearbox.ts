import type { VehicleModel } from './vehicle-models';

const RPM_PER_RAD_S = 60 / (2 * Math.PI);

/** Wheel speed in rpm for a road speed. */
export function wheelRpm(model: VehicleModel, speedMs: number): number {
  return (speedMs / model.wheelRadiusM) * RPM_PER_RAD_S;
}

/** Overall ratio (gearbox × final drive) in a gear, 1-based; 0 for neutral. */
export function overallRatio(model: VehicleModel, gear: number): number {
  if (gear < 1) return 0;
  const ratio = model.gearRatios[gear - 1];
  return ratio === undefined ? 0 : ratio * model.finalDrive;
}

/** Engine (or motor) speed locked to the wheels in a gear: speed × ratio × final drive / circumference. */
export function kinematicRpm(model: VehicleModel, gear: number, speedMs: number): number {
  return wheelRpm(model, speedMs) * overallRatio(model, gear);
}

/** Engine speeds a driver (or an automatic gearbox in a matching mode) shifts around. */
export type ShiftPolicy = { upshiftRpm: number; downshiftRpm: number; cruiseRpm: number };

/**
 * Per-model constants, computed once per trip: gear selection runs every second of every trip,
 * so it works on plain numbers (rpm per m/s in each gear, index 0 = neutral).
 */
export type GearboxSpec = {
  gears: number;
  rpmPerMs: Float64Array;
  redlineRpm: number;
  /** Scratch space for the engine speed in each gear at the current speed (no allocation per call). */
  rpm: Float64Array;
};

export function gearboxSpec(model: VehicleModel): GearboxSpec {
  const gears = model.gearRatios.length;
  const rpmPerMs = new Float64Array(gears + 1);
  for (let g = 1; g <= gears; g++) rpmPerMs[g] = kinematicRpm(model, g, 1);
  return { gears, rpmPerMs, redlineRpm: model.redlineRpm, rpm: new Float64Array(gears + 1) };
}

export type GearRequest = {
  speedMs: number;
  accelerationMs2: number;
  /** Power the engine must deliver at this moment (kW). */
  demandKw: number;
  idleRpm: number;
  /** Seconds since the last gear change: upshifts wait ≥ 2 s so kick-downs do not hunt. */
  sinceShiftS: number;
};

/** Full-load power at an engine speed (kW), to avoid lugging. */
export type FullLoadCurve = (rpm: number) => number;

/**
 * Gear for the next second. Accelerating: hold the gear to the style's upshift point. Cruising:
 * the tallest gear that keeps the engine above the style's cruise speed and can still deliver the
 * power. Slowing: downshift at the style's downshift point, declutch near idle. Never over-rev,
 * never lug below idle. 0 = neutral / clutch open.
 */
export function selectGear(
  spec: GearboxSpec,
  policy: ShiftPolicy,
  fullLoadKw: FullLoadCurve,
  current: number,
  request: GearRequest,
): number {
  const { gears, rpmPerMs, rpm } = spec;
  const { speedMs, accelerationMs2, demandKw, idleRpm } = request;
  if (gears === 0) return 0;
  if (speedMs < 0.3) return accelerationMs2 > 0.05 ? 1 : 0;
  // Hot path (every second of every trip): plain arrays, no closures (tsx wraps each in __name).
  for (let g = 1; g <= gears; g++) rpm[g] = (rpmPerMs[g] as number) * speedMs;
  const settled = request.sinceShiftS >= 2;
  const ceiling = spec.redlineRpm * 0.95;

  let gear = current;
  if (gear === 0) {
    if (accelerationMs2 < -0.2 && (rpm[1] as number) < idleRpm * 1.3) return 0;
    // Re-engaging while rolling: the tallest gear above the downshift point.
    gear = 1;
    for (let g = gears; g >= 1; g--) {
      const r = rpm[g] as number;
      if (r >= Math.max(policy.downshiftRpm, idleRpm * 1.1) && r < ceiling) {
        gear = g;
        break;
      }
    }
  }

  if (accelerationMs2 > 0.3) {
    if (
      settled &&
      gear < gears &&
      (rpm[gear] as number) > policy.upshiftRpm &&
      (rpm[gear + 1] as number) >= policy.downshiftRpm * 0.85
    )
      gear++;
  } else if (accelerationMs2 >= -0.3) {
    let target = 1;
    for (let g = gears; g >= 1; g--) {
      const r = rpm[g] as number;
      if (r >= policy.cruiseRpm && r < ceiling && fullLoadKw(r) * 0.85 >= demandKw) {
        target = g;
        break;
      }
    }
    if (target > gear && settled) gear++;
    else if (target < gear && (rpm[gear] as number) < policy.downshiftRpm) gear--;
  } else {
    if (gear > 1 && (rpm[gear] as number) < policy.downshiftRpm) gear--;
    // Braking towards a stop in a low gear: clutch in rather than stall.
    if (gear <= 2 && (rpm[gear] as number) < idleRpm * 1.2) return 0;
  }

  while (gear < gears && (rpm[gear] as number) > ceiling) gear++;
  // Kick down when the gear cannot deliver the power asked for.
  while (
    gear > 1 &&
    demandKw > fullLoadKw(rpm[gear] as number) * 0.95 &&
    (rpm[gear - 1] as number) < ceiling * 0.95
  )
    gear--;
  while (gear > 1 && (rpm[gear] as number) < idleRpm * 1.05) gear--;
  return gear;
}
