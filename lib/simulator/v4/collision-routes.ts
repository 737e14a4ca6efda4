import { collisionById, collisionsBetween, type SimCollision } from '../fleet/collisions';
import type { SimVehicle } from '../world/world';
import { eventWindow, readEventFilters } from './alert-routes';
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

function listCollisions(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:collision');
  return pagedCollection(call, {
    name: 'Collisions',
    collectionPath: `/user/vehicles/${vehicle.id}/collisions`,
    readFilters: () => readEventFilters(call),
    items: (filters) => {
      const window = eventWindow(call, vehicle, filters);
      if (!window) return [];
      return collisionsBetween(call.ctx, vehicle, window.fromMs, window.toMs, window.nowMs)
        .filter((collision) => inRanges(collision.createdAtMs, window.ranges))
        .reverse();
    },
    render: (collision) => collisionResource(call, vehicle, collision),
  });
}

function getCollision(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:collision');
  const collision = collisionById(call.ctx, vehicle, pathParam(params, 'cid'), call.now);
  if (!collision || collision.createdAtMs < call.ctx.fleet.historyStartMs(vehicle, call.now)) {
    throw new V4ApiError('resourceNotFound', 'Collision not found.');
  }
  return collisionResource(call, vehicle, collision);
}

export const collisionRoutes: readonly V4Route[] = [
  { path: 'user/vehicles/{id}/collisions', handler: listCollisions },
  { path: 'user/vehicles/{id}/collisions/{cid}', handler: getCollision },
];
