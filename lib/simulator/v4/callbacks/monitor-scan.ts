import type { SimContext } from '../../context';
import { alertsBetween } from '../../fleet/alerts';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import type { SimVehicle } from '../../world/world';
import {
  type Observation,
  observationAt,
  observationsBetween,
  type Readings,
  readingsOf,
  type StatusView,
  statusOf,
} from './observations';
import { type CompiledMonitor, evaluate, type FiredValue, isEvent, type TriggerMemory } from './triggers';

// Runs a monitor over the car's observations in (lastScannedMs, toMs]: which instants fire, and
// the refresh (reminder) events while the monitor's condition keeps holding (spec 4.17
// MonitorCallbackSubscribe.refreshEvent, Message.monitorEvent.refresh).

export type ScanState = TriggerMemory & {
  /** Everything up to this instant has been evaluated. */
  lastScannedMs: number;
  /** The monitor fired and its condition still holds: refresh events are due. */
  inContext: boolean;
  /** The last event or refresh sent (the refresh period counts from it). */
  lastEventMs: number;
};

export type Fire = {
  atMs: number;
  refresh: boolean;
  values: FiredValue[];
  trip: TripRecord | null;
  /** The observation the event was raised at (refresh events: the car as it was then). */
  observation: Observation;
};

/**
 * Status bodies and readings per upload, shared by the monitors of a car within one scan (each
 * status body costs about half a millisecond).
 */
export class ReadingsCache {
  readonly #entries = new Map<string, { status: Record<string, unknown>; readings: Readings }>();

  get(ctx: SimContext, vehicle: SimVehicle, observation: Observation, view: StatusView) {
    const upload = observation.upload;
    if (!upload) return null;
    const key = `${vehicle.id}|${upload.atMs}|${view.telemetry}|${view.position}|${view.apiBase}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      const status = statusOf(ctx, vehicle, upload, view);
      entry = { status, readings: readingsOf(ctx, vehicle, upload, status) };
      if (this.#entries.size > 5000) this.#entries.clear();
      this.#entries.set(key, entry);
    }
    return entry;
  }
}

export type ScanInput = {
  ctx: SimContext;
  vehicle: SimVehicle;
  monitor: CompiledMonitor;
  view: StatusView;
  cache: ReadingsCache;
};

/** The memory of a monitor that starts watching at `sinceMs`: the car as the cloud knew it then. */
export function initialScanState(input: ScanInput, sinceMs: number): ScanState {
  const empty: TriggerMemory = { values: {}, position: null, truths: {} };
  const observation = observationAt(input.ctx, input.vehicle, sinceMs);
  const readings = input.monitor.readsStatus
    ? (input.cache.get(input.ctx, input.vehicle, observation, input.view)?.readings ?? null)
    : null;
  // Evaluated once against nothing known, then kept as the memory: nothing fires for the state
  // the car is already in.
  const first = evaluate(input.monitor, empty, { observation, readings, alertsBefore: () => [] });
  return { ...first.memory, lastScannedMs: sinceMs, inContext: false, lastEventMs: sinceMs };
}

/** The values of the state triggers that hold: what a refresh event reports. */
function holdingValues(monitor: CompiledMonitor, state: ScanState): FiredValue[] {
  const values: FiredValue[] = [];
  for (const trigger of monitor.triggers) {
    if (trigger.kind !== 'data' || isEvent(trigger) || !state.truths[trigger.name]) continue;
    const literal = state.values[trigger.data];
    if (literal !== undefined) values.push({ data: trigger.data, literal });
  }
  return values;
}

/**
 * Evaluates (state.lastScannedMs, toMs] and moves the state on. With `deliver` false (the monitor
 * or its callback is paused) the state still follows the car, so nothing stale fires on resume,
 * but no event is returned.
 */
export function scanMonitor(input: ScanInput, state: ScanState, toMs: number, deliver: boolean): Fire[] {
  const { ctx, vehicle, monitor } = input;
  const fires: Fire[] = [];
  const refreshesUntil = (limitMs: number) => {
    if (monitor.refreshMs === null) return;
    while (state.inContext && state.lastEventMs + monitor.refreshMs <= limitMs) {
      const atMs = state.lastEventMs + monitor.refreshMs;
      const observation = observationAt(ctx, vehicle, atMs);
      fires.push({
        atMs,
        refresh: true,
        values: holdingValues(monitor, state),
        trip: observation.upload?.trip ?? null,
        observation,
      });
      state.lastEventMs = atMs;
    }
  };

  const observations = observationsBetween(ctx, vehicle, state.lastScannedMs, toMs, {
    uploads: monitor.readsStatus,
    alerts: monitor.watchesAlerts,
  });
  for (const observation of observations) {
    refreshesUntil(observation.atMs);
    const readings =
      observation.fresh && monitor.readsStatus
        ? (input.cache.get(ctx, vehicle, observation, input.view)?.readings ?? null)
        : null;
    const result = evaluate(monitor, state, {
      observation,
      readings,
      alertsBefore: () =>
        alertsBetween(ctx, vehicle, observation.atMs - 1, observation.atMs, observation.atMs - 1)
          .filter((alert) => alert.active)
          .map((alert) => alert.type),
    });
    Object.assign(state, result.memory);
    if (result.fired && deliver) {
      fires.push({
        atMs: observation.atMs,
        refresh: false,
        values: result.values,
        trip: result.trip,
        observation,
      });
      state.lastEventMs = observation.atMs;
      state.inContext = result.holds;
    } else {
      state.inContext = state.inContext && result.holds && deliver;
    }
  }
  refreshesUntil(toMs);
  state.lastScannedMs = toMs;
  return fires;
}
