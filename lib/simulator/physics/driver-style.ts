import { createRng, deriveSeed, type Rng } from './random';

/** A driver's persistent way of driving, from 0 (smooth, anticipating) to 1 (aggressive). */
export type DrivingStyle = {
  aggressiveness: number;
  /**
   * Per-driver seed for small quirks around the style's central values (two drivers at 0.5 still
   * differ a little). Without it the parameters are the exact central values.
   */
  seed?: number;
};

/** Concrete behaviour derived from a style. Accelerations are magnitudes in m/s². */
export type StyleParameters = {
  aggressiveness: number;
  /** Typical launch acceleration, tapered as speed approaches the target. */
  comfortAccelerationMs2: number;
  /** Occasional hard launch; above the harsh threshold (3.0 m/s²) for aggressive drivers. */
  peakAccelerationMs2: number;
  /** Typical braking when approaching a stop or a slower zone. */
  comfortDecelerationMs2: number;
  /** Occasional hard braking; beyond the harsh threshold (−3.5 m/s²) for aggressive drivers. */
  peakDecelerationMs2: number;
  /** Chance that one launch or one braking uses the peak value. */
  peakProbability: number;
  /** How fast the pedal is pressed (m/s³): bounds the change of acceleration per second. */
  jerkMs3: number;
  /** Gain (1/s) with which the driver closes the gap to the speed they want. */
  followGain: number;
  upshiftRpmPetrol: number;
  upshiftRpmDiesel: number;
  downshiftRpmPetrol: number;
  downshiftRpmDiesel: number;
  /** Lowest engine speed the driver is happy to cruise at (selects the cruising gear). */
  cruiseRpmPetrol: number;
  cruiseRpmDiesel: number;
  /** Wanted speed relative to the posted limit on a clear road. */
  speedingFactor: number;
  /** Scale of the slow fluctuations around the wanted speed. */
  speedVariation: number;
  /** Mean minutes of engine-on standstill per trip beyond traffic (warming up, waiting). */
  idleMinutesPerTrip: number;
  /**
   * 0…1: how early the driver lifts off before a stop or a slower zone. Lift-off starts when the
   * deceleration needed reaches (1 − 0.6 × anticipation) of the planned braking.
   */
  anticipation: number;
};

const lerp = (from: number, to: number, t: number) => from + (to - from) * t;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Multiplicative quirk, bounded so a quirky smooth driver never turns aggressive. */
function quirk(rng: Rng | null, sd: number): number {
  if (!rng) return 1;
  return clamp(1 + rng.normal(0, sd), 1 - 2.5 * sd, 1 + 2.5 * sd);
}

/**
 * Behaviour for a style. Pure: the same style (and seed) always gives the same parameters, which is
 * what keeps a simulated driver recognisable from one week to the next.
 */
export function styleParameters(style: DrivingStyle): StyleParameters {
  const x = clamp(style.aggressiveness, 0, 1);
  const rng = style.seed === undefined ? null : createRng(deriveSeed('driving-style', style.seed));
  // Draw every quirk in a fixed order so adding a parameter at the end keeps old drivers intact.
  const accelQuirk = quirk(rng, 0.06);
  const brakeQuirk = quirk(rng, 0.06);
  const shiftQuirk = quirk(rng, 0.05);
  const speedQuirk = rng ? clamp(rng.normal(0, 0.015), -0.035, 0.035) : 0;
  const idleQuirk = quirk(rng, 0.2);
  const anticipationQuirk = quirk(rng, 0.08);

  return {
    aggressiveness: x,
    comfortAccelerationMs2: lerp(1.0, 2.4, x) * accelQuirk,
    peakAccelerationMs2: lerp(1.6, 3.9, x) * accelQuirk,
    comfortDecelerationMs2: lerp(1.2, 3.0, x) * brakeQuirk,
    peakDecelerationMs2: lerp(2.0, 4.8, x) * brakeQuirk,
    // Quadratic: mid drivers rarely go hard, aggressive ones do it on a third of events.
    peakProbability: lerp(0.02, 0.45, x * x),
    jerkMs3: lerp(0.9, 3.5, x),
    followGain: lerp(0.25, 0.6, x),
    // Eco-driving advice is to upshift at 2 000–2 500 rpm (UDRIVE); aggressive drivers rev out.
    upshiftRpmPetrol: lerp(2150, 4300, x) * shiftQuirk,
    upshiftRpmDiesel: lerp(1750, 3300, x) * shiftQuirk,
    downshiftRpmPetrol: lerp(1150, 2000, x) * shiftQuirk,
    downshiftRpmDiesel: lerp(1050, 1700, x) * shiftQuirk,
    cruiseRpmPetrol: lerp(1200, 2200, x) * shiftQuirk,
    cruiseRpmDiesel: lerp(1100, 1800, x) * shiftQuirk,
    speedingFactor: lerp(0.93, 1.12, x) + speedQuirk,
    speedVariation: lerp(0.7, 1.6, x),
    idleMinutesPerTrip: lerp(0.15, 2.5, x) * idleQuirk,
    anticipation: clamp(lerp(0.9, 0.1, x) * anticipationQuirk, 0, 1),
  };
}

/**
 * A new driver: most people sit in the middle, few at the extremes (the population behind any
 * peer comparison should not be uniform).
 */
export function createDrivingStyle(rng: Rng): DrivingStyle {
  const aggressiveness = clamp(rng.normal(0.45, 0.2), 0.02, 0.98);
  return { aggressiveness, seed: rng.int(0, 0xffffffff) };
}
