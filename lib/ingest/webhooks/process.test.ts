import { describe, expect, it } from 'vitest';
import { psaV4WebhookDeliverySchema } from '@/lib/vehicle-api/psa-v4/schema/webhook';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { processPendingWebhookEvents, pruneWebhookEvents } from './process';
import { acceptWebhookDelivery } from './receive';
import {
  alertMessage,
  HOUR,
  type LinkedCar,
  linkedCarWithCallback,
  MINUTE,
  NOW,
  tripMessage,
  tripResource,
} from './test-support';

describe.each(ENGINES)('processing webhook events on %s', (engine) => {
  const database = useTestDatabase(engine);
  const db = () => database().db;

  async function accept(car: LinkedCar, body: unknown, now = NOW) {
    return acceptWebhookDelivery(
      db(),
      psaV4WebhookDeliverySchema.parse(body),
      { secret: car.secret, eventIds: null },
      now,
    );
  }

  const tripsOf = (vehicleId: string) =>
    db()
      .selectFrom('trips')
      .select(['provider_trip_id', 'started_at', 'ended_at', 'distance_km', 'duration_s'])
      .where('vehicle_id', '=', vehicleId)
      .orderBy('provider_trip_id')
      .execute();

  const eventRows = (callbackId: string) =>
    db()
      .selectFrom('webhook_events')
      .select(['event_id', 'status', 'attempts', 'last_error', 'claim_token'])
      .where('callback_id', '=', callbackId)
      .orderBy('event_id')
      .execute();

  /** Runs processors until none finds work; answers the summed results. */
  async function drain(now = NOW) {
    const total = { claimed: 0, done: 0, failed: 0, retried: 0 };
    for (;;) {
      const result = await processPendingWebhookEvents(db(), 50, { now });
      for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += result[key];
      if (result.claimed === 0) return total;
    }
  }

  const startedAt = NOW - 30 * MINUTE;
  const stoppedAt = NOW - 5 * MINUTE;

  function startAndStop(car: LinkedCar, tripId: string) {
    const start = tripMessage({
      callbackId: car.callbackId,
      eventId: `${tripId}-start`,
      vin: car.vin,
      date: startedAt,
      kind: 'start',
      trip: tripResource({ id: tripId, startedAt, done: false }),
    });
    const stop = tripMessage({
      callbackId: car.callbackId,
      eventId: `${tripId}-stop`,
      vin: car.vin,
      date: stoppedAt + 10_000,
      kind: 'stop',
      trip: tripResource({ id: tripId, startedAt, stoppedAt, distanceKm: 12.5, done: true }),
    });
    return { start, stop };
  }

  // 25 min = 1500 s, 12.5 km: what the stop's trip resource says.
  const finishedTrip = (tripId: string) => ({
    provider_trip_id: tripId,
    started_at: startedAt,
    ended_at: stoppedAt,
    distance_km: 12.5,
    duration_s: 1500,
  });

  it('stores a trip from its start and stop events, whichever arrives first', async () => {
    for (const order of ['in-order', 'reversed'] as const) {
      const car = await linkedCarWithCallback(db());
      const { start, stop } = startAndStop(car, `trip-${order}`);
      const [first, second] = order === 'in-order' ? [start, stop] : [stop, start];
      await accept(car, first);
      expect(await drain()).toEqual({ claimed: 1, done: 1, failed: 0, retried: 0 });
      await accept(car, second);
      expect(await drain()).toEqual({ claimed: 1, done: 1, failed: 0, retried: 0 });
      expect(await tripsOf(car.vehicleId)).toEqual([finishedTrip(`trip-${order}`)]);
    }
  });

  it('keeps a trip under way from a start event alone (no end yet)', async () => {
    const car = await linkedCarWithCallback(db());
    await accept(car, startAndStop(car, 'trip-open').start);
    await drain();
    expect(await tripsOf(car.vehicleId)).toEqual([
      {
        provider_trip_id: 'trip-open',
        started_at: startedAt,
        ended_at: null,
        distance_km: null,
        duration_s: null,
      },
    ]);
  });

  it('applies an event delivered five times concurrently exactly once, under concurrent processors', async () => {
    const car = await linkedCarWithCallback(db());
    const { stop } = startAndStop(car, 'trip-five');
    const receipts = await Promise.all(Array.from({ length: 5 }, () => accept(car, stop)));
    expect(receipts.reduce((sum, receipt) => sum + receipt.accepted, 0)).toBe(1);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => processPendingWebhookEvents(db(), 10, { now: NOW })),
    );
    expect(results.reduce((sum, result) => sum + result.claimed, 0)).toBe(1);
    expect(results.reduce((sum, result) => sum + result.done, 0)).toBe(1);
    expect(await eventRows(car.callbackId)).toEqual([
      { event_id: 'trip-five-stop', status: 'done', attempts: 1, last_error: null, claim_token: null },
    ]);
    expect(await tripsOf(car.vehicleId)).toEqual([finishedTrip('trip-five')]);
  });

  it('hands each event to exactly one of several concurrent processors', async () => {
    const car = await linkedCarWithCallback(db());
    const ids = Array.from({ length: 40 }, (_, index) => `alert-${String(index).padStart(2, '0')}`);
    for (let offset = 0; offset < ids.length; offset += 10) {
      const batch = ids.slice(offset, offset + 10).map((id, index) =>
        alertMessage({
          callbackId: car.callbackId,
          eventId: `ev-${id}`,
          vin: car.vin,
          date: NOW - HOUR + (offset + index) * 1000,
          alertId: id,
        }),
      );
      await accept(car, batch);
    }
    const results = await Promise.all(
      Array.from({ length: 6 }, () => processPendingWebhookEvents(db(), 7, { now: NOW })),
    );
    const rest = await drain();
    const claimed = results.reduce((sum, result) => sum + result.claimed, 0) + rest.claimed;
    expect(claimed).toBe(40);
    expect(results.reduce((sum, result) => sum + result.done, 0) + rest.done).toBe(40);
    const rows = await eventRows(car.callbackId);
    expect(rows.every((row) => row.status === 'done' && row.attempts === 1)).toBe(true);
    const alerts = await db()
      .selectFrom('alerts')
      .select(['provider_alert_id', 'type', 'severity', 'active'])
      .where('vehicle_id', '=', car.vehicleId)
      .orderBy('provider_alert_id')
      .execute();
    expect(alerts.map((alert) => alert.provider_alert_id)).toEqual(ids);
    expect(alerts[0]).toEqual({
      provider_alert_id: 'alert-00',
      type: 'adjustTyrePressure',
      severity: 'warning',
      active: 1,
    });
  });

  it('keeps the ended version of an alert whichever order its events arrive in', async () => {
    const car = await linkedCarWithCallback(db());
    const raised = alertMessage({
      callbackId: car.callbackId,
      eventId: 'a-on',
      vin: car.vin,
      date: NOW - HOUR,
      alertId: 'al-1',
    });
    const ended = {
      ...alertMessage({
        callbackId: car.callbackId,
        eventId: 'a-off',
        vin: car.vin,
        date: NOW - HOUR,
        alertId: 'al-1',
        endAt: NOW - 10 * MINUTE,
      }),
    };
    await accept(car, ended);
    await drain();
    await accept(car, raised);
    await drain();
    const alert = await db()
      .selectFrom('alerts')
      .select(['active', 'started_at', 'ended_at'])
      .where('vehicle_id', '=', car.vehicleId)
      .executeTakeFirstOrThrow();
    expect(alert).toEqual({ active: 0, started_at: NOW - HOUR, ended_at: NOW - 10 * MINUTE });
  });

  it('marks an event for a car the account does not link, or without a VIN, as failed and stores nothing', async () => {
    const car = await linkedCarWithCallback(db());
    const { start } = startAndStop(car, 'trip-stranger');
    await accept(car, [
      {
        ...start,
        attributes: [
          { key: 'x-event-id', value: 'foreign' },
          { key: 'vin', value: 'VF3AAAAAAAA000001' },
        ],
      },
      { ...start, attributes: [{ key: 'x-event-id', value: 'no-vin' }] },
    ]);
    expect(await drain()).toEqual({ claimed: 2, done: 0, failed: 2, retried: 0 });
    expect(await eventRows(car.callbackId)).toEqual([
      {
        event_id: 'foreign',
        status: 'failed',
        attempts: 1,
        last_error: 'no linked vehicle of the account has that VIN',
        claim_token: null,
      },
      {
        event_id: 'no-vin',
        status: 'failed',
        attempts: 1,
        last_error: 'the message names no vehicle (no vin attribute)',
        claim_token: null,
      },
    ]);
    expect(await tripsOf(car.vehicleId)).toEqual([]);
  });

  it('settles a remote-action event, which carries no vehicle data, without storing anything', async () => {
    const car = await linkedCarWithCallback(db());
    await accept(car, {
      callbackId: car.callbackId,
      type: 'Remote',
      date: new Date(NOW - MINUTE).toISOString(),
      attributes: [{ key: 'x-event-id', value: 'remote-1' }],
      remoteEvent: { remoteActionId: 'r1', eventStatus: { type: 'Done', status: 'Success' } },
    });
    expect(await drain()).toEqual({ claimed: 1, done: 1, failed: 0, retried: 0 });
    expect((await eventRows(car.callbackId))[0]?.status).toBe('done');
  });

  it("takes over a crashed processor's claim once it expired, not before", async () => {
    const car = await linkedCarWithCallback(db());
    await accept(car, startAndStop(car, 'trip-crash').stop);
    const claim = (claimedUntil: number) =>
      db()
        .updateTable('webhook_events')
        .set({ status: 'processing', claim_token: 'crashed', claimed_until: claimedUntil })
        .where('callback_id', '=', car.callbackId)
        .execute();
    await claim(NOW + 1000);
    expect((await processPendingWebhookEvents(db(), 10, { now: NOW })).claimed).toBe(0);
    await claim(NOW);
    expect(await processPendingWebhookEvents(db(), 10, { now: NOW })).toEqual({
      claimed: 1,
      done: 1,
      failed: 0,
      retried: 0,
    });
    expect(await tripsOf(car.vehicleId)).toEqual([finishedTrip('trip-crash')]);
  });

  it('prunes settled events older than the replay window, keeping recent and pending ones', async () => {
    const car = await linkedCarWithCallback(db());
    const at = (eventId: string, date: number) => ({
      ...startAndStop(car, eventId).start,
      date: new Date(date).toISOString(),
      attributes: [
        { key: 'x-event-id', value: eventId },
        { key: 'vin', value: car.vin },
      ],
    });
    await accept(car, [at('old-done', NOW - 2 * HOUR), at('recent-done', NOW - MINUTE)]);
    await drain();
    await accept(car, at('old-pending', NOW - 2 * HOUR));
    const window = 72 * HOUR + 5 * MINUTE;
    // Seen exactly one window after the old events' date: they go; the recent one is inside it.
    expect(await pruneWebhookEvents(db(), NOW - 2 * HOUR + window)).toBe(1);
    expect((await eventRows(car.callbackId)).map((row) => row.event_id)).toEqual([
      'old-pending',
      'recent-done',
    ]);
  });
});
