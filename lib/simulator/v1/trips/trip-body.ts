import type { SimContext } from '../../context';
import { rfc3339 } from '../../v4/hal';
import { round1 } from '../../v4/trip-resources';
import type { SimVehicle } from '../../world/world';
import { v1TripId } from '../trip-ids';
import { fromKm, fromLitres, fromLPer100km } from '../units';
import { CO2_KG_PER_LITRE, DEFAULT_PRICES, pricedEnergyOf } from './prices';
import { type TripSettings, tripSettingsOf } from './trip-settings';
import type { V1TripSummary } from './trip-summary';

// The v1 trip object (spec: the items of fetchLastTripsByVehicle and its siblings, and
// fetchTripByVehicleAndTrip; vehicle-apis.md §7). The spec names every field and types it, and
// states no unit; the units below are this simulator's choices [infer]:
// - tripDuration: whole seconds (v4's `duration`);
// - tripMileage, totMileage (odometer at the trip's end): km, or miles with unit=1;
// - avgSpeed: km/h or mph, distance over ignition-on time as v4's `kinetic.avgSpeed`;
// - avgFuelConsumption: L/100 km, or UK mpg; tripFuelConsumption: litres, or imperial gallons;
// - deltaFuelLevel: tank % used during the trip (start − end); fuelTankLevel: tank % at the end;
// - engineSpeed: mean rpm over the seconds the engine (an electric car's motor) turns;
// - engineOilTemp: °C at the key-off upload, as v4's status then says (°C with unit=1 too, as UK
//   dashboards show);
// - CO2Emission: whole g/km from the fuel burnt (2.31 kg/L petrol, 2.64 kg/L diesel), in g/km
//   with unit=1 too (the UK rates cars in g/km); 0 at an electric car's tailpipe;
// - fuelPrice: the price per litre (per kWh for electric cars) the owner set, else the default
//   (prices.ts), never converted: the price operations take no unit; tripCost: fuel used × price
//   (traction energy × price for electric cars), two decimals;
// - refueling 1 when the tank was filled since the previous trip (refuelingCost: litres added ×
//   the trip's price); siphoning 1 when fuel vanished while parked: the simulated fleet has no
//   fuel theft, so always 0 (the timeline's overnight re-anchoring of levels is model noise);
// - modePrivacy: 0 none, 1 geolocation, 2 full (v4's in-car privacy state of the trip);
// - geoLocalisation: where the trip ended, latitude and longitude as decimal strings (the spec
//   types them string), left out when positions were hidden;
// - dateTripBegin, dateUpdate: RFC 3339 UTC; dateUpdate is when the car reported the finished trip
//   (its end), as v4's `updatedAt`.
// Electric cars have no tank or engine oil: fuelTankLevel and engineOilTemp are left out, and the
// fuel amounts (consumption, delta, litres, refuelling) are 0. Under full privacy the car sends no
// driving data (v4 keeps only distance, duration and mileage): the fields made from it are left out.

export type V1Trip = {
  tripId: number;
  dateTripBegin: string;
  tripDuration: number;
  dateUpdate: string;
  avgFuelConsumption?: number;
  deltaFuelLevel?: number;
  tripMileage: number;
  totMileage: number;
  avgSpeed?: number;
  engineSpeed?: number;
  engineOilTemp?: number;
  fuelPrice: number;
  tripCost?: number;
  referenceTrip: number;
  CO2Emission?: number;
  ecoDriving?: number;
  refueling?: number;
  modePrivacy: number;
  refuelingCost?: number;
  siphoning?: number;
  siphoningCost?: number;
  fuelTankLevel?: number;
  tripFuelConsumption?: number;
  geoLocalisation?: { latitude: string; longitude: string };
  vin: string;
  contract: string;
};

const PRIVACY_CODES = { None: 0, Geolocation: 1, Full: 2 } as const;

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The price a trip is costed at: its own, else the car's reference, else the default. */
export function tripPriceOf(settings: TripSettings, tripId: string, defaultPrice: number): number {
  return settings.tripPrices.get(tripId) ?? settings.referencePrice ?? defaultPrice;
}

/** The car's reference price: the owner's, else the default of its energy. */
export function referencePriceOf(ctx: SimContext, vehicle: SimVehicle): number {
  const model = ctx.fleet.timelineOf(vehicle).model;
  return tripSettingsOf(ctx, vehicle).referencePrice ?? DEFAULT_PRICES[pricedEnergyOf(model)];
}

export function v1TripBody(
  ctx: SimContext,
  vehicle: SimVehicle,
  summary: V1TripSummary,
  imperial: boolean,
): V1Trip {
  const { trip } = summary;
  const model = ctx.fleet.timelineOf(vehicle).model;
  const energy = pricedEnergyOf(model);
  const settings = tripSettingsOf(ctx, vehicle);
  const price = tripPriceOf(settings, trip.id, DEFAULT_PRICES[energy]);
  const identity = {
    tripId: v1TripId(trip),
    dateTripBegin: rfc3339(trip.startMs),
    tripDuration: summary.durationS,
    dateUpdate: rfc3339(trip.endMs),
  };
  const mileage = {
    tripMileage: fromKm(summary.distanceKm, imperial),
    totMileage: fromKm(summary.endOdometerKm, imperial),
  };
  const owner = {
    fuelPrice: price,
    referenceTrip: settings.referenceTripId === trip.id ? 1 : 0,
    modePrivacy: PRIVACY_CODES[summary.privacy],
  };
  const car = { vin: vehicle.vin, contract: vehicle.contract };
  if (summary.privacy === 'Full') return { ...identity, ...mileage, ...owner, ...car };

  const burnt = energy === 'electricity' ? 0 : summary.fuelL;
  const per100km = summary.distanceKm > 0 ? (burnt / summary.distanceKm) * 100 : 0;
  const co2PerKm =
    energy === 'electricity' || summary.distanceKm <= 0
      ? 0
      : (burnt * CO2_KG_PER_LITRE[energy] * 1000) / summary.distanceKm;
  const refuelLitres = ((model.tankLitres ?? 0) * summary.refuelPct) / 100;
  const { startFuelPct, endFuelPct, oilTempC } = summary;
  return {
    ...identity,
    avgFuelConsumption: fromLPer100km(per100km, imperial),
    deltaFuelLevel:
      startFuelPct !== null && endFuelPct !== null ? round1(Math.max(0, startFuelPct - endFuelPct)) : 0,
    ...mileage,
    avgSpeed: fromKm(summary.avgSpeedKmh, imperial),
    engineSpeed: Math.round(summary.meanRpm),
    ...(oilTempC !== null ? { engineOilTemp: round1(oilTempC) } : {}),
    fuelPrice: owner.fuelPrice,
    tripCost: round2((energy === 'electricity' ? summary.energyKwh : burnt) * price),
    referenceTrip: owner.referenceTrip,
    CO2Emission: Math.round(co2PerKm),
    ...(summary.drivingMark !== null ? { ecoDriving: summary.drivingMark } : {}),
    refueling: refuelLitres > 0 ? 1 : 0,
    modePrivacy: owner.modePrivacy,
    refuelingCost: round2(refuelLitres * price),
    siphoning: 0,
    siphoningCost: 0,
    ...(endFuelPct !== null ? { fuelTankLevel: round1(endFuelPct) } : {}),
    tripFuelConsumption: fromLitres(burnt, imperial),
    ...(summary.privacy === 'None'
      ? {
          geoLocalisation: {
            latitude: summary.end.lat.toFixed(6),
            longitude: summary.end.lon.toFixed(6),
          },
        }
      : {}),
    ...car,
  };
}
