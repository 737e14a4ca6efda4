import 'server-only';
import type { Kysely } from 'kysely';
import { recordWebhookSubscription } from '../../ingest/webhooks/subscriptions';
import type { Database } from '../schema';
import type { CallbackSubscriptionTables } from '../schema-callback-subscriptions';

// The sync worker's PSA v4 callback subscriptions (migration 0006; lib/worker/callback-subscriptions.ts).
// System-side: keyed by account id, never reachable with an owner's input.
//
// One subscription per car account, whichever worker gets to it: a worker leases the account's row
// (an upsert that only takes a row nobody holds and that is due — SKIP-LOCKED-free, because the
// conflict clause re-checks the condition on the row as it stands once the other writer is done),
// does the upstream calls, and records the callback (with its secret, hashed, for the receiver)
// only while it still holds the lease. Failures push `next_attempt_at` back.

type Db = Kysely<Database>;
const tables = (db: Db) => db.withTables<CallbackSubscriptionTables>();

export type SubscriptionAccount = { id: string; provider: 'psa-v4'; brand: string };

/**
 * Active PSA v4 accounts with linked cars that need subscribing work (no callback yet, or a linked
 * car without one of `labels`' monitors), are due, and are held by nobody: leased to `workerId` for
 * `leaseMs`. At most `limit`.
 */
export async function leaseAccountsToSubscribe(
  db: Db,
  input: { workerId: string; now: number; leaseMs: number; limit: number; labels: readonly string[] },
): Promise<SubscriptionAccount[]> {
  const { workerId, now, leaseMs, limit, labels } = input;
  const candidates = await tables(db)
    .selectFrom('car_accounts as a')
    .leftJoin('callback_subscriptions as c', 'c.car_account_id', 'a.id')
    .select(['a.id', 'a.brand'])
    .where('a.provider', '=', 'psa-v4')
    .where('a.status', '=', 'active')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('car_account_vehicles as l')
          .select('l.vehicle_id')
          .whereRef('l.car_account_id', '=', 'a.id'),
      ),
    )
    .where((eb) =>
      eb.or([
        eb('c.car_account_id', 'is', null),
        eb.and([
          eb('c.next_attempt_at', '<=', now),
          eb.or([eb('c.lease_until', 'is', null), eb('c.lease_until', '<=', now)]),
          eb.or([
            eb('c.callback_id', 'is', null),
            // A linked car lacks one of the monitors.
            eb.exists(
              eb
                .selectFrom('car_account_vehicles as l')
                .select('l.vehicle_id')
                .whereRef('l.car_account_id', '=', 'a.id')
                .where((inner) =>
                  inner.or(
                    labels.map((label) =>
                      inner.not(
                        inner.exists(
                          inner
                            .selectFrom('callback_monitors as m')
                            .select('m.monitor_id')
                            .whereRef('m.car_account_id', '=', 'a.id')
                            .whereRef('m.provider_vehicle_id', '=', 'l.provider_vehicle_id')
                            .whereRef('m.callback_id', '=', 'c.callback_id')
                            .where('m.label', '=', label),
                        ),
                      ),
                    ),
                  ),
                ),
            ),
          ]),
        ]),
      ]),
    )
    .orderBy('a.created_at', 'asc')
    .orderBy('a.id', 'asc')
    .limit(limit)
    .execute();

  const leased: SubscriptionAccount[] = [];
  for (const candidate of candidates) {
    const row = await tables(db)
      .insertInto('callback_subscriptions')
      .values({
        car_account_id: candidate.id,
        callback_id: null,
        lease_owner: workerId,
        lease_until: now + leaseMs,
        next_attempt_at: now,
        last_error: null,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .column('car_account_id')
          .doUpdateSet({ lease_owner: workerId, lease_until: now + leaseMs, updated_at: now })
          // Re-checked against the row as it stands: another worker's fresh lease wins.
          .where('callback_subscriptions.next_attempt_at', '<=', now)
          .where((eb) =>
            eb.or([
              eb('callback_subscriptions.lease_until', 'is', null),
              eb('callback_subscriptions.lease_until', '<=', now),
            ]),
          ),
      )
      .returning('car_account_id')
      .executeTakeFirst();
    if (row) leased.push({ id: candidate.id, provider: 'psa-v4', brand: candidate.brand });
  }
  return leased;
}

/** The callback recorded for the account, or null. */
export async function getAccountCallbackId(db: Db, accountId: string): Promise<string | null> {
  const row = await tables(db)
    .selectFrom('callback_subscriptions')
    .select('callback_id')
    .where('car_account_id', '=', accountId)
    .executeTakeFirst();
  return row?.callback_id ?? null;
}

export class SubscriptionLeaseLostError extends Error {
  constructor(accountId: string) {
    super(`the subscription lease of account ${accountId} was taken over`);
    this.name = 'SubscriptionLeaseLostError';
  }
}

/**
 * Records the account's callback and its secret (hashed, for the receiver) in one transaction, only
 * while `workerId` holds the lease; throws SubscriptionLeaseLostError (nothing written) otherwise.
 */
export async function recordAccountCallback(
  db: Db,
  input: { workerId: string; accountId: string; callbackId: string; secret: string; now: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .withTables<CallbackSubscriptionTables>()
      .updateTable('callback_subscriptions')
      .set({ callback_id: input.callbackId, updated_at: input.now })
      .where('car_account_id', '=', input.accountId)
      .where('lease_owner', '=', input.workerId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new SubscriptionLeaseLostError(input.accountId);
    // An adopted callback may still be bound to a former account of the same maker identity: it is
    // this account's now (recordWebhookSubscription keeps a binding and only rotates the secret).
    await trx
      .deleteFrom('webhook_subscriptions')
      .where('callback_id', '=', input.callbackId)
      .where('car_account_id', '!=', input.accountId)
      .execute();
    await recordWebhookSubscription(trx, {
      callbackId: input.callbackId,
      carAccountId: input.accountId,
      secret: input.secret,
      now: input.now,
    });
  });
}

export type VehicleToMonitor = { providerVehicleId: string; missing: string[] };

/** The account's linked cars that lack one of `labels`' monitors on `callbackId`, with the missing labels. */
export async function vehiclesToMonitor(
  db: Db,
  accountId: string,
  callbackId: string,
  labels: readonly string[],
): Promise<VehicleToMonitor[]> {
  const linked = await db
    .selectFrom('car_account_vehicles')
    .select('provider_vehicle_id')
    .where('car_account_id', '=', accountId)
    .orderBy('provider_vehicle_id')
    .execute();
  const monitors = await tables(db)
    .selectFrom('callback_monitors')
    .select(['provider_vehicle_id', 'label'])
    .where('car_account_id', '=', accountId)
    .where('callback_id', '=', callbackId)
    .execute();
  const have = new Set(monitors.map((row) => `${row.provider_vehicle_id}\n${row.label}`));
  return linked
    .map((row) => ({
      providerVehicleId: row.provider_vehicle_id,
      missing: labels.filter((label) => !have.has(`${row.provider_vehicle_id}\n${label}`)),
    }))
    .filter((vehicle) => vehicle.missing.length > 0);
}

export async function recordMonitor(
  db: Db,
  input: {
    accountId: string;
    providerVehicleId: string;
    label: string;
    callbackId: string;
    monitorId: string;
    now: number;
  },
): Promise<void> {
  await tables(db)
    .insertInto('callback_monitors')
    .values({
      car_account_id: input.accountId,
      provider_vehicle_id: input.providerVehicleId,
      label: input.label,
      callback_id: input.callbackId,
      monitor_id: input.monitorId,
      created_at: input.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['car_account_id', 'provider_vehicle_id', 'label'])
        .doUpdateSet({ callback_id: input.callbackId, monitor_id: input.monitorId }),
    )
    .execute();
}

/** Ends `workerId`'s lease: a success clears the failures, a failure schedules the next attempt. */
export async function settleSubscription(
  db: Db,
  input: { workerId: string; accountId: string; now: number } & (
    | { ok: true }
    | { ok: false; error: string; nextAttemptAt: number }
  ),
): Promise<void> {
  await tables(db)
    .updateTable('callback_subscriptions')
    .set((eb) =>
      input.ok
        ? { lease_owner: null, lease_until: null, failures: 0, last_error: null, updated_at: input.now }
        : {
            lease_owner: null,
            lease_until: null,
            failures: eb('failures', '+', 1),
            last_error: input.error,
            next_attempt_at: input.nextAttemptAt,
            updated_at: input.now,
          },
    )
    .where('car_account_id', '=', input.accountId)
    .where('lease_owner', '=', input.workerId)
    .execute();
}

/** The account's failure count (for the backoff), 0 when it has no row. */
export async function subscriptionFailures(db: Db, accountId: string): Promise<number> {
  const row = await tables(db)
    .selectFrom('callback_subscriptions')
    .select('failures')
    .where('car_account_id', '=', accountId)
    .executeTakeFirst();
  return row?.failures ?? 0;
}

/** Every callback id Kinetic recorded for the account (normally one). */
export async function callbackIdsOfAccount(db: Db, accountId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .select('callback_id')
    .where('car_account_id', '=', accountId)
    .orderBy('callback_id')
    .execute();
  return rows.map((row) => row.callback_id);
}

/**
 * Forgets the account's subscription: its callbacks (and, by cascade, their stored events), its
 * monitors and its subscription state. With `callbackId`, only that callback (gone upstream).
 */
export async function forgetAccountSubscription(
  db: Db,
  accountId: string,
  callbackId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let webhooks = trx.deleteFrom('webhook_subscriptions').where('car_account_id', '=', accountId);
    if (callbackId !== undefined) webhooks = webhooks.where('callback_id', '=', callbackId);
    await webhooks.execute();
    const extra = trx.withTables<CallbackSubscriptionTables>();
    let monitors = extra.deleteFrom('callback_monitors').where('car_account_id', '=', accountId);
    if (callbackId !== undefined) monitors = monitors.where('callback_id', '=', callbackId);
    await monitors.execute();
    if (callbackId === undefined) {
      await extra.deleteFrom('callback_subscriptions').where('car_account_id', '=', accountId).execute();
    } else {
      await extra
        .updateTable('callback_subscriptions')
        .set({ callback_id: null })
        .where('car_account_id', '=', accountId)
        .where('callback_id', '=', callbackId)
        .execute();
    }
  });
}
