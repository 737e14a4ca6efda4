import type { SimContext } from '../context';
import { createRng, deriveSeed } from '../physics/random';
import type { Powertrain } from '../physics/vehicle-models';
import type { SimVehicle } from '../world/world';
import { DAY_MS, type VehicleTimeline } from './vehicle-timeline';

// The service indicator of a simulated car (v4 `Maintenance`, vehicle-apis.md §5.6): days and km
// left before the next service, counted from the last one, negative while it is overdue.
//
// Service history: the car's enrolment counts as its first service (it joins the connected service
// when new). Each service is due at the interval's anniversary or when the odometer has covered the
// interval's distance, whichever comes first; the owner then goes to the garage around that point,
// early or late by their own habit (the drift of one owner is consistent from visit to visit). A
// visit happens at the start of a UTC day and the odometer is read there. The history does not
// depend on the clock: the same car always has the same visits, the clock only says which of them
// have happened yet.

export type ServiceInterval = { months: number; km: number };

/**
 * PSA's current plans (Peugeot / Citroën / DS / Opel service booklets, France and Germany):
 * PureTech, BlueHDi and plug-in hybrids every year or 25,000 km, whichever comes first; the
 * electric e-CMP / e-VMP cars every 2 years or 25,000 km. Some older or arduous-use plans are
 * shorter (20,000 km, or 15,000 km for the 1.2 PureTech since 2023); one plan per powertrain keeps
 * the counters readable.
 */
export const SERVICE_INTERVALS: Readonly<Record<Powertrain, ServiceInterval>> = {
  petrol: { months: 12, km: 25_000 },
  diesel: { months: 12, km: 25_000 },
  hybrid: { months: 12, km: 25_000 },
  electric: { months: 24, km: 25_000 },
};

export type ServiceVisit = {
  /** 0 is the enrolment (the car's delivery), then 1, 2… */
  index: number;
  /** Start of the UTC day of the visit. */
  atMs: number;
  odometerKm: number;
  /** Why the visit was due: the interval's time or its distance ran out first. */
  reason: 'enrolment' | 'time' | 'distance';
  /** The next service is due on this date (UTC day start) … */
  dueAtMs: number;
  /** … or at this odometer reading, whichever comes first. */
  dueKm: number;
};

export type MaintenanceCounters = {
  /** When the car last reported: end of its last trip, now while driving, or its last service. */
  createdAtMs: number;
  updatedAtMs: number;
  /** Calendar days from today to the due date; negative once the date has passed. */
  daysBeforeMaintenance: number;
  /** Due odometer minus the odometer, 1 decimal; negative once the distance has been covered. */
  mileageBeforeMaintenance: number;
  lastService: ServiceVisit;
  nextService: ServiceVisit;
};

/** Owner habits: most go on time, some early, some late (days for time, km for distance). */
const HABITS = [
  { share: 0.3, days: [-21, -5], km: [-2_000, -300] },
  { share: 0.45, days: [-5, 5], km: [-300, 300] },
  { share: 0.25, days: [5, 24], km: [300, 900] },
] as const;
const MAX_EARLY_DAYS = 40;
const MAX_LATE_DAYS = 30;
const MAX_LATE_KM = 1_000;
/** Nobody services a car twice in two months. */
const MIN_GAP_DAYS = 60;
/** Odometer probes when the distance runs out before the date (each one simulates ≈ 2 days). */
const MAX_DISTANCE_PROBES = 5;
/**
 * When the last interval's pace would cover less than this share of the distance by the due date,
 * the date comes first without reading the odometer there (yearly mileage varies far less).
 */
const SURELY_TIME_SHARE = 0.8;
/** A car parked for a month reports nothing more recent than this before now. */
const SILENT_REPORT_MS = 30 * DAY_MS;

const histories = new WeakMap<VehicleTimeline, ServiceVisit[]>();

const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
const round1 = (value: number) => Math.round(value * 10) / 10 + 0;

function addMonthsUtc(ms: number, months: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

/**
 * The odometer at the start of a UTC day. Each distinct day simulates that day and the one before
 * (≈ 2–6 ms); an odometer-only accessor on the timeline would make this O(1).
 */
const odometerAtDay = (timeline: VehicleTimeline, day: number) => timeline.odometerAtDayStart(day);

function visit(
  vehicle: SimVehicle,
  index: number,
  day: number,
  odometerKm: number,
  reason: ServiceVisit['reason'],
): ServiceVisit {
  const interval = SERVICE_INTERVALS[vehicle.powertrain];
  const atMs = day * DAY_MS;
  return {
    index,
    atMs,
    odometerKm,
    reason,
    dueAtMs: addMonthsUtc(atMs, interval.months),
    dueKm: odometerKm + interval.km,
  };
}

function ownerHabit(seed: string, vehicle: SimVehicle) {
  const rng = createRng(deriveSeed(seed, vehicle.id, 'service-habit'));
  const draw = rng.next();
  let cumulative = 0;
  for (const habit of HABITS) {
    cumulative += habit.share;
    if (draw < cumulative) {
      return { days: rng.range(habit.days[0], habit.days[1]), km: rng.range(habit.km[0], habit.km[1]) };
    }
  }
  return { days: 0, km: 0 };
}

const paceKmPerDay = (from: ServiceVisit, to: { atMs: number; odometerKm: number }) =>
  Math.max(0, to.odometerKm - from.odometerKm) / Math.max(1, dayOf(to.atMs) - dayOf(from.atMs));

/**
 * The visit after `previous`: find the due point, then shift it by the owner's drift. `before` is
 * the visit before `previous`, whose pace can spare reading the odometer at the due date.
 */
function nextVisit(
  seed: string,
  vehicle: SimVehicle,
  timeline: VehicleTimeline,
  previous: ServiceVisit,
  before: ServiceVisit | undefined,
): ServiceVisit {
  const previousDay = dayOf(previous.atMs);
  const dueDay = dayOf(previous.dueAtMs);
  const interval = SERVICE_INTERVALS[vehicle.powertrain];
  const expectedKm = before
    ? paceKmPerDay(before, previous) * (dueDay - previousDay)
    : Number.POSITIVE_INFINITY;
  const atDueKm = expectedKm < SURELY_TIME_SHARE * interval.km ? null : odometerAtDay(timeline, dueDay);
  let duePointDay = dueDay;
  let reason: ServiceVisit['reason'] = 'time';
  let kmPerDay = before ? paceKmPerDay(before, previous) : 0;
  if (atDueKm !== null && atDueKm < previous.dueKm) {
    kmPerDay = paceKmPerDay(previous, { atMs: previous.dueAtMs, odometerKm: atDueKm });
  } else if (atDueKm !== null) {
    // The distance ran out first: the odometer is monotonic, so narrow the crossing day by secant
    // steps (days are noisy but the trend is steady), then interpolate in what is left; a few days
    // of precision is plenty, as the owner's own drift is larger.
    reason = 'distance';
    let lo = { day: previousDay, km: previous.odometerKm };
    let hi = { day: dueDay, km: atDueKm };
    for (let probe = 0; probe < MAX_DISTANCE_PROBES && hi.day - lo.day > 2; probe++) {
      const span = hi.km - lo.km;
      const fraction = span > 0 ? (previous.dueKm - lo.km) / span : 0.5;
      const day = Math.min(
        hi.day - 1,
        Math.max(lo.day + 1, lo.day + Math.round(fraction * (hi.day - lo.day))),
      );
      const km = odometerAtDay(timeline, day);
      if (km >= previous.dueKm) hi = { day, km };
      else lo = { day, km };
    }
    // Secant steps may creep up on one side only (the pace changes with the seasons).
    const span = hi.km - lo.km;
    const fraction = span > 0 ? (previous.dueKm - lo.km) / span : 1;
    duePointDay = Math.min(hi.day, lo.day + Math.ceil(fraction * (hi.day - lo.day)));
    kmPerDay = paceKmPerDay(previous, { atMs: hi.day * DAY_MS, odometerKm: hi.km });
  }
  const habit = ownerHabit(seed, vehicle);
  const rng = createRng(deriveSeed(seed, vehicle.id, 'service', previous.index + 1));
  let driftDays: number;
  if (reason === 'time') {
    driftDays = habit.days + rng.normal(0, 4);
  } else {
    const driftKm = Math.min(MAX_LATE_KM, habit.km + rng.normal(0, 150));
    driftDays = driftKm / Math.max(5, kmPerDay);
  }
  driftDays = Math.round(Math.min(MAX_LATE_DAYS, Math.max(-MAX_EARLY_DAYS, driftDays)));
  const day = Math.max(previousDay + MIN_GAP_DAYS, duePointDay + driftDays);
  return visit(vehicle, previous.index + 1, day, odometerAtDay(timeline, day), reason);
}

/**
 * The car's visits from enrolment up to and including the first one after `untilMs` (which is not
 * known to the car yet, but fixed all the same). Cached per timeline and extended on demand.
 */
export function serviceVisits(
  ctx: SimContext,
  vehicle: SimVehicle,
  untilMs: number,
): readonly ServiceVisit[] {
  const timeline = ctx.fleet.timelineOf(vehicle);
  let visits = histories.get(timeline);
  if (!visits) {
    const enrolledDay = dayOf(ctx.fleet.enrolledAtMs(vehicle));
    visits = [visit(vehicle, 0, enrolledDay, odometerAtDay(timeline, enrolledDay), 'enrolment')];
    histories.set(timeline, visits);
  }
  let last = visits[visits.length - 1] as ServiceVisit;
  while (last.atMs <= untilMs) {
    last = nextVisit(ctx.world.seed, vehicle, timeline, last, visits[visits.length - 2]);
    visits.push(last);
  }
  return visits;
}

/** The last visit at or before `ms` (the enrolment before any service), or null before enrolment. */
export function lastServiceAt(ctx: SimContext, vehicle: SimVehicle, ms: number): ServiceVisit | null {
  if (ms < ctx.fleet.enrolledAtMs(vehicle)) return null;
  const visits = serviceVisits(ctx, vehicle, ms);
  for (let i = visits.length - 1; i >= 0; i--) {
    const candidate = visits[i] as ServiceVisit;
    if (candidate.atMs <= ms) return candidate;
  }
  return null;
}

/** The service indicator as the car last reported it at `nowMs`; null before the car was enrolled. */
export function maintenanceAt(
  ctx: SimContext,
  vehicle: SimVehicle,
  nowMs: number,
): MaintenanceCounters | null {
  const lastService = lastServiceAt(ctx, vehicle, nowMs);
  if (!lastService) return null;
  const nextService = serviceVisits(ctx, vehicle, nowMs)[lastService.index + 1] as ServiceVisit;
  const state = ctx.fleet.timelineOf(vehicle).stateAt(nowMs);
  const reportedAtMs = state.moving ? nowMs : (state.lastTripEndMs ?? nowMs - SILENT_REPORT_MS);
  // The garage's reset is a report of its own (the ignition is on in the workshop).
  const createdAtMs = Math.min(nowMs, Math.max(reportedAtMs, lastService.atMs));
  return {
    createdAtMs,
    updatedAtMs: createdAtMs,
    daysBeforeMaintenance: dayOf(lastService.dueAtMs) - dayOf(nowMs),
    mileageBeforeMaintenance: round1(lastService.dueKm - state.odometerKm),
    lastService,
    nextService,
  };
}
