import type { SimContext } from '../../context';
import { alertsBetween, type SimAlert } from '../../fleet/alerts';
import { DAY_MS, type TripRecord } from '../../fleet/vehicle-timeline';
import { hasTractionBattery } from '../../physics/vehicle-models';
import type { SimVehicle } from '../../world/world';
import {
  CHARGING_UPLOAD_MS,
  DRIVING_UPLOAD_MS,
  keyOffUploadMs,
  lastUpload,
  statusResource,
  type Upload,
} from '../status-resources';
import { tripFacts, tripPrivacy, tripStates } from '../trip-resources';
import type { DataName } from './schemas';

// What a monitor can see of a car: the cloud's view, never the timeline's. Levels change only when
// the car uploads (v4/status-resources.ts: every 30 s while driving, at key-off, while charging),
// and each reading is the v4 status body of that upload, so a webhook value is exactly what
// GET …/status answers at the event's date. Events come on top: a trip starts at its first upload
// (key-on), stops at its key-off upload, and an alert starts when fleet/alerts.ts says.

/** How long after a trip's end its charging session is surely known (status-resources probes 1 h). */
const SESSION_PROBE_MS = 3_600_000;
/** Trips that started this long before a window can still upload in it (charging nights). */
const LOOKBACK_MS = 2 * DAY_MS;

export type Observation = {
  atMs: number;
  /** The car's latest upload at `atMs` (null before its first). */
  upload: Upload | null;
  /** The upload was made at this very instant: its readings are new. */
  fresh: boolean;
  tripStart: TripRecord | null;
  tripStop: TripRecord | null;
  /** Alerts that came on at this instant. */
  alerts: SimAlert[];
};

type Candidate = { tripStart: TripRecord | null; tripStop: TripRecord | null; alerts: SimAlert[] };

export type ObservationKinds = {
  /** Every upload (levels, positions); without, only the instants of events. */
  uploads: boolean;
  /** New alerts. */
  alerts: boolean;
};

/**
 * The instants in (fromMs, toMs] at which something the cloud knows about the car changed,
 * oldest first: its uploads, its trips' starts and stops and its new alerts, as asked.
 */
export function observationsBetween(
  ctx: SimContext,
  vehicle: SimVehicle,
  fromMs: number,
  toMs: number,
  kinds: ObservationKinds,
): Observation[] {
  if (!(toMs > fromMs)) return [];
  const timeline = ctx.fleet.timelineOf(vehicle);
  const seed = ctx.world.seed;
  const candidates = new Map<number, Candidate>();
  const inWindow = (ms: number) => ms > fromMs && ms <= toMs;
  const at = (ms: number): Candidate => {
    let candidate = candidates.get(ms);
    if (!candidate) {
      candidate = { tripStart: null, tripStop: null, alerts: [] };
      candidates.set(ms, candidate);
    }
    return candidate;
  };
  /** The instants start + k × step in the window, below `endMs`. */
  const grid = (startMs: number, endMs: number, stepMs: number) => {
    if (!kinds.uploads) return;
    const first = Math.max(0, Math.ceil((fromMs + 1 - startMs) / stepMs));
    const last = Math.floor((Math.min(toMs, endMs - 1) - startMs) / stepMs);
    for (let k = first; k <= last; k++) at(startMs + k * stepMs);
  };

  for (const trip of timeline.tripsBetween(fromMs - LOOKBACK_MS, toMs + 1)) {
    if (inWindow(trip.startMs)) at(trip.startMs).tripStart = trip;
    grid(trip.startMs, trip.endMs, DRIVING_UPLOAD_MS);
    const delayMs = keyOffUploadMs(seed, vehicle.id, trip.endMs);
    if (inWindow(trip.endMs + delayMs)) at(trip.endMs + delayMs).tripStop = trip;
    if (!kinds.uploads || !hasTractionBattery(timeline.model)) continue;
    // The session (if any) the car was plugged into after this trip, with its uploads. Extra
    // instants are harmless: each one is checked against the status' own schedule below.
    const session = timeline.stateAt(trip.endMs + SESSION_PROBE_MS).charging;
    if (!session || session.pluggedAtMs < trip.endMs) continue;
    if (inWindow(session.pluggedAtMs + delayMs)) at(session.pluggedAtMs + delayMs);
    grid(session.startMs, session.endMs, CHARGING_UPLOAD_MS);
    if (inWindow(session.endMs)) at(session.endMs);
  }
  if (kinds.alerts) {
    for (const alert of alertsBetween(ctx, vehicle, fromMs + 1, toMs + 1, toMs)) {
      if (inWindow(alert.startedAtMs)) at(alert.startedAtMs).alerts.push(alert);
    }
  }

  const observations: Observation[] = [];
  for (const ms of [...candidates.keys()].sort((a, b) => a - b)) {
    const candidate = candidates.get(ms) as Candidate;
    const upload = lastUpload(ctx, vehicle, ms);
    const fresh = upload !== null && upload.atMs === ms;
    // A grid instant that was no upload after all (the status' own schedule decides) is skipped.
    if (!fresh && !candidate.tripStart && !candidate.tripStop && candidate.alerts.length === 0) continue;
    observations.push({ atMs: ms, upload, fresh, ...candidate });
  }
  return observations;
}

/** The car as a monitor sees it at an instant (no event of its own): its latest upload. */
export function observationAt(ctx: SimContext, vehicle: SimVehicle, ms: number): Observation {
  const upload = lastUpload(ctx, vehicle, ms);
  return { atMs: ms, upload, fresh: upload !== null, tripStart: null, tripStop: null, alerts: [] };
}

// --- Readings -------------------------------------------------------------------------------------

export type StatusView = { apiBase: string; telemetry: boolean; position: boolean };

export type Readings = {
  /** Each datum as the literal the status shows (`"45.3"`, `"true"`, `"InProgress"`); absent when hidden. */
  values: Partial<Record<DataName, string>>;
  /** [longitude, latitude] of the upload's GPS fix, when the status shows it. */
  position: [number, number] | null;
  /** A trip is under way. */
  driving: boolean;
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown, key: string): Json | null =>
  isObject(value) && isObject(value[key]) ? value[key] : null;
const arrayAt = (value: unknown, key: string): unknown[] =>
  isObject(value) && Array.isArray(value[key]) ? value[key] : [];
function literalAt(value: unknown, key: string): string | undefined {
  const field = isObject(value) ? value[key] : undefined;
  if (typeof field === 'number' || typeof field === 'boolean') return String(field);
  return typeof field === 'string' ? field : undefined;
}

/** The v4 status body of an upload as a monitor with these scopes gets it. */
export function statusOf(ctx: SimContext, vehicle: SimVehicle, upload: Upload, view: StatusView): Json {
  return statusResource(ctx, vehicle, upload, view) as Json;
}

/** Every datum a monitor can test, read from the status body of the upload (and its trip). */
export function readingsOf(ctx: SimContext, vehicle: SimVehicle, upload: Upload, status: Json): Readings {
  const energies = arrayAt(status, 'energies').filter(isObject);
  const fuel = energies.find((energy) => energy.type === 'Fuel');
  const electric = energies.find((energy) => energy.type === 'Electric');
  const charging = objectAt(objectAt(electric, 'extension'), 'electric');
  const chargingState = objectAt(charging, 'charging');
  const kinetic = objectAt(status, 'kinetic');
  const thermic = arrayAt(status, 'engines')
    .filter(isObject)
    .find((engine) => engine.type === 'Thermic');
  const doors = objectAt(status, 'doorsState');
  const autonomies = [fuel, electric]
    .map((energy) => (isObject(energy) && typeof energy.autonomy === 'number' ? energy.autonomy : null))
    .filter((value): value is number => value !== null);
  const timeline = ctx.fleet.timelineOf(vehicle);
  const facts = tripFacts(timeline, upload.trip, upload.atMs);
  const values: Partial<Record<DataName, string>> = {
    'vehicle.odometer': literalAt(objectAt(status, 'odometer'), 'mileage'),
    'vehicle.powertrain.status': literalAt(objectAt(status, 'powertrain'), 'status'),
    'vehicle.engines.thermic.oil.temp': literalAt(
      objectAt(objectAt(objectAt(thermic, 'extension'), 'thermic'), 'oil'),
      'temp',
    ),
    'vehicle.energy.electric.level': literalAt(electric, 'level'),
    'vehicle.energy.electric.autonomy': literalAt(electric, 'autonomy'),
    'vehicle.energy.fuel.level': literalAt(fuel, 'level'),
    'vehicle.energy.fuel.autonomy': literalAt(fuel, 'autonomy'),
    // A hybrid goes as far as both energies take it [infer: the spec's "global" autonomy].
    'vehicle.autonomy': autonomies.length > 0 ? String(autonomies.reduce((a, b) => a + b, 0)) : undefined,
    'vehicle.energy.charging.status': literalAt(chargingState, 'status'),
    'vehicle.energy.charging.plugged': literalAt(chargingState, 'plugged'),
    'vehicle.energy.charging.type': literalAt(chargingState, 'type'),
    'vehicle.doorsState.lockedState': arrayAt(doors, 'lockedStates').join(',') || undefined,
    'vehicle.doorsState.opening':
      arrayAt(doors, 'opening')
        .filter(isObject)
        .map((door) => `${String(door.identifier)}:${String(door.state)}`)
        .join(',') || undefined,
    'vehicle.kinetic.moving': literalAt(kinetic, 'moving'),
    'vehicle.kinetic.speed': literalAt(kinetic, 'speed'),
    'vehicle.trip.duration': String(facts.durationS),
    'vehicle.trip.distance': String(facts.distanceKm),
    'vehicle.trip.state': tripStates(tripPrivacy(ctx.world.seed, vehicle, upload.trip)).join(','),
    'environment.air.temp': literalAt(objectAt(objectAt(status, 'environment'), 'air'), 'temp'),
    'privacy.state': literalAt(objectAt(status, 'privacy'), 'state'),
    'vehicle.drivingBehavior.mode': literalAt(objectAt(status, 'drivingBehavior'), 'mode'),
    'vehicle.safety.autoECallTriggering': literalAt(objectAt(status, 'safety'), 'autoECallTriggering'),
    'vehicle.preconditioning.airConditioning': literalAt(
      objectAt(objectAt(status, 'preconditioning'), 'airConditioning'),
      'status',
    ),
    'vehicle.alarm.status.activation': literalAt(objectAt(objectAt(status, 'alarm'), 'status'), 'activation'),
  };
  for (const key of Object.keys(values) as DataName[]) if (values[key] === undefined) delete values[key];
  const coordinates = arrayAt(objectAt(objectAt(status, 'lastPosition'), 'geometry'), 'coordinates');
  const [lon, lat] = coordinates;
  return {
    values,
    position: typeof lon === 'number' && typeof lat === 'number' ? [lon, lat] : null,
    driving: upload.kind === 'driving',
  };
}
