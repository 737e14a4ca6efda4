import { displacementL, enginePowerKw, type VehicleModel } from './vehicle-models';

/** Lower heating values per litre. */
export const PETROL_KWH_PER_L = 8.9;
export const DIESEL_KWH_PER_L = 9.9;

/**
 * Willans-line engine: fuel power = (friction and pumping losses + brake power) / marginal
 * efficiency. It gives the BSFC shape that matters on a chart: poor at light load (losses dominate),
 * best at mid-to-high load, a little worse at full load (enrichment), and monotone in both power
 * and engine speed.
 */
const MARGINAL_EFFICIENCY = { petrol: 0.41, diesel: 0.43 } as const;

/** Per-model engine constants, computed once per trip (the fuel model runs every second). */
export type EngineSpec = {
  diesel: boolean;
  powerKw: number;
  /** Engine speed of maximum power. */
  ratedRpm: number;
  displacementL: number;
  idleRpm: number;
  efficiency: number;
  kwhPerLitre: number;
};

export function engineSpec(model: VehicleModel): EngineSpec {
  const diesel = model.powertrain === 'diesel';
  return {
    diesel,
    powerKw: enginePowerKw(model),
    ratedRpm: model.redlineRpm * (diesel ? 0.8 : 0.9),
    displacementL: displacementL(model),
    idleRpm: model.idleRpm,
    efficiency: diesel ? MARGINAL_EFFICIENCY.diesel : MARGINAL_EFFICIENCY.petrol,
    kwhPerLitre: fuelKwhPerLitre(model),
  };
}

/** Energy per litre of this model's fuel (plug-in hybrids burn petrol). */
export function fuelKwhPerLitre(model: VehicleModel): number {
  return model.powertrain === 'diesel' ? DIESEL_KWH_PER_L : PETROL_KWH_PER_L;
}

/** Full-load power (kW) at an engine speed: a turbocharged curve with a strong low end. */
export function availableEnginePowerKw(engine: EngineSpec, rpm: number): number {
  const x = Math.min(1, Math.max(0.05, rpm / engine.ratedRpm));
  return engine.powerKw * x * (2 - x);
}

/**
 * Friction and pumping losses (kW) at an engine speed and load, per litre of displacement. Friction
 * grows with speed; petrol engines also pay throttling losses that fall as the throttle opens
 * (diesels are unthrottled). Calibrated on a warm 1.2 L petrol: ≈0.6 L/h at idle, ≈6.5 L/100 km at
 * a steady 130 km/h.
 */
function lossKw(engine: EngineSpec, rpm: number, load: number): number {
  const krpm = rpm / 1000;
  const friction = engine.diesel
    ? 1.05 + 0.12 * krpm + 0.05 * krpm * krpm
    : 0.9 + 0.1 * krpm + 0.04 * krpm * krpm;
  const pumping = (engine.diesel ? 0.1 : 0.7) * (1 - load);
  return engine.displacementL * krpm * (friction + pumping);
}

/**
 * Fuel flow (L/h) for an engine turning at `rpm` and delivering `brakeKw` (clamped to the full-load
 * curve). `coldness` (0 warm … 1 stone cold) adds cold friction and warm-up enrichment.
 */
export function engineFuelRateLph(
  engine: EngineSpec,
  rpm: number,
  brakeKw: number,
  coldness: number,
): number {
  const available = availableEnginePowerKw(engine, rpm);
  const brake = Math.min(Math.max(brakeKw, 0), available);
  const load = brake / available;
  const enrichment = engine.diesel ? 1 : 1 + 0.25 * Math.max(0, (load - 0.85) / 0.15);
  const fuelKw =
    ((lossKw(engine, rpm, load) * (1 + 0.6 * coldness) + brake) / engine.efficiency) *
    enrichment *
    (1 + 0.15 * coldness);
  return fuelKw / engine.kwhPerLitre;
}

/** Warm-up time constant: slower when it is cold outside (heat lost through the radiator and block). */
function warmUpTimeConstantS(outsideTempC: number): number {
  return 240 + 8 * Math.max(0, 20 - outsideTempC);
}

/**
 * Coldness of the engine (0 warm … 1 stone cold) `runningS` seconds after a start from
 * `startTempC` coolant temperature.
 */
export function engineColdness(startTempC: number, outsideTempC: number, runningS: number): number {
  const initial = Math.min(1, Math.max(0, (90 - startTempC) / 100));
  return initial * Math.exp(-runningS / warmUpTimeConstantS(outsideTempC));
}

/** Factor by which coldness shrinks per running second (so a 1 Hz loop needs no exp per step). */
export function warmUpDecayPerSecond(outsideTempC: number): number {
  return Math.exp(-1 / warmUpTimeConstantS(outsideTempC));
}

/** Coolant temperature (°C) implied by a coldness, the inverse of engineColdness's scale. */
export function coolantTempC(coldness: number): number {
  return 90 - 100 * coldness;
}

/** Idle speed; the ECU raises it while the engine is cold. */
export function idleRpm(engine: EngineSpec, coldness: number): number {
  return engine.idleRpm + 350 * coldness;
}

/** Coolant temperature (°C) after the engine stood `parkedMinutes` from warm: it cools towards the outside air. */
export function coolantAfterParkC(outsideTempC: number, parkedMinutes: number, warmTempC = 90): number {
  return outsideTempC + (warmTempC - outsideTempC) * Math.exp(-Math.max(0, parkedMinutes) / 120);
}
