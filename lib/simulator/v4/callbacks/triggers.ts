import type { SimAlert } from '../../fleet/alerts';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import { type BoolExp, evaluateBoolExp, parseBoolExp } from './bool-exp';
import type { Observation } from './observations';
import {
  DATA_KINDS,
  type DataKind,
  type DataName,
  type DataOp,
  type MonitorParameter,
  type TimeTrigger,
} from './schemas';
import { inTimeWindows } from './time-window';

// A monitor's triggers, compiled, and their truth at one observation (spec 4.17 MonitorTrigger,
// DataTrigger, ZoneTrigger, TimeTrigger; vehicle-apis.md §4.2). Two kinds of triggers:
// - states, true for as long as their condition holds: thresholds (greaterThan, lowerThan,
//   equalsTo, includedIn), zones (In = inside the circle, Out = outside) and time intervals (the
//   car driving within the interval: the spec calls the time trigger "a vehicle moving event
//   within a time interval");
// - events, true at one instant only: trip start and stop, a new alert, and any onChange.
// The monitor fires when its boolean expression becomes true: true now and false just before
// (states as at the previous observation, events off). So a threshold fires once on crossing, not
// again while the level stays beyond it, and an event fires every time it happens.
// A `previous` state latches: the trigger becomes true only from a previous value that matches,
// then stays true while its own condition holds (the spec's notes on `previous`).

export type CompiledTrigger =
  | {
      name: string;
      kind: 'data';
      data: DataName;
      dataKind: DataKind;
      op: DataOp;
      values: readonly string[];
      previous: { op: 'equalsTo' | 'includedIn'; values: readonly string[] } | null;
    }
  | { name: string; kind: 'zone'; inside: boolean; lat: number; lon: number; radiusKm: number }
  | { name: string; kind: 'time'; time: TimeTrigger };

export type CompiledMonitor = {
  triggers: readonly CompiledTrigger[];
  expression: BoolExp;
  /** `subscribeParam.refreshEvent` in ms, or null for no reminders. */
  refreshMs: number | null;
  /** A trigger watches new alerts (alerts are only computed for such monitors). */
  watchesAlerts: boolean;
  /** A trigger reads the status (levels, zones, time): trip and alert events alone do not. */
  readsStatus: boolean;
};

export function compileMonitor(parameter: MonitorParameter): CompiledMonitor {
  const triggers = parameter.triggerParam.triggers.map((trigger): CompiledTrigger => {
    if (trigger.zone) {
      const { center, radius } = trigger.zone.place;
      return {
        name: trigger.name,
        kind: 'zone',
        inside: trigger.zone.transition === 'In',
        lat: center.latitude,
        lon: center.longitude,
        radiusKm: radius,
      };
    }
    if (trigger.time) return { name: trigger.name, kind: 'time', time: trigger.time };
    const data = trigger.data as NonNullable<typeof trigger.data>;
    return {
      name: trigger.name,
      kind: 'data',
      data: data.data,
      dataKind: DATA_KINDS[data.data],
      op: data.op,
      values: data.value ?? [],
      previous: data.previous ? { op: data.previous.op, values: data.previous.value } : null,
    };
  });
  return {
    triggers,
    expression: parseBoolExp(
      parameter.triggerParam.boolExp,
      triggers.map((trigger) => trigger.name),
    ),
    refreshMs: parameter.subscribeParam?.refreshEvent ? parameter.subscribeParam.refreshEvent * 1000 : null,
    watchesAlerts: triggers.some((trigger) => trigger.kind === 'data' && trigger.data === 'vehicle.alert'),
    readsStatus: triggers.some(
      (trigger) => trigger.kind !== 'data' || (trigger.dataKind !== 'event' && trigger.dataKind !== 'alert'),
    ),
  };
}

/** Events are true at one instant only; states hold. */
export const isEvent = (trigger: CompiledTrigger) =>
  trigger.kind === 'data' &&
  (trigger.op === 'onChange' || trigger.dataKind === 'event' || trigger.dataKind === 'alert');

// --- Predicates -----------------------------------------------------------------------------------

function matches(op: DataOp, literal: string, values: readonly string[], numeric: boolean): boolean {
  const first = values[0];
  if (first === undefined) return false;
  if (numeric) {
    const value = Number(literal);
    const target = Number(first);
    if (op === 'greaterThan') return value > target;
    if (op === 'lowerThan') return value < target;
    return value === target;
  }
  // Lists (lockedStates, trip states) are comma-joined literals: includedIn matches any item.
  if (op === 'includedIn') return literal.split(',').some((item) => values.includes(item));
  return literal === first;
}

const previousMatches = (previous: { op: string; values: readonly string[] }, literal: string) =>
  matches(previous.op === 'includedIn' ? 'includedIn' : 'equalsTo', literal, previous.values, false);

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

// --- One observation ----------------------------------------------------------------------------

/** What a monitor remembers between observations. */
export type TriggerMemory = {
  /** Last known literal of each datum (hidden data keep their last known value). */
  values: Partial<Record<DataName, string>>;
  /** Last known GPS fix [lon, lat]. */
  position: [number, number] | null;
  /** Each state trigger's truth at the last observation (events are false between instants). */
  truths: Record<string, boolean>;
};

export type FiredValue = {
  data: DataName;
  literal: string;
  /** The previous literal, sent only when the trigger has a `previous` state (spec). */
  previous?: string;
  /** The alerts that fired a vehicle.alert trigger. */
  alerts?: readonly SimAlert[];
};

export type Evaluation = {
  /** The expression became true at this observation. */
  fired: boolean;
  /** The expression without its events: the monitor's context still holds (for refresh events). */
  holds: boolean;
  /** The data triggers true at this observation, in trigger order. */
  values: FiredValue[];
  /** The trip the event is about: the one starting or stopping, else the car's current or last. */
  trip: TripRecord | null;
  memory: TriggerMemory;
};

export type ObservationInput = {
  observation: Observation;
  /** The upload's readings when it is fresh; null to keep the last known ones. */
  readings: { values: Partial<Record<DataName, string>>; position: [number, number] | null } | null;
  /** Types of the alerts active just before the instant (for `previous` on vehicle.alert). */
  alertsBefore: () => readonly string[];
};

export function evaluate(
  monitor: CompiledMonitor,
  memory: TriggerMemory,
  input: ObservationInput,
): Evaluation {
  const { observation, readings } = input;
  const values = readings ? { ...memory.values, ...readings.values } : memory.values;
  const position = readings?.position ?? memory.position;
  const truth: Record<string, boolean> = {};
  const fired: FiredValue[] = [];

  for (const trigger of monitor.triggers) {
    if (trigger.kind === 'zone') {
      truth[trigger.name] = position
        ? distanceKm(trigger.lat, trigger.lon, position[1], position[0]) <= trigger.radiusKm ===
          trigger.inside
        : (memory.truths[trigger.name] ?? false);
      continue;
    }
    if (trigger.kind === 'time') {
      truth[trigger.name] =
        observation.upload?.kind === 'driving' && inTimeWindows(trigger.time, observation.atMs);
      continue;
    }
    const previousLiteral = memory.values[trigger.data];
    const withPrevious = (value: FiredValue): FiredValue =>
      trigger.previous && previousLiteral !== undefined ? { ...value, previous: previousLiteral } : value;
    let on = false;
    if (trigger.dataKind === 'event') {
      const trip = trigger.data === 'vehicle.trip.start' ? observation.tripStart : observation.tripStop;
      on = trip !== null;
      if (trip) fired.push({ data: trigger.data, literal: trip.id });
    } else if (trigger.dataKind === 'alert') {
      const alerts = observation.alerts.filter(
        (alert) => trigger.op === 'onChange' || matches(trigger.op, alert.type, trigger.values, false),
      );
      const before = trigger.previous && alerts.length > 0 ? input.alertsBefore() : [];
      const previous = trigger.previous;
      on = alerts.length > 0 && (!previous || before.some((type) => previousMatches(previous, type)));
      if (on) {
        const value: FiredValue = {
          data: trigger.data,
          literal: alerts.map((alert) => alert.type).join(','),
          alerts,
        };
        fired.push(previous ? { ...value, previous: before.join(',') } : value);
      }
    } else {
      const literal = values[trigger.data];
      const previousOk =
        !trigger.previous ||
        (previousLiteral !== undefined && previousMatches(trigger.previous, previousLiteral));
      if (trigger.op === 'onChange') {
        on =
          readings !== null &&
          literal !== undefined &&
          previousLiteral !== undefined &&
          literal !== previousLiteral &&
          previousOk;
      } else {
        const holds =
          literal !== undefined &&
          matches(trigger.op, literal, trigger.values, trigger.dataKind === 'number');
        on = holds && ((memory.truths[trigger.name] ?? false) || previousOk);
      }
      if (on && literal !== undefined) fired.push(withPrevious({ data: trigger.data, literal }));
    }
    truth[trigger.name] = on;
  }

  const stateOnly = (name: string) => {
    const trigger = monitor.triggers.find((candidate) => candidate.name === name);
    return trigger !== undefined && !isEvent(trigger);
  };
  const now = evaluateBoolExp(monitor.expression, (name) => truth[name] ?? false);
  const before = evaluateBoolExp(
    monitor.expression,
    (name) => stateOnly(name) && (memory.truths[name] ?? false),
  );
  const holds = evaluateBoolExp(monitor.expression, (name) => stateOnly(name) && (truth[name] ?? false));
  const truths: Record<string, boolean> = {};
  for (const trigger of monitor.triggers)
    truths[trigger.name] = !isEvent(trigger) && (truth[trigger.name] ?? false);
  return {
    fired: now && !before,
    holds,
    values: fired,
    trip: observation.tripStart ?? observation.tripStop ?? observation.upload?.trip ?? null,
    memory: { values, position, truths },
  };
}
