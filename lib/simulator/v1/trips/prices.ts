import type { VehicleModel } from '../../physics/vehicle-models';
import { V1Error } from '../gateway';
import { required } from '../params';

// What a v1 trip costs and emits. The spec gives `fuelPrice`, `tripCost` and `CO2Emission` as bare
// numbers and the price operations (`PUT …/fuelprice…?price=`) a bare string: no currency, no
// unit, no default (vehicle-apis.md §7–8). Choices here are marked [infer].

/** What a car's trips are priced by: the fuel it burns, or for electric cars the energy it charges. */
export type PricedEnergy = 'petrol' | 'diesel' | 'electricity';

/** PSA's plug-in hybrids have petrol engines; their charging is left out of the trip's cost. [infer] */
export const pricedEnergyOf = (model: VehicleModel): PricedEnergy =>
  model.powertrain === 'electric' ? 'electricity' : model.powertrain === 'diesel' ? 'diesel' : 'petrol';

/**
 * The price a car starts with before its owner sets one: euros per litre (per kWh for electric
 * cars). [infer] Round figures near French pump prices of 2025 (SP95-E10 ≈ 1.80 €/L, diesel
 * ≈ 1.70 €/L) and the regulated home tariff (≈ 0.25 €/kWh).
 */
export const DEFAULT_PRICES: Readonly<Record<PricedEnergy, number>> = {
  petrol: 1.8,
  diesel: 1.7,
  electricity: 0.25,
};

/**
 * Tailpipe CO2 per litre burnt: 2.31 kg petrol, 2.64 kg diesel — the usual combustion figures
 * (carbon content × 44/12). [infer] Electric cars emit none at the tailpipe.
 */
export const CO2_KG_PER_LITRE: Readonly<Record<Exclude<PricedEnergy, 'electricity'>, number>> = {
  petrol: 2.31,
  diesel: 2.64,
};

/**
 * The highest price taken. [infer] Far above any European pump or tariff price in euros, pounds
 * or Swiss francs (a Scandinavian price in crowns, ≈ 20, still fits); a typo like `1850` for
 * 1.850 is refused rather than pricing every trip a thousand times over.
 */
export const MAX_PRICE = 100;

/** `price`: a positive decimal with a dot, at most 4 decimals, up to MAX_PRICE. */
export function readPrice(url: URL): number {
  const text = required(url, 'price');
  const value = /^\d{1,3}(?:\.\d{1,4})?$/.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0 && value <= MAX_PRICE)) {
    throw new V1Error(400, `Query parameter price must be a positive number up to ${MAX_PRICE}, like 1.859.`);
  }
  return value;
}
