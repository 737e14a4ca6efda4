import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '@/lib/db/schema';
import { psaV4WebhookDeliverySchema } from '@/lib/vehicle-api/psa-v4/schema/webhook';
import { ENGINES, useTestDatabase } from '@/test/db-harness';

// How processing settles when storing fails: the store is replaced by one that can fail on demand
// (a transient database error) or that sees its claim taken over mid-write (a processor that
// stalled past its claim). Everything else is the real code.

const store = vi.hoisted(() => ({
  mode: 'ok' as 'ok' | 'throw' | 'steal-claim',
}));
vi.mock('@/lib/db/queries/vehicle-data', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/lib/db/queries/vehicle-data')>();
  return {
    ...original,
    writeVehicleData: async (trx: Kysely<Database>, ...rest: unknown[]) => {
      if (store.mode === 'throw') throw new Error('connection reset');
      if (store.mode === 'steal-claim') {
        await trx.updateTable('webhook_events').set({ claim_token: 'another-processor' }).execute();
      }
      return (original.writeVehicleData as (...args: unknown[]) => Promise<unknown>)(trx, ...rest);
    },
  };
});

const { MAX_ATTEMPTS, processPendingWebhookEvents } = await import('./process');
const { acceptWebhookDelivery } = await import('./receive');
const { linkedCarWithCallback, MINUTE, NOW, tripMessage, tripResource } = await import('./test-support');

afterEach(() => {
  store.mode = 'ok';
  vi.restoreAllMocks();
});

describe.each(ENGINES)('webhook processing failures on %s', (engine) => {
  const database = useTestDatabase(engine);
  const db = () => database().db;

  async function oneEvent() {
    const car = await linkedCarWithCallback(db());
    const message = tripMessage({
      callbackId: car.callbackId,
      eventId: 'ev',
      vin: car.vin,
      date: NOW - MINUTE,
      kind: 'start',
      trip: tripResource({ id: `trip-${car.callbackId}`, startedAt: NOW - MINUTE, done: false }),
    });
    await acceptWebhookDelivery(
      db(),
      psaV4WebhookDeliverySchema.parse(message),
      { secret: car.secret, eventIds: null },
      NOW,
    );
    return car;
  }

  const rowOf = (callbackId: string) =>
    db()
      .selectFrom('webhook_events')
      .select(['status', 'attempts', 'last_error'])
      .where('callback_id', '=', callbackId)
      .executeTakeFirstOrThrow();
  const tripCount = async (vehicleId: string) =>
    (await db().selectFrom('trips').select('id').where('vehicle_id', '=', vehicleId).execute()).length;

  it('puts an event back after a transient error and stores it on a later attempt', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const car = await oneEvent();
    store.mode = 'throw';
    expect(await processPendingWebhookEvents(db(), 10, { now: NOW })).toEqual({
      claimed: 1,
      done: 0,
      failed: 0,
      retried: 1,
    });
    expect(await rowOf(car.callbackId)).toEqual({
      status: 'pending',
      attempts: 1,
      last_error: 'attempt 1 failed (Error)',
    });
    expect(errors).toHaveBeenCalledTimes(1);
    expect(await tripCount(car.vehicleId)).toBe(0);

    store.mode = 'ok';
    expect((await processPendingWebhookEvents(db(), 10, { now: NOW })).done).toBe(1);
    expect(await rowOf(car.callbackId)).toEqual({ status: 'done', attempts: 2, last_error: null });
    expect(await tripCount(car.vehicleId)).toBe(1);
  });

  it(`gives up after ${MAX_ATTEMPTS} failed attempts`, async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const car = await oneEvent();
    store.mode = 'throw';
    const outcomes = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      outcomes.push(await processPendingWebhookEvents(db(), 10, { now: NOW }));
    }
    expect(outcomes.map((outcome) => [outcome.retried, outcome.failed])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(await rowOf(car.callbackId)).toEqual({
      status: 'failed',
      attempts: 5,
      last_error: 'attempt 5 failed (Error)',
    });
    expect((await processPendingWebhookEvents(db(), 10, { now: NOW })).claimed).toBe(0);
  });

  it('rolls back the write of a processor whose claim was taken over, leaving the event to its new holder', async () => {
    const car = await oneEvent();
    store.mode = 'steal-claim';
    expect(await processPendingWebhookEvents(db(), 10, { now: NOW, claimMs: 1000 })).toEqual({
      claimed: 1,
      done: 0,
      failed: 0,
      retried: 0,
    });
    expect(await tripCount(car.vehicleId)).toBe(0);
    expect((await rowOf(car.callbackId)).status).toBe('processing');

    // Once the claim has run out, another pass takes the event and applies it once.
    store.mode = 'ok';
    expect((await processPendingWebhookEvents(db(), 10, { now: NOW + 500 })).claimed).toBe(0);
    expect((await processPendingWebhookEvents(db(), 10, { now: NOW + 1000 })).done).toBe(1);
    expect(await tripCount(car.vehicleId)).toBe(1);
  });
});
