import { BASE_ELECTRICAL_KW, climateKw } from './auxiliary-load';
import { type DrivingStyle, styleParameters } from './driver-style';
import { electricBatteryKw } from './electric-drive';
import {
  availableEnginePowerKw,
  coolantTempC,
  engineColdness,
  engineFuelRateLph,
  engineSpec,
  idleRpm,
  warmUpDecayPerSecond,
} from './engine-map';
import {
  type FullLoadCurve,
  type GearRequest,
  gearboxSpec,
  overallRatio,
  type ShiftPolicy,
  selectGear,
} from './gearbox';
import { airDensityKgM3, rollingCoefficient, rotatingMassFactor, wheelPowerKw } from './road-load';
import type { SpeedProfile } from './speed-profile';
import { motorPowerKw, type Powertrain, transmissionOf, type VehicleModel } from './vehicle-models';

/** Engine states per sample (`DriveTrace.engineMode`). */
export const ENGINE_OFF = 0;
/** Running, not connected to the wheels (stopped, or clutch in). */
export const ENGINE_IDLE = 1;
/** Running, clutch or converter slipping: launching below the speed the gear can hold. */
export const ENGINE_SLIP = 2;
/** Locked to the wheels: rpm = speed × gear ratio × final drive / wheel circumference. */
export const ENGINE_ENGAGED = 3;

export type DriveEnvironment = {
  outsideTempC: number;
  /** Road grade (rise over run, e.g. 0.05 for 5 %) at a distance into the trip; flat when omitted. */
  gradeAt?: (distanceKm: number) => number;
  /** Odometer at key-on (km). Default 0. */
  startOdometerKm?: number;
  /** Fuel in the tank at key-on, % of the tank. Default 70. */
  startFuelLevelPct?: number;
  /** Traction battery at key-on, % of usable capacity. Default 80. */
  startBatteryLevelPct?: number;
  /** Coolant temperature at key-on; defaults to the outside temperature (a cold-soaked car). */
  engineStartTempC?: number;
};

/**
 * One trip at 1 Hz. Sample i describes the instant t = i s (speed, gear, rpm, cumulative values)
 * and the second that follows it (acceleration, power, fuel rate), so cumulative arrays are the
 * running sums of the per-second values before i.
 *
 * `engineRpm` is what PSA's telemetry reports as `engines[].speed`: the combustion engine for
 * petrol, diesel and hybrid cars (0 when a hybrid runs electrically), the traction motor for
 * electric cars (whose single reduction is gear 1 and whose motor is always ENGINE_ENGAGED).
 */
export type DriveTrace = {
  modelId: string;
  powertrain: Powertrain;
  outsideTempC: number;
  /** Shared with the speed profile it was built from. */
  speedKmh: Float32Array;
  limitKmh: Float32Array;
  accelerationMs2: Float32Array;
  /** 0 = neutral / clutch open; 1…n gearbox gear. */
  gear: Uint8Array;
  engineRpm: Float32Array;
  engineMode: Uint8Array;
  /** Power demand: wheels (rolling + aero + inertia + grade) plus auxiliaries; negative when braking. */
  powerKw: Float32Array;
  fuelRateLph: Float32Array;
  /** Cumulative fuel burnt (L). */
  fuelL: Float64Array;
  /** Cumulative net traction-battery energy (kWh; regeneration and engine charging subtract). */
  energyKwh: Float64Array;
  distanceKm: Float64Array;
  odometerKm: Float64Array;
  /** % of tank; null for electric cars. Levels stop at 0 %: refuelling and charging are the fleet's job. */
  fuelLevelPct: Float32Array | null;
  /** % of usable battery; null for combustion-only cars. */
  batteryLevelPct: Float32Array | null;
  /** Coolant temperature when the trip ends (°C), to chain trips; null for electric cars. */
  engineEndTempC: number | null;
};

/**
 * Plug-in hybrid energy management, as shares of the usable battery: above LEAVE the car drives
 * electrically like an EV (charge-depleting); below ENTER it holds the charge around TARGET
 * (charge-sustaining), running electrically only at low speed and load, and charging from the
 * engine (load-point shifting) when below target. The engine always keeps FLOOR in reserve.
 */
const HYBRID_FLOOR = 0.08;
const HYBRID_TARGET = 0.15;
const HYBRID_SUSTAIN_ENTER = 0.18;
const HYBRID_SUSTAIN_LEAVE = 0.22;
const HYBRID_MIN_ENGINE_ON_S = 8;
/** Alternator and belt efficiency: electrical auxiliaries cost about twice as much at the crankshaft. */
const ALTERNATOR_EFFICIENCY = 0.55;

function shiftPolicy(model: VehicleModel, style: DrivingStyle): ShiftPolicy {
  const p = styleParameters(style);
  const diesel = model.powertrain === 'diesel';
  const ceiling = model.redlineRpm * 0.85;
  const upshiftRpm = Math.min(ceiling, diesel ? p.upshiftRpmDiesel : p.upshiftRpmPetrol);
  return {
    upshiftRpm,
    downshiftRpm: Math.min(upshiftRpm * 0.6, diesel ? p.downshiftRpmDiesel : p.downshiftRpmPetrol),
    cruiseRpm: Math.min(upshiftRpm * 0.8, diesel ? p.cruiseRpmDiesel : p.cruiseRpmPetrol),
  };
}

/**
 * Runs the powertrain over a speed profile: gear and engine speed from the gear ratios and a
 * style-dependent shift strategy, power demand, fuel flow or battery power (with regeneration),
 * plug-in hybrid energy management, tank and battery levels, odometer. Deterministic: no
 * randomness beyond the profile itself.
 */
export function simulateDrive(
  model: VehicleModel,
  style: DrivingStyle,
  profile: SpeedProfile,
  env: DriveEnvironment,
): DriveTrace {
  const speeds = profile.speedsKmh;
  const n = speeds.length;
  const tempC = env.outsideTempC;
  const kind = model.powertrain;
  const aggressiveness = styleParameters(style).aggressiveness;
  const policy = shiftPolicy(model, style);
  const rho = airDensityKgM3(tempC);
  const rolling = rollingCoefficient(model, tempC);
  const drivetrain = transmissionOf(model) === 'manual' ? 0.93 : 0.91;
  const massFactors = [1.03];
  for (let g = 1; g <= model.gearRatios.length; g++)
    massFactors.push(rotatingMassFactor(overallRatio(model, g)));
  const startCoolant = env.engineStartTempC ?? tempC;
  const capacity = model.batteryKwh ?? 0;
  const tank = model.tankLitres ?? 0;
  const motorKw = motorPowerKw(model);
  const engine = engineSpec(model);
  const gearbox = gearboxSpec(model);
  // Local aliases: the loop below runs every second of every trip, and the TypeScript runners
  // (tsx, Vitest) compile each use of an imported binding to a getter call.
  const baseKw = BASE_ELECTRICAL_KW;
  const climateAt = climateKw;
  const roadLoadKw = wheelPowerKw;
  const batteryKw = electricBatteryKw;
  const fuelRateLph = engineFuelRateLph;
  const fullLoadKw: FullLoadCurve = (rpm) => availableEnginePowerKw(engine, rpm);
  const chooseGear = selectGear;
  const idleAt = idleRpm;

  const trace: DriveTrace = {
    modelId: model.id,
    powertrain: kind,
    outsideTempC: tempC,
    speedKmh: speeds,
    limitKmh: profile.limitsKmh,
    accelerationMs2: new Float32Array(n),
    gear: new Uint8Array(n),
    engineRpm: new Float32Array(n),
    engineMode: new Uint8Array(n),
    powerKw: new Float32Array(n),
    fuelRateLph: new Float32Array(n),
    fuelL: new Float64Array(n),
    energyKwh: new Float64Array(n),
    distanceKm: new Float64Array(n),
    odometerKm: new Float64Array(n),
    fuelLevelPct: tank > 0 ? new Float32Array(n) : null,
    batteryLevelPct: capacity > 0 ? new Float32Array(n) : null,
    engineEndTempC: null,
  };

  const startOdometer = env.startOdometerKm ?? 0;
  const startFuel = (tank * (env.startFuelLevelPct ?? 70)) / 100;
  let soc = (capacity * (env.startBatteryLevelPct ?? 80)) / 100;
  let fuel = 0;
  let energy = 0;
  let distanceM = 0;
  let gear = 0;
  let coldness = engineColdness(startCoolant, tempC, 0);
  const warmUp = warmUpDecayPerSecond(tempC);
  let engineOn = kind !== 'hybrid';
  let engineOnForS = 0;
  let sustaining = soc < capacity * HYBRID_SUSTAIN_LEAVE;
  let idle = idleRpm(engine, coldness);
  const request: GearRequest = {
    speedMs: 0,
    accelerationMs2: 0,
    demandKw: 0,
    idleRpm: idle,
    sinceShiftS: 10,
  };

  for (let i = 0; i < n; i++) {
    const v0 = (speeds[i] as number) / 3.6;
    const v1 = i + 1 < n ? (speeds[i + 1] as number) / 3.6 : v0;
    const a = v1 - v0;
    const meanSpeed = (v0 + v1) / 2;

    trace.accelerationMs2[i] = a;
    trace.distanceKm[i] = distanceM / 1000;
    trace.odometerKm[i] = startOdometer + distanceM / 1000;
    trace.fuelL[i] = fuel;
    trace.energyKwh[i] = energy;
    if (trace.fuelLevelPct) trace.fuelLevelPct[i] = (Math.max(0, startFuel - fuel) / tank) * 100;
    if (trace.batteryLevelPct) trace.batteryLevelPct[i] = (soc / capacity) * 100;

    const grade = env.gradeAt ? env.gradeAt(distanceM / 1000) : 0;
    const auxKw = baseKw + climateAt(kind, tempC, i);
    const wheelKw = roadLoadKw(model, meanSpeed, a, grade, rho, rolling, massFactors[gear] ?? 1.03);
    trace.powerKw[i] = wheelKw + auxKw;
    distanceM += meanSpeed;

    if (kind === 'electric') {
      gear = 1;
      trace.gear[i] = 1;
      trace.engineRpm[i] = (gearbox.rpmPerMs[1] as number) * v0;
      trace.engineMode[i] = ENGINE_ENGAGED;
      const battery = batteryKw(model, wheelKw, meanSpeed, soc / capacity, tempC) + auxKw;
      energy += battery / 3600;
      soc = Math.min(capacity, Math.max(0, soc - battery / 3600));
      continue;
    }

    // Engine demand before gear choice: positive traction through the gearbox plus auxiliaries.
    const auxMechKw = baseKw / ALTERNATOR_EFFICIENCY + (auxKw - baseKw);
    const tractionKw = wheelKw > 0 ? wheelKw / drivetrain : 0;

    let chargeKw = 0;
    if (kind === 'hybrid') {
      if (soc < capacity * HYBRID_SUSTAIN_ENTER) sustaining = true;
      else if (soc > capacity * HYBRID_SUSTAIN_LEAVE) sustaining = false;
      // −1 well below target … +1 well above it.
      const surplus = Math.max(-1, Math.min(1, (soc / capacity - HYBRID_TARGET) / 0.05));
      const stopped = v0 < 0.3 && a <= 0.05;
      const evCapKw = sustaining ? 8 + 10 * Math.max(0, surplus) : motorKw * 0.9;
      const evMaxSpeed = (sustaining ? 50 + 30 * Math.max(0, surplus) : 135) / 3.6;
      const canRunElectric =
        soc > capacity * HYBRID_FLOOR &&
        (wheelKw <= 0 || (tractionKw + auxKw <= evCapKw && v0 <= evMaxSpeed));
      let wantEngine = stopped ? soc <= capacity * HYBRID_FLOOR : !canRunElectric;
      if (engineOn && !wantEngine && !stopped && engineOnForS < HYBRID_MIN_ENGINE_ON_S) wantEngine = true;
      engineOn = wantEngine;
      engineOnForS = engineOn ? engineOnForS + 1 : 0;
      if (sustaining) chargeKw = Math.max(0, Math.min(6, 2 - 4 * surplus));
    }

    // Coldness applies to this running second and decays after it (see `coldness *= warmUp`).
    if (engineOn) idle = idleAt(engine, coldness);
    request.speedMs = v0;
    request.accelerationMs2 = a;
    request.demandKw = tractionKw + (engineOn ? auxMechKw : 0);
    request.idleRpm = idle;
    const nextGear = chooseGear(gearbox, policy, fullLoadKw, gear, request);
    request.sinceShiftS = nextGear === gear ? request.sinceShiftS + 1 : 0;
    gear = nextGear;
    trace.gear[i] = gear;

    if (!engineOn) {
      // Hybrid in electric mode: the motor drives through the gearbox, the engine is stopped.
      trace.engineMode[i] = ENGINE_OFF;
      const battery = batteryKw(model, wheelKw, meanSpeed, soc / capacity, tempC) + auxKw;
      energy += battery / 3600;
      soc = Math.min(capacity, Math.max(0, soc - battery / 3600));
      continue;
    }

    let rpm: number;
    let mode: number;
    if (gear === 0) {
      rpm = idle;
      mode = ENGINE_IDLE;
    } else {
      const locked = (gearbox.rpmPerMs[gear] as number) * v0;
      // Launch in first: the driver (or the converter) holds the engine above idle while the clutch
      // slips, higher for aggressive launches; gear selection keeps higher gears above idle.
      const launchRpm = a > 0.05 ? idle + (250 + 950 * aggressiveness) * Math.min(1, a / 2) : idle;
      if ((gear === 1 && locked < launchRpm) || locked < idle) {
        rpm = Math.max(launchRpm, idle);
        mode = ENGINE_SLIP;
      } else {
        rpm = locked;
        mode = ENGINE_ENGAGED;
      }
    }
    rpm = Math.min(rpm, model.redlineRpm);
    trace.engineRpm[i] = rpm;
    trace.engineMode[i] = mode;

    let regenKw = 0;
    if (kind === 'hybrid') {
      if (wheelKw < 0) {
        regenKw = batteryKw(model, wheelKw, meanSpeed, soc / capacity, tempC);
        chargeKw = 0;
      } else if (mode === ENGINE_IDLE) {
        // Idling (declutched, or stopped with the battery at its floor): charge the battery.
        chargeKw = Math.max(chargeKw, 4);
      }
    }
    const engineKw = tractionKw + auxMechKw + chargeKw / 0.9;
    // Overrun in gear: the ECU cuts injection (engine braking costs no fuel).
    const fuelCut = mode === ENGINE_ENGAGED && wheelKw * drivetrain + auxMechKw < 0 && rpm > idle * 1.2;
    const slipFactor = mode === ENGINE_SLIP ? 1.15 : 1;
    const rate = fuelCut ? 0 : fuelRateLph(engine, rpm, engineKw * slipFactor, coldness);
    trace.fuelRateLph[i] = rate;
    fuel += rate / 3600;
    coldness *= warmUp;

    if (kind === 'hybrid') {
      // The motor covers what the engine cannot deliver (boost), from the battery.
      const boostKw = Math.max(0, engineKw - fullLoadKw(rpm));
      const battery = regenKw - chargeKw + boostKw / 0.9;
      energy += battery / 3600;
      soc = Math.min(capacity, Math.max(0, soc - battery / 3600));
    }
  }
  if (kind !== 'electric') trace.engineEndTempC = coolantTempC(coldness);
  return trace;
}
