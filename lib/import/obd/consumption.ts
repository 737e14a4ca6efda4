import 'server-only';
import type { Powertrain } from '@/lib/telemetry/model';

// Instantaneous consumption (L/100 km) when the log does not carry it: from the fuel rate the ECU
// reports, or — for a known fuel — from the mass air flow, assuming the engine burns at the
// stoichiometric air-fuel ratio.
//
// Constants:
// - Stoichiometric air-fuel ratio (mass): 14.7 petrol, 14.5 diesel — the stoichiometric air
//   requirement per kg of fuel in the Bosch Automotive Handbook's fuels tables, and the figures
//   OBD tools (Torque's own MAF-based consumption among them) use.
// - Density at 15 °C: petrol 0.745 kg/L (EN 228 allows 720–775 kg/m³), diesel 0.832 kg/L (EN 590
//   allows 820–845 kg/m³, 832 is the EU reference fuel's typical value).
// A diesel runs lean (λ well above 1 at part load), so for diesel the MAF method overstates
// consumption; the report says which method was used so the owner can judge.

export type FuelConstants = { airFuelRatio: number; densityKgPerL: number };

export const FUEL_CONSTANTS = {
  petrol: { airFuelRatio: 14.7, densityKgPerL: 0.745 },
  diesel: { airFuelRatio: 14.5, densityKgPerL: 0.832 },
} as const satisfies Record<string, FuelConstants>;

/**
 * Below this speed the ratio fuel-per-distance is dominated by the speed sensor's resolution
 * (OBD PID 0x0D reports whole km/h, SAE J1979: ±0.5 km/h is ±10 % at 5 km/h) and by idling,
 * which L/100 km cannot express; the model defines consumption "while moving".
 */
export const MIN_SPEED_KMH = 5;

export type ConsumptionMethod = 'column' | 'fuel_rate' | 'maf' | 'none';

/** The fuel the MAF method assumes: a hybrid's combustion engine burns petrol; electric burns none. */
export function fuelConstantsFor(fuel: Powertrain | undefined): FuelConstants | undefined {
  if (fuel === 'petrol' || fuel === 'hybrid') return FUEL_CONSTANTS.petrol;
  if (fuel === 'diesel') return FUEL_CONSTANTS.diesel;
  return undefined;
}

/** Fuel burnt (L/h) for a mass air flow (g/s) at the stoichiometric ratio. */
export function fuelRateFromMaf(mafGps: number, fuel: FuelConstants): number {
  const fuelGramsPerSecond = mafGps / fuel.airFuelRatio;
  return (fuelGramsPerSecond * 3600) / (fuel.densityKgPerL * 1000);
}

/** L/100 km from a fuel rate (L/h) at a speed (km/h); undefined below MIN_SPEED_KMH. */
export function consumptionFromRate(fuelRateLph: number, speedKmh: number): number | undefined {
  if (!(speedKmh >= MIN_SPEED_KMH)) return undefined;
  return (fuelRateLph / speedKmh) * 100;
}

/** Which method a file's columns allow, and why none when none does. */
export function planConsumption(
  has: { consumption: boolean; fuelRate: boolean; maf: boolean; speed: boolean },
  fuel: Powertrain | undefined,
): { method: ConsumptionMethod; reason?: string } {
  if (has.consumption) return { method: 'column' };
  if (!has.speed && (has.fuelRate || has.maf)) {
    return { method: 'none', reason: 'the file has no speed column, and consumption per distance needs one' };
  }
  if (has.fuelRate) return { method: 'fuel_rate' };
  if (has.maf) {
    if (fuelConstantsFor(fuel)) return { method: 'maf' };
    return {
      method: 'none',
      reason:
        fuel === 'electric'
          ? 'an electric car burns no fuel: mass air flow says nothing about its consumption'
          : 'the file has mass air flow but the fuel type is unknown: pass --fuel petrol or --fuel diesel',
    };
  }
  return { method: 'none', reason: 'the file has no consumption, fuel rate or mass air flow column' };
}
