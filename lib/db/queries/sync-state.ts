import 'server-only';
import { type Kysely, type Selectable, sql } from 'kysely';
import { z } from 'zod';
import type { CarActivity, SyncCursor } from '../../vehicle-api/provider';
import { isPostgres } from '../client';
import type { Database } from '../schema';
import type { SyncStateTable } from '../schema-car-accounts';

// The sync worker's state per linked car (table `sync_state`, created for each car by
// car-accounts.ts linkVehicles): its cursor, what the car was doing, when to sync next, failures,
// and the lease that hands each due car to one worker at a time.

// ---------------------------------------------------------------------------------------------
// Sync state (the worker's: cursor, cadence, failures, lease)

export const CAR_ACTIVITIES = [
  'driving',
  'parked',
  'charging',
  'asleep',
  'unknown',
] as const satisfies readonly CarActivity[];

const cursorSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export type SyncState = {
  vehicleId: string;
  provider: string;
  cursor: SyncCursor | null;
  activity: CarActivity;
  lastMeasuredAt: number | null;
  lastSyncedAt: number | null;
  nextSyncAt: number;
  failures: number;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
};

/** What a worker needs to sync one leased car: its state and how the provider names it. */
export type LeasedVehicle = SyncState & {
  carAccountId: string;
  providerVehicleId: string;
  vin: string;
  contract: string | null;
};

function parseCursor(text: string | null): SyncCursor | null {
  if (text === null) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(text));
    // A damaged cursor restarts with a backfill, which the natural keys make harmless.
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function parseActivity(value: string): CarActivity {
  return (CAR_ACTIVITIES as readonly string[]).includes(value) ? (value as CarActivity) : 'unknown';
}

function toSyncState(row: Selectable<SyncStateTable>): SyncState {
  return {
    vehicleId: row.vehicle_id,
    provider: row.provider,
    cursor: parseCursor(row.cursor),
    activity: parseActivity(row.activity),
    lastMeasuredAt: row.last_measured_at,
    lastSyncedAt: row.last_synced_at,
    nextSyncAt: row.next_sync_at,
    failures: row.failures,
    lastError: row.last_error,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
  };
}

export async function getSyncState(
  db: Kysely<Database>,
  vehicleId: string,
  provider: string,
): Promise<SyncState | null> {
  const row = await db
    .selectFrom('sync_state')
    .selectAll()
    .where('vehicle_id', '=', vehicleId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return row ? toSyncState(row) : null;
}

/**
 * Creates the car's sync state if missing, or moves its next sync to `nextSyncAt` (a webhook saying
 * the car moved, the owner pressing "sync now"). Leases and the cursor are left alone.
 */
export async function upsertSyncState(
  db: Kysely<Database>,
  input: { vehicleId: string; provider: string; nextSyncAt: number },
): Promise<void> {
  await db
    .insertInto('sync_state')
    .values({
      vehicle_id: input.vehicleId,
      provider: input.provider,
      cursor: null,
      next_sync_at: input.nextSyncAt,
    })
    .onConflict((conflict) =>
      conflict.columns(['vehicle_id', 'provider']).doUpdateSet({ next_sync_at: input.nextSyncAt }),
    )
    .execute();
}

/**
 * Hands up to `limit` due cars to `workerId` for `leaseMs`: each due car goes to one worker only.
 * Due: `next_sync_at <= now`, not leased or the lease expired (a crashed worker's cars are taken
 * over), and linked through an active account of that provider.
 *
 * One UPDATE … WHERE (key) IN (SELECT … LIMIT n) RETURNING. On SQLite the statement is its own
 * transaction and takes the write lock before it reads, so two workers' statements run one after
 * the other. (An explicit BEGIN … COMMIT would add nothing and, with several connections in one
 * process, would let better-sqlite3's synchronous busy wait stall the event loop holding the
 * lock.) On PostgreSQL the inner SELECT locks its rows FOR UPDATE SKIP LOCKED: a concurrent worker
 * skips them, and a row leased and committed meanwhile is re-checked against the lease condition.
 */
export async function leaseDueVehicles(
  db: Kysely<Database>,
  workerId: string,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<LeasedVehicle[]> {
  let due = db
    .selectFrom('sync_state as due')
    .select(['due.vehicle_id', 'due.provider'])
    .where('due.next_sync_at', '<=', now)
    .where((eb) => eb.or([eb('due.lease_until', 'is', null), eb('due.lease_until', '<=', now)]))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('car_account_vehicles as l')
          .innerJoin('car_accounts as a', 'a.id', 'l.car_account_id')
          .select('l.vehicle_id')
          .whereRef('l.vehicle_id', '=', 'due.vehicle_id')
          .whereRef('a.provider', '=', 'due.provider')
          .where('a.status', '=', 'active'),
      ),
    )
    // Cars never synced first: a new owner (or the demo at start) sees their cars before others'
    // history backfills, which come back every 30 s while they catch up.
    .orderBy(sql`case when due.last_synced_at is null then 0 else 1 end`)
    .orderBy('due.next_sync_at', 'asc')
    .orderBy('due.vehicle_id', 'asc')
    .limit(limit);
  if (isPostgres(db)) due = due.forUpdate().skipLocked();

  const leased = await db
    .updateTable('sync_state')
    .set({ lease_owner: workerId, lease_until: now + leaseMs })
    .where((eb) => eb(eb.refTuple('vehicle_id', 'provider'), 'in', due.$asTuple('vehicle_id', 'provider')))
    .returningAll()
    .execute();
  if (leased.length === 0) return [];

  const links = await db
    .selectFrom('car_account_vehicles as l')
    .innerJoin('car_accounts as a', 'a.id', 'l.car_account_id')
    .select([
      'l.vehicle_id',
      'a.provider',
      'l.car_account_id',
      'l.provider_vehicle_id',
      'l.vin',
      'l.contract',
    ])
    .where(
      'l.vehicle_id',
      'in',
      leased.map((row) => row.vehicle_id),
    )
    .where('a.status', '=', 'active')
    // One car linked through two accounts of a provider: the oldest link syncs it.
    .orderBy('l.linked_at', 'asc')
    .orderBy('l.car_account_id', 'asc')
    .execute();

  const result: LeasedVehicle[] = [];
  for (const row of leased) {
    const link = links.find(
      (candidate) => candidate.vehicle_id === row.vehicle_id && candidate.provider === row.provider,
    );
    if (!link) {
      // Disconnected between the lease and this read: hand the car back.
      await releaseLease(db, workerId, row.vehicle_id, row.provider);
      continue;
    }
    result.push({
      ...toSyncState(row),
      carAccountId: link.car_account_id,
      providerVehicleId: link.provider_vehicle_id,
      vin: link.vin,
      contract: link.contract,
    });
  }
  return result.sort((a, b) => a.nextSyncAt - b.nextSyncAt || a.vehicleId.localeCompare(b.vehicleId));
}

/** Gives a car back before its lease runs out. Only the lease's holder can; answers whether it did. */
export async function releaseLease(
  db: Kysely<Database>,
  workerId: string,
  vehicleId: string,
  provider: string,
): Promise<boolean> {
  const result = await db
    .updateTable('sync_state')
    .set({ lease_owner: null, lease_until: null })
    .where('vehicle_id', '=', vehicleId)
    .where('provider', '=', provider)
    .where('lease_owner', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export type SyncResultInput = {
  vehicleId: string;
  provider: string;
  cursor: SyncCursor;
  activity: CarActivity;
  lastMeasuredAt: number | null;
  nextSyncAt: number;
  now: number;
  /** The provider left data behind for the next sync (a first sync's month, paged). */
  backlog?: boolean;
};

/**
 * Records a successful sync and releases the lease: the new cursor, the car's activity, when it
 * next syncs; failures start over. Fenced by the lease: a worker whose lease was taken over (it
 * stalled past `lease_until` and another worker leased the car) writes nothing — answers false —
 * so a slow worker never moves a newer cursor back.
 */
export async function recordSyncResult(
  db: Kysely<Database>,
  workerId: string,
  input: SyncResultInput,
): Promise<boolean> {
  const result = await db
    .updateTable('sync_state')
    .set((eb) => ({
      cursor: JSON.stringify(input.cursor),
      activity: input.activity,
      // The car's clock never moves back a value we already hold.
      last_measured_at:
        input.lastMeasuredAt === null
          ? eb.ref('last_measured_at')
          : eb
              .case()
              .when('last_measured_at', 'is', null)
              .then(input.lastMeasuredAt)
              .when('last_measured_at', '<', input.lastMeasuredAt)
              .then(input.lastMeasuredAt)
              .else(eb.ref('last_measured_at'))
              .end(),
      last_synced_at: input.now,
      next_sync_at: input.nextSyncAt,
      backlog: input.backlog ? 1 : 0,
      failures: 0,
      last_error: null,
      lease_owner: null,
      lease_until: null,
    }))
    .where('vehicle_id', '=', input.vehicleId)
    .where('provider', '=', input.provider)
    .where('lease_owner', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Records a failed sync and releases the lease: one more failure, the (sanitised) reason, and
 * when to try again (the worker computes the backoff). Fenced by the lease like recordSyncResult.
 */
export async function recordSyncFailure(
  db: Kysely<Database>,
  workerId: string,
  input: { vehicleId: string; provider: string; error: string; nextSyncAt: number },
): Promise<boolean> {
  const result = await db
    .updateTable('sync_state')
    .set((eb) => ({
      failures: eb('failures', '+', 1),
      last_error: sanitizeSyncError(input.error),
      next_sync_at: input.nextSyncAt,
      lease_owner: null,
      lease_until: null,
    }))
    .where('vehicle_id', '=', input.vehicleId)
    .where('provider', '=', input.provider)
    .where('lease_owner', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

const MAX_ERROR_LENGTH = 500;
const SECRET_PARAMS =
  /\b(access_token|refresh_token|id_token|client_secret|client_id|api_key|apikey|key|code|token|password|secret)=[^\s&"']+/gi;
/** 32+ characters of token alphabet: an opaque token or key (UUIDs go too; they are in the row). */
const OPAQUE_RUN = /[A-Za-z0-9_~+=.-]{32,}/g;

/**
 * What may be stored as a sync's last error: URLs cut to origin and path (query strings carry API
 * keys — PSA v1 takes `client_id` in the query), credentials after Bearer/Basic, `name=value`
 * secrets and any long opaque string removed, capped at 500 characters.
 */
export function sanitizeSyncError(message: string): string {
  return message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => {
      try {
        const parsed = new URL(url);
        return `${parsed.origin}${parsed.pathname}`;
      } catch {
        return '<url>';
      }
    })
    .replace(/\b(bearer|basic)\s+[^\s,;]+/gi, '$1 <redacted>')
    .replace(SECRET_PARAMS, (match) => `${match.slice(0, match.indexOf('='))}=<redacted>`)
    .replace(OPAQUE_RUN, '<redacted>')
    .slice(0, MAX_ERROR_LENGTH);
}
