import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { hashWebhookSecret } from './secret';

// The callbacks Kinetic subscribed at PSA, one per car account. The secret is generated before
// subscribing (it goes into the subscription's attributes) and recorded here, hashed, once PSA
// answered with the callback id. System-side: keyed by callback id, never reachable with an
// owner's input.

export type WebhookSubscription = { callbackId: string; carAccountId: string; secretHash: string };

export async function recordWebhookSubscription(
  db: Kysely<Database>,
  input: { callbackId: string; carAccountId: string; secret: string; now?: number },
): Promise<void> {
  const secretHash = hashWebhookSecret(input.secret);
  await db
    .insertInto('webhook_subscriptions')
    .values({
      callback_id: input.callbackId,
      car_account_id: input.carAccountId,
      secret_hash: secretHash,
      created_at: input.now ?? Date.now(),
    })
    // Re-subscribing the same callback (PUT) rotates its secret.
    .onConflict((oc) => oc.column('callback_id').doUpdateSet({ secret_hash: secretHash }))
    .execute();
}

export async function getWebhookSubscription(
  db: Kysely<Database>,
  callbackId: string,
): Promise<WebhookSubscription | null> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .select(['callback_id', 'car_account_id', 'secret_hash'])
    .where('callback_id', '=', callbackId)
    .executeTakeFirst();
  return row
    ? { callbackId: row.callback_id, carAccountId: row.car_account_id, secretHash: row.secret_hash }
    : null;
}

/** Forgets a callback (after unsubscribing at PSA); its events go with it. */
export async function deleteWebhookSubscription(db: Kysely<Database>, callbackId: string): Promise<void> {
  await db.deleteFrom('webhook_subscriptions').where('callback_id', '=', callbackId).execute();
}
