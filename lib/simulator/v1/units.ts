// `unit=1` answers in imperial units (UK: miles, imperial gallons, miles per gallon); the API
// itself stores metric. One decimal, as the v1 examples show.

const KM_PER_MILE = 1.609344;
const LITRES_PER_GALLON = 4.54609;

const round1 = (value: number) => Math.round(value * 10) / 10;

export const fromKm = (km: number, imperial: boolean) => round1(imperial ? km / KM_PER_MILE : km);

export const fromLitres = (litres: number, imperial: boolean) =>
  round1(imperial ? litres / LITRES_PER_GALLON : litres);

/** L/100 km, or miles per (imperial) gallon; 0 stays 0 (nothing burnt, or not driving). */
export function fromLPer100km(value: number, imperial: boolean): number {
  if (!imperial || value <= 0) return round1(value);
  return round1((100 / KM_PER_MILE) * (LITRES_PER_GALLON / value));
}
