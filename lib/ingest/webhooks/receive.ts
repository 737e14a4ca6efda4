import 'server-only';
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { WebhookEventsTable } from '../../db/schema-webhooks';
import { AppError } from '../../errors';
import type { PsaV4WebhookDelivery } from '../../vehicle-api/psa-v4/schema/webhook';
import { type DeliveryLayout, eventIdsOf } from './event-id';
import { webhookSecretMatches } from './secret';
import { getWebhookSubscription } from './subscriptions';

// Accepting a delivery: authenticate it, drop what is outside the replay window, and store each
// new message for later processing — nothing else, so the 200 goes out fast (PSA retries anything
// that is not answered 2xx; vehicle-apis.md §4.2).
//
// Replay window: PSA retries a message every 10 s and drops it 3 days (72 h) after it was raised
// (vehicle-apis.md §4.2 "messages dropped after 3 days"; docs/simulator.md "dropped after 3
// simulated days"), so no genuine delivery is older than that. Five minutes of clock skew between
// PSA and Kinetic are tolerated either way. A message outside the window is refused; since no
// replay of an older event can get in, events can be forgotten once they are older than the
// window (pruneWebhookEvents) without reopening the door to them.

const MINUTE_MS = 60_000;
export const CLOCK_SKEW_MS = 5 * MINUTE_MS;
export const REPLAY_WINDOW_MS = 72 * 60 * MINUTE_MS + CLOCK_SKEW_MS;

/** One answer for a missing or wrong secret and for an unknown callback: which one is not said. */
export const UNAUTHORIZED_MESSAGE = 'The delivery could not be authenticated.';
export const OUTSIDE_WINDOW_MESSAGE = 'Every message of the delivery is outside the replay window.';

export type DeliveryHeaders = { secret: string | null; eventIds: string | null };

export type DeliveryResult = {
  /** Messages stored for processing. */
  accepted: number;
  /** Messages already stored (a retry or a duplicate): acknowledged, not stored again. */
  duplicates: number;
  /** Messages outside the replay window: dropped. */
  refused: number;
  /** Messages that are not PSA messages: dropped (the rest of the delivery is kept). */
  malformed: number;
};

export function withinReplayWindow(eventAt: number, now: number): boolean {
  return eventAt > now - REPLAY_WINDOW_MS && eventAt <= now + CLOCK_SKEW_MS;
}

export async function acceptWebhookDelivery(
  db: Kysely<Database>,
  messages: PsaV4WebhookDelivery,
  headers: DeliveryHeaders,
  now = Date.now(),
  layout?: DeliveryLayout,
): Promise<DeliveryResult> {
  const [first] = messages;
  const callbackId = first?.callbackId ?? '';
  // A delivery goes through one callback (PSA batches per subscription); a mixed one is not PSA's.
  const oneCallback = messages.every((message) => message.callbackId === callbackId);
  const subscription = oneCallback ? await getWebhookSubscription(db, callbackId) : null;
  if (!webhookSecretMatches(headers.secret, subscription?.secretHash ?? null) || !subscription) {
    throw new AppError('unauthorized', UNAUTHORIZED_MESSAGE);
  }

  const ids = eventIdsOf(messages, headers.eventIds, layout);
  const rows = new Map<string, Insertable<WebhookEventsTable>>();
  let refused = 0;
  messages.forEach((message, index) => {
    const eventAt = Date.parse(message.date);
    const eventId = ids[index];
    if (eventId === undefined) return;
    if (!withinReplayWindow(eventAt, now)) {
      refused += 1;
      return;
    }
    rows.set(eventId, {
      callback_id: callbackId,
      event_id: eventId,
      message: JSON.stringify(message),
      event_at: eventAt,
      received_at: now,
      status: 'pending',
      claim_token: null,
      claimed_until: null,
      processed_at: null,
      last_error: null,
    });
  });
  if (rows.size === 0) throw new AppError('bad_request', OUTSIDE_WINDOW_MESSAGE);

  const inserted = await db
    .insertInto('webhook_events')
    .values([...rows.values()])
    .onConflict((oc) => oc.columns(['callback_id', 'event_id']).doNothing())
    .returning('event_id')
    .execute();
  return {
    accepted: inserted.length,
    duplicates: messages.length - refused - inserted.length,
    refused,
    malformed: layout ? layout.deliverySize - messages.length : 0,
  };
}
