import { createHash } from 'node:crypto';
import type { SimContext } from '../context';
import { typicalOutsideTempC } from '../physics/climate';
import { createRng, deriveSeed, type Rng } from '../physics/random';
import type { Powertrain } from '../physics/vehicle-models';
import type { SimVehicle } from '../world/world';
import { type ServiceVisit, serviceVisits } from './maintenance';
import { positionsHiddenAt } from './privacy';
import { DAY_MS, type TripRecord, type VehicleTimeline } from './vehicle-timeline';

// The alerts a simulated car raises (v4 `Alert`, 4.17 AlertMsgEnum, vehicle-apis.md §5.7). Three
// kinds of sources, all deterministic for a seed:
// - read from the timeline: FuelLevelLow (a trip's tank level falls below 12 %, cleared by the
//   refuel before the next trip) and RiskOfIce (a trip that starts below 3 °C, for that trip);
// - from the service history: ReplaceBrakePads when the pads' life in km runs out (sooner for
//   aggressive drivers), cleared at the next service or an earlier brake job;
// - random faults: a Poisson draw per car, type and week (`createRng(deriveSeed(seed, car,
//   'alert', type, week))`), moved onto the car's own use: a fault shows when the car is next
//   started, a door left open when it is next parked, and clears when the car is next started
//   after the owner fixed it (a parked car reports nothing).
// An alert that has not started by `now` does not exist yet; one that has not cleared by `now` is
// active and has no end.

export type AlertSeverity = 'Information' | 'Warning' | 'Critical';

/** The AlertMsgEnum values (4.17 spelling) this simulator raises. */
export const SIMULATED_ALERT_TYPES = [
  'FuelLevelLow',
  'RiskOfIce',
  'ReplaceBrakePads',
  'LeftFrontTireUnderInflated',
  'RightFrontTireUnderInflated',
  'LeftRearTireUnderInflated',
  'RightRearTireUnderInflated',
  'LeftFrontTirePuncture',
  'RightFrontTirePuncture',
  'LeftRearTirePuncture',
  'RightRearTirePuncture',
  'OilLevelLow',
  'AdBlueFault',
  'EngineFault',
  'ElectricTractionSystemFault',
  'BatteryChargeOrElectricalCircuitSystemFailure',
  'ChargingFailure',
  'AddWasherFluid',
  'ReplaceTheRemoteControlBattery',
  'LeftFrontDoorOpen',
  'RightFrontDoorOpen',
  'LeftRearDoorOpen',
  'RightRearDoorOpen',
  'TrunkOrHoodOpen',
] as const;

export type AlertType = (typeof SIMULATED_ALERT_TYPES)[number];

type Source =
  /** A fault noticed when the car is started; clears at the first start after the fix. */
  | { kind: 'ignition'; perYear: number; hours: readonly [number, number]; coldSeason?: boolean }
  /** Something noticed once the car is parked; clears after `minutes`, or at the next start. */
  | {
      kind: 'parked';
      perYear: number;
      delayMinutes: readonly [number, number];
      minutes?: readonly [number, number];
    }
  | { kind: 'fuel' | 'ice' | 'pads' };

export type AlertCatalogueEntry = {
  type: AlertType;
  severity: AlertSeverity;
  powertrains: readonly Powertrain[];
  source: Source;
};

const ALL: readonly Powertrain[] = ['petrol', 'diesel', 'hybrid', 'electric'];
const THERMIC: readonly Powertrain[] = ['petrol', 'diesel', 'hybrid'];

const tyre = (type: AlertType): AlertCatalogueEntry => ({
  type,
  severity: 'Warning',
  powertrains: ALL,
  // Pressure drops ≈ 0.1 bar per 10 °C: about 1.4 warnings a car-year over the four wheels, most of
  // them in the cold months; the owner inflates within a few days.
  source: { kind: 'ignition', perYear: 0.35, hours: [8, 240], coldSeason: true },
});
const puncture = (type: AlertType): AlertCatalogueEntry => ({
  type,
  severity: 'Critical',
  powertrains: ALL,
  source: { kind: 'ignition', perYear: 0.03, hours: [4, 72] },
});
const door = (type: AlertType, perYear: number): AlertCatalogueEntry => ({
  type,
  severity: 'Information',
  powertrains: ALL,
  source: { kind: 'parked', perYear, delayMinutes: [0.2, 2], minutes: [1, 25] },
});

/** Every simulated type: who raises it, how often (mean per car-year) and for how long. */
export const ALERT_CATALOGUE: readonly AlertCatalogueEntry[] = [
  { type: 'FuelLevelLow', severity: 'Warning', powertrains: THERMIC, source: { kind: 'fuel' } },
  { type: 'RiskOfIce', severity: 'Information', powertrains: ALL, source: { kind: 'ice' } },
  { type: 'ReplaceBrakePads', severity: 'Warning', powertrains: ALL, source: { kind: 'pads' } },
  tyre('LeftFrontTireUnderInflated'),
  tyre('RightFrontTireUnderInflated'),
  tyre('LeftRearTireUnderInflated'),
  tyre('RightRearTireUnderInflated'),
  puncture('LeftFrontTirePuncture'),
  puncture('RightFrontTirePuncture'),
  puncture('LeftRearTirePuncture'),
  puncture('RightRearTirePuncture'),
  {
    type: 'OilLevelLow',
    severity: 'Warning',
    powertrains: THERMIC,
    source: { kind: 'ignition', perYear: 0.3, hours: [24, 336] },
  },
  {
    type: 'AdBlueFault',
    severity: 'Warning',
    powertrains: ['diesel'],
    source: { kind: 'ignition', perYear: 0.25, hours: [24, 240] },
  },
  {
    type: 'EngineFault',
    severity: 'Critical',
    powertrains: THERMIC,
    source: { kind: 'ignition', perYear: 0.05, hours: [48, 240] },
  },
  {
    type: 'ElectricTractionSystemFault',
    severity: 'Warning',
    powertrains: ['electric'],
    source: { kind: 'ignition', perYear: 0.04, hours: [48, 240] },
  },
  {
    type: 'BatteryChargeOrElectricalCircuitSystemFailure',
    severity: 'Warning',
    powertrains: ALL,
    source: { kind: 'ignition', perYear: 0.1, hours: [24, 120] },
  },
  {
    // Plugged in after a drive, the charge fails; it clears when the car is unplugged and driven.
    type: 'ChargingFailure',
    severity: 'Warning',
    powertrains: ['electric'],
    source: { kind: 'parked', perYear: 0.2, delayMinutes: [5, 45] },
  },
  {
    type: 'AddWasherFluid',
    severity: 'Information',
    powertrains: ALL,
    source: { kind: 'ignition', perYear: 1, hours: [24, 480], coldSeason: true },
  },
  {
    type: 'ReplaceTheRemoteControlBattery',
    severity: 'Information',
    powertrains: ALL,
    source: { kind: 'ignition', perYear: 0.15, hours: [72, 720] },
  },
  door('LeftFrontDoorOpen', 1),
  door('RightFrontDoorOpen', 0.6),
  door('LeftRearDoorOpen', 0.5),
  door('RightRearDoorOpen', 0.5),
  door('TrunkOrHoodOpen', 1.2),
];

const CATALOGUE_BY_TYPE = new Map(ALERT_CATALOGUE.map((entry) => [entry.type, entry]));

export type AlertPosition = { lat: number; lon: number; headingDeg: number; atMs: number };

export type SimAlert = {
  /** 64 hex characters, stable for a seed: the start second, the type and a hash. */
  id: string;
  type: AlertType;
  severity: AlertSeverity;
  startedAtMs: number;
  /** When it cleared; null while it is active at `now`. */
  endAtMs: number | null;
  active: boolean;
  /** Where the car was; null when its privacy mode hid positions at that instant. */
  startPosition: AlertPosition | null;
  endPosition: AlertPosition | null;
  /** Trips that overlap [startedAt, endAt or now). */
  trips: readonly { id: string; startMs: number }[];
};

export type AlertQueryOptions = { types?: readonly AlertType[] };

const WEEK_MS = 7 * DAY_MS;
const FUEL_LOW_PCT = 12;
const ICE_BELOW_C = 3;
/**
 * Formula temperatures this close to the threshold are checked against the trip's own trace: a
 * departure pushed back by a long previous trip shifts the daily wave by ≈ 0.02 °C a minute.
 */
const ICE_CHECK_MARGIN_C = 0.3;
/** Beyond its nominal duration an alert waits for the next start; a car parked longer loses it. */
const SNAP_SLACK_MS = 14 * DAY_MS;
/** How far back an alert may start and still be active: the longest nominal duration plus slack. */
const LOOKBACK_MS = 30 * DAY_MS + SNAP_SLACK_MS;
/** Trips read before a window for the timeline-derived alerts still active at its start. */
const TRIP_LOOKBACK_MS = 3 * DAY_MS;
/** Pads within this of their end are replaced at a service, so their warning never shows. */
const PAD_REPLACE_MARGIN_KM = 5_000;

type Spot = { trip: TripRecord; km: number };
type Draft = {
  key: string;
  type: AlertType;
  startMs: number;
  start: Spot;
  endMs: number | null;
  end: Spot | null;
};

type Env = { ctx: SimContext; vehicle: SimVehicle; timeline: VehicleTimeline; seed: string; nowMs: number };

// --- Trips around an instant ---------------------------------------------------------------------

/** Trips starting in [fromMs, untilMs], day by day, so a search stops at the first day it needs. */
function* tripsFrom(timeline: VehicleTimeline, fromMs: number, untilMs: number): Generator<TripRecord> {
  for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS <= untilMs; day++) {
    yield* timeline.tripsBetween(Math.max(fromMs, day * DAY_MS), Math.min((day + 1) * DAY_MS, untilMs + 1));
  }
}

function firstTripStart(env: Env, fromMs: number): TripRecord | null {
  const until = Math.min(env.nowMs, fromMs + LOOKBACK_MS);
  for (const trip of tripsFrom(env.timeline, fromMs, until)) return trip;
  return null;
}

/** The first trip that has ended at or after `fromMs` by now. */
function firstTripEnd(env: Env, fromMs: number): TripRecord | null {
  const until = Math.min(env.nowMs, fromMs + LOOKBACK_MS);
  for (const trip of tripsFrom(env.timeline, fromMs - DAY_MS / 2, until)) {
    if (trip.endMs > env.nowMs) return null;
    if (trip.endMs >= fromMs) return trip;
  }
  return null;
}

const startSpot = (trip: TripRecord): Spot => ({ trip, km: 0 });
const endSpot = (trip: TripRecord): Spot => ({ trip, km: trip.distanceKm });

/** The end of an alert that clears at the first start at or after `clearMs` (null: not yet). */
function clearedAtNextStart(env: Env, clearMs: number): { endMs: number | null; end: Spot | null } {
  const trip = clearMs <= env.nowMs ? firstTripStart(env, clearMs) : null;
  return trip ? { endMs: trip.startMs, end: startSpot(trip) } : { endMs: null, end: null };
}

// --- Random faults ---------------------------------------------------------------------------------

function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  let product = rng.next();
  while (product > limit) {
    count++;
    product *= rng.next();
  }
  return count;
}

/** More tyre and washer warnings in cold weeks: ×2 in deep winter, ×0.6 in summer, ≈1 over a year. */
function coldFactor(weekStartMs: number): number {
  const tempC = typicalOutsideTempC(new Date(weekStartMs + 3.5 * DAY_MS), 8 * 60);
  return Math.min(2, Math.max(0.6, 1 + (10 - tempC) / 10));
}

type RawOccurrence = {
  week: number;
  k: number;
  instantMs: number;
  nominalEndMs: number;
  /** Uniform draws for the parked delay and duration, drawn up front so windows agree on them. */
  delayU: number;
  lengthU: number;
};

function rawOccurrences(
  env: Env,
  entry: AlertCatalogueEntry,
  fromWeek: number,
  toWeek: number,
): RawOccurrence[] {
  const source = entry.source;
  if (source.kind !== 'ignition' && source.kind !== 'parked') return [];
  const out: RawOccurrence[] = [];
  for (let week = fromWeek; week <= toWeek; week++) {
    const rng = createRng(deriveSeed(env.seed, env.vehicle.id, 'alert', entry.type, week));
    const seasonal = source.kind === 'ignition' && source.coldSeason ? coldFactor(week * WEEK_MS) : 1;
    const count = poisson(rng, (source.perYear * seasonal * 7) / 365.25);
    for (let k = 0; k < count; k++) {
      const instantMs = Math.floor(((week + rng.next()) * WEEK_MS) / 1000) * 1000;
      const span =
        source.kind === 'ignition'
          ? rng.range(source.hours[0], source.hours[1]) * 3_600_000
          : (source.minutes?.[1] ?? 0) * 60_000;
      out.push({
        week,
        k,
        instantMs,
        nominalEndMs: instantMs + span,
        delayU: rng.next(),
        lengthU: rng.next(),
      });
    }
  }
  return out;
}

/**
 * Occurrences of one random type that could start in [fromMs, untilMs] or still be active then. An
 * occurrence is dropped when an earlier one of the same type is still on (a car does not raise the
 * same warning twice); the rule looks only at nominal times, so every window agrees on it.
 */
function randomDrafts(env: Env, entry: AlertCatalogueEntry, fromMs: number, untilMs: number): Draft[] {
  const source = entry.source;
  if (source.kind !== 'ignition' && source.kind !== 'parked') return [];
  const firstWeek = Math.floor((fromMs - LOOKBACK_MS) / WEEK_MS);
  const lastWeek = Math.floor(untilMs / WEEK_MS);
  const suppressWeeks = Math.ceil(LOOKBACK_MS / WEEK_MS);
  const raws = rawOccurrences(env, entry, firstWeek - suppressWeeks, lastWeek);
  const drafts: Draft[] = [];
  for (const raw of raws) {
    if (raw.week < firstWeek || raw.instantMs > untilMs) continue;
    // Long over before the window (it would take a car parked for weeks to keep it on).
    if (raw.nominalEndMs + SNAP_SLACK_MS < fromMs) continue;
    const shadowed = raws.some(
      (other) =>
        other !== raw &&
        (other.instantMs < raw.instantMs || (other.instantMs === raw.instantMs && other.k < raw.k)) &&
        raw.instantMs < other.nominalEndMs + SNAP_SLACK_MS,
    );
    if (shadowed) continue;
    const key = `${entry.type}|${raw.week}|${raw.k}`;
    const draft =
      source.kind === 'ignition' ? ignitionDraft(env, entry, raw, key) : parkedDraft(env, entry, raw, key);
    if (draft) drafts.push(draft);
  }
  return drafts;
}

function ignitionDraft(env: Env, entry: AlertCatalogueEntry, raw: RawOccurrence, key: string): Draft | null {
  const trip = firstTripStart(env, raw.instantMs);
  if (!trip) return null;
  const fixedMs = trip.startMs + (raw.nominalEndMs - raw.instantMs);
  return {
    key,
    type: entry.type,
    startMs: trip.startMs,
    start: startSpot(trip),
    ...clearedAtNextStart(env, fixedMs),
  };
}

function parkedDraft(env: Env, entry: AlertCatalogueEntry, raw: RawOccurrence, key: string): Draft | null {
  const source = entry.source;
  if (source.kind !== 'parked') return null;
  const trip = firstTripEnd(env, raw.instantMs);
  if (!trip) return null;
  const [minDelay, maxDelay] = source.delayMinutes;
  const startMs = trip.endMs + Math.round((minDelay + raw.delayU * (maxDelay - minDelay)) * 60) * 1000;
  if (startMs > env.nowMs) return null;
  const next = firstTripStart(env, trip.endMs + 1);
  // The car left before anything happened (charging never started, the door was shut).
  if (next && next.startMs <= startMs) return null;
  const parked = endSpot(trip);
  if (!source.minutes) {
    return next
      ? { key, type: entry.type, startMs, start: parked, endMs: next.startMs, end: startSpot(next) }
      : { key, type: entry.type, startMs, start: parked, endMs: null, end: null };
  }
  const [minOpen, maxOpen] = source.minutes;
  const closedMs = startMs + Math.round((minOpen + raw.lengthU * (maxOpen - minOpen)) * 60) * 1000;
  const endMs = next ? Math.min(next.startMs, closedMs) : closedMs;
  if (endMs > env.nowMs) return { key, type: entry.type, startMs, start: parked, endMs: null, end: null };
  const end = next && next.startMs === endMs ? startSpot(next) : parked;
  return { key, type: entry.type, startMs, start: parked, endMs, end };
}

// --- Read from the timeline -------------------------------------------------------------------------

/** Trips that started in [fromMs, untilMs] and by now. */
const tripsIn = (env: Env, fromMs: number, untilMs: number) =>
  env.timeline.tripsBetween(fromMs, Math.min(untilMs, env.nowMs) + 1);

/**
 * FuelLevelLow: the tank falls below 12 % during a trip. The timeline refuels (to 95 %) before any
 * trip that would start below 15 %, so the next start always clears it.
 */
function fuelDrafts(env: Env, fromMs: number, untilMs: number): Draft[] {
  const drafts: Draft[] = [];
  for (const trip of tripsIn(env, fromMs - TRIP_LOOKBACK_MS, untilMs)) {
    const running = trip.endMs > env.nowMs;
    const level = running ? 0 : env.timeline.stateAt(trip.endMs).fuelLevelPct;
    if (level === null || level >= FUEL_LOW_PCT) continue;
    const trace = env.timeline.traceOf(trip);
    const levels = trace.fuelLevelPct;
    if (!levels) continue;
    const last = Math.min(levels.length - 1, Math.floor((env.nowMs - trip.startMs) / 1000));
    let i = 0;
    while (i <= last && (levels[i] ?? 100) >= FUEL_LOW_PCT) i++;
    if (i > last) continue;
    drafts.push({
      key: `fuel|${trip.id}`,
      type: 'FuelLevelLow',
      startMs: trip.startMs + i * 1000,
      start: { trip, km: trace.distanceKm[i] ?? 0 },
      ...(running ? { endMs: null, end: null } : clearedAtNextStart(env, trip.endMs + 1)),
    });
  }
  return drafts;
}

/** The outside temperature at a trip's start, as its trace was simulated with. */
function startTempC(env: Env, trip: TripRecord): number {
  const day = Math.floor(trip.startMs / DAY_MS);
  // The timeline draws a trip's weather from its id; the planned minute may differ from the actual
  // start by a pushed departure, so values near the threshold are read from the trace itself.
  const estimate = typicalOutsideTempC(
    new Date(day * DAY_MS),
    (trip.startMs - day * DAY_MS) / 60_000,
    createRng(deriveSeed(env.seed, trip.id, 'weather')),
  );
  return Math.abs(estimate - ICE_BELOW_C) < ICE_CHECK_MARGIN_C
    ? env.timeline.traceOf(trip).outsideTempC
    : estimate;
}

/** RiskOfIce: for the whole of each trip that starts below 3 °C. */
function iceDrafts(env: Env, fromMs: number, untilMs: number): Draft[] {
  const drafts: Draft[] = [];
  for (const trip of tripsIn(env, fromMs - DAY_MS, untilMs)) {
    if (startTempC(env, trip) >= ICE_BELOW_C) continue;
    const ended = trip.endMs <= env.nowMs;
    drafts.push({
      key: `ice|${trip.id}`,
      type: 'RiskOfIce',
      startMs: trip.startMs,
      start: startSpot(trip),
      endMs: ended ? trip.endMs : null,
      end: ended ? endSpot(trip) : null,
    });
  }
  return drafts;
}

/** Pad life in km for one set: 70,000 for the gentlest driver, 25,000 for the roughest. */
function padLifeKm(env: Env, set: number): number {
  const aggressiveness = env.ctx.world.ownerAt(env.vehicle.ownerIndex).style.aggressiveness;
  // Regenerative braking spares the pads of electric and hybrid cars.
  const regen = { petrol: 1, diesel: 1, hybrid: 1.3, electric: 1.6 }[env.vehicle.powertrain];
  const spread = createRng(deriveSeed(env.seed, env.vehicle.id, 'pads', set)).range(0.85, 1.15);
  return (70_000 - 45_000 * Math.min(1, Math.max(0, aggressiveness))) * regen * spread;
}

/**
 * ReplaceBrakePads over the service history: each set warns when its life is used up, unless a
 * service found it within 5,000 km of its end and replaced it; a warning clears at the next service
 * or at a brake job 2–30 days later, whichever comes first. Between visits the odometer is read as
 * a straight line, which is as precise as a wear sensor.
 */
function padDrafts(env: Env, fromMs: number, untilMs: number): Draft[] {
  const visits = serviceVisits(env.ctx, env.vehicle, env.nowMs);
  const first = visits[0];
  if (!first) return [];
  const drafts: Draft[] = [];
  let set = 0;
  let life = padLifeKm(env, set);
  const used = createRng(deriveSeed(env.seed, env.vehicle.id, 'pads-used')).range(0, 0.6);
  let warnKm = first.odometerKm - used * life + life;
  for (let k = 0; k + 1 < visits.length; k++) {
    const a = visits[k] as ServiceVisit;
    const b = visits[k + 1] as ServiceVisit;
    if (a.atMs > env.nowMs || a.atMs > untilMs) break;
    const timeAt = (km: number) =>
      a.atMs + ((km - a.odometerKm) / Math.max(1e-6, b.odometerKm - a.odometerKm)) * (b.atMs - a.atMs);
    const kmAt = (ms: number) =>
      a.odometerKm + ((ms - a.atMs) / (b.atMs - a.atMs)) * (b.odometerKm - a.odometerKm);
    if (k > 0 && warnKm - a.odometerKm < PAD_REPLACE_MARGIN_KM) {
      life = padLifeKm(env, ++set);
      warnKm = a.odometerKm + life;
    }
    while (warnKm < b.odometerKm) {
      const fireMs = Math.max(a.atMs, timeAt(warnKm));
      const garageDays = createRng(deriveSeed(env.seed, env.vehicle.id, 'pads-garage', set)).range(2, 30);
      const clearMs = Math.min(b.atMs, fireMs + garageDays * DAY_MS);
      if (clearMs >= fromMs - LOOKBACK_MS && fireMs <= untilMs) {
        const draft = padDraft(env, `pads|${set}`, fireMs, clearMs);
        if (draft) drafts.push(draft);
      }
      life = padLifeKm(env, ++set);
      warnKm = (clearMs === b.atMs ? b.odometerKm : kmAt(clearMs)) + life;
      if (clearMs === b.atMs) break;
    }
  }
  return drafts;
}

function padDraft(env: Env, key: string, fireMs: number, clearMs: number): Draft | null {
  const trip = firstTripStart(env, Math.ceil(fireMs / 1000) * 1000);
  // Not driven between the wear point and the fix: the warning never showed.
  if (!trip || trip.startMs >= clearMs) return null;
  return {
    key,
    type: 'ReplaceBrakePads',
    startMs: trip.startMs,
    start: startSpot(trip),
    ...clearedAtNextStart(env, clearMs),
  };
}

// --- Alerts ----------------------------------------------------------------------------------------

const TYPE_INDEX = new Map(SIMULATED_ALERT_TYPES.map((type, index) => [type, index]));

function alertId(env: Env, draft: Draft): string {
  const locator = `${Math.floor(draft.startMs / 1000)
    .toString(16)
    .padStart(10, '0')}${(TYPE_INDEX.get(draft.type) ?? 0).toString(16).padStart(2, '0')}`;
  const hash = createHash('sha256')
    .update(`kinetic-sim|alert|${env.seed}|${env.vehicle.id}|${draft.key}`)
    .digest('hex');
  return `${locator}${hash.slice(0, 64 - locator.length)}`;
}

function positionAt(env: Env, spot: Spot | null, atMs: number | null): AlertPosition | null {
  if (!spot || atMs === null || positionsHiddenAt(env.seed, env.vehicle, atMs)) return null;
  return { ...env.timeline.positionOnTrip(spot.trip, spot.km), atMs };
}

function overlappingTrips(env: Env, fromMs: number, toMs: number) {
  return env.timeline
    .tripsBetween(fromMs - DAY_MS / 2, toMs)
    .filter((trip) => trip.endMs > fromMs)
    .map((trip) => ({ id: trip.id, startMs: trip.startMs }));
}

function finish(env: Env, draft: Draft): SimAlert {
  const entry = CATALOGUE_BY_TYPE.get(draft.type) as AlertCatalogueEntry;
  return {
    id: alertId(env, draft),
    type: draft.type,
    severity: entry.severity,
    startedAtMs: draft.startMs,
    endAtMs: draft.endMs,
    active: draft.endMs === null,
    startPosition: positionAt(env, draft.start, draft.startMs),
    endPosition: positionAt(env, draft.end, draft.endMs),
    trips: overlappingTrips(env, draft.startMs, draft.endMs ?? env.nowMs),
  };
}

/** The catalogue entries that apply to a car. */
export const alertTypesFor = (vehicle: SimVehicle) =>
  ALERT_CATALOGUE.filter((entry) => entry.powertrains.includes(vehicle.powertrain));

/**
 * The car's alerts, oldest first, as known at `nowMs`: those that started in [fromMs, toMs) and by
 * now, and those that started earlier and are still active.
 */
export function alertsBetween(
  ctx: SimContext,
  vehicle: SimVehicle,
  fromMs: number,
  toMs: number,
  nowMs: number,
  options: AlertQueryOptions = {},
): SimAlert[] {
  const enrolledMs = ctx.fleet.enrolledAtMs(vehicle);
  const untilMs = Math.min(toMs - 1, nowMs);
  if (nowMs < enrolledMs || untilMs < enrolledMs) return [];
  const env: Env = { ctx, vehicle, timeline: ctx.fleet.timelineOf(vehicle), seed: ctx.world.seed, nowMs };
  const from = Math.max(fromMs, enrolledMs);
  const drafts: Draft[] = [];
  for (const entry of alertTypesFor(vehicle)) {
    if (options.types && !options.types.includes(entry.type)) continue;
    const kind = entry.source.kind;
    if (kind === 'fuel') drafts.push(...fuelDrafts(env, from, untilMs));
    else if (kind === 'ice') drafts.push(...iceDrafts(env, from, untilMs));
    else if (kind === 'pads') drafts.push(...padDrafts(env, from, untilMs));
    else drafts.push(...randomDrafts(env, entry, from, untilMs));
  }
  return drafts
    .filter(
      (draft) =>
        draft.startMs >= enrolledMs &&
        draft.startMs <= untilMs &&
        (draft.startMs >= from || draft.endMs === null),
    )
    .sort((a, b) => a.startMs - b.startMs || a.type.localeCompare(b.type) || a.key.localeCompare(b.key))
    .map((draft) => finish(env, draft));
}

/** One alert by id as known at `nowMs`; null when it does not exist (yet). */
export function alertById(ctx: SimContext, vehicle: SimVehicle, id: string, nowMs: number): SimAlert | null {
  if (!/^[0-9a-f]{64}$/.test(id)) return null;
  const startMs = Number.parseInt(id.slice(0, 10), 16) * 1000;
  const type = SIMULATED_ALERT_TYPES[Number.parseInt(id.slice(10, 12), 16)];
  if (!type || startMs > nowMs) return null;
  return (
    alertsBetween(ctx, vehicle, startMs, startMs + 1000, nowMs, { types: [type] }).find(
      (alert) => alert.id === id,
    ) ?? null
  );
}
