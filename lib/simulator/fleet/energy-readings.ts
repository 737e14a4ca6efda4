import type { VehicleModel } from '../physics/vehicle-models';

// What a car's dashboard derives from its levels and flows, the same for every API that reports
// it (v4 status, trips and telemetry; v1 maintenance): ranges, instantaneous consumption, and the
// fuel used since new. One place, so the APIs tell the same story about the same car.

/** Real-world fuel use over the rated figure: what the timeline's fuel model burns at. */
const REAL_WORLD_FUEL_FACTOR = 1.15;
/**
 * Plug-in hybrids carry a fuel rating only (the charge-sustaining figure, see VehicleModel), so their
 * electric range uses a typical figure: 11.5 kWh usable give the 55–60 km WLTP electric range of the
 * 3008 Hybrid4 / C5 Aircross Hybrid at about 20 kWh/100 km.
 */
const PHEV_ELECTRIC_KWH_PER_100KM = 20;
/** Instantaneous consumption is capped here, as trip computers show it when crawling. */
const MAX_INSTANT_L_PER_100KM = 30;

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Range left in the tank: litres ÷ rated L/100 km. */
export function fuelAutonomyKm(model: VehicleModel, levelPct: number): number {
  if (!model.tankLitres || model.ratedConsumption.unit !== 'L/100km') return 0;
  const litres = (Math.max(0, levelPct) / 100) * model.tankLitres;
  return Math.floor((litres / model.ratedConsumption.value) * 100);
}

/** The car's electric consumption for range and charging rates (kWh/100 km). */
export const electricKwhPer100km = (model: VehicleModel) =>
  model.ratedConsumption.unit === 'kWh/100km' ? model.ratedConsumption.value : PHEV_ELECTRIC_KWH_PER_100KM;

/** Electric range left: kWh ÷ rated kWh/100 km (a typical figure for plug-in hybrids). */
export function electricAutonomyKm(model: VehicleModel, levelPct: number): number {
  if (!model.batteryKwh) return 0;
  const kwh = (Math.max(0, levelPct) / 100) * model.batteryKwh;
  return Math.floor((kwh / electricKwhPer100km(model)) * 100);
}

/** Instantaneous fuel consumption (L/100 km) from the fuel flow and the speed, capped when crawling. */
export function instantFuelLPer100km(fuelRateLph: number, speedKmh: number): number {
  if (fuelRateLph <= 0) return 0;
  if (speedKmh < 1) return MAX_INSTANT_L_PER_100KM;
  return round1(Math.min(MAX_INSTANT_L_PER_100KM, (fuelRateLph / speedKmh) * 100));
}

/** Litres burnt since new at the real-world rate (no history is simulated, the odometer is). */
export const lifetimeFuelLitres = (model: VehicleModel, odometerKm: number) =>
  (odometerKm * model.ratedConsumption.value * REAL_WORLD_FUEL_FACTOR) / 100;
