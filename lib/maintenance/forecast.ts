// When the next service falls due, from the car's own service indicator and the owner's pace.
// Pure and client-safe: the server computes the DTO, pages and tests call the same functions.
//
// The indicator (PSA `Maintenance`, vehicle-apis.md §5.6) says, as of the instant it was read, how
// many days and how many km are left before the service; either may be missing, both go negative
// once the service is overdue. The service is due at whichever limit comes first:
// - time: the report's instant plus its days (the calendar does not depend on driving);
// - distance: the report's instant plus its km divided by the owner's pace (km per day, measured
//   from the odometer, lib/maintenance/service.ts). Without a pace only the time limit can be
//   dated — unless the km are already used up, which dates the distance limit at the report itself.

export const DAY_MS = 86_400_000;

/** Pace needs at least this long a look at the odometer: a few days say little about habits. */
export const MIN_PACE_SPAN_DAYS = 14;

export type MaintenanceReport = {
  /** Epoch ms when the car reported it. */
  at: number;
  daysBeforeService: number | null;
  kmBeforeService: number | null;
};

export type ServiceLimit = 'time' | 'distance';
export type ServiceStatus = 'ok' | 'overdue' | 'unknown';

export type ServiceForecast = {
  status: ServiceStatus;
  /** Epoch ms of the forecast due date; null when it cannot be dated. */
  dueAt: number | null;
  /** Which limit is reached first; null when unknown. */
  firstLimit: ServiceLimit | null;
  /** Days from `now` to `dueAt` (negative when overdue), not rounded. */
  daysLeft: number | null;
  /** Epoch ms when the time limit falls, or null without a day count. */
  byTimeAt: number | null;
  /** Epoch ms when the distance limit falls at this pace, or null. */
  byDistanceAt: number | null;
  /** Days left now, counted down from the report (negative when overdue). */
  daysBeforeServiceNow: number | null;
  /** Km left now: the report's km less what the pace says was driven since (the report's km without a pace). */
  kmBeforeServiceNow: number | null;
  paceKmPerDay: number | null;
};

/**
 * Km per day from two odometer readings: the distance between them over the time from the first
 * one to `now` (not to the last reading, so days parked since count as days without driving).
 * Null with less than MIN_PACE_SPAN_DAYS of history, or readings that go backwards.
 */
export function paceFromOdometer(
  first: { at: number; km: number } | null,
  last: { at: number; km: number } | null,
  now: number,
): number | null {
  if (first === null || last === null || last.at < first.at) return null;
  const spanDays = (now - first.at) / DAY_MS;
  if (spanDays < MIN_PACE_SPAN_DAYS) return null;
  const km = last.km - first.km;
  if (!(km >= 0)) return null;
  return km / spanDays;
}

/** Km per day from trip distances that started within the last `spanDays` (same minimum). */
export function paceFromTrips(distancesKm: readonly number[], spanDays: number): number | null {
  if (!(spanDays >= MIN_PACE_SPAN_DAYS)) return null;
  const total = distancesKm.reduce((sum, km) => sum + Math.max(0, km), 0);
  return total / spanDays;
}

export function forecastService(
  report: MaintenanceReport | null,
  paceKmPerDay: number | null,
  now: number,
): ServiceForecast {
  const pace =
    paceKmPerDay !== null && Number.isFinite(paceKmPerDay) && paceKmPerDay >= 0 ? paceKmPerDay : null;
  const unknown: ServiceForecast = {
    status: 'unknown',
    dueAt: null,
    firstLimit: null,
    daysLeft: null,
    byTimeAt: null,
    byDistanceAt: null,
    daysBeforeServiceNow: null,
    kmBeforeServiceNow: null,
    paceKmPerDay: pace,
  };
  if (report === null) return unknown;
  const elapsedDays = Math.max(0, (now - report.at) / DAY_MS);

  const days = report.daysBeforeService;
  const km = report.kmBeforeService;
  const byTimeAt = days === null ? null : report.at + days * DAY_MS;
  let byDistanceAt: number | null = null;
  if (km !== null) {
    if (pace !== null && pace > 0) byDistanceAt = report.at + (km / pace) * DAY_MS;
    // Used up already: due at the report at the latest, whatever the pace.
    else if (km <= 0) byDistanceAt = report.at;
    // A car that is not driven never reaches its distance limit (pace 0): time decides.
  }

  const daysBeforeServiceNow = days === null ? null : days - elapsedDays;
  const kmBeforeServiceNow = km === null ? null : pace === null ? km : km - pace * elapsedDays;

  let firstLimit: ServiceLimit | null = null;
  let dueAt: number | null = null;
  if (byTimeAt !== null && (byDistanceAt === null || byTimeAt <= byDistanceAt)) {
    firstLimit = 'time';
    dueAt = byTimeAt;
  } else if (byDistanceAt !== null) {
    firstLimit = 'distance';
    dueAt = byDistanceAt;
  }
  if (dueAt === null) return { ...unknown, daysBeforeServiceNow, kmBeforeServiceNow };
  return {
    status: dueAt <= now ? 'overdue' : 'ok',
    dueAt,
    firstLimit,
    daysLeft: (dueAt - now) / DAY_MS,
    byTimeAt,
    byDistanceAt,
    daysBeforeServiceNow,
    kmBeforeServiceNow,
    paceKmPerDay: pace,
  };
}

export type RoughDuration = { unit: 'day' | 'week' | 'month' | 'year'; count: number };

/**
 * "About 6 weeks": a length of time in the unit a person would say. Under 14 days in days, under
 * 9 weeks (63 days) in weeks, under two years in months, then years; rounded to the nearest whole
 * unit, never below 1 except for less than half a day (0 days: "today").
 */
export function roughDuration(days: number): RoughDuration {
  const d = Math.abs(days);
  if (d < 0.5) return { unit: 'day', count: 0 };
  if (d < 14) return { unit: 'day', count: Math.max(1, Math.round(d)) };
  if (d < 63) return { unit: 'week', count: Math.round(d / 7) };
  if (d < 730) return { unit: 'month', count: Math.max(2, Math.round(d / 30.4375)) };
  return { unit: 'year', count: Math.round(d / 365.25) };
}
