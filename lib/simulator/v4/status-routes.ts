import { V4ApiError } from './errors';
import { type Call, hasScope, ownedVehicle, requireScopes, type V4Route } from './route-types';
import { lastPositionFeature, lastUpload, statusResource, uploadPrivacy } from './status-resources';

// GET …/status and …/lastPosition (spec getVehicleStatus, getCarLastPosition; vehicle-apis.md §4.1,
// §5.2–5.4): the car's latest upload as of `call.now`, which for a parked car can be days old.

export const GEOJSON_CONTENT_TYPE = 'application/vnd.geo+json';

const noData = () => new V4ApiError('noDataForContext', 'No data availble for such context.');

function uploadFor(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  // A car that has uploaded nothing since it joined the service has no status yet.
  const upload = lastUpload(call.ctx, vehicle, call.now);
  if (!upload) throw noData();
  return { vehicle, upload };
}

/** Both scopes are optional (spec): each one adds its part of the body. */
function getStatus(call: Call, params: Record<string, string>) {
  const { vehicle, upload } = uploadFor(call, params);
  return statusResource(call.ctx, vehicle, upload, {
    apiBase: call.apiBase,
    telemetry: hasScope(call, 'data:telemetry'),
    position: hasScope(call, 'data:position'),
  });
}

/** `data:position` is required; a car in Geolocation or Full privacy has no position to give. */
function getLastPosition(call: Call, params: Record<string, string>) {
  requireScopes(call, 'data:position');
  const { vehicle, upload } = uploadFor(call, params);
  if (uploadPrivacy(call.ctx.world.seed, vehicle, upload) !== 'None') throw noData();
  return lastPositionFeature(call.ctx, vehicle, upload);
}

export const statusRoutes: readonly V4Route[] = [
  { path: 'user/vehicles/{id}/status', handler: getStatus },
  { path: 'user/vehicles/{id}/lastPosition', handler: getLastPosition, contentType: GEOJSON_CONTENT_TYPE },
];
