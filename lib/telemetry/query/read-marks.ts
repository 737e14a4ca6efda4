import 'server-only';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import {
  MAX_TELEMETRY_MARKS,
  type TelemetryAlertMark,
  type TelemetryEventMark,
  type TelemetryMarksDto,
  type TelemetryMarksQuery,
} from '../../schemas/telemetry';
import { NO_SUCH_VEHICLE } from './read-telemetry';

// GET /api/vehicles/{id}/telemetry/marks: what the explorer marks on its timeline over [from, to]
// — the harsh events of the trips that overlap the range (trips.events, Kinetic's own analysis)
// and the alerts that were on at some point of it. Each list keeps its earliest
// MAX_TELEMETRY_MARKS entries; `truncated` says when one was cut.

/** Longest trip the model stores (lib/telemetry/model.ts: durationS ≤ 7 days). */
const MAX_TRIP_MS = 7 * 86_400_000;
/** Trips read at most: far more than 500 events' worth, a bound on the JSON parsed. */
const MAX_TRIPS_READ = 5000;

const SEVERITIES = new Set(['information', 'warning', 'critical'] as const);
type Severity = TelemetryAlertMark['severity'];

/**
 * An alert's public id: stored alerts are keyed by (vehicle, provider, provider's id), which is
 * not for URLs; this hash of the key is stable across syncs (as tripIdOf is for trips).
 */
export const alertIdOf = (vehicleId: string, provider: string, providerAlertId: string) =>
  createHash('sha256')
    .update(`${vehicleId}\u0000${provider}\u0000${providerAlertId}`)
    .digest('base64url')
    .slice(0, 22);

type StoredEvent = { type?: unknown; severity?: unknown; at?: unknown; value?: unknown };

function eventsOf(text: string, tripId: string, fromMs: number, toMs: number): TelemetryEventMark[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out: TelemetryEventMark[] = [];
  for (const event of parsed as StoredEvent[]) {
    if (typeof event?.type !== 'string' || typeof event.severity !== 'string' || typeof event.at !== 'string')
      continue;
    const at = Date.parse(event.at);
    if (!(at >= fromMs && at <= toMs)) continue;
    out.push({
      type: event.type,
      severity: event.severity,
      at: new Date(at).toISOString(),
      value: typeof event.value === 'number' && Number.isFinite(event.value) ? event.value : null,
      tripId,
    });
  }
  return out;
}

export async function readTelemetryMarks(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
  { from, to }: TelemetryMarksQuery,
): Promise<TelemetryMarksDto> {
  const vehicle = await db
    .selectFrom('vehicles')
    .select('id')
    .where('id', '=', vehicleId)
    .where('user_id', '=', ownerId)
    .executeTakeFirst();
  if (vehicle === undefined) throw new AppError('not_found', NO_SUCH_VEHICLE);

  // Overlap: started by `to`, not over before `from` (a trip under way reaches its observed end).
  // The lower bound on started_at keeps the (vehicle_id, started_at) index range short.
  const trips = await db
    .selectFrom('trips')
    .select(['id', 'events'])
    .where('vehicle_id', '=', vehicleId)
    .where('started_at', '<=', to)
    .where('started_at', '>=', from - MAX_TRIP_MS)
    .where((eb) => eb(eb.fn.coalesce('ended_at', 'observed_until'), '>=', from))
    .where('events', 'is not', null)
    .where('events', '!=', '[]')
    .orderBy('started_at')
    .limit(MAX_TRIPS_READ)
    .execute();
  const events = trips
    .flatMap((trip) => eventsOf(trip.events ?? '[]', trip.id, from, to))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const alertRows = await db
    .selectFrom('alerts')
    .select(['provider', 'provider_alert_id', 'type', 'severity', 'started_at', 'ended_at'])
    .where('vehicle_id', '=', vehicleId)
    .where('started_at', '<=', to)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', from)]))
    .orderBy('started_at')
    .orderBy('provider_alert_id')
    .limit(MAX_TELEMETRY_MARKS + 1)
    .execute();
  const alerts = alertRows.map(
    (row): TelemetryAlertMark => ({
      id: alertIdOf(vehicleId, row.provider, row.provider_alert_id),
      type: row.type,
      severity: SEVERITIES.has(row.severity as Severity) ? (row.severity as Severity) : 'information',
      startedAt: new Date(Number(row.started_at)).toISOString(),
      endedAt: row.ended_at === null ? null : new Date(Number(row.ended_at)).toISOString(),
    }),
  );

  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    events: events.slice(0, MAX_TELEMETRY_MARKS),
    alerts: alerts.slice(0, MAX_TELEMETRY_MARKS),
    truncated:
      events.length > MAX_TELEMETRY_MARKS ||
      alerts.length > MAX_TELEMETRY_MARKS ||
      trips.length === MAX_TRIPS_READ,
  };
}
