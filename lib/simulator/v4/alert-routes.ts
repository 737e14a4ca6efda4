import { alertById, alertsBetween, type SimAlert } from '../fleet/alerts';
import type { SimVehicle } from '../world/world';
import { eventWindow, pinnedWindow } from './collection-window';
import { V4ApiError } from './errors';
import { positionFeature } from './geojson';
import { link, rfc3339 } from './hal';
import { parseLocale } from './params';
import { vehicleUrl } from './resources';
import {
  type Call,
  hasScope,
  ownedVehicle,
  pagedCollection,
  pathParam,
  requireScopes,
  type V4Route,
} from './route-types';
import { inRanges } from './timestamps';
import { visibleTrip } from './trip-resources';

// GET user/vehicles/{id}/alerts and …/alerts/{aid} (spec getVehicleAlerts, getVehicleAlertsById;
// vehicle-apis.md §5.7). Scope data:alert is required; positions need data:position too. The list
// is newest first: the spec describes it as "the latest alert messages for a Vehicle".

function alertResource(call: Call, vehicle: SimVehicle, alert: SimAlert, nowMs: number) {
  const vehicleHref = vehicleUrl(call.apiBase, vehicle.id);
  const showPositions = hasScope(call, 'data:position');
  const position = (fix: SimAlert['startPosition']) =>
    showPositions && fix
      ? positionFeature({ lat: fix.lat, lon: fix.lon, createdAtMs: fix.atMs, headingDeg: fix.headingDeg })
      : undefined;
  const startPosition = position(alert.startPosition);
  const endPosition = position(alert.endPosition);
  // Only trips the cloud still serves are linked, so every link can be followed.
  const historyStartMs = call.ctx.fleet.historyStartMs(vehicle, nowMs);
  const trips = alert.trips.filter((trip) => trip.startMs >= historyStartMs);
  return {
    id: alert.id,
    active: alert.active,
    type: alert.type,
    severity: alert.severity,
    startedAt: rfc3339(alert.startedAtMs),
    ...(alert.endAtMs !== null ? { endAt: rfc3339(alert.endAtMs) } : {}),
    ...(startPosition ? { startPosition } : {}),
    ...(endPosition ? { endPosition } : {}),
    createdAt: rfc3339(alert.startedAtMs),
    updatedAt: rfc3339(alert.endAtMs ?? alert.startedAtMs),
    _links: {
      self: link(`${vehicleHref}/alerts/${alert.id}`),
      vehicle: link(vehicleHref),
      ...(trips.length > 0 ? { trips: trips.map((trip) => link(`${vehicleHref}/trips/${trip.id}`)) } : {}),
    },
  };
}

/** The alerts collection of a car, or of one of its trips (`keep` narrows it). */
function alertCollection(call: Call, vehicle: SimVehicle, path: string, keep: (alert: SimAlert) => boolean) {
  let nowMs = call.now;
  return pagedCollection(call, {
    name: 'alerts',
    collectionPath: path,
    readFilters: () => {
      parseLocale(call.url);
      return pinnedWindow(call);
    },
    items: (filters) => {
      const window = eventWindow(call, vehicle, filters);
      if (!window) return [];
      nowMs = window.nowMs;
      // Started in an asked range, or started before one ends and still on.
      return alertsBetween(call.ctx, vehicle, window.fromMs, window.toMs, window.nowMs)
        .filter(
          (alert) =>
            keep(alert) &&
            (inRanges(alert.startedAtMs, window.ranges) ||
              (alert.active && window.ranges.some((range) => alert.startedAtMs < range.toMs))),
        )
        .reverse();
    },
    render: (alert) => alertResource(call, vehicle, alert, nowMs),
  });
}

function listAlerts(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:alert');
  return alertCollection(call, vehicle, `/user/vehicles/${vehicle.id}/alerts`, () => true);
}

/** An alert of the car that the cloud still serves, or 404. */
function servedAlert(call: Call, vehicle: SimVehicle, params: Record<string, string>): SimAlert {
  parseLocale(call.url);
  const alert = alertById(call.ctx, vehicle, pathParam(params, 'aid'), call.now);
  // Alerts older than the served history are gone, unless they are still on.
  const served =
    alert && (alert.active || alert.startedAtMs >= call.ctx.fleet.historyStartMs(vehicle, call.now));
  if (!alert || !served) throw new V4ApiError('resourceNotFound', 'Alert not found.');
  return alert;
}

function getAlert(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:alert');
  return alertResource(call, vehicle, servedAlert(call, vehicle, params), call.now);
}

// The same within one trip (spec getVehicleTripAlerts, getVehicleTripAlertsByAid): the alerts
// that were on during it. Scopes data:trip and data:alert.

const duringTrip = (tripId: string) => (alert: SimAlert) => alert.trips.some((trip) => trip.id === tripId);

function listTripAlerts(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:trip', 'data:alert');
  const trip = visibleTrip(call.ctx, vehicle, pathParam(params, 'tid'), call.now);
  return alertCollection(
    call,
    vehicle,
    `/user/vehicles/${vehicle.id}/trips/${trip.id}/alerts`,
    duringTrip(trip.id),
  );
}

function getTripAlert(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  requireScopes(call, 'data:trip', 'data:alert');
  const trip = visibleTrip(call.ctx, vehicle, pathParam(params, 'tid'), call.now);
  const alert = servedAlert(call, vehicle, params);
  if (!duringTrip(trip.id)(alert)) throw new V4ApiError('resourceNotFound', 'Alert not found.');
  return alertResource(call, vehicle, alert, call.now);
}

export const alertRoutes: readonly V4Route[] = [
  { path: 'user/vehicles/{id}/alerts', handler: listAlerts },
  { path: 'user/vehicles/{id}/alerts/{aid}', handler: getAlert },
  { path: 'user/vehicles/{id}/trips/{tid}/alerts', handler: listTripAlerts },
  { path: 'user/vehicles/{id}/trips/{tid}/alerts/{aid}', handler: getTripAlert },
];
