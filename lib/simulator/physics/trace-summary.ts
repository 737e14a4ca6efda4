import { type DriveTrace, ENGINE_ENGAGED, ENGINE_IDLE, ENGINE_SLIP } from './powertrain';
import type { ConsumptionUnit, VehicleModel } from './vehicle-models';

/**
 * Physics-side event thresholds (m/s², from 1 Hz speed differences). 3.0 m/s² ≈ 7 mph/s, the
 * Progressive / Mediroutes harsh level; −3.5 m/s² is Digital Matter's "testing" braking threshold
 * (docs/product-anchors.md c.2). Scoring proper lives in lib/scoring; these count for sanity.
 */
export const HARSH_ACCELERATION_MS2 = 3.0;
export const HARSH_BRAKING_MS2 = -3.5;
/** Upper edge of the efficient engine-speed band (Drust eco advice: < 3 000 petrol, < 2 500 diesel). */
export const EFFICIENT_RPM_PETROL = 3000;
export const EFFICIENT_RPM_DIESEL = 2500;
/** Fleet idling rule: engine-on stops longer than 2 minutes (GPS-platform). */
export const LONG_IDLE_S = 120;
/** Speeding tolerance over the posted limit. */
export const SPEEDING_MARGIN_KMH = 5;

export type DriveSummary = {
  distanceKm: number;
  durationS: number;
  movingS: number;
  /** Engine-on seconds at standstill (0 for electric cars, whose motor does not idle). */
  idleS: number;
  /** Idle seconds that belong to stops longer than LONG_IDLE_S. */
  longIdleS: number;
  /** Mean speed while moving. */
  avgSpeedKmh: number;
  maxSpeedKmh: number;
  fuelL: number;
  /** Net traction-battery energy (kWh). */
  energyKwh: number;
  /** In the model's own unit; for plug-in hybrids the fuel figure (see electricKwhPer100km too). */
  consumption: { value: number; unit: ConsumptionUnit };
  fuelLPer100km: number | null;
  electricKwhPer100km: number | null;
  /** Distinct events: consecutive seconds beyond the threshold count once. */
  harshAccelerations: number;
  harshBrakings: number;
  maxAccelerationMs2: number;
  minAccelerationMs2: number;
  /** Share of engine-running moving time above the efficient rpm band; null for electric cars. */
  highRpmShare: number | null;
  /** Share of moving time above the limit + SPEEDING_MARGIN_KMH. */
  speedingShare: number;
};

export function summarizeTrace(trace: DriveTrace, model: VehicleModel): DriveSummary {
  const n = trace.speedKmh.length;
  const last = n - 1;
  const distanceKm = n > 0 ? (trace.distanceKm[last] as number) : 0;
  const fuelL = n > 0 ? (trace.fuelL[last] as number) : 0;
  const energyKwh = n > 0 ? (trace.energyKwh[last] as number) : 0;
  const rpmBand = model.powertrain === 'diesel' ? EFFICIENT_RPM_DIESEL : EFFICIENT_RPM_PETROL;

  let movingS = 0;
  let idleS = 0;
  let longIdleS = 0;
  let idleRun = 0;
  let maxSpeed = 0;
  let maxAccel = 0;
  let minAccel = 0;
  let harshAccelerations = 0;
  let harshBrakings = 0;
  let inAccelEvent = false;
  let inBrakeEvent = false;
  let engineMovingS = 0;
  let highRpmS = 0;
  let speedingS = 0;
  const closeIdleRun = () => {
    if (idleRun > LONG_IDLE_S) longIdleS += idleRun;
    idleRun = 0;
  };

  for (let i = 0; i < n; i++) {
    const speed = trace.speedKmh[i] as number;
    const accel = trace.accelerationMs2[i] as number;
    const mode = trace.engineMode[i] as number;
    if (speed > maxSpeed) maxSpeed = speed;
    if (accel > maxAccel) maxAccel = accel;
    if (accel < minAccel) minAccel = accel;

    const harshAccel = accel > HARSH_ACCELERATION_MS2;
    if (harshAccel && !inAccelEvent) harshAccelerations++;
    inAccelEvent = harshAccel;
    const harshBrake = accel < HARSH_BRAKING_MS2;
    if (harshBrake && !inBrakeEvent) harshBrakings++;
    inBrakeEvent = harshBrake;

    if (speed > 0.5) {
      movingS++;
      if ((trace.limitKmh[i] as number) > 0 && speed > (trace.limitKmh[i] as number) + SPEEDING_MARGIN_KMH)
        speedingS++;
      if (model.powertrain !== 'electric' && (mode === ENGINE_ENGAGED || mode === ENGINE_SLIP)) {
        engineMovingS++;
        if ((trace.engineRpm[i] as number) > rpmBand) highRpmS++;
      }
    }
    if (speed <= 0.5 && mode === ENGINE_IDLE) {
      idleS++;
      idleRun++;
    } else {
      closeIdleRun();
    }
  }
  closeIdleRun();

  const per100 = (amount: number) => (distanceKm > 0 ? (amount / distanceKm) * 100 : 0);
  const fuelLPer100km = model.powertrain === 'electric' ? null : per100(fuelL);
  const electricKwhPer100km =
    model.powertrain === 'electric' || model.powertrain === 'hybrid' ? per100(energyKwh) : null;
  const consumption =
    model.ratedConsumption.unit === 'kWh/100km'
      ? { value: electricKwhPer100km ?? 0, unit: 'kWh/100km' as const }
      : { value: fuelLPer100km ?? 0, unit: 'L/100km' as const };

  return {
    distanceKm,
    durationS: n,
    movingS,
    idleS,
    longIdleS,
    avgSpeedKmh: movingS > 0 ? (distanceKm / movingS) * 3600 : 0,
    maxSpeedKmh: maxSpeed,
    fuelL,
    energyKwh,
    consumption,
    fuelLPer100km,
    electricKwhPer100km,
    harshAccelerations,
    harshBrakings,
    maxAccelerationMs2: maxAccel,
    minAccelerationMs2: minAccel,
    highRpmShare: model.powertrain === 'electric' ? null : engineMovingS > 0 ? highRpmS / engineMovingS : 0,
    speedingShare: movingS > 0 ? speedingS / movingS : 0,
  };
}
