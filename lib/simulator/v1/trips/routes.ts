import type { SimContext } from '../../context';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import { V4ApiError } from '../../v4/errors';
import { visibleTrip, visibleTrips } from '../../v4/trip-resources';
import type { SimVehicle } from '../../world/world';
import { V1Error } from '../gateway';
import { readImperial, readLimit, required } from '../params';
import { answersPerCar, type V1Call, type V1Route, vehicleRoute } from '../route-table';
import { tripOfV1Id } from '../trip-ids';
import { type DayRange, readPeriod, startsIn } from './period';
import { readPrice } from './prices';
import { referencePriceOf, type V1Trip, v1TripBody } from './trip-body';
import { setReferencePrice, setReferenceTrip, setTripPrice, tripSettingsOf } from './trip-settings';
import { v1TripSummary } from './trip-summary';

// The v1 Trips family (spec fetchLastTripsByVehicle, fetchTripPerPeridByVehicle,
// fetchTripByVehicleAndTrip, fetchAllTrip, the reference trip and fuel price operations;
// vehicle-apis.md §7–8). Trips are the car's timeline trips v4 lists, over the same history window,
// with v1's numeric ids (trip-ids.ts). Only finished trips are served [infer]: v1 trips carry a
// duration, an odometer at the end and a cost, which a trip under way does not have yet, so it is
// absent from the lists and its id answers 404 until key-off. Lists are newest first [infer: the
// spec's "n last trips"; the period and list operations follow it, so `limit` keeps the newest].

/** Finished trips the cloud holds at `nowMs` (that started in [fromMs, toMs) when given), newest first. */
function finishedTrips(ctx: SimContext, vehicle: SimVehicle, nowMs: number, range?: DayRange): TripRecord[] {
  return visibleTrips(ctx, vehicle, nowMs)
    .filter((trip) => trip.endMs <= nowMs && (!range || startsIn(trip, range)))
    .reverse();
}

/** A finished trip by v1 id (path or query text); 404 when unknown, outside history or under way. */
function finishedTrip(call: V1Call, vehicle: SimVehicle, v1Id: string): TripRecord {
  const trip = tripOfV1Id(call.ctx, vehicle, v1Id, call.nowMs);
  if (trip.endMs > call.nowMs) throw new V1Error(404, 'No trip with this id.');
  return trip;
}

const render = (call: V1Call, vehicle: SimVehicle, trip: TripRecord, imperial: boolean): V1Trip =>
  v1TripBody(call.ctx, vehicle, v1TripSummary(call.ctx, vehicle, trip), imperial);

// GET /trip/last/{vin}?limit&unit → { totalNumberTrips (all held), trips (the `limit` newest) }.
function lastTrips(call: V1Call, vehicle: SimVehicle) {
  const limit = readLimit(call.url);
  const imperial = readImperial(call.url);
  const trips = finishedTrips(call.ctx, vehicle, call.nowMs);
  return {
    totalNumberTrips: trips.length,
    trips: trips.slice(0, limit).map((trip) => render(call, vehicle, trip, imperial)),
  };
}

/** The trips of a period: a trip belongs to the UTC day it started on. */
function periodTripsOf(call: V1Call, vehicle: SimVehicle) {
  const { limit, imperial, ...range } = readPeriod(call.url);
  const trips = finishedTrips(call.ctx, vehicle, call.nowMs, range);
  return {
    total: trips.length,
    trips: trips.slice(0, limit).map((trip) => render(call, vehicle, trip, imperial)),
  };
}

// GET /trip/period/{vin}?from&to&limit&unit → { totalNumberTrips (in the period), trips }.
function periodTrips(call: V1Call, vehicle: SimVehicle) {
  const { total, trips } = periodTripsOf(call, vehicle);
  return { totalNumberTrips: total, trips };
}

// GET /trip/id/{vin}/{tripid}?unit → one trip.
function tripById(call: V1Call, vehicle: SimVehicle) {
  const imperial = readImperial(call.url);
  return render(call, vehicle, finishedTrip(call, vehicle, call.params.tripid ?? ''), imperial);
}

/**
 * POST /trip/list?from&to&limit&unit with `{ listvin, listcontract }` → `{ trips }`: every named
 * car's trips of the period in one list, the order the cars were asked in, each trip carrying its
 * `vin` and `contract` (spec fetchAllTrip). `limit` applies per car, as each car's
 * /trip/period would [infer]; cars this key may not read are left out, as route-table's list
 * twins do.
 */
const tripList: V1Route = {
  method: 'POST',
  path: '/trip/list',
  handle: async (call) => {
    readPeriod(call.url);
    const perCar = await answersPerCar(call, (_call, vehicle) => periodTripsOf(call, vehicle).trips);
    return { trips: perCar.flat() };
  },
};

/** The pinned trip while the cloud still holds it (it leaves with the history window). */
function heldReferenceTrip(ctx: SimContext, vehicle: SimVehicle, nowMs: number): TripRecord | null {
  const id = tripSettingsOf(ctx, vehicle).referenceTripId;
  if (id === null) return null;
  try {
    const trip = visibleTrip(ctx, vehicle, id, nowMs);
    return trip.endMs <= nowMs ? trip : null;
  } catch (error) {
    if (error instanceof V4ApiError) return null;
    throw error;
  }
}

// GET /trip/get/referencetrip/{vin}?unit → { trips: [the reference trip] }, [] when none is set.
function referenceTrip(call: V1Call, vehicle: SimVehicle) {
  const imperial = readImperial(call.url);
  const trip = heldReferenceTrip(call.ctx, vehicle, call.nowMs);
  return { trips: trip ? [render(call, vehicle, trip, imperial)] : [] };
}

// PUT /trip/update/referencetrip/{vin}?tripid → 200 with what GET …/referencetrip now answers
// (the spec documents no body) [infer]. Another trip pinned before is unpinned: one per car.
function updateReferenceTrip(call: V1Call, vehicle: SimVehicle) {
  const imperial = readImperial(call.url);
  const trip = finishedTrip(call, vehicle, required(call.url, 'tripid'));
  setReferenceTrip(call.ctx, vehicle, trip.id);
  return { trips: [render(call, vehicle, trip, imperial)] };
}

// GET /trip/get/reference/fuelprice/{vin} → { fuelPrice, vin, contract }.
function referencePrice(call: V1Call, vehicle: SimVehicle) {
  return { fuelPrice: referencePriceOf(call.ctx, vehicle), vin: vehicle.vin, contract: vehicle.contract };
}

// PUT /trip/update/reference/fuelprice/{vin}?price → 200 with the GET's body [infer]. Trips
// without a price of their own are costed at it, past ones included.
function updateReferencePrice(call: V1Call, vehicle: SimVehicle) {
  setReferencePrice(call.ctx, vehicle, readPrice(call.url));
  return referencePrice(call, vehicle);
}

// PUT /trip/update/fuelprice/{vin}/{tripid}?price → 200 with the trip as GET /trip/id now answers
// it [infer]: its fuelPrice, tripCost and refuelingCost at the new price.
function updateTripPrice(call: V1Call, vehicle: SimVehicle) {
  const imperial = readImperial(call.url);
  const price = readPrice(call.url);
  const trip = finishedTrip(call, vehicle, call.params.tripid ?? '');
  setTripPrice(call.ctx, vehicle, trip.id, price);
  return render(call, vehicle, trip, imperial);
}

export const tripRoutes: readonly V1Route[] = [
  vehicleRoute('GET', '/trip/last/{vin}', lastTrips),
  vehicleRoute('GET', '/trip/period/{vin}', periodTrips),
  vehicleRoute('GET', '/trip/id/{vin}/{tripid}', tripById),
  tripList,
  vehicleRoute('GET', '/trip/get/referencetrip/{vin}', referenceTrip),
  vehicleRoute('PUT', '/trip/update/referencetrip/{vin}', updateReferenceTrip),
  vehicleRoute('GET', '/trip/get/reference/fuelprice/{vin}', referencePrice),
  vehicleRoute('PUT', '/trip/update/reference/fuelprice/{vin}', updateReferencePrice),
  vehicleRoute('PUT', '/trip/update/fuelprice/{vin}/{tripid}', updateTripPrice),
];
