import 'server-only';
import { randomUUID } from 'node:crypto';
import { type Kysely, PostgresAdapter, type Selectable, type Transaction } from 'kysely';
import { z } from 'zod';
import { type AccountTokens, sealAccountTokens, type TokenCipher } from '../../crypto/token-cipher';
import { AppError } from '../../errors';
import type { CarActivity, SyncCursor } from '../../vehicle-api/provider';
import { isUniqueViolation } from '../errors';
import type { Database } from '../schema';
import type {
  CarAccountProvider,
  CarAccountStatus,
  CarAccountsTable,
  SyncStateTable,
} from '../schema-car-accounts';
import { createVehicle } from './vehicles';

// Car accounts: maker accounts linked to a Kinetic owner, the cars they link, and the sync worker's
// per-car state.
//
// Two kinds of callers, two kinds of functions:
// - the owner (pages, route handlers): every function takes `ownerId` and scopes its query to it,
//   so another owner's account id matches no row and answers exactly like an id that never
//   existed;
// - the system (sign-in callback after the IdP vouched for an identity, the sync worker, the token
//   store): functions keyed by account id or maker identity, never reachable with an owner's input.
//
// Tokens: every value returned here is a DTO built field by field, without the `tokens` column, so
// no JSON of it can carry a token. The only reads of the column return the sealed (encrypted) blob,
// for lib/vehicle-api/psa-v4/token-store.ts — the one place that decrypts.

/** A linked maker account as callers see it: never its tokens. */
export type CarAccount = {
  id: string;
  userId: string;
  provider: CarAccountProvider;
  brand: string;
  makerSubject: string;
  status: CarAccountStatus;
  statusReason: string | null;
  createdAt: number;
  updatedAt: number;
};

export type LinkedVehicle = {
  carAccountId: string;
  vehicleId: string;
  providerVehicleId: string;
  vin: string;
  contract: string | null;
  linkedAt: number;
  label: string;
  brand: string;
  model: string;
  powertrain: string;
  /** How the sync is going (null before the link created its sync state). */
  lastSyncedAt: number | null;
  nextSyncAt: number | null;
  failures: number;
  lastError: string | null;
};

export type CarAccountWithVehicles = CarAccount & { vehicles: LinkedVehicle[] };

export type MakerIdentity = {
  provider: CarAccountProvider;
  brand: string;
  /** The IdP's `sub` claim: stable per identity, unlike an e-mail address. */
  makerSubject: string;
};

const ACCOUNT_COLUMNS = [
  'id',
  'user_id',
  'provider',
  'brand',
  'maker_subject',
  'status',
  'status_reason',
  'created_at',
  'updated_at',
] as const;

type AccountColumns = Pick<Selectable<CarAccountsTable>, (typeof ACCOUNT_COLUMNS)[number]>;

function toCarAccount(row: AccountColumns): CarAccount {
  return {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    brand: row.brand,
    makerSubject: row.maker_subject,
    status: row.status,
    statusReason: row.status_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Runs `body` in a transaction and runs it again when it lost a race on a unique key (two
 * first-time links of the same identity or car at once): the second run sees the winner's rows.
 */
async function transactionWithRetry<T>(
  db: Kysely<Database>,
  body: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const ATTEMPTS = 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(body);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Accounts

export type ConnectCarAccountInput = MakerIdentity & {
  ownerId: string;
  tokens: AccountTokens;
  now?: number;
};

/**
 * Creates the account bound to this maker identity for `ownerId`, or reuses the owner's existing
 * one (new tokens, active again). The identity is matched by (provider, brand, subject) only —
 * never by e-mail. An identity bound to another owner is refused (409) unless that owner
 * disconnected it; then the old binding and its links are dropped (the old owner's vehicles and
 * data stay theirs) and a new account is created.
 */
export async function connectCarAccount(
  db: Kysely<Database>,
  cipher: TokenCipher,
  input: ConnectCarAccountInput,
): Promise<{ account: CarAccount; created: boolean }> {
  const now = input.now ?? Date.now();
  return transactionWithRetry(db, async (trx) => {
    const existing = await trx
      .selectFrom('car_accounts')
      .select(['id', 'user_id', 'status'])
      .where('provider', '=', input.provider)
      .where('brand', '=', input.brand)
      .where('maker_subject', '=', input.makerSubject)
      .executeTakeFirst();

    if (existing && existing.user_id === input.ownerId) {
      await trx
        .updateTable('car_accounts')
        .set((eb) => ({
          tokens: sealAccountTokens(cipher, existing.id, input.tokens),
          // A refresh racing this sign-in started from the old version: its save must lose.
          token_version: eb('token_version', '+', 1),
          status: 'active',
          status_reason: null,
          updated_at: now,
        }))
        .where('id', '=', existing.id)
        .execute();
      const row = await trx
        .selectFrom('car_accounts')
        .select(ACCOUNT_COLUMNS)
        .where('id', '=', existing.id)
        .executeTakeFirstOrThrow();
      return { account: toCarAccount(row), created: false };
    }

    if (existing) {
      if (existing.status !== 'disconnected') {
        throw new AppError('conflict', 'This maker account is already linked to another Kinetic account.');
      }
      await trx.deleteFrom('car_accounts').where('id', '=', existing.id).execute();
    }

    const id = randomUUID();
    const row = {
      id,
      user_id: input.ownerId,
      provider: input.provider,
      brand: input.brand,
      maker_subject: input.makerSubject,
      status: 'active' as const,
      status_reason: null,
      created_at: now,
      updated_at: now,
    };
    await trx
      .insertInto('car_accounts')
      .values({ ...row, tokens: sealAccountTokens(cipher, id, input.tokens), token_version: 1 })
      .execute();
    return { account: toCarAccount(row), created: true };
  });
}

/**
 * The account bound to a maker identity, whoever owns it. For the sign-in callback only, after
 * the IdP has vouched for the identity (state, PKCE and id_token checked): it decides which Kinetic
 * owner signs in. Never an owner-facing lookup.
 */
export async function getCarAccountByMakerIdentity(
  db: Kysely<Database>,
  identity: MakerIdentity,
): Promise<CarAccount | null> {
  const row = await db
    .selectFrom('car_accounts')
    .select(ACCOUNT_COLUMNS)
    .where('provider', '=', identity.provider)
    .where('brand', '=', identity.brand)
    .where('maker_subject', '=', identity.makerSubject)
    .executeTakeFirst();
  return row ? toCarAccount(row) : null;
}

export async function getCarAccount(
  db: Kysely<Database>,
  ownerId: string,
  accountId: string,
): Promise<CarAccount | null> {
  const row = await db
    .selectFrom('car_accounts')
    .select(ACCOUNT_COLUMNS)
    .where('user_id', '=', ownerId)
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row ? toCarAccount(row) : null;
}

/** The owner's accounts, oldest first, each with its linked cars and how their sync is going. */
export async function listCarAccounts(
  db: Kysely<Database>,
  ownerId: string,
): Promise<CarAccountWithVehicles[]> {
  const accounts = await db
    .selectFrom('car_accounts')
    .select(ACCOUNT_COLUMNS)
    .where('user_id', '=', ownerId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  const vehicles = await selectLinkedVehicles(db, ownerId, null);
  return accounts.map((row) => ({
    ...toCarAccount(row),
    vehicles: vehicles.filter((vehicle) => vehicle.carAccountId === row.id),
  }));
}

async function selectLinkedVehicles(
  db: Kysely<Database>,
  ownerId: string,
  accountId: string | null,
): Promise<LinkedVehicle[]> {
  let query = db
    .selectFrom('car_account_vehicles as l')
    .innerJoin('car_accounts as a', 'a.id', 'l.car_account_id')
    .innerJoin('vehicles as v', 'v.id', 'l.vehicle_id')
    .leftJoin('sync_state as s', (join) =>
      join.onRef('s.vehicle_id', '=', 'l.vehicle_id').onRef('s.provider', '=', 'a.provider'),
    )
    .select([
      'l.car_account_id',
      'l.vehicle_id',
      'l.provider_vehicle_id',
      'l.vin',
      'l.contract',
      'l.linked_at',
      'v.label',
      'v.brand',
      'v.model',
      'v.powertrain',
      's.last_synced_at',
      's.next_sync_at',
      's.failures',
      's.last_error',
    ])
    // Both sides scoped: the account and the car must be this owner's.
    .where('a.user_id', '=', ownerId)
    .where('v.user_id', '=', ownerId);
  if (accountId !== null) query = query.where('l.car_account_id', '=', accountId);
  const rows = await query.orderBy('l.linked_at', 'asc').orderBy('l.provider_vehicle_id', 'asc').execute();
  return rows.map((row) => ({
    carAccountId: row.car_account_id,
    vehicleId: row.vehicle_id,
    providerVehicleId: row.provider_vehicle_id,
    vin: row.vin,
    contract: row.contract,
    linkedAt: row.linked_at,
    label: row.label,
    brand: row.brand,
    model: row.model,
    powertrain: row.powertrain,
    lastSyncedAt: row.last_synced_at,
    nextSyncAt: row.next_sync_at,
    failures: row.failures ?? 0,
    lastError: row.last_error,
  }));
}

// ---------------------------------------------------------------------------------------------
// Linking cars

export type LinkVehicleInput = {
  /** The provider's id for the car (v4 vehicle id, v1 VIN). */
  providerVehicleId: string;
  vin: string;
  contract?: string | null;
  label: string;
  brand: string;
  model: string;
  powertrain: string;
};

/**
 * Links the picked cars to the owner's account; idempotent on the provider's vehicle id. A car new
 * to Kinetic gets its `vehicles` row; a car the owner already has (same VIN, e.g. from a file
 * import or another account) is reused. Each linked car gets a sync state, due at once (the first
 * sync). Answers null for an account that is not the owner's (or does not exist).
 */
export async function linkVehicles(
  db: Kysely<Database>,
  ownerId: string,
  accountId: string,
  vehicles: readonly LinkVehicleInput[],
  options: { now?: number } = {},
): Promise<LinkedVehicle[] | null> {
  const now = options.now ?? Date.now();
  const linked = await transactionWithRetry(db, async (trx) => {
    const account = await trx
      .selectFrom('car_accounts')
      .select(['id', 'provider'])
      .where('user_id', '=', ownerId)
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!account) return null;

    for (const input of vehicles) {
      const link = await trx
        .selectFrom('car_account_vehicles')
        .select('vehicle_id')
        .where('car_account_id', '=', account.id)
        .where('provider_vehicle_id', '=', input.providerVehicleId)
        .executeTakeFirst();
      let vehicleId = link?.vehicle_id;
      if (!vehicleId) {
        const known = await trx
          .selectFrom('vehicles')
          .select('id')
          .where('user_id', '=', ownerId)
          .where('vin', '=', input.vin)
          .executeTakeFirst();
        vehicleId =
          known?.id ??
          (
            await createVehicle(trx, ownerId, {
              label: input.label,
              brand: input.brand,
              model: input.model,
              powertrain: input.powertrain,
              vin: input.vin,
              createdAt: now,
            })
          ).id;
        await trx
          .insertInto('car_account_vehicles')
          .values({
            car_account_id: account.id,
            vehicle_id: vehicleId,
            provider_vehicle_id: input.providerVehicleId,
            vin: input.vin,
            contract: input.contract ?? null,
            linked_at: now,
          })
          .execute();
      } else {
        // PSA v1 contracts can be renewed: keep the link's addressing current.
        await trx
          .updateTable('car_account_vehicles')
          .set({ vin: input.vin, contract: input.contract ?? null })
          .where('car_account_id', '=', account.id)
          .where('provider_vehicle_id', '=', input.providerVehicleId)
          .execute();
      }
      await trx
        .insertInto('sync_state')
        .values({ vehicle_id: vehicleId, provider: account.provider, cursor: null, next_sync_at: now })
        .onConflict((conflict) => conflict.columns(['vehicle_id', 'provider']).doNothing())
        .execute();
    }
    return account.id;
  });
  if (linked === null) return null;
  const wanted = new Set(vehicles.map((vehicle) => vehicle.providerVehicleId));
  return (await selectLinkedVehicles(db, ownerId, linked)).filter((vehicle) =>
    wanted.has(vehicle.providerVehicleId),
  );
}

// ---------------------------------------------------------------------------------------------
// Status changes

/**
 * Puts an active account in "re-authorisation needed" (the worker stops syncing it; the owner is
 * asked to sign in with the maker again). With `expectedTokenVersion`, only if nobody has saved
 * newer tokens since: a refusal of tokens another worker already replaced says nothing about the
 * current ones. Answers whether the account changed. System-side: the token store calls it.
 */
export async function markCarAccountReauthorizationNeeded(
  db: Kysely<Database>,
  accountId: string,
  reason: string,
  options: { expectedTokenVersion?: number; now?: number } = {},
): Promise<boolean> {
  let query = db
    .updateTable('car_accounts')
    .set({ status: 'reauthorization_needed', status_reason: reason, updated_at: options.now ?? Date.now() })
    .where('id', '=', accountId)
    .where('status', '=', 'active');
  if (options.expectedTokenVersion !== undefined) {
    query = query.where('token_version', '=', options.expectedTokenVersion);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Disconnects the owner's account: its tokens are deleted at once (revoking them at the IdP is the
 * caller's job, done before with the refresh token from the token store). The token version moves
 * on, so a refresh in flight cannot write tokens back.
 *
 * `deleteData`: "the data" is every car this account linked that no other car account still
 * links, with everything Kinetic stored for it — its `vehicles` row and, by cascade, samples,
 * trips, alerts, maintenance reports, charging sessions, eco evaluations, quarantined records and
 * sync state (including what a file import added to that car). Cars another account still links
 * stay with all their data; only this account's link to them goes. Without `deleteData` the links
 * and data stay (nothing syncs them while disconnected), so connecting again resumes.
 *
 * Answers null for an account that is not the owner's (or does not exist).
 */
export async function disconnectCarAccount(
  db: Kysely<Database>,
  ownerId: string,
  accountId: string,
  options: { deleteData: boolean; now?: number },
): Promise<{ account: CarAccount; deletedVehicleIds: string[] } | null> {
  const now = options.now ?? Date.now();
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('car_accounts')
      .set((eb) => ({
        tokens: null,
        token_version: eb('token_version', '+', 1),
        status: 'disconnected',
        status_reason: 'owner_disconnected',
        updated_at: now,
      }))
      .where('user_id', '=', ownerId)
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return null;

    let deletedVehicleIds: string[] = [];
    if (options.deleteData) {
      const own = await trx
        .selectFrom('car_account_vehicles as l')
        .innerJoin('vehicles as v', 'v.id', 'l.vehicle_id')
        .select('l.vehicle_id')
        .where('l.car_account_id', '=', accountId)
        .where('v.user_id', '=', ownerId)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('car_account_vehicles as other')
                .select('other.vehicle_id')
                .whereRef('other.vehicle_id', '=', 'l.vehicle_id')
                .where('other.car_account_id', '<>', accountId),
            ),
          ),
        )
        .execute();
      deletedVehicleIds = [...new Set(own.map((row) => row.vehicle_id))].sort();
      if (deletedVehicleIds.length > 0) {
        await trx
          .deleteFrom('vehicles')
          .where('user_id', '=', ownerId)
          .where('id', 'in', deletedVehicleIds)
          .execute();
      }
      await trx.deleteFrom('car_account_vehicles').where('car_account_id', '=', accountId).execute();
    }

    const row = await trx
      .selectFrom('car_accounts')
      .select(ACCOUNT_COLUMNS)
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    return { account: toCarAccount(row), deletedVehicleIds };
  });
}

// ---------------------------------------------------------------------------------------------
// Sealed tokens (for lib/vehicle-api/psa-v4/token-store.ts: ciphertext only, never plaintext)

export type SealedTokens = {
  status: CarAccountStatus;
  /** `v1.<iv>.<tag>.<ciphertext>`, or null when the account holds none. */
  sealed: string | null;
  /** The version a compare-and-swap save must name. */
  version: number;
};

export async function readSealedTokens(
  db: Kysely<Database>,
  accountId: string,
): Promise<SealedTokens | null> {
  const row = await db
    .selectFrom('car_accounts')
    .select(['status', 'tokens', 'token_version'])
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row ? { status: row.status, sealed: row.tokens, version: row.token_version } : null;
}

/**
 * Compare-and-swap: writes `sealed` only if the account is active and its tokens are still at
 * `expectedVersion`. Answers the new version, or null when another writer got there first (or
 * the account was disconnected or needs re-authorisation meanwhile).
 */
export async function swapSealedTokens(
  db: Kysely<Database>,
  accountId: string,
  expectedVersion: number,
  sealed: string,
  now: number = Date.now(),
): Promise<number | null> {
  const result = await db
    .updateTable('car_accounts')
    .set({ tokens: sealed, token_version: expectedVersion + 1, updated_at: now })
    .where('id', '=', accountId)
    .where('status', '=', 'active')
    .where('token_version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? expectedVersion + 1 : null;
}

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
