import { maintenanceAt } from '../fleet/maintenance';
import { V4ApiError } from './errors';
import { link, rfc3339 } from './hal';
import { vehicleUrl } from './resources';
import { type Call, ownedVehicle, requireScopes, type V4Route } from './route-types';

// GET user/vehicles/{id}/maintenance (spec getVehicleMaintenance, vehicle-apis.md §5.6): the
// service indicator, days and km before the next service, negative while it is overdue. Scope
// data:telemetry is required.

function getMaintenance(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:telemetry');
  const counters = maintenanceAt(call.ctx, vehicle, call.now);
  if (!counters) throw new V4ApiError('noDataForContext', 'No data availble for such context.');
  const self = vehicleUrl(call.apiBase, vehicle.id);
  return {
    createdAt: rfc3339(counters.createdAtMs),
    updatedAt: rfc3339(counters.updatedAtMs),
    daysBeforeMaintenance: counters.daysBeforeMaintenance,
    mileageBeforeMaintenance: counters.mileageBeforeMaintenance,
    _links: { self: link(`${self}/maintenance`), vehicle: link(self), alerts: link(`${self}/alerts`) },
  };
}

export const maintenanceRoutes: readonly V4Route[] = [
  { path: 'user/vehicles/{id}/maintenance', handler: getMaintenance },
];
