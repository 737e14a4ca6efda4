import { createRng, deriveSeed } from '../physics/random';
import type { SimVehicle } from '../world/world';

// In-car privacy modes (v4 `privacy.state`, vehicle-apis.md §3.6): `Geolocation` hides positions,
// `Full` hides positions and driving data. Owners switch them rarely, so a car keeps one mode for a
// whole 4-week period: most cars never hide anything, a few do for a while. The demo owner's cars
// never do, so the demo always has a map.

export type PrivacyState = 'None' | 'Geolocation' | 'Full';

const PERIOD_MS = 28 * 86_400_000;
/** Chance that a peer car has a privacy mode on during a given period. */
const GEOLOCATION_RATE = 0.08;
const FULL_RATE = 0.03;

export type PrivacyPeriod = { state: PrivacyState; fromMs: number; toMs: number };

/** The privacy mode in force at `ms`, with the bounds of the period it holds for. */
export function privacyPeriodAt(seed: string, vehicle: SimVehicle, ms: number): PrivacyPeriod {
  const period = Math.floor(ms / PERIOD_MS);
  const fromMs = period * PERIOD_MS;
  const toMs = fromMs + PERIOD_MS;
  if (vehicle.ownerIndex === 0) return { state: 'None', fromMs, toMs };
  const draw = createRng(deriveSeed(seed, vehicle.id, 'privacy', period)).next();
  const state: PrivacyState =
    draw < FULL_RATE ? 'Full' : draw < FULL_RATE + GEOLOCATION_RATE ? 'Geolocation' : 'None';
  return { state, fromMs, toMs };
}

export function privacyStateAt(seed: string, vehicle: SimVehicle, ms: number): PrivacyState {
  return privacyPeriodAt(seed, vehicle, ms).state;
}

/** Whether positions may be shown at `ms`. */
export const positionsHiddenAt = (seed: string, vehicle: SimVehicle, ms: number) =>
  privacyStateAt(seed, vehicle, ms) !== 'None';
