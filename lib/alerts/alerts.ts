import 'server-only';
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../db/client';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import type { AlertDto, AlertListDto, AlertState, AlertSummaryDto } from '../schemas/alerts';
import { type AlertKey, decodeAlertId, encodeAlertId } from './alert-id';
import { type AlertSeverity, DATA_STOPPED_TYPE } from './catalogue';
import { vehicleSilence } from './silence';

// The owner's alerts: what the providers reported (table `alerts`) plus Kinetic's own "data
// stopped arriving" alert for each silent vehicle (computed, never stored), with the owner's
// acknowledgements. Every query joins vehicles.user_id, so another owner's alert — by vehicle id,
// by alert id, or by a cursor crafted to point at it — matches nothing, exactly like a missing one.
//
// Order: newest first by start, ties broken by the key (vehicle, provider, provider's id), all
// descending, compared as bytes on both engines (PostgreSQL `collate "C"`, SQLite's default BINARY)
// so the database's order and the in-memory merge with the computed alerts agree. Pages are keyset
// pages: the cursor is the last item's (start, key), so rows arriving meanwhile neither repeat nor
// shift a page.

/** Provider name of Kinetic's own alerts (acknowledgements of them are stored under it). */
export const KINETIC_PROVIDER = 'kinetic';

const NOT_FOUND_MESSAGE = 'No such alert.';

export type ListAlertsOptions = {
  vehicleId?: string;
  state: AlertState;
  severity?: AlertSeverity;
  /** Epoch ms: alerts that started at or after it. */
  from?: number;
  /** Epoch ms: alerts that started before it. */
  to?: number;
  cursor?: string;
  limit: number;
  /** The clock for the silence check (defaults to now). */
  now?: number;
};

type SortKey = { startedAt: number; vehicleId: string; provider: string; providerAlertId: string };

type Item = { dto: AlertDto; sort: SortKey };

const dataStoppedAlertId = (lastMeasuredAt: number) => `data-stopped-${lastMeasuredAt}`;

function encodeCursor(key: SortKey): string {
  return Buffer.from(
    JSON.stringify([key.startedAt, key.vehicleId, key.provider, key.providerAlertId]),
    'utf8',
  ).toString('base64url');
}

function decodeCursor(cursor: string): SortKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 4) {
      const [startedAt, vehicleId, provider, providerAlertId] = value;
      if (
        Number.isSafeInteger(startedAt) &&
        typeof vehicleId === 'string' &&
        typeof provider === 'string' &&
        typeof providerAlertId === 'string'
      )
        return { startedAt, vehicleId, provider, providerAlertId };
    }
  } catch {
    // fall through to the 400 below
  }
  throw new AppError('bad_request', 'cursor: not a cursor this API gave out.');
}

/** Whether a string is a cursor this module gave out (pages ignore the others instead of failing). */
export function isAlertCursor(cursor: string): boolean {
  try {
    decodeCursor(cursor);
    return true;
  } catch {
    return false;
  }
}

/** Descending order of SortKey, as the database orders rows (strings as bytes: ids are ASCII). */
function compareDesc(a: SortKey, b: SortKey): number {
  if (a.startedAt !== b.startedAt) return b.startedAt - a.startedAt;
  for (const field of ['vehicleId', 'provider', 'providerAlertId'] as const) {
    if (a[field] !== b[field]) return a[field] < b[field] ? 1 : -1;
  }
  return 0;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

type AlertRow = {
  vehicle_id: string;
  provider: string;
  provider_alert_id: string;
  type: string;
  severity: string;
  active: number;
  started_at: number;
  ended_at: number | null;
  latitude: number | null;
  longitude: number | null;
  vehicle_label: string;
  acknowledged_at: number | null;
};

function severityOf(value: string): AlertSeverity {
  return value === 'critical' || value === 'information' ? value : 'warning';
}

function itemOfRow(row: AlertRow): Item {
  const startedAt = Number(row.started_at);
  const key = { vehicleId: row.vehicle_id, provider: row.provider, providerAlertId: row.provider_alert_id };
  return {
    sort: { startedAt, ...key },
    dto: {
      id: encodeAlertId(key),
      vehicleId: row.vehicle_id,
      vehicleLabel: row.vehicle_label,
      type: row.type,
      severity: severityOf(row.severity),
      active: Number(row.active) === 1,
      startedAt: iso(startedAt) as string,
      endedAt: iso(row.ended_at === null ? null : Number(row.ended_at)),
      position:
        row.latitude === null || row.longitude === null
          ? null
          : { latitude: Number(row.latitude), longitude: Number(row.longitude) },
      acknowledgedAt: iso(row.acknowledged_at === null ? null : Number(row.acknowledged_at)),
    },
  };
}

/** Text compared as bytes on both engines (see the order above). */
function bytewise(db: Kysely<Database>, column: string) {
  return isPostgres(db) ? sql`${sql.ref(column)} collate "C"` : sql`${sql.ref(column)}`;
}

function storedAlertsQuery(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('alerts as a')
    .innerJoin('vehicles as v', 'v.id', 'a.vehicle_id')
    .leftJoin('alert_acknowledgements as k', (join) =>
      join
        .onRef('k.vehicle_id', '=', 'a.vehicle_id')
        .onRef('k.provider', '=', 'a.provider')
        .onRef('k.provider_alert_id', '=', 'a.provider_alert_id'),
    )
    .select([
      'a.vehicle_id',
      'a.provider',
      'a.provider_alert_id',
      'a.type',
      'a.severity',
      'a.active',
      'a.started_at',
      'a.ended_at',
      'a.latitude',
      'a.longitude',
      'v.label as vehicle_label',
      'k.acknowledged_at',
    ])
    .where('v.user_id', '=', userId);
}

/** Kinetic's "data stopped arriving" alert for each of these vehicles that is silent now. */
async function dataStoppedItems(
  db: Kysely<Database>,
  vehicles: readonly { id: string; label: string }[],
  now: number,
): Promise<Item[]> {
  const silences = await Promise.all(vehicles.map((vehicle) => vehicleSilence(db, vehicle.id, now)));
  const silent = vehicles.flatMap((vehicle, index) => {
    const silence = silences[index];
    return silence?.silent && silence.lastMeasuredAt !== null
      ? [{ vehicle, lastMeasuredAt: silence.lastMeasuredAt }]
      : [];
  });
  if (silent.length === 0) return [];
  const acknowledgements = await db
    .selectFrom('alert_acknowledgements')
    .select(['vehicle_id', 'provider_alert_id', 'acknowledged_at'])
    .where('provider', '=', KINETIC_PROVIDER)
    .where(
      'vehicle_id',
      'in',
      silent.map((entry) => entry.vehicle.id),
    )
    .execute();
  return silent.map(({ vehicle, lastMeasuredAt }) => {
    const providerAlertId = dataStoppedAlertId(lastMeasuredAt);
    const acknowledged = acknowledgements.find(
      (row) => row.vehicle_id === vehicle.id && row.provider_alert_id === providerAlertId,
    );
    const key = { vehicleId: vehicle.id, provider: KINETIC_PROVIDER, providerAlertId };
    return {
      sort: { startedAt: lastMeasuredAt, ...key },
      dto: {
        id: encodeAlertId(key),
        vehicleId: vehicle.id,
        vehicleLabel: vehicle.label,
        type: DATA_STOPPED_TYPE,
        severity: 'warning' as const,
        active: true,
        // The alert is about the time since this instant: the last thing the car measured.
        startedAt: iso(lastMeasuredAt) as string,
        endedAt: null,
        position: null,
        acknowledgedAt: iso(acknowledged ? Number(acknowledged.acknowledged_at) : null),
      },
    };
  });
}

async function ownedVehicles(db: Kysely<Database>, userId: string, vehicleId?: string) {
  let query = db.selectFrom('vehicles').select(['id', 'label']).where('user_id', '=', userId);
  if (vehicleId !== undefined) query = query.where('id', '=', vehicleId);
  return query.orderBy('created_at').orderBy('id').execute();
}

/** One page of the owner's alerts, newest first, with the cursor of the next page. */
export async function listAlerts(
  db: Kysely<Database>,
  userId: string,
  options: ListAlertsOptions,
): Promise<AlertListDto> {
  const now = options.now ?? Date.now();
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);

  let query = storedAlertsQuery(db, userId);
  if (options.vehicleId !== undefined) query = query.where('a.vehicle_id', '=', options.vehicleId);
  if (options.state === 'active') query = query.where('a.active', '=', 1);
  if (options.state === 'history') query = query.where('a.active', '=', 0);
  if (options.severity !== undefined) query = query.where('a.severity', '=', options.severity);
  if (options.from !== undefined) query = query.where('a.started_at', '>=', options.from);
  if (options.to !== undefined) query = query.where('a.started_at', '<', options.to);
  if (after !== undefined)
    query = query.where(
      sql<boolean>`(${sql.ref('a.started_at')}, ${bytewise(db, 'a.vehicle_id')}, ${bytewise(db, 'a.provider')}, ${bytewise(db, 'a.provider_alert_id')}) < (${after.startedAt}, ${after.vehicleId}, ${after.provider}, ${after.providerAlertId})`,
    );
  const rowsPromise = query
    .orderBy('a.started_at', 'desc')
    .orderBy(sql`${bytewise(db, 'a.vehicle_id')} desc`)
    .orderBy(sql`${bytewise(db, 'a.provider')} desc`)
    .orderBy(sql`${bytewise(db, 'a.provider_alert_id')} desc`)
    .limit(options.limit + 1)
    .execute();

  // Kinetic's own alerts are always active and always warnings: they only belong to such views.
  const wantsDataStopped =
    options.state !== 'history' && (options.severity === undefined || options.severity === 'warning');
  const computedPromise = wantsDataStopped
    ? ownedVehicles(db, userId, options.vehicleId).then((vehicles) => dataStoppedItems(db, vehicles, now))
    : Promise.resolve([]);

  const [rows, computed] = await Promise.all([rowsPromise, computedPromise]);
  const inRange = computed.filter(
    (item) =>
      (options.from === undefined || item.sort.startedAt >= options.from) &&
      (options.to === undefined || item.sort.startedAt < options.to) &&
      (after === undefined || compareDesc(item.sort, after) > 0),
  );
  const merged = [...rows.map((row) => itemOfRow(row as AlertRow)), ...inRange].sort((a, b) =>
    compareDesc(a.sort, b.sort),
  );
  const page = merged.slice(0, options.limit);
  const last = page.at(-1);
  return {
    alerts: page.map((item) => item.dto),
    nextCursor: merged.length > options.limit && last ? encodeCursor(last.sort) : null,
  };
}

/** One of the owner's alerts by its public id, or null (missing and foreign alike). */
export async function getAlert(
  db: Kysely<Database>,
  userId: string,
  alertId: string,
  now: number = Date.now(),
): Promise<AlertDto | null> {
  const key = decodeAlertId(alertId);
  if (key === null) return null;
  return getAlertByKey(db, userId, key, now);
}

async function getAlertByKey(
  db: Kysely<Database>,
  userId: string,
  key: AlertKey,
  now: number,
): Promise<AlertDto | null> {
  if (key.provider === KINETIC_PROVIDER) {
    const vehicles = await ownedVehicles(db, userId, key.vehicleId);
    const items = await dataStoppedItems(db, vehicles, now);
    return items.find((item) => item.sort.providerAlertId === key.providerAlertId)?.dto ?? null;
  }
  const row = await storedAlertsQuery(db, userId)
    .where('a.vehicle_id', '=', key.vehicleId)
    .where('a.provider', '=', key.provider)
    .where('a.provider_alert_id', '=', key.providerAlertId)
    .executeTakeFirst();
  return row ? itemOfRow(row as AlertRow).dto : null;
}

/**
 * Records that the owner has seen this alert and answers the alert as it is now. Idempotent: a
 * second acknowledgement keeps the first instant. Another owner's alert, an alert that does not
 * exist (or a "data stopped" alert that has ended) and a malformed id are all `not_found`.
 */
export async function acknowledgeAlert(
  db: Kysely<Database>,
  userId: string,
  alertId: string,
  now: number,
): Promise<AlertDto> {
  const key = decodeAlertId(alertId);
  const alert = key === null ? null : await getAlertByKey(db, userId, key, now);
  if (key === null || alert === null) throw new AppError('not_found', NOT_FOUND_MESSAGE);
  if (alert.acknowledgedAt !== null) return alert;
  await db
    .insertInto('alert_acknowledgements')
    .values({
      vehicle_id: key.vehicleId,
      provider: key.provider,
      provider_alert_id: key.providerAlertId,
      user_id: userId,
      acknowledged_at: now,
    })
    .onConflict((conflict) => conflict.columns(['vehicle_id', 'provider', 'provider_alert_id']).doNothing())
    .execute();
  // Read back rather than assume `now`: a concurrent acknowledgement may have been first.
  const stored = await db
    .selectFrom('alert_acknowledgements')
    .select('acknowledged_at')
    .where('vehicle_id', '=', key.vehicleId)
    .where('provider', '=', key.provider)
    .where('provider_alert_id', '=', key.providerAlertId)
    .executeTakeFirstOrThrow();
  return { ...alert, acknowledgedAt: iso(Number(stored.acknowledged_at)) };
}

/** Active, unacknowledged alerts by severity, for the navigation badge. */
export async function countActiveAlerts(
  db: Kysely<Database>,
  userId: string,
  now: number = Date.now(),
): Promise<AlertSummaryDto> {
  const [rows, computed] = await Promise.all([
    db
      .selectFrom('alerts as a')
      .innerJoin('vehicles as v', 'v.id', 'a.vehicle_id')
      .leftJoin('alert_acknowledgements as k', (join) =>
        join
          .onRef('k.vehicle_id', '=', 'a.vehicle_id')
          .onRef('k.provider', '=', 'a.provider')
          .onRef('k.provider_alert_id', '=', 'a.provider_alert_id'),
      )
      .select(['a.severity', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('v.user_id', '=', userId)
      .where('a.active', '=', 1)
      .where('k.acknowledged_at', 'is', null)
      .groupBy('a.severity')
      .execute(),
    ownedVehicles(db, userId).then((vehicles) => dataStoppedItems(db, vehicles, now)),
  ]);
  const active = { critical: 0, warning: 0, information: 0 };
  for (const row of rows) active[severityOf(row.severity)] += Number(row.n);
  active.warning += computed.filter((item) => item.dto.acknowledgedAt === null).length;
  return { active, attention: active.critical + active.warning };
}
