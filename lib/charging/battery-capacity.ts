import 'server-only';

// Usable battery capacity per model, kWh, for turning battery-level changes into energy and power.
// Published usable capacities of the Stellantis e-CMP and plug-in models the supported providers
// sell (the same figures the simulator models in lib/simulator/physics/vehicle-models.ts). A car
// not listed here has no known capacity: its charges show % per hour instead of kW.

type CapacityKey = `${'electric' | 'hybrid'}:${string}`;

const USABLE_KWH: Record<CapacityKey, number> = {
  'electric:e-208': 46.3,
  'electric:e-2008': 46.3,
  'electric:ë-c4': 46.3,
  'electric:e-c4': 46.3,
  'electric:corsa-e': 46.3,
  'electric:ds 3': 50.8,
  'hybrid:3008': 11.5,
  'hybrid:c5 aircross': 11.5,
  'hybrid:ds 7': 11.5,
  'hybrid:grandland': 11.5,
};

/** The model's usable capacity in kWh, or null when not known. */
export function usableCapacityKwh(vehicle: { model: string; powertrain: string }): number | null {
  if (vehicle.powertrain !== 'electric' && vehicle.powertrain !== 'hybrid') return null;
  const key = `${vehicle.powertrain}:${vehicle.model.trim().toLowerCase()}` as CapacityKey;
  return USABLE_KWH[key] ?? null;
}

/** Only electric and plug-in hybrid cars charge. */
export function canCharge(powertrain: string): boolean {
  return powertrain === 'electric' || powertrain === 'hybrid';
}
