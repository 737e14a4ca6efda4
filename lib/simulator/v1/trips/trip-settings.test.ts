import { describe, expect, it } from 'vitest';
import { createSimContext } from '../../context';
import type { SimVehicle } from '../../world/world';
import {
  MAX_TRIP_PRICES,
  setReferencePrice,
  setReferenceTrip,
  setTripPrice,
  tripSettingsOf,
} from './trip-settings';

// Owners' trip settings live per simulator context and per car, and a car's trip prices are bounded.

const contextOf = () => createSimContext({ seed: 'v1-trip-settings', peers: 0 });

describe('v1 trip settings', () => {
  it('start empty and stay with their context and car', () => {
    const one = contextOf();
    const two = contextOf();
    const [petrol, electric] = one.world.ownerAt(0).vehicles as [SimVehicle, SimVehicle];
    expect(tripSettingsOf(one, petrol)).toEqual({
      referenceTripId: null,
      referencePrice: null,
      tripPrices: new Map(),
    });
    setReferenceTrip(one, petrol, `${petrol.id}-20500-1`);
    setReferencePrice(one, petrol, 1.9);
    setTripPrice(one, petrol, `${petrol.id}-20500-0`, 2.1);
    expect(tripSettingsOf(one, petrol)).toEqual({
      referenceTripId: `${petrol.id}-20500-1`,
      referencePrice: 1.9,
      tripPrices: new Map([[`${petrol.id}-20500-0`, 2.1]]),
    });
    expect(tripSettingsOf(one, electric).referencePrice).toBeNull();
    expect(tripSettingsOf(two, petrol).referencePrice).toBeNull();
    expect(tripSettingsOf(two, petrol).referenceTripId).toBeNull();
  });

  it('forget the least recently set trip price past the bound', () => {
    const ctx = contextOf();
    const [car] = ctx.world.ownerAt(0).vehicles as [SimVehicle];
    for (let i = 0; i < MAX_TRIP_PRICES; i++) setTripPrice(ctx, car, `trip-${i}`, 1 + i / 10_000);
    // Setting the first again makes it the most recent: the second is the one to go.
    setTripPrice(ctx, car, 'trip-0', 3);
    setTripPrice(ctx, car, 'trip-new', 2);
    const prices = tripSettingsOf(ctx, car).tripPrices;
    expect(prices.size).toBe(MAX_TRIP_PRICES);
    expect(prices.get('trip-0')).toBe(3);
    expect(prices.has('trip-1')).toBe(false);
    expect(prices.get('trip-new')).toBe(2);
  });
});
