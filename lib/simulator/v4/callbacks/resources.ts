import { link, rfc3339 } from '../hal';
import { vehicleUrl } from '../resources';
import type { CallbackRecord, MonitorRecord } from './store';

// The v4 bodies of callbacks and monitors (spec 4.17 CallbackRef, UserCallback, MonitorRef,
// Monitor): what the subscriber wrote, echoed, with its id, status and links.

export const callbackUrl = (apiBase: string, id: string) => `${apiBase}/user/callbacks/${id}`;

export const monitorUrl = (apiBase: string, monitor: MonitorRecord) =>
  `${vehicleUrl(apiBase, monitor.vehicleId)}/callbacks/${monitor.callbackId}/monitors/${monitor.id}`;

/** `CallbackRef`, the answer to a callback write. */
export function callbackRef(apiBase: string, record: CallbackRecord) {
  return {
    _links: { callback: link(callbackUrl(apiBase, record.id)) },
    callbackId: record.id,
    status: record.status,
  };
}

/** `UserCallback`. */
export function userCallback(apiBase: string, record: CallbackRecord) {
  return {
    _links: { self: link(callbackUrl(apiBase, record.id)) },
    ...(record.subscribe.label !== undefined ? { label: record.subscribe.label } : {}),
    id: record.id,
    subscribe: record.subscribe,
    status: record.status,
  };
}

/** `MonitorRef`, the answer to a monitor write. */
export function monitorRef(apiBase: string, record: MonitorRecord) {
  return {
    createdAt: rfc3339(record.createdAtMs),
    updatedAt: rfc3339(record.updatedAtMs),
    _links: { monitor: link(monitorUrl(apiBase, record)) },
    monitorId: record.id,
    status: record.status,
  };
}

/** `Monitor`. */
export function monitorResource(apiBase: string, record: MonitorRecord) {
  return {
    createdAt: rfc3339(record.createdAtMs),
    updatedAt: rfc3339(record.updatedAtMs),
    _links: { self: link(monitorUrl(apiBase, record)) },
    monitorId: record.id,
    monitor: record.parameter,
    status: record.status,
  };
}
