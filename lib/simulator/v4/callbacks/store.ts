import { createHash } from 'node:crypto';
import type { SimContext } from '../../context';
import { V4ApiError } from '../errors';
import type { ScanState } from './monitor-scan';
import type { CallbackSubscribe, MonitorParameter, SettableStatus } from './schemas';
import { type CompiledMonitor, compileMonitor } from './triggers';

// The callbacks and monitors subscribed in one simulated cloud, kept in memory beside its context
// (a WeakMap, so the context itself stays plain data). The spec (4.17 "Callback, Monitor & Remote
// management") ties each one to the application (client id) and the user that created it: reads,
// updates and deletes only see what that client created for that user, and another's id is the
// same 404 as an id that does not exist. Ids are long hex strings drawn from the world seed and a
// counter, so a run is reproducible.

/** The spec: "A maximum of 5 monitors can be associated to a vehicle, client ID, user." */
export const MAX_MONITORS_PER_VEHICLE = 5;
/** Callbacks per user and client [infer: the spec sets no limit; this bounds memory]. */
export const MAX_CALLBACKS_PER_USER = 20;

/** `Failed` is in the spec's enum; the simulator never sets it. */
export type SubscriptionStatus = SettableStatus | 'Failed';

type Ownership = { ownerIndex: number; clientId: string };

export type CallbackRecord = Ownership & {
  id: string;
  subscribe: CallbackSubscribe;
  status: SubscriptionStatus;
  createdAtMs: number;
  updatedAtMs: number;
};

export type MonitorRecord = Ownership & {
  id: string;
  callbackId: string;
  vehicleId: string;
  parameter: MonitorParameter;
  compiled: CompiledMonitor;
  status: SubscriptionStatus;
  createdAtMs: number;
  updatedAtMs: number;
  /** The token's scopes when the monitor was written: what its events may show. */
  scopes: readonly string[];
  /** `http://<host>/connectedcar/v4` as the subscriber called it: where event hrefs start. */
  apiBase: string;
  /** When it started watching (creation or last update). */
  sinceMs: number;
  /** Null until the dispatcher first looks at it. */
  scan: ScanState | null;
};

const notFound = (what: 'Callback' | 'Monitor') => new V4ApiError('resourceNotFound', `${what} not found.`);

export class CallbackStore {
  readonly #seed: string;
  #counter = 0;
  readonly callbacks = new Map<string, CallbackRecord>();
  readonly monitors = new Map<string, MonitorRecord>();

  constructor(seed: string) {
    this.#seed = seed;
  }

  #newId(kind: string): string {
    this.#counter += 1;
    return createHash('sha256')
      .update(`kinetic-sim|${kind}|${this.#seed}|${this.#counter}`)
      .digest('hex')
      .slice(0, 32);
  }

  // --- Callbacks ----------------------------------------------------------------------------------

  callbacksOf(who: Ownership): CallbackRecord[] {
    return [...this.callbacks.values()].filter((record) => owns(who, record));
  }

  callbackOf(who: Ownership, id: string): CallbackRecord {
    const record = this.callbacks.get(id);
    if (!record || !owns(who, record)) throw notFound('Callback');
    return record;
  }

  createCallback(who: Ownership, subscribe: CallbackSubscribe, nowMs: number): CallbackRecord {
    if (this.callbacksOf(who).length >= MAX_CALLBACKS_PER_USER) {
      throw new V4ApiError(
        'invalidParameter',
        `A user can subscribe at most ${MAX_CALLBACKS_PER_USER} callbacks per application.`,
      );
    }
    const record: CallbackRecord = {
      ...who,
      id: this.#newId('callback'),
      subscribe,
      status: 'Running',
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    this.callbacks.set(record.id, record);
    return record;
  }

  updateCallback(record: CallbackRecord, subscribe: CallbackSubscribe, nowMs: number): void {
    record.subscribe = subscribe;
    record.updatedAtMs = nowMs;
  }

  setCallbackStatus(record: CallbackRecord, status: SettableStatus, nowMs: number): void {
    record.status = status;
    record.updatedAtMs = nowMs;
  }

  /** Deleting a callback deletes its monitors (spec deleteUsertRemote). */
  deleteCallback(record: CallbackRecord): void {
    this.callbacks.delete(record.id);
    for (const monitor of this.monitors.values()) {
      if (monitor.callbackId === record.id) this.monitors.delete(monitor.id);
    }
  }

  // --- Monitors -----------------------------------------------------------------------------------

  monitorsOf(callback: CallbackRecord, vehicleId: string): MonitorRecord[] {
    return [...this.monitors.values()].filter(
      (monitor) => monitor.callbackId === callback.id && monitor.vehicleId === vehicleId,
    );
  }

  monitorOf(callback: CallbackRecord, vehicleId: string, id: string): MonitorRecord {
    const record = this.monitors.get(id);
    if (!record || record.callbackId !== callback.id || record.vehicleId !== vehicleId)
      throw notFound('Monitor');
    return record;
  }

  createMonitor(
    callback: CallbackRecord,
    vehicleId: string,
    input: { parameter: MonitorParameter; scopes: readonly string[]; apiBase: string },
    nowMs: number,
  ): MonitorRecord {
    const siblings = [...this.monitors.values()].filter(
      (monitor) => monitor.vehicleId === vehicleId && owns(callback, monitor),
    );
    if (siblings.length >= MAX_MONITORS_PER_VEHICLE) {
      throw new V4ApiError(
        'invalidParameter',
        `A vehicle can have at most ${MAX_MONITORS_PER_VEHICLE} monitors per application and user.`,
      );
    }
    const record: MonitorRecord = {
      ownerIndex: callback.ownerIndex,
      clientId: callback.clientId,
      id: this.#newId('monitor'),
      callbackId: callback.id,
      vehicleId,
      ...input,
      compiled: compileMonitor(input.parameter),
      status: 'Running',
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      sinceMs: nowMs,
      scan: null,
    };
    this.monitors.set(record.id, record);
    return record;
  }

  /** A full replacement (spec: "the aggregation is not supported"); it watches afresh from now. */
  updateMonitor(
    record: MonitorRecord,
    input: { parameter: MonitorParameter; scopes: readonly string[]; apiBase: string },
    nowMs: number,
  ): void {
    Object.assign(record, input, {
      compiled: compileMonitor(input.parameter),
      updatedAtMs: nowMs,
      sinceMs: nowMs,
      scan: null,
    });
  }

  setMonitorStatus(record: MonitorRecord, status: SettableStatus, nowMs: number): void {
    record.status = status;
    record.updatedAtMs = nowMs;
  }

  deleteMonitor(record: MonitorRecord): void {
    this.monitors.delete(record.id);
  }
}

const owns = (who: Ownership, record: Ownership) =>
  record.ownerIndex === who.ownerIndex && record.clientId === who.clientId;

const stores = new WeakMap<SimContext, CallbackStore>();

/** The store of a simulated cloud, created on first use. */
export function callbackStoreOf(ctx: SimContext): CallbackStore {
  let store = stores.get(ctx);
  if (!store) {
    store = new CallbackStore(ctx.world.seed);
    stores.set(ctx, store);
  }
  return store;
}

/** The store if anything was ever subscribed (the dispatcher has nothing to do otherwise). */
export function existingCallbackStore(ctx: SimContext): CallbackStore | undefined {
  return stores.get(ctx);
}
