import { motorPowerKw, type VehicleModel } from './vehicle-models';

/** Motor, inverter and reduction gear at typical load. */
const DRIVE_EFFICIENCY = 0.9;
/** Wheel-to-battery efficiency of regenerative braking (motor as generator, inverter, battery). */
const REGEN_EFFICIENCY = 0.72;
/** Fixed electric-drive losses while moving (inverter switching, cooling pump). */
const MOVING_LOSS_KW = 0.2;
/**
 * Only the first ≈1.8 m/s² of a deceleration is regenerative; beyond it the friction brakes take
 * over (stability, blending limits), so hard braking wastes energy.
 */
const REGEN_DECELERATION_MS2 = 1.8;
const MIN_REGEN_SPEED_MS = 1.5;

/**
 * Battery power (kW, positive = discharge) to deliver `wheelKw` at the wheels through the electric
 * drive, regeneration included. Excludes auxiliaries. Cold batteries lose more to internal
 * resistance and accept less charge; a nearly full one (`socFraction` > 0.95) barely accepts any.
 */
export function electricBatteryKw(
  model: VehicleModel,
  wheelKw: number,
  meanSpeedMs: number,
  socFraction: number,
  tempC: number,
): number {
  const moving = meanSpeedMs > 0.1 ? MOVING_LOSS_KW : 0;
  const cold = Math.max(0, 20 - tempC);
  if (wheelKw >= 0) return (wheelKw / DRIVE_EFFICIENCY) * (1 + 0.004 * cold) + moving;
  if (meanSpeedMs < MIN_REGEN_SPEED_MS) return moving;
  const cap = Math.min(
    motorPowerKw(model) * 0.5,
    (model.massKg * REGEN_DECELERATION_MS2 * meanSpeedMs) / 1000,
  );
  const acceptance = Math.max(0.3, 1 - 0.02 * Math.max(0, 10 - tempC)) * (socFraction > 0.95 ? 0.2 : 1);
  return -Math.min(-wheelKw, cap) * REGEN_EFFICIENCY * acceptance + moving;
}
