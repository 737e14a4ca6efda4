import 'server-only';
import { createHash } from 'node:crypto';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type {
  Alert,
  ChargingSession,
  EcoEvaluation,
  Maintenance,
  Trip,
  VehicleData,
} from '../../telemetry/model';
import type { QuarantinedRecord } from '../../telemetry/validate';
import type { Database } from '../schema';
import { refreshRollupsAt } from './rollups';
import { storable, upsertSamples } from './sample-upsert';
import { summarizeTripsOfBatch } from './trip-summaries';
import { upsertVehicleSnapshots } from './vehicle-snapshots';

export { sampleOfRow, sampleRow } from './sample-upsert';

// The write path of vehicle data: one car's validated batch stored in one transaction — all of it
// or none — by natural keys, so a batch delivered twice, in pieces or shuffled, leaves the same
// rows as delivering it once:
// - samples: (vehicle, instant, provider). A repeat merges: a measurement the new copy has replaces
//   the stored one, one it lacks keeps the stored value (a status and a telemetry message of the
//   same instant complete each other). The provider measured one value per instant, so copies agree.
// - trips, alerts, charging sessions, eco evaluations: the provider's id (or start, or scope) plus
//   `observed_until`, how recent the facts of a version are (the trip's end, or how far it had got);
//   an older version arriving late never overwrites a newer one.
// - maintenance reports: (vehicle, provider, instant), written once.
// Callers validate first (lib/telemetry/validate.ts); the quarantined records are kept beside, once
// each, with their reasons.

const CHUNK_ROWS = 500;

const tripObservedUntil = (trip: Trip) =>
  trip.endedAt ??
  (trip.durationS === undefined ? trip.startedAt : trip.startedAt + Math.round(trip.durationS * 1000));

/**
 * A trip's public id: stable for the same car, provider and provider trip id, so that re-importing
 * a file or re-syncing a trip names the same trip (URLs and CLI output keep working).
 */
export const tripIdOf = (vehicleId: string, provider: string, providerTripId: string) =>
  createHash('sha256')
    .update(`${vehicleId}\u0000${provider}\u0000${providerTripId}`)
    .digest('base64url')
    .slice(0, 22);

function tripRow(vehicleId: string, trip: Trip) {
  return {
    id: tripIdOf(vehicleId, trip.source.provider, trip.providerTripId),
    vehicle_id: vehicleId,
    provider: trip.source.provider,
    provider_trip_id: trip.providerTripId,
    source_ref: trip.source.ref,
    started_at: trip.startedAt,
    ended_at: trip.endedAt ?? null,
    observed_until: tripObservedUntil(trip),
    distance_km: trip.distanceKm ?? null,
    duration_s: trip.durationS ?? null,
    start_odometer_km: trip.startOdometerKm ?? null,
    end_odometer_km: trip.endOdometerKm ?? null,
    avg_speed_kmh: trip.avgSpeedKmh ?? null,
    max_speed_kmh: trip.maxSpeedKmh ?? null,
    fuel_used_l: trip.fuelUsedL ?? null,
    energy_used_kwh: trip.energyUsedKwh ?? null,
    start_latitude: trip.startPosition?.latitude ?? null,
    start_longitude: trip.startPosition?.longitude ?? null,
    end_latitude: trip.endPosition?.latitude ?? null,
    end_longitude: trip.endPosition?.longitude ?? null,
    faults: trip.faults && trip.faults.length > 0 ? JSON.stringify(trip.faults) : null,
  };
}

function alertRow(vehicleId: string, alert: Alert) {
  return {
    vehicle_id: vehicleId,
    provider: alert.source.provider,
    provider_alert_id: alert.providerAlertId,
    source_ref: alert.source.ref,
    type: alert.type,
    severity: alert.severity,
    active: alert.active ? 1 : 0,
    started_at: alert.startedAt,
    ended_at: alert.endedAt ?? null,
    // An alert that ended is newer news than the same alert still on.
    observed_until: alert.endedAt ?? alert.startedAt,
    latitude: alert.position?.latitude ?? null,
    longitude: alert.position?.longitude ?? null,
  };
}

const maintenanceRow = (vehicleId: string, report: Maintenance) => ({
  vehicle_id: vehicleId,
  provider: report.source.provider,
  at: report.at,
  source_ref: report.source.ref,
  days_before_service: report.daysBeforeService ?? null,
  km_before_service: report.kmBeforeService ?? null,
});

const chargingRow = (vehicleId: string, session: ChargingSession) => ({
  vehicle_id: vehicleId,
  provider: session.source.provider,
  started_at: session.startedAt,
  source_ref: session.source.ref,
  ended_at: session.endedAt ?? null,
  observed_until: session.endedAt ?? session.startedAt,
  energy_added_kwh: session.energyAddedKwh ?? null,
  avg_power_kw: session.avgPowerKw ?? null,
  start_level_pct: session.startLevelPct ?? null,
  end_level_pct: session.endLevelPct ?? null,
});

export function ecoScopeKey(scope: EcoEvaluation['scope']): string {
  switch (scope.kind) {
    case 'trip':
      return `trip:${scope.providerTripId}`;
    case 'day':
      return `day:${scope.day}`;
    case 'month':
      return `month:${scope.month}`;
    case 'all':
      return 'all';
  }
}

const ecoRow = (vehicleId: string, evaluation: EcoEvaluation) => ({
  vehicle_id: vehicleId,
  provider: evaluation.source.provider,
  scope: ecoScopeKey(evaluation.scope),
  source_ref: evaluation.source.ref,
  at: evaluation.at,
  mark: evaluation.mark ?? null,
  scale_max: evaluation.scaleMax,
  // Sorted keys: the same criteria always give the same text.
  criteria: JSON.stringify(
    Object.fromEntries(Object.entries(evaluation.criteria).sort(([a], [b]) => a.localeCompare(b))),
  ),
});

/**
 * One row per key within a batch: PostgreSQL refuses an upsert that touches the same row twice in
 * one statement. `merge(stored, incoming)` applies the same rule the database applies between
 * batches, so pre-merging changes nothing in the result.
 */
function mergeByKey<T>(
  rows: readonly T[],
  key: (row: T) => string,
  merge: (stored: T, incoming: T) => T,
): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const id = key(row);
    const stored = byKey.get(id);
    byKey.set(id, stored === undefined ? row : merge(stored, row));
  }
  return [...byKey.values()].map(storableRow);
}

function storableRow<T>(row: T): T {
  const out = { ...row } as Record<string, unknown>;
  for (const [column, value] of Object.entries(out)) {
    if (typeof value === 'number') out[column] = storable(value);
  }
  return out as T;
}

/** Versions: the one observed later wins; of two observed as far, the later delivery. */
const newerVersion = <T extends { observed_until: number }>(stored: T, next: T) =>
  next.observed_until >= stored.observed_until ? next : stored;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) out.push(rows.slice(i, i + CHUNK_ROWS));
  return out;
}

/** Every column but the key, set from the incoming row (`excluded`). */
function fromExcluded<T extends string>(columns: readonly T[]) {
  return (eb: ExpressionBuilder<never, never>) =>
    Object.fromEntries(columns.map((column) => [column, eb.ref(`excluded.${column}` as never)])) as Record<
      T,
      never
    >;
}

/** The quarantine row id: the same rejected record of the same car is kept once. */
const quarantineId = (vehicleId: string, entry: QuarantinedRecord) =>
  createHash('sha256')
    .update(`${vehicleId}\u0000${entry.kind}\u0000${JSON.stringify(entry.record)}`)
    .digest('hex');

export type StoredCounts = { [K in keyof VehicleData]: number } & { quarantined: number };

/**
 * Stores one car's validated batch in one transaction. `vehicleId` must be a vehicle the caller
 * has already resolved for its owner (the sync worker and the import do).
 */
export async function storeVehicleData(
  db: Kysely<Database>,
  vehicleId: string,
  data: VehicleData,
  quarantined: readonly QuarantinedRecord[] = [],
  receivedAt = Date.now(),
): Promise<StoredCounts> {
  return db.transaction().execute((trx) => writeVehicleData(trx, vehicleId, data, quarantined, receivedAt));
}

export type WriteOptions = {
  /**
   * Skip this batch's rollups and trip summaries: the caller derives them once for a span it
   * writes in many batches (the file import, at the end of its transaction).
   */
  deriveLater?: boolean;
};

/**
 * The same inside the caller's transaction (`trx`), for writers that commit several batches at
 * once (the file import commits a whole file or nothing).
 */
export async function writeVehicleData(
  trx: Kysely<Database>,
  vehicleId: string,
  data: VehicleData,
  quarantined: readonly QuarantinedRecord[] = [],
  receivedAt = Date.now(),
  options: WriteOptions = {},
): Promise<StoredCounts> {
  await upsertSamples(trx, vehicleId, data.samples);
  const trips = mergeByKey(
    data.trips.map((trip) => tripRow(vehicleId, trip)),
    (row) => `${row.provider}|${row.provider_trip_id}`,
    newerVersion,
  );
  for (const rows of chunks(trips)) {
    await trx
      .insertInto('trips')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['vehicle_id', 'provider', 'provider_trip_id'])
          .doUpdateSet(fromExcluded(TRIP_UPDATES) as never)
          .where('trips.observed_until', '<=', (eb) => eb.ref('excluded.observed_until')),
      )
      .execute();
  }
  const alerts = mergeByKey(
    data.alerts.map((alert) => alertRow(vehicleId, alert)),
    (row) => `${row.provider}|${row.provider_alert_id}`,
    newerVersion,
  );
  for (const rows of chunks(alerts)) {
    await trx
      .insertInto('alerts')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['vehicle_id', 'provider', 'provider_alert_id'])
          .doUpdateSet(fromExcluded(ALERT_UPDATES) as never)
          .where('alerts.observed_until', '<=', (eb) => eb.ref('excluded.observed_until')),
      )
      .execute();
  }
  const reports = mergeByKey(
    data.maintenance.map((report) => maintenanceRow(vehicleId, report)),
    (row) => `${row.provider}|${row.at}`,
    (stored) => stored,
  );
  for (const rows of chunks(reports)) {
    await trx
      .insertInto('maintenance_reports')
      .values(rows)
      .onConflict((oc) => oc.columns(['vehicle_id', 'provider', 'at']).doNothing())
      .execute();
  }
  const sessions = mergeByKey(
    data.chargingSessions.map((session) => chargingRow(vehicleId, session)),
    (row) => `${row.provider}|${row.started_at}`,
    newerVersion,
  );
  for (const rows of chunks(sessions)) {
    await trx
      .insertInto('charging_sessions')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['vehicle_id', 'provider', 'started_at'])
          .doUpdateSet(fromExcluded(CHARGING_UPDATES) as never)
          .where('charging_sessions.observed_until', '<=', (eb) => eb.ref('excluded.observed_until')),
      )
      .execute();
  }
  const evaluations = mergeByKey(
    data.ecoEvaluations.map((evaluation) => ecoRow(vehicleId, evaluation)),
    (row) => `${row.provider}|${row.scope}`,
    (stored, next) => (next.at >= stored.at ? next : stored),
  );
  for (const rows of chunks(evaluations)) {
    await trx
      .insertInto('eco_evaluations')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['vehicle_id', 'provider', 'scope'])
          .doUpdateSet(fromExcluded(ECO_UPDATES) as never)
          .where('eco_evaluations.at', '<=', (eb) => eb.ref('excluded.at')),
      )
      .execute();
  }
  // Range and privacy mode: the latest of each, a newer stored value kept (vehicle-snapshots.ts).
  if (data.snapshots && data.snapshots.length > 0) {
    await upsertVehicleSnapshots(trx, vehicleId, data.snapshots);
  }
  const rejected = quarantined.map((entry) => ({
    id: quarantineId(vehicleId, entry),
    vehicle_id: vehicleId,
    kind: entry.kind,
    reason: entry.reason,
    record: JSON.stringify(entry.record) ?? 'null',
    received_at: receivedAt,
  }));
  for (const rows of chunks(
    mergeByKey(
      rejected,
      (row) => row.id,
      (stored) => stored,
    ),
  )) {
    await trx
      .insertInto('quarantine')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  // Derived data of this batch, in its transaction: the rollups of the minutes its samples touch,
  // and Kinetic's own summary (moving and idle time, events) of the provider trips they overlap.
  if (!options.deriveLater) {
    await refreshRollupsAt(
      trx,
      vehicleId,
      data.samples.map((sample) => sample.at),
    );
    await summarizeTripsOfBatch(trx, vehicleId, data);
  }
  return {
    samples: data.samples.length,
    trips: data.trips.length,
    chargingSessions: data.chargingSessions.length,
    alerts: data.alerts.length,
    maintenance: data.maintenance.length,
    ecoEvaluations: data.ecoEvaluations.length,
    ...(data.snapshots ? { snapshots: data.snapshots.length } : {}),
    quarantined: quarantined.length,
  };
}

const TRIP_UPDATES = [
  'source_ref',
  'started_at',
  'ended_at',
  'observed_until',
  'distance_km',
  'duration_s',
  'start_odometer_km',
  'end_odometer_km',
  'avg_speed_kmh',
  'max_speed_kmh',
  'fuel_used_l',
  'energy_used_kwh',
  'start_latitude',
  'start_longitude',
  'end_latitude',
  'end_longitude',
] as const;
const ALERT_UPDATES = [
  'source_ref',
  'type',
  'severity',
  'active',
  'started_at',
  'ended_at',
  'observed_until',
  'latitude',
  'longitude',
] as const;
const CHARGING_UPDATES = [
  'source_ref',
  'ended_at',
  'observed_until',
  'energy_added_kwh',
  'avg_power_kw',
  'start_level_pct',
  'end_level_pct',
] as const;
const ECO_UPDATES = ['source_ref', 'at', 'mark', 'scale_max', 'criteria'] as const;
