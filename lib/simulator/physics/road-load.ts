import type { VehicleModel } from './vehicle-models';

export const GRAVITY_MS2 = 9.81;

/** Dry-air density at sea level: cold air is denser, so drag rises ≈ 10 % from 20 °C to −5 °C. */
export function airDensityKgM3(tempC: number): number {
  return 101_325 / (287.05 * (tempC + 273.15));
}

/** Rolling resistance coefficient; tyres stiffen and lose pressure in the cold (≈ +0.3 %/°C below 20 °C). */
export function rollingCoefficient(model: VehicleModel, tempC: number): number {
  return model.rollingResistance * (1 + 0.003 * Math.max(0, 20 - tempC));
}

/**
 * Equivalent-mass factor for rotating parts (wheels, driveline, engine or motor): the inertia
 * reflected to the wheels grows with the square of the overall ratio, so first gear is "heavier".
 */
export function rotatingMassFactor(overallRatio: number): number {
  return 1.03 + 0.0006 * overallRatio * overallRatio;
}

/**
 * Power needed at the wheels (kW) to follow the trace during one second: rolling, aerodynamic
 * drag, grade and inertia at the mean speed of that second. Negative when the car must shed
 * energy (braking, lifting off, downhill).
 */
export function wheelPowerKw(
  model: VehicleModel,
  meanSpeedMs: number,
  accelerationMs2: number,
  grade: number,
  airDensity: number,
  rolling: number,
  massFactor: number,
): number {
  const slope = Math.atan(grade);
  const moving = meanSpeedMs > 0.01;
  const rollingN = moving ? model.massKg * GRAVITY_MS2 * rolling * Math.cos(slope) : 0;
  const dragN = 0.5 * airDensity * model.dragCoefficient * model.frontalAreaM2 * meanSpeedMs * meanSpeedMs;
  const gradeN = model.massKg * GRAVITY_MS2 * Math.sin(slope);
  const inertiaN = model.massKg * massFactor * accelerationMs2;
  return ((rollingN + dragN + gradeN + inertiaN) * meanSpeedMs) / 1000;
}
