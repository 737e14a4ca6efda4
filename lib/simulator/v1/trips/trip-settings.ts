import { setNewest } from '../../../bounded-map';
import type { SimContext } from '../../context';
import type { SimVehicle } from '../../world/world';

// What owners set through v1's trip operations (vehicle-apis.md §8): the reference trip they
// compare later trips against, the reference fuel price, and a price for single trips. It lives
// in memory per simulator context, as the rate limiters do (v4/rate-limiter.ts): a restart or a
// new context forgets it, and two contexts never see each other's settings. Trips are keyed by
// their timeline id (v4's), which the v1 id converts to and from.

/** One car's settings. */
export type TripSettings = {
  /** Timeline id of the pinned trip, or null. */
  referenceTripId: string | null;
  /** The owner's price, or null for the default of the car's energy. */
  referencePrice: number | null;
  /** Prices set for single trips, by timeline id, oldest first. */
  tripPrices: ReadonlyMap<string, number>;
};

/**
 * Trip prices kept per car. [infer] A month of history holds 60–150 trips; past this bound the
 * oldest setting is forgotten, so a script pricing ids in a loop cannot grow memory without end.
 */
export const MAX_TRIP_PRICES = 1000;

type MutableSettings = {
  referenceTripId: string | null;
  referencePrice: number | null;
  tripPrices: Map<string, number>;
};

const EMPTY: TripSettings = { referenceTripId: null, referencePrice: null, tripPrices: new Map() };

const perContext = new WeakMap<SimContext, Map<string, MutableSettings>>();

function mutableSettings(ctx: SimContext, vehicle: SimVehicle): MutableSettings {
  let cars = perContext.get(ctx);
  if (!cars) {
    cars = new Map();
    perContext.set(ctx, cars);
  }
  let settings = cars.get(vehicle.id);
  if (!settings) {
    settings = { referenceTripId: null, referencePrice: null, tripPrices: new Map() };
    cars.set(vehicle.id, settings);
  }
  return settings;
}

/** The car's settings in this context; nothing set yet reads as the defaults. */
export function tripSettingsOf(ctx: SimContext, vehicle: SimVehicle): TripSettings {
  return perContext.get(ctx)?.get(vehicle.id) ?? EMPTY;
}

export function setReferenceTrip(ctx: SimContext, vehicle: SimVehicle, tripId: string): void {
  mutableSettings(ctx, vehicle).referenceTripId = tripId;
}

export function setReferencePrice(ctx: SimContext, vehicle: SimVehicle, price: number): void {
  mutableSettings(ctx, vehicle).referencePrice = price;
}

export function setTripPrice(ctx: SimContext, vehicle: SimVehicle, tripId: string, price: number): void {
  const prices = mutableSettings(ctx, vehicle).tripPrices;
  // Re-inserted last, so the bound forgets the settings least recently made.
  setNewest(prices, tripId, price, MAX_TRIP_PRICES);
}
