import type { Powertrain } from './vehicle-models';

/** ECUs, pumps, lights, infotainment: always on while the car is on. */
export const BASE_ELECTRICAL_KW = 0.4;

/**
 * Power for the cabin climate (kW) at a moment of the trip. Combustion cars heat the cabin with
 * engine coolant (only a fan costs energy) but drive an A/C compressor; electric cars pay for both
 * from the battery, and heating dominates winter consumption. The first minutes cost more: the
 * cabin itself must be warmed up. Plug-in hybrids are treated like combustion cars (heat from the
 * engine, which runs in the cold), with an electric compressor.
 */
export function climateKw(powertrain: Powertrain, tempC: number, secondsSinceStart: number): number {
  const ac = Math.min(2, Math.max(0, 0.12 * (tempC - 20)));
  const warmup = Math.exp(-secondsSinceStart / 600);
  if (powertrain === 'electric') {
    const heating = Math.min(5.5, Math.max(0, 0.12 * (18 - tempC)) * (1 + 0.6 * warmup));
    return heating + ac;
  }
  const fan = tempC < 10 ? 0.15 : 0;
  return fan + ac;
}
