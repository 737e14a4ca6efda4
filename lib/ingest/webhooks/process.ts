import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isPostgres } from '../../db/client';
import { writeVehicleData } from '../../db/queries/vehicle-data';
import type { Database } from '../../db/schema';
import type { VehicleData } from '../../telemetry/model';
import { validateVehicleData } from '../../telemetry/validate';
import { psaV4WebhookMessageSchema } from '../../vehicle-api/psa-v4/schema/webhook';
import { mapWebhookMessage } from './map-message';
import { REPLAY_WINDOW_MS } from './receive';

// Processing stored webhook events, for the sync worker to call (`processPendingWebhookEvents`).
//
// Exactly once: a processor claims events with one UPDATE … WHERE (key) IN (SELECT … LIMIT n)
// RETURNING that also re-checks the claimable condition, so two processors never hold the same
// event (the pattern of leaseDueVehicles in lib/db/queries/car-accounts.ts: on SQLite the statement
// takes the write lock before it reads; on PostgreSQL the inner SELECT skips rows another claim
// has locked, and the outer WHERE is re-evaluated on a row updated meanwhile). The records are
// stored and the event marked done in ONE transaction, and the mark only counts if this processor
// still holds the claim: a processor that stalled past its claim and lost it rolls its write back.
// A crashed processor's claim expires after `claimMs` and the event is claimed again.
//
// Failures: an event that can never be stored (no VIN, a car no longer linked, a payload that no
// longer parses) is marked failed with the reason; any other error puts the event back for a later
// attempt, up to MAX_ATTEMPTS.

export const DEFAULT_CLAIM_MS = 60_000;
export const MAX_ATTEMPTS = 5;

export type WebhookProcessingResult = {
  /** Events this call claimed. */
  claimed: number;
  /** Stored (or carrying nothing to store) and marked done. */
  done: number;
  /** Marked failed for good. */
  failed: number;
  /** Put back for a later attempt. */
  retried: number;
};

export type ProcessOptions = { now?: number; claimMs?: number };

type ClaimedEvent = { callbackId: string; eventId: string; message: string; attempts: number };

class ClaimLostError extends Error {
  constructor() {
    super('the webhook event was claimed by another processor');
    this.name = 'ClaimLostError';
  }
}

class PermanentFailure extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PermanentFailure';
  }
}

const hasRecords = (data: VehicleData) => Object.values(data).some((records) => records.length > 0);

async function claimEvents(
  db: Kysely<Database>,
  token: string,
  limit: number,
  now: number,
  claimMs: number,
): Promise<ClaimedEvent[]> {
  let candidates = db
    .selectFrom('webhook_events as e')
    .select(['e.callback_id', 'e.event_id'])
    .where((eb) =>
      eb.or([
        eb('e.status', '=', 'pending'),
        eb.and([eb('e.status', '=', 'processing'), eb('e.claimed_until', '<=', now)]),
      ]),
    )
    .orderBy('e.received_at', 'asc')
    .orderBy('e.event_at', 'asc')
    .limit(limit);
  if (isPostgres(db)) candidates = candidates.forUpdate().skipLocked();

  const rows = await db
    .updateTable('webhook_events')
    .set((eb) => ({
      status: 'processing',
      claim_token: token,
      claimed_until: now + claimMs,
      attempts: eb('attempts', '+', 1),
    }))
    .where((eb) =>
      eb.and([
        eb(eb.refTuple('callback_id', 'event_id'), 'in', candidates.$asTuple('callback_id', 'event_id')),
        eb.or([
          eb('status', '=', 'pending'),
          eb.and([eb('status', '=', 'processing'), eb('claimed_until', '<=', now)]),
        ]),
      ]),
    )
    .returning(['callback_id', 'event_id', 'message', 'attempts', 'received_at'])
    .execute();
  return rows
    .sort((a, b) => a.received_at - b.received_at)
    .map((row) => ({
      callbackId: row.callback_id,
      eventId: row.event_id,
      message: row.message,
      attempts: row.attempts,
    }));
}

/** The Kinetic vehicle the message is about: linked to the callback's account under that VIN. */
async function vehicleOf(db: Kysely<Database>, callbackId: string, vin: string | null): Promise<string> {
  if (vin === null) throw new PermanentFailure('the message names no vehicle (no vin attribute)');
  const link = await db
    .selectFrom('webhook_subscriptions as s')
    .innerJoin('car_accounts as a', 'a.id', 's.car_account_id')
    .innerJoin('car_account_vehicles as l', 'l.car_account_id', 'a.id')
    .select('l.vehicle_id')
    .where('s.callback_id', '=', callbackId)
    .where('a.status', '!=', 'disconnected')
    .where('l.vin', '=', vin)
    .executeTakeFirst();
  if (!link) throw new PermanentFailure('no linked vehicle of the account has that VIN');
  return link.vehicle_id;
}

function markDone(db: Kysely<Database>, event: ClaimedEvent, token: string, now: number) {
  return db
    .updateTable('webhook_events')
    .set({ status: 'done', processed_at: now, claim_token: null, claimed_until: null, last_error: null })
    .where('callback_id', '=', event.callbackId)
    .where('event_id', '=', event.eventId)
    .where('claim_token', '=', token)
    .executeTakeFirst();
}

async function processEvent(db: Kysely<Database>, event: ClaimedEvent, token: string, now: number) {
  const parsed = psaV4WebhookMessageSchema.safeParse(JSON.parse(event.message));
  if (!parsed.success) throw new PermanentFailure('the stored message no longer parses');
  const { vin, data } = mapWebhookMessage(parsed.data);
  if (!hasRecords(data)) {
    const marked = await markDone(db, event, token, now);
    if (marked.numUpdatedRows === 0n) throw new ClaimLostError();
    return;
  }
  const vehicleId = await vehicleOf(db, event.callbackId, vin);
  const validated = validateVehicleData(data);
  await db.transaction().execute(async (trx) => {
    await writeVehicleData(trx, vehicleId, validated.data, validated.quarantined, now);
    const marked = await markDone(trx, event, token, now);
    if (marked.numUpdatedRows === 0n) throw new ClaimLostError();
  });
}

async function settleFailure(
  db: Kysely<Database>,
  event: ClaimedEvent,
  token: string,
  error: unknown,
): Promise<'failed' | 'retried' | 'lost'> {
  if (error instanceof ClaimLostError) return 'lost';
  const permanent = error instanceof PermanentFailure || event.attempts >= MAX_ATTEMPTS;
  // Only the reason: never the payload or a driver message that could quote it.
  const reason =
    error instanceof PermanentFailure
      ? error.message
      : `attempt ${event.attempts} failed (${String((error as Error)?.name ?? 'error')})`;
  if (!(error instanceof PermanentFailure)) console.error('[webhooks] processing failed', error);
  await db
    .updateTable('webhook_events')
    .set({
      status: permanent ? 'failed' : 'pending',
      claim_token: null,
      claimed_until: null,
      last_error: reason,
    })
    .where('callback_id', '=', event.callbackId)
    .where('event_id', '=', event.eventId)
    .where('claim_token', '=', token)
    .execute();
  return permanent ? 'failed' : 'retried';
}

/**
 * Claims up to `limit` pending webhook events, stores what they carry for the car each is about,
 * and marks them done. Safe to run in several processes at once. For the sync worker.
 */
export async function processPendingWebhookEvents(
  db: Kysely<Database>,
  limit: number,
  options: ProcessOptions = {},
): Promise<WebhookProcessingResult> {
  const now = options.now ?? Date.now();
  const token = randomUUID();
  const events = await claimEvents(db, token, limit, now, options.claimMs ?? DEFAULT_CLAIM_MS);
  const result: WebhookProcessingResult = { claimed: events.length, done: 0, failed: 0, retried: 0 };
  for (const event of events) {
    try {
      await processEvent(db, event, token, now);
      result.done += 1;
    } catch (error) {
      const outcome = await settleFailure(db, event, token, error);
      if (outcome !== 'lost') result[outcome] += 1;
    }
  }
  return result;
}

/**
 * Forgets settled events older than the replay window: a replay of them is refused by its date
 * anyway (receive.ts), so their ids need not be kept. Answers how many were deleted.
 */
export async function pruneWebhookEvents(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const deleted = await db
    .deleteFrom('webhook_events')
    .where('status', 'in', ['done', 'failed'])
    .where('event_at', '<=', now - REPLAY_WINDOW_MS)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
