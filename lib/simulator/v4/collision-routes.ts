import { collisionById, collisionsBetween, type SimCollision } from '../fleet/collisions';
import type { SimVehicle } from '../world/world';
import { eventWindow, pinnedWindow } from './collection-window';
import { V4ApiError } from './errors';
import { link, rfc3339 } from './hal';
import { vehicleUrl } from './resources';
import {
  type Call,
  ownedVehicle,
  pagedCollection,
  pathParam,
  requireScopes,
  type V4Route,
} from './route-types';
import { inRanges } from './timestamps';
import { visibleTrip } from './trip-resources';

// GET user/vehicles/{id}/collisions and …/collisions/{cid} (spec getVehicleCollision,
// getVehicleCollisionById; vehicle-apis.md §5.9). Scope data:collision is required. The embedded
// array is `Collisions` with a capital C, as the spec writes it. Newest first, like alerts.

function collisionResource(call: Call, vehicle: SimVehicle, collision: SimCollision) {
  const vehicleHref = vehicleUrl(call.apiBase, vehicle.id);
  const at = rfc3339(collision.createdAtMs);
  return {
    id: collision.id,
    createdAt: at,
    updatedAt: at,
    details: collision.details.map((detail) => ({ side: detail.side, severity: detail.severity })),
    pedestrian: collision.pedestrian,
    tippedOver: collision.tippedOver,
    _links: {
      self: link(`${vehicleHref}/collisions/${collision.id}`),
      vehicle: link(vehicleHref),
      trip: link(`${vehicleHref}/trips/${collision.tripId}`),
    },
  };
}

/** The collisions of a car, or of one of its trips (`keep` narrows them). */
function collisionCollection(
  call: Call,
  vehicle: SimVehicle,
  path: string,
  keep: (collision: SimCollision) => boolean,
) {
  return pagedCollection(call, {
    name: 'Collisions',
    collectionPath: path,
    readFilters: () => pinnedWindow(call),
    items: (filters) => {
      const window = eventWindow(call, vehicle, filters);
      if (!window) return [];
      return collisionsBetween(call.ctx, vehicle, window.fromMs, window.toMs, window.nowMs)
        .filter((collision) => keep(collision) && inRanges(collision.createdAtMs, window.ranges))
        .reverse();
    },
    render: (collision) => collisionResource(call, vehicle, collision),
  });
}

function listCollisions(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:collision');
  return collisionCollection(call, vehicle, `/user/vehicles/${vehicle.id}/collisions`, () => true);
}

/** A collision of the car that the cloud still serves, or 404. */
function servedCollision(call: Call, vehicle: SimVehicle, params: Record<string, string>): SimCollision {
  const collision = collisionById(call.ctx, vehicle, pathParam(params, 'cid'), call.now);
  if (!collision || collision.createdAtMs < call.ctx.fleet.historyStartMs(vehicle, call.now)) {
    throw new V4ApiError('resourceNotFound', 'Collision not found.');
  }
  return collision;
}

function getCollision(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:collision');
  return collisionResource(call, vehicle, servedCollision(call, vehicle, params));
}

// The same within one trip (spec getVehicleCollisionsByTripId and its by-id twin). Scopes data:trip
// and data:collision.

function listTripCollisions(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:trip', 'data:collision');
  const trip = visibleTrip(call.ctx, vehicle, pathParam(params, 'tid'), call.now);
  return collisionCollection(
    call,
    vehicle,
    `/user/vehicles/${vehicle.id}/trips/${trip.id}/collisions`,
    (collision) => collision.tripId === trip.id,
  );
}

function getTripCollision(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:trip', 'data:collision');
  const trip = visibleTrip(call.ctx, vehicle, pathParam(params, 'tid'), call.now);
  const collision = servedCollision(call, vehicle, params);
  if (collision.tripId !== trip.id) throw new V4ApiError('resourceNotFound', 'Collision not found.');
  return collisionResource(call, vehicle, collision);
}

export const collisionRoutes: readonly V4Route[] = [
  { path: 'user/vehicles/{id}/collisions', handler: listCollisions },
  { path: 'user/vehicles/{id}/collisions/{cid}', handler: getCollision },
  { path: 'user/vehicles/{id}/trips/{tid}/collisions', handler: listTripCollisions },
  { path: 'user/vehicles/{id}/trips/{tid}/collisions/{cid}', handler: getTripCollision },
];
