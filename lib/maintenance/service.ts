import 'server-only';
import type { Kysely } from 'kysely';
import { getVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import type { MaintenanceDto } from '../schemas/maintenance';
import { DAY_MS, forecastService, type MaintenanceReport, paceFromOdometer, paceFromTrips } from './forecast';

// One owned vehicle's service card: its latest service indicator and the pace the owner drives at,
// forecast by ./forecast.ts. Pace looks at the last 90 days: long enough to smooth out a holiday,
// short enough to follow a change of habits. It comes from the odometer (first and last readings
// of the daily rollups in the window), else from the trips' distances when the car reports no
// odometer (some subscriptions and OBD imports).

export const PACE_WINDOW_MS = 90 * DAY_MS;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function latestReport(db: Kysely<Database>, vehicleId: string, now: number) {
  const row = await db
    .selectFrom('maintenance_reports')
    .select(['at', 'days_before_service', 'km_before_service'])
    .where('vehicle_id', '=', vehicleId)
    .where('at', '<=', now)
    .where((eb) =>
      eb.or([eb('days_before_service', 'is not', null), eb('km_before_service', 'is not', null)]),
    )
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const report: MaintenanceReport = {
    at: Number(row.at),
    daysBeforeService: row.days_before_service === null ? null : Number(row.days_before_service),
    kmBeforeService: row.km_before_service === null ? null : Number(row.km_before_service),
  };
  return report;
}

/** Km per day over the pace window, or null when the history is too short to say. */
export async function ownerPace(
  db: Kysely<Database>,
  vehicleId: string,
  now: number,
): Promise<number | null> {
  const from = now - PACE_WINDOW_MS;
  const base = db
    .selectFrom('sample_rollups')
    .where('vehicle_id', '=', vehicleId)
    .where('resolution', '=', 'day')
    .where('bucket_start', '>=', from - DAY_MS)
    .where('bucket_start', '<=', now);
  const [first, last] = await Promise.all([
    base
      .select(['odometer_first as km', 'odometer_first_at as at'])
      .where('odometer_first_at', '>=', from)
      .where('odometer_first', 'is not', null)
      .orderBy('bucket_start', 'asc')
      .limit(1)
      .executeTakeFirst(),
    base
      .select(['odometer_last as km', 'odometer_last_at as at'])
      .where('odometer_last_at', '<=', now)
      .where('odometer_last', 'is not', null)
      .orderBy('bucket_start', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const reading = (row: { km: number | null; at: number | null } | undefined) =>
    row && row.km !== null && row.at !== null ? { km: Number(row.km), at: Number(row.at) } : null;
  const byOdometer = paceFromOdometer(reading(first), reading(last), now);
  if (byOdometer !== null) return byOdometer;

  const trips = await db
    .selectFrom('trips')
    .select(['started_at', 'distance_km'])
    .where('vehicle_id', '=', vehicleId)
    .where('started_at', '>=', from)
    .where('started_at', '<=', now)
    .where('distance_km', 'is not', null)
    .execute();
  if (trips.length === 0) return null;
  const earliest = Math.min(...trips.map((trip) => Number(trip.started_at)));
  return paceFromTrips(
    trips.map((trip) => Number(trip.distance_km)),
    (now - earliest) / DAY_MS,
  );
}

/** The service card of one of the owner's vehicles, or null (missing and foreign alike). */
export async function getMaintenance(
  db: Kysely<Database>,
  userId: string,
  vehicleId: string,
  now: number = Date.now(),
): Promise<MaintenanceDto | null> {
  const vehicle = await getVehicle(db, userId, vehicleId);
  if (!vehicle) return null;
  const [report, pace] = await Promise.all([latestReport(db, vehicleId, now), ownerPace(db, vehicleId, now)]);
  const forecast = forecastService(report, pace, now);
  return {
    vehicleId,
    vehicleLabel: vehicle.label,
    report: report && {
      at: new Date(report.at).toISOString(),
      daysBeforeService: report.daysBeforeService,
      kmBeforeService: report.kmBeforeService,
    },
    forecast: {
      status: forecast.status,
      dueAt: iso(forecast.dueAt),
      firstLimit: forecast.firstLimit,
      daysLeft: forecast.daysLeft,
      daysBeforeServiceNow: forecast.daysBeforeServiceNow,
      kmBeforeServiceNow: forecast.kmBeforeServiceNow,
      paceKmPerDay: forecast.paceKmPerDay,
    },
  };
}
