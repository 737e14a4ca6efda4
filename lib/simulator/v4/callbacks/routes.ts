import type { z } from 'zod';
import { V4ApiError } from '../errors';
import {
  type Call,
  ownedVehicle,
  pagedCollection,
  pathParam,
  requireScopes,
  V4Reply,
  type V4Route,
} from '../route-types';
import { callbackRef, monitorRef, monitorResource, userCallback } from './resources';
import {
  CALLBACK_TYPES,
  callbackSubscribeSchema,
  extensionTypeOf,
  issuesMessage,
  type MonitorParameter,
  monitorParameterSchema,
  statusSetterSchema,
} from './schemas';
import { type CallbackRecord, callbackStoreOf } from './store';

// The push channel's endpoints (spec 4.17 tags Subscribe and Monitors, vehicle-apis.md §4.2):
//   GET|POST /user/callbacks, GET|PUT|DELETE /user/callbacks/{cbid}, PUT …/{cbid}/status,
//   GET|POST /user/vehicles/{id}/callbacks/{cbid}/monitors, GET|PUT|DELETE …/monitors/{mid},
//   PUT …/monitors/{mid}/status.
// Writes answer as the spec says: POST callback 200, PUT 202, POST/PUT monitor 202, DELETE 204.
// Every scope of these operations is optional in the spec. A monitor needs the scope of each datum
// it watches or adds to its events (data:trip for trips, data:alert for alerts, data:position for
// zones and positions, data:telemetry for the rest), else 403 [infer: what the optional scopes
// guard is unpublished; without them the events would leak data the token cannot read].

const clockNow = (call: Call) => call.ctx.clock.now();
const ownership = (call: Call) => ({ ownerIndex: call.owner.index, clientId: call.pass.client.clientId });

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new V4ApiError('invalidParameter', issuesMessage(parsed.error));
  return parsed.data;
}

/** `types` (CallbackTypes): repeated or comma-separated `Monitor`, `Remote`. */
function parseTypes(url: URL): string[] {
  const types: string[] = [];
  for (const value of url.searchParams.getAll('types').flatMap((text) => text.split(','))) {
    if (!(CALLBACK_TYPES as readonly string[]).includes(value)) {
      throw new V4ApiError(
        'invalidParameter',
        `Invalid query parameter types: expected ${CALLBACK_TYPES.join(', ')}.`,
      );
    }
    if (!types.includes(value)) types.push(value);
  }
  return types;
}

/** A callback without `type` serves both monitors and remotes (spec CallbackSubscribe.type). */
const serves = (record: CallbackRecord, type: string) =>
  !record.subscribe.type || (record.subscribe.type as readonly string[]).includes(type);

function ownedCallback(call: Call, params: Record<string, string>): CallbackRecord {
  return callbackStoreOf(call.ctx).callbackOf(ownership(call), pathParam(params, 'cbid'));
}

// --- Callbacks -------------------------------------------------------------------------------------

function listCallbacks(call: Call) {
  const store = callbackStoreOf(call.ctx);
  return pagedCollection(call, {
    name: 'callbacks',
    collectionPath: '/user/callbacks',
    readFilters: (url) => ({ types: parseTypes(url) }),
    items: (filters) =>
      store
        .callbacksOf(ownership(call))
        .filter((record) => (filters.types ?? []).every((type) => serves(record, type))),
    render: (record) => userCallback(call.apiBase, record),
  });
}

function createCallback(call: Call) {
  const subscribe = parseBody(callbackSubscribeSchema, call.body);
  const record = callbackStoreOf(call.ctx).createCallback(ownership(call), subscribe, clockNow(call));
  return new V4Reply(200, callbackRef(call.apiBase, record));
}

function getCallback(call: Call, params: Record<string, string>) {
  return userCallback(call.apiBase, ownedCallback(call, params));
}

function updateCallback(call: Call, params: Record<string, string>) {
  const record = ownedCallback(call, params);
  const subscribe = parseBody(callbackSubscribeSchema, call.body);
  callbackStoreOf(call.ctx).updateCallback(record, subscribe, clockNow(call));
  return new V4Reply(202, callbackRef(call.apiBase, record));
}

function deleteCallback(call: Call, params: Record<string, string>) {
  callbackStoreOf(call.ctx).deleteCallback(ownedCallback(call, params));
  return new V4Reply(204);
}

function setCallbackStatus(call: Call, params: Record<string, string>) {
  const record = ownedCallback(call, params);
  const { status } = parseBody(statusSetterSchema, call.body);
  callbackStoreOf(call.ctx).setCallbackStatus(record, status, clockNow(call));
  return new V4Reply(202, callbackRef(call.apiBase, record));
}

// --- Monitors --------------------------------------------------------------------------------------

/** The scopes a monitor's triggers and extensions read. */
function scopesFor(parameter: MonitorParameter): string[] {
  const scopes = new Set<string>();
  for (const trigger of parameter.triggerParam.triggers) {
    if (trigger.zone) scopes.add('data:position');
    else if (trigger.time) scopes.add('data:telemetry');
    else if (trigger.data?.data.startsWith('vehicle.trip.')) scopes.add('data:trip');
    else if (trigger.data?.data === 'vehicle.alert') scopes.add('data:alert');
    else scopes.add('data:telemetry');
  }
  for (const item of parameter.extendedEventParam ?? []) {
    const type = extensionTypeOf(item);
    if (type === 'vehicle.position') scopes.add('data:position');
    else if (type === 'vehicle.trip') scopes.add('data:trip');
    else if (type === 'vehicle.alerts') scopes.add('data:alert');
    else scopes.add('data:telemetry');
  }
  return [...scopes].sort();
}

/** The car, its callback (which must serve monitors) and, for writes, the checked body. */
function monitorContext(call: Call, params: Record<string, string>) {
  const vehicle = ownedVehicle(call, params);
  const callback = ownedCallback(call, params);
  return { vehicle, callback, store: callbackStoreOf(call.ctx) };
}

function monitorInput(call: Call, callback: CallbackRecord) {
  const parameter = parseBody(monitorParameterSchema, call.body);
  if (!serves(callback, 'Monitor')) {
    throw new V4ApiError(
      'invalidParameter',
      'This callback does not accept monitors (its type excludes Monitor).',
    );
  }
  requireScopes(call, ...scopesFor(parameter));
  return { parameter, scopes: [...call.pass.grant.scopes], apiBase: call.apiBase };
}

function listMonitors(call: Call, params: Record<string, string>) {
  const { vehicle, callback, store } = monitorContext(call, params);
  return pagedCollection(call, {
    name: 'monitors',
    collectionPath: `/user/vehicles/${vehicle.id}/callbacks/${callback.id}/monitors`,
    readFilters: () => ({}),
    items: () => store.monitorsOf(callback, vehicle.id),
    render: (record) => monitorResource(call.apiBase, record),
  });
}

function createMonitor(call: Call, params: Record<string, string>) {
  const { vehicle, callback, store } = monitorContext(call, params);
  const record = store.createMonitor(callback, vehicle.id, monitorInput(call, callback), clockNow(call));
  return new V4Reply(202, monitorRef(call.apiBase, record));
}

function ownedMonitor(call: Call, params: Record<string, string>) {
  const { vehicle, callback, store } = monitorContext(call, params);
  return { callback, store, record: store.monitorOf(callback, vehicle.id, pathParam(params, 'mid')) };
}

function getMonitor(call: Call, params: Record<string, string>) {
  return monitorResource(call.apiBase, ownedMonitor(call, params).record);
}

function updateMonitor(call: Call, params: Record<string, string>) {
  const { callback, store, record } = ownedMonitor(call, params);
  store.updateMonitor(record, monitorInput(call, callback), clockNow(call));
  return new V4Reply(202, monitorRef(call.apiBase, record));
}

function deleteMonitor(call: Call, params: Record<string, string>) {
  const { store, record } = ownedMonitor(call, params);
  store.deleteMonitor(record);
  return new V4Reply(204);
}

function setMonitorStatus(call: Call, params: Record<string, string>) {
  const { store, record } = ownedMonitor(call, params);
  const { status } = parseBody(statusSetterSchema, call.body);
  store.setMonitorStatus(record, status, clockNow(call));
  return new V4Reply(202, monitorRef(call.apiBase, record));
}

const CALLBACK = 'user/callbacks/{cbid}';
const MONITORS = 'user/vehicles/{id}/callbacks/{cbid}/monitors';
const MONITOR = `${MONITORS}/{mid}`;

export const callbackRoutes: readonly V4Route[] = [
  { path: 'user/callbacks', handler: listCallbacks },
  { method: 'POST', path: 'user/callbacks', handler: createCallback },
  { path: CALLBACK, handler: getCallback },
  { method: 'PUT', path: CALLBACK, handler: updateCallback },
  { method: 'DELETE', path: CALLBACK, handler: deleteCallback },
  { method: 'PUT', path: `${CALLBACK}/status`, handler: setCallbackStatus },
  { path: MONITORS, handler: listMonitors },
  { method: 'POST', path: MONITORS, handler: createMonitor },
  { path: MONITOR, handler: getMonitor },
  { method: 'PUT', path: MONITOR, handler: updateMonitor },
  { method: 'DELETE', path: MONITOR, handler: deleteMonitor },
  { method: 'PUT', path: `${MONITOR}/status`, handler: setMonitorStatus },
];
