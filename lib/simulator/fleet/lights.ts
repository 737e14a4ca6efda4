import type { DriveTrace } from '../physics/powertrain';
import { createRng, deriveSeed } from '../physics/random';
import { isDaylight } from '../v4/telemetry-resources';
import type { TripRecord, VehicleTimeline } from './vehicle-timeline';

// The car's exterior lights at a trace sample, derived from the drive itself. The trace has no
// light signals, so each rule below is an inference [infer]; they are pure functions of the trip
// so every API reporting lights gives the same answer (v4 status `lightingSystem`, v1 light status).

/**
 * Stop lamps light when the driver brakes. Coasting in gear slows a car by ≈ 0.3–0.8 m/s² and
 * UN R13-H lets regenerative braking light the lamps from 0.7 m/s² (and requires it above
 * 1.3 m/s²): decelerating harder than 1 m/s² is braking.
 */
export const BRAKE_LIGHT_MS2 = 1;

/** A turn is a heading change of this much over the next stretch of road. */
export const TURN_MIN_DEG = 30;
/**
 * How far ahead the driver signals: about 150 m before a turn, until it is done. Roads bend
 * gently (< 20° over 150 m) and are not signalled; the trip's corners are.
 */
export const TURN_LOOKAHEAD_KM = 0.15;

/** Fog forms on cool nights: [infer] −5…8 °C in the dark, on one trip in four. */
const FOG_MIN_C = -5;
const FOG_MAX_C = 8;
const FOG_CHANCE = 0.25;
/** Rear fog lamps are for thick fog (visibility under 50 m): a third of the foggy trips. */
const THICK_FOG_CHANCE = 1 / 3;

export function brakeLightOn(trace: DriveTrace, index: number): boolean {
  return (trace.accelerationMs2[index] ?? 0) < -BRAKE_LIGHT_MS2;
}

/** Signed heading change (degrees, −180…180; positive is clockwise, a right turn). */
export const headingChange = (fromDeg: number, toDeg: number) => ((toDeg - fromDeg + 540) % 360) - 180;

/**
 * The turn signal at a sample: 'right' or 'left' while the road ahead turns by TURN_MIN_DEG or
 * more within TURN_LOOKAHEAD_KM (so the signal is on before the corner, also while waiting at it,
 * and off once through), else null.
 */
export function turnSignalAt(
  timeline: VehicleTimeline,
  trip: TripRecord,
  trace: DriveTrace,
  index: number,
): 'right' | 'left' | null {
  const km = trace.distanceKm[index] ?? 0;
  const here = timeline.positionOnTrip(trip, km).headingDeg;
  const ahead = timeline.positionOnTrip(trip, Math.min(trip.distanceKm, km + TURN_LOOKAHEAD_KM)).headingDeg;
  const change = headingChange(here, ahead);
  if (Math.abs(change) < TURN_MIN_DEG) return null;
  return change > 0 ? 'right' : 'left';
}

/** Whether the driver used the front and rear fog lamps on this trip (for the whole of it). */
export function fogLampsOf(
  seed: string,
  timeline: VehicleTimeline,
  trip: TripRecord,
  trace: DriveTrace,
): { front: boolean; rear: boolean } {
  const cool = trace.outsideTempC >= FOG_MIN_C && trace.outsideTempC <= FOG_MAX_C;
  if (!cool || isDaylight(trip.startMs, timeline.home.lat, timeline.home.lon)) {
    return { front: false, rear: false };
  }
  const rng = createRng(deriveSeed(seed, trip.id, 'fog'));
  const front = rng.chance(FOG_CHANCE);
  return { front, rear: front && rng.chance(THICK_FOG_CHANCE) };
}
