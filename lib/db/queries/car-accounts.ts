import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { type AccountTokens, sealAccountTokens, type TokenCipher } from '../../crypto/token-cipher';
import { AppError } from '../../errors';
import { TAINT_MESSAGES, taintValue } from '../../security/taint';
import { isUniqueViolation } from '../errors';
import type { Database } from '../schema';
import type { CarAccountProvider, CarAccountStatus, CarAccountsTable } from '../schema-car-accounts';
import { releaseStandings } from './standings';
import { createVehicle } from './vehicles';

// Car accounts: maker accounts linked to a Kinetic owner and the cars they link (the sync worker's
// per-car state is in sync-state.ts).
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
  /** The owner's grant; null for an account that holds none (PSA v1: the API key is the app's). */
  tokens: AccountTokens | null;
  now?: number;
};

/**
 * Creates the account bound to this maker identity for `ownerId`, or reuses the owner's existing
 * one (new tokens, active again). The identity is matched by (provider, brand, subject) only —
 * never by e-mail. An identity bound to another owner is refused (409) unless that owner
 * disconnected it; then the old binding and its links are dropped (the old owner's vehicles and
 * data stay theirs) and a new account is created. `cipher` seals the tokens; it may be null only
 * when there are none.
 */
export async function connectCarAccount(
  db: Kysely<Database>,
  cipher: TokenCipher | null,
  input: ConnectCarAccountInput,
): Promise<{ account: CarAccount; created: boolean }> {
  const now = input.now ?? Date.now();
  const { tokens } = input;
  const seal = (accountId: string): string | null => {
    if (tokens === null) return null;
    if (!cipher) throw new Error('a cipher is needed to store tokens');
    return sealAccountTokens(cipher, accountId, tokens);
  };
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
          tokens: seal(existing.id),
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
        throw new AppError(
          'conflict',
          input.provider === 'psa-v1'
            ? 'This car is already linked to another Kinetic account.'
            : 'This maker account is already linked to another Kinetic account.',
        );
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
      .values({ ...row, tokens: seal(id), token_version: 1 })
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

/** One of the owner's accounts with its cars and their sync; null when not the owner's. */
export async function getCarAccountWithVehicles(
  db: Kysely<Database>,
  ownerId: string,
  accountId: string,
): Promise<CarAccountWithVehicles | null> {
  const account = await getCarAccount(db, ownerId, accountId);
  if (!account) return null;
  return { ...account, vehicles: await selectLinkedVehicles(db, ownerId, accountId) };
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
        await releaseStandings(trx, { vehicleIds: deletedVehicleIds });
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
  if (!row) return null;
  const sealed: SealedTokens = { status: row.status, sealed: row.tokens, version: row.token_version };
  // Ciphertext, but no page has any use for it: tainted like the tokens it holds.
  taintValue(TAINT_MESSAGES.sealedTokens, sealed, sealed.sealed);
  return sealed;
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

/** Provider, brand and status of several accounts by id, for the sync worker (system side). */
export async function getCarAccountStatuses(db: Kysely<Database>, accountIds: readonly string[]) {
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('car_accounts')
    .select(['id', 'provider', 'brand', 'status'])
    .where('id', 'in', accountIds)
    .execute();
}
