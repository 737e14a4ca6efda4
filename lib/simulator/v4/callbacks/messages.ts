import { createHash } from 'node:crypto';
import type { SimContext } from '../../context';
import { alertsBetween, type SimAlert } from '../../fleet/alerts';
import { maintenanceAt } from '../../fleet/maintenance';
import type { SimVehicle } from '../../world/world';
import { link, rfc3339 } from '../hal';
import { vehicleUrl } from '../resources';
import { lastPositionFeature, uploadPrivacy } from '../status-resources';
import { tripFacts, tripPrivacy, tripResource } from '../trip-resources';
import type { ResolvedAttributes } from './attributes';
import type { Fire, ReadingsCache } from './monitor-scan';
import { EVENT_ID_KEY, type ExtensionType, extensionTypeOf } from './schemas';
import type { CallbackRecord, MonitorRecord } from './store';

// The message a monitor event is delivered as: the webhook template's `Message` (spec
// api-b2c-webhook-template.yaml, vehicle-apis.md §4.2):
//   { callbackId, type: "Monitor", date, attributes: [{key, value}],
//     monitorEvent: { monitorId, refresh, values: [{data, value: {type, body: {literalValue}}, previous?}],
//                     extensions: [{type, body: [{<kind>: {…}}]}] } }
// The template has no message id, yet receivers must dedupe (deliveries are at-least-once). Every
// message therefore carries a stable id as a Body attribute `x-event-id` (the attributes are
// free key/value pairs; the simulator's choice [infer]), also sent as the `x-event-id` header of
// the delivery. The id is derived from the monitor and the event's instant, so a retry or a
// duplicate carries the same one.

export type MessageValue = {
  data: string;
  value: { type: 'string' | 'obj.alert'; body: { literalValue: string; objectValues?: unknown[] } };
  previous?: string;
};

export type MessageExtension = { type: ExtensionType; body: Record<string, unknown>[] };

export type WebhookMessage = {
  callbackId: string;
  type: 'Monitor';
  date: string;
  attributes: Array<{ key: string; value: string }>;
  monitorEvent: {
    monitorId: string;
    refresh: boolean;
    values: MessageValue[];
    extensions: MessageExtension[];
  };
};

/** 32 hex characters, the same for every delivery of one event. */
export function eventIdOf(seed: string, monitorId: string, fire: Pick<Fire, 'atMs' | 'refresh'>): string {
  return createHash('sha256')
    .update(
      `kinetic-sim|webhook-event|${seed}|${monitorId}|${fire.atMs}|${fire.refresh ? 'refresh' : 'event'}`,
    )
    .digest('hex')
    .slice(0, 32);
}

/** An alert as in GET …/alerts (without positions and trip links). */
function alertBody(apiBase: string, vehicle: SimVehicle, alert: SimAlert) {
  const vehicleHref = vehicleUrl(apiBase, vehicle.id);
  return {
    id: alert.id,
    active: alert.active,
    type: alert.type,
    severity: alert.severity,
    startedAt: rfc3339(alert.startedAtMs),
    ...(alert.endAtMs !== null ? { endAt: rfc3339(alert.endAtMs) } : {}),
    createdAt: rfc3339(alert.startedAtMs),
    updatedAt: rfc3339(alert.endAtMs ?? alert.startedAtMs),
    _links: { self: link(`${vehicleHref}/alerts/${alert.id}`), vehicle: link(vehicleHref) },
  };
}

export type MessageInput = {
  ctx: SimContext;
  vehicle: SimVehicle;
  callback: CallbackRecord;
  monitor: MonitorRecord;
  fire: Fire;
  attributes: ResolvedAttributes;
  cache: ReadingsCache;
};

/** The extensions asked by `extendedEventParam`, each as the v4 GET resource of the same name. */
function extensionsOf(input: MessageInput): MessageExtension[] {
  const { ctx, vehicle, monitor, fire } = input;
  const apiBase = monitor.apiBase;
  const view = {
    apiBase,
    telemetry: monitor.scopes.includes('data:telemetry'),
    position: monitor.scopes.includes('data:position'),
  };
  const upload = fire.observation.upload;
  const status = () => input.cache.get(ctx, vehicle, fire.observation, view)?.status ?? null;
  const types = [...new Set((monitor.parameter.extendedEventParam ?? []).map(extensionTypeOf))];
  const extensions: MessageExtension[] = [];
  for (const type of types) {
    const body: Record<string, unknown>[] = [];
    switch (type) {
      case 'vehicle.status': {
        const value = status();
        if (value) body.push({ status: value });
        break;
      }
      case 'vehicle.position':
        if (upload && uploadPrivacy(ctx.world.seed, vehicle, upload) === 'None') {
          body.push({ position: lastPositionFeature(ctx, vehicle, upload) });
        }
        break;
      case 'vehicle.doorsState':
      case 'vehicle.alarm': {
        const key = type === 'vehicle.alarm' ? 'alarm' : 'doorsState';
        const value = status()?.[key];
        // The template names the doors' item `doorState`.
        if (value !== undefined) body.push({ [type === 'vehicle.alarm' ? 'alarm' : 'doorState']: value });
        break;
      }
      case 'vehicle.trip':
        if (fire.trip) {
          const timeline = ctx.fleet.timelineOf(vehicle);
          body.push({
            trip: tripResource({
              apiBase,
              vehicle,
              timeline,
              facts: tripFacts(timeline, fire.trip, fire.atMs),
              atMs: fire.atMs,
              privacy: tripPrivacy(ctx.world.seed, vehicle, fire.trip),
              withPositions: view.position,
            }),
          });
        }
        break;
      case 'vehicle.alerts': {
        const active = alertsBetween(ctx, vehicle, fire.atMs, fire.atMs + 1, fire.atMs).filter(
          (alert) => alert.active,
        );
        body.push({ alerts: active.map((alert) => alertBody(apiBase, vehicle, alert)) });
        break;
      }
      case 'vehicle.maintenance': {
        const counters = maintenanceAt(ctx, vehicle, fire.atMs);
        const self = vehicleUrl(apiBase, vehicle.id);
        if (counters) {
          body.push({
            maintenance: {
              createdAt: rfc3339(counters.createdAtMs),
              updatedAt: rfc3339(counters.updatedAtMs),
              daysBeforeMaintenance: counters.daysBeforeMaintenance,
              mileageBeforeMaintenance: counters.mileageBeforeMaintenance,
              _links: { self: link(`${self}/maintenance`), vehicle: link(self) },
            },
          });
        }
        break;
      }
      case 'vehicle.telemetry':
        // Accepted, not simulated: telemetry messages are never added to events.
        continue;
    }
    extensions.push({ type, body });
  }
  return extensions;
}

export function buildMessage(input: MessageInput, eventId: string): WebhookMessage {
  const { callback, monitor, fire } = input;
  return {
    callbackId: callback.id,
    type: 'Monitor',
    date: rfc3339(fire.atMs),
    attributes: [...input.attributes.body, { key: EVENT_ID_KEY, value: eventId }],
    monitorEvent: {
      monitorId: monitor.id,
      refresh: fire.refresh,
      values: fire.values.map((value) => ({
        data: value.data,
        value: value.alerts
          ? {
              type: 'obj.alert',
              body: {
                literalValue: value.literal,
                objectValues: value.alerts.map((alert) => alertBody(monitor.apiBase, input.vehicle, alert)),
              },
            }
          : { type: 'string', body: { literalValue: value.literal } },
        ...(value.previous !== undefined ? { previous: value.previous } : {}),
      })),
      extensions: extensionsOf(input),
    },
  };
}
