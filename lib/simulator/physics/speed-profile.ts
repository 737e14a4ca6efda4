import { type DrivingStyle, type StyleParameters, styleParameters } from './driver-style';
import type { Rng } from './random';
import type { VehicleModel } from './vehicle-models';

export type RouteKind = 'urban' | 'road' | 'motorway';

export type RoutePhase = { kind: RouteKind; distanceKm: number; speedLimitKmh: number };

/** 1 Hz speed trace (sample i is the speed at t = i s) and the posted limit at each sample. */
export type SpeedProfile = { speedsKmh: Float32Array; limitsKmh: Float32Array };

export type SpeedProfileOptions = {
  /** Caps acceleration at speed so the trace stays within what the car can do (default 70 W/kg). */
  powerToMassWPerKg?: number;
  /** The car's top speed (default 180 km/h). */
  maxSpeedKmh?: number;
  /** Engine-on standstill before moving off; drawn from the style's idle tendency when omitted. */
  idleBeforeS?: number;
  /** Engine-on standstill after arriving; drawn from the style's idle tendency when omitted. */
  idleAfterS?: number;
};

/**
 * Profile options that keep a trace within what a model can do: its power-to-mass ratio and top
 * speed (electric PSA models are limited to 150 km/h; others from a power balance, capped at 190).
 */
export function speedProfileOptionsFor(model: VehicleModel): SpeedProfileOptions {
  const powerToMassWPerKg = (model.maxPowerKw * 1000) / model.massKg;
  if (model.powertrain === 'electric') return { powerToMassWPerKg, maxSpeedKmh: 150 };
  const dragCoeff = 0.5 * 1.2 * model.dragCoefficient * model.frontalAreaM2;
  const rollingN = model.massKg * 9.81 * model.rollingResistance;
  // Bisection on P·η = (½ρCdA v² + rolling)·v, which grows monotonically with v.
  let low = 10;
  let high = 100;
  for (let step = 0; step < 30; step++) {
    const v = (low + high) / 2;
    if ((dragCoeff * v * v + rollingN) * v > model.maxPowerKw * 1000 * 0.85) high = v;
    else low = v;
  }
  return { powerToMassWPerKg, maxSpeedKmh: Math.min(190, low * 3.6) };
}

/**
 * A stretch of road the driver must respect: a stop (lights, give-way, the destination) when
 * vMaxMs is 0 and dwellS the time stopped, otherwise a slower zone (turn, roundabout, exit ramp,
 * congestion, lower limit ahead) from startM to endM.
 */
type Zone = { startM: number; endM: number; vMaxMs: number; dwellS: number; brakeMs2: number };

// Physical envelope of a passenger car on dry tarmac: front-wheel traction and emergency braking.
const TRACTION_LIMIT_MS2 = 4.6;
const BRAKE_LIMIT_MS2 = 8.5;
/** Deceleration from lifting off (engine braking, rolling, drag) at urban speeds. */
const LIFT_OFF_MS2 = 0.5;
const NOISE_TIME_CONSTANT_S = 25;
const NOISE_SD_MS: Record<RouteKind, number> = { urban: 0.8, road: 1.0, motorway: 1.2 };
/** Rough resistance per unit mass (rolling + drag for a typical car), for the power cap only. */
const resistanceMs2 = (v: number) => 0.12 + 3.2e-4 * v * v;

function brakeFor(rng: Rng, params: StyleParameters): number {
  if (rng.chance(params.peakProbability)) return params.peakDecelerationMs2 * rng.range(0.92, 1.1);
  return params.comfortDecelerationMs2 * rng.range(0.85, 1.15);
}

function launchFor(rng: Rng, params: StyleParameters): number {
  if (rng.chance(params.peakProbability)) return params.peakAccelerationMs2 * rng.range(0.95, 1.08);
  return params.comfortAccelerationMs2 * rng.range(0.85, 1.15);
}

/** Stops and slow zones along one phase, like the events of a drive cycle. */
function phaseZones(
  rng: Rng,
  params: StyleParameters,
  phase: RoutePhase,
  startM: number,
  zones: Zone[],
): void {
  const endM = startM + phase.distanceKm * 1000;
  // Aggressive drivers take turns and roundabouts a little faster.
  const corner = 1 + 0.15 * params.aggressiveness;
  const stop = (at: number, dwellS: number) =>
    zones.push({ startM: at, endM: at, vMaxMs: 0, dwellS, brakeMs2: brakeFor(rng, params) });
  const slow = (at: number, length: number, kmh: number) =>
    zones.push({
      startM: at,
      endM: at + length,
      vMaxMs: kmh / 3.6,
      dwellS: 0,
      brakeMs2: brakeFor(rng, params),
    });

  if (phase.kind === 'urban') {
    // ≈1.7 stops per km plus turns, close to urban drive cycles (WLTP low phase, Artemis urban).
    for (let at = startM + rng.range(100, 350); at < endM - 80; at += rng.range(100, 350)) {
      const event = rng.next();
      if (event < 0.5) {
        if (rng.chance(0.6)) stop(at, Math.round(rng.range(10, 45)));
      } else if (event < 0.8) {
        slow(at, 15, rng.range(15, 30) * corner);
      } else if (rng.chance(0.5)) {
        stop(at, Math.round(rng.range(1, 5)));
      } else {
        slow(at, 10, rng.range(10, 16) * corner);
      }
    }
  } else if (phase.kind === 'road') {
    for (let at = startM + rng.range(800, 3000); at < endM - 200; at += rng.range(1500, 5000)) {
      if (rng.chance(0.55)) {
        // Roundabout; sometimes a queue or traffic forces a stop at the give-way line.
        if (rng.chance(0.25)) stop(at, Math.round(rng.range(2, 10)));
        else slow(at, 40, rng.range(25, 35) * corner);
      } else {
        slow(at, rng.range(200, 800), rng.range(55, 75) * corner);
      }
    }
  } else {
    for (let at = startM + rng.range(3000, 15000); at < endM - 2000; at += rng.range(8000, 30000)) {
      if (rng.chance(0.35)) slow(at, rng.range(500, 3000), rng.range(40, 90));
    }
  }
}

/**
 * A drive-cycle-like 1 Hz speed trace over the given phases: stops and slow zones in town,
 * roundabouts on roads, congestion on motorways, cruising with slow fluctuations around a wanted
 * speed that depends on the style, launches and braking bounded by the style and by physics, and
 * lift-off anticipation (smooth drivers slow earlier and softer).
 */
export function generateSpeedProfile(
  rng: Rng,
  phases: readonly RoutePhase[],
  style: DrivingStyle,
  options: SpeedProfileOptions = {},
): SpeedProfile {
  const params = styleParameters(style);
  const powerPerKg = options.powerToMassWPerKg ?? 70;
  const vCar = (options.maxSpeedKmh ?? 180) / 3.6;

  // Wanted speed per phase: the limit scaled by the style, and by traffic flow in town.
  const phaseEnd: number[] = [];
  const phaseTarget: number[] = [];
  const zones: Zone[] = [];
  let totalM = 0;
  for (let p = 0; p < phases.length; p++) {
    const phase = phases[p] as RoutePhase;
    const flow =
      phase.kind === 'urban'
        ? rng.range(0.8, 1)
        : phase.kind === 'road'
          ? rng.range(0.95, 1.02)
          : rng.range(0.97, 1.02);
    const target = Math.min(vCar * 0.97, (phase.speedLimitKmh / 3.6) * params.speedingFactor * flow);
    phaseTarget.push(target);
    const previous = p > 0 ? (phases[p - 1] as RoutePhase) : null;
    if (previous && phase.distanceKm > 0) {
      const previousTarget = phaseTarget[p - 1] as number;
      // Leaving a motorway means an exit ramp; otherwise be at the new speed by the sign.
      const entry =
        previous.kind === 'motorway' && phase.kind !== 'motorway'
          ? Math.min(target, rng.range(60, 80) / 3.6)
          : target * 1.03;
      if (entry < previousTarget) {
        zones.push({
          startM: totalM,
          endM: totalM + 250,
          vMaxMs: entry,
          dwellS: 0,
          brakeMs2: brakeFor(rng, params),
        });
      }
    }
    phaseZones(rng, params, phase, totalM, zones);
    totalM += Math.max(0, phase.distanceKm) * 1000;
    phaseEnd.push(totalM);
  }
  const destination: Zone = {
    startM: totalM,
    endM: totalM,
    vMaxMs: 0,
    dwellS: 0,
    brakeMs2: brakeFor(rng, params),
  };
  zones.push(destination);
  zones.sort((a, b) => a.startM - b.startM || a.vMaxMs - b.vMaxMs);
  const served = new Uint8Array(zones.length);

  const idleBefore = Math.max(
    1,
    Math.round(options.idleBeforeS ?? 3 + Math.min(1200, rng.exponential(params.idleMinutesPerTrip * 36))),
  );
  const idleAfter = Math.max(
    0,
    Math.round(options.idleAfterS ?? 2 + Math.min(1200, rng.exponential(params.idleMinutesPerTrip * 24))),
  );

  // Upper bound on samples, grown if a slow trace needs more.
  let dwellTotal = 0;
  for (const zone of zones) dwellTotal += zone.dwellS;
  let capacity = Math.ceil(idleBefore + idleAfter + dwellTotal + totalM / 5 + 64);
  let speeds = new Float32Array(capacity);
  let limits = new Float32Array(capacity);
  let count = 0;
  const push = (speedMs: number, limitKmh: number) => {
    if (count === capacity) {
      capacity *= 2;
      const grownSpeeds = new Float32Array(capacity);
      grownSpeeds.set(speeds);
      speeds = grownSpeeds;
      const grownLimits = new Float32Array(capacity);
      grownLimits.set(limits);
      limits = grownLimits;
    }
    speeds[count] = speedMs * 3.6;
    limits[count] = limitKmh;
    count++;
  };

  let phaseIndex = 0;
  const limitAt = () => (phases[phaseIndex] as RoutePhase | undefined)?.speedLimitKmh ?? 0;
  for (let i = 0; i < idleBefore; i++) push(0, limitAt());

  let s = 0;
  let v = 0;
  let aPrev = 0;
  let noise = 0;
  let launch = launchFor(rng, params);
  let launching = false;
  let firstZone = 0;
  const liftOffFraction = 1 - 0.6 * params.anticipation;
  const decay = 1 / NOISE_TIME_CONSTANT_S;
  const noiseStep = Math.sqrt(2 * decay);
  // Generous cap: a route can never take longer than crawling it at 1 m/s plus every stop.
  const maxSteps = totalM + dwellTotal + 3600;

  for (let step = 0; step < maxSteps; step++) {
    while (phaseIndex < phases.length - 1 && s >= (phaseEnd[phaseIndex] as number)) phaseIndex++;
    const phase = phases[phaseIndex];
    if (!phase) break;
    while (firstZone < zones.length) {
      const zone = zones[firstZone] as Zone;
      const done = zone.vMaxMs === 0 ? served[firstZone] === 1 || zone.startM < s - 1 : zone.endM < s;
      if (!done) break;
      firstZone++;
    }
    if (firstZone >= zones.length) break;

    noise = noise * (1 - decay) + NOISE_SD_MS[phase.kind] * params.speedVariation * noiseStep * rng.normal();
    let wanted = (phaseTarget[phaseIndex] as number) + noise;

    // Zones we are inside cap the wanted speed. For zones ahead, the driver brakes once the next
    // second would carry the car past the point where their planned deceleration must start, and
    // lifts off earlier the more they anticipate. Braking then holds the deceleration that ends
    // exactly at the zone, so it never exceeds the plan (a 1 Hz check on the needed deceleration
    // alone would react a second late, and at short range that second doubles the braking).
    const horizon = (v * v) / (2 * 0.3) + 2 * v + 30;
    let brakeNeed = 0;
    let brakeZone = -1;
    let liftNeed = 0;
    let holdSpeed = false;
    for (let k = firstZone; k < zones.length; k++) {
      const zone = zones[k] as Zone;
      const ahead = zone.startM - s;
      if (ahead > horizon) break;
      if (ahead <= 0) {
        if (zone.vMaxMs > 0 && s <= zone.endM) wanted = Math.min(wanted, zone.vMaxMs);
        continue;
      }
      if (zone.vMaxMs === 0 && served[k] === 1) continue;
      if (v <= zone.vMaxMs) continue;
      const excess = v * v - zone.vMaxMs * zone.vMaxMs;
      const need = excess / (2 * Math.max(ahead, 0.25));
      const liftPoint = excess / (2 * zone.brakeMs2 * liftOffFraction);
      if (ahead - excess / (2 * zone.brakeMs2) - v <= 0 || need >= zone.brakeMs2) {
        if (need > brakeNeed) {
          brakeNeed = need;
          brakeZone = k;
        }
      } else if (ahead - liftPoint - v <= 0) {
        liftNeed = Math.max(liftNeed, need);
      } else if (ahead - liftPoint - 3 * v <= 0) {
        holdSpeed = true;
      }
    }
    wanted = Math.min(Math.max(wanted, 1.5), vCar);

    let a: number;
    if (brakeZone >= 0) {
      a = -brakeNeed;
      launching = false;
    } else if (liftNeed > 0) {
      // Lift off, and if that alone is more than needed, glide exactly to the zone.
      a = -Math.min(LIFT_OFF_MS2, liftNeed);
      launching = false;
    } else if (wanted > v) {
      if (!launching && wanted - v > 2) {
        launch = launchFor(rng, params);
        launching = true;
      }
      const powerCap = (powerPerKg * 0.88) / Math.max(v, 2) - resistanceMs2(v);
      const eager = launching
        ? launch * (1 - (0.45 * v) / Math.max(wanted, 1))
        : params.comfortAccelerationMs2;
      a = Math.min(eager, params.followGain * (wanted - v), powerCap, TRACTION_LIMIT_MS2);
      a = Math.min(a, Math.max(aPrev, 0) + params.jerkMs3);
      // No point speeding up just before lifting off.
      if (holdSpeed) a = Math.min(a, 0);
    } else {
      launching = false;
      // Slightly too fast: lift off rather than brake, unless well over (a zone just entered).
      a = Math.max(
        params.followGain * (wanted - v),
        v - wanted > 3 ? -params.comfortDecelerationMs2 : -LIFT_OFF_MS2,
      );
    }
    a = Math.max(-BRAKE_LIMIT_MS2, Math.min(TRACTION_LIMIT_MS2, a));

    let vNext = Math.max(0, v + a);
    let sNext = s + (v + vNext) / 2;
    const governing = brakeZone;
    const zone = governing >= 0 ? (zones[governing] as Zone) : null;
    if (zone && zone.vMaxMs === 0 && (vNext <= 0.05 || sNext >= zone.startM)) {
      // Constant deceleration ends exactly on the line (kinematics are exact for linear speed).
      vNext = 0;
      sNext = zone.startM;
      served[governing] = 1;
    }
    s = sNext;
    v = vNext;
    aPrev = a;
    push(v, limitAt());
    if (zone && served[governing] === 1 && v === 0) {
      if (zone === destination) break;
      for (let w = 0; w < zone.dwellS; w++) push(0, limitAt());
      aPrev = 0;
    }
  }

  for (let i = 0; i < idleAfter; i++) push(0, limitAt());
  return { speedsKmh: speeds.slice(0, count), limitsKmh: limits.slice(0, count) };
}
