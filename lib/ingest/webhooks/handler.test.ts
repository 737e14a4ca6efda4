import { describe, expect, it, vi } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { HOUR, linkedCarWithCallback, MINUTE, NOW, tripMessage, tripResource } from './test-support';

// lib/route-handler imports lib/auth, which builds next-auth at import and cannot load in plain
// Node (see lib/route-handler.test.ts): only requireApiUser is replaced. This route never calls it.
const { requireApiUser } = vi.hoisted(() => ({ requireApiUser: vi.fn() }));
vi.mock('@/lib/auth', () => ({ requireApiUser }));

const { withRoute } = await import('@/lib/route-handler');
const { handlePsaWebhook, MAX_WEBHOOK_BODY_BYTES } = await import('./handler');

const URL = 'http://localhost/api/webhooks/psa';

describe.each(ENGINES)('PSA webhook route on %s', (engine) => {
  const database = useTestDatabase(engine);
  // The route as app/api/webhooks/psa/route.ts builds it, on the test database and a fixed clock.
  const POST = withRoute((request) => handlePsaWebhook(request, { db: database().db, now: () => NOW }));
  const call = (request: Request) => POST(request, { params: Promise.resolve({}) });

  function deliver(body: unknown, headers: Record<string, string | undefined>) {
    const defined = Object.fromEntries(
      Object.entries({ 'content-type': 'application/json', ...headers }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    return new Request(URL, {
      method: 'POST',
      headers: defined,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  const eventsOf = (callbackId: string) =>
    database()
      .db.selectFrom('webhook_events')
      .select(['event_id', 'status', 'event_at', 'received_at'])
      .where('callback_id', '=', callbackId)
      .orderBy('event_id')
      .execute();

  const startOf = (callbackId: string, eventId: string, vin: string, date = NOW - MINUTE) =>
    tripMessage({
      callbackId,
      eventId,
      vin,
      date,
      kind: 'start',
      trip: tripResource({ id: `trip-${eventId}`, startedAt: date, done: false }),
    });

  it('stores a delivery and answers 200 with what it accepted', async () => {
    const car = await linkedCarWithCallback(database().db);
    const response = await call(
      deliver(startOf(car.callbackId, 'ev-1', car.vin), {
        'x-kinetic-secret': car.secret,
        'x-event-id': 'ev-1',
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, refused: 0, malformed: 0 });
    expect(await eventsOf(car.callbackId)).toEqual([
      { event_id: 'ev-1', status: 'pending', event_at: NOW - MINUTE, received_at: NOW },
    ]);
  });

  it('stores one row for the same event delivered five times concurrently, and acknowledges every copy', async () => {
    const car = await linkedCarWithCallback(database().db);
    const message = startOf(car.callbackId, 'ev-dup', car.vin);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        call(deliver(message, { 'x-kinetic-secret': car.secret, 'x-event-id': 'ev-dup' })),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    const bodies = await Promise.all(responses.map((response) => response.json()));
    // Exactly one copy was the first; the other four were duplicates.
    expect(bodies.filter((body) => body.accepted === 1 && body.duplicates === 0)).toHaveLength(1);
    expect(bodies.filter((body) => body.accepted === 0 && body.duplicates === 1)).toHaveLength(4);
    expect(await eventsOf(car.callbackId)).toHaveLength(1);
  });

  it('accepts a batch (JSON array), deduplicating ids inside it and against stored ones', async () => {
    const car = await linkedCarWithCallback(database().db);
    await call(deliver(startOf(car.callbackId, 'b-1', car.vin), { 'x-kinetic-secret': car.secret }));
    const batch = [
      startOf(car.callbackId, 'b-1', car.vin),
      startOf(car.callbackId, 'b-2', car.vin, NOW - 2 * MINUTE),
      startOf(car.callbackId, 'b-3', car.vin, NOW - 3 * MINUTE),
      startOf(car.callbackId, 'b-3', car.vin, NOW - 3 * MINUTE),
    ];
    const response = await call(
      deliver(batch, { 'x-kinetic-secret': car.secret, 'x-event-id': 'b-1, b-2, b-3, b-3' }),
    );
    expect(response.status).toBe(200);
    // b-1 was stored already, b-3 comes twice: two new rows, two duplicates.
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 2, refused: 0, malformed: 0 });
    expect((await eventsOf(car.callbackId)).map((row) => row.event_id)).toEqual(['b-1', 'b-2', 'b-3']);
  });

  it('takes ids from the header when the messages carry none, one per message in order', async () => {
    const car = await linkedCarWithCallback(database().db);
    const bare = (date: number) => {
      const message = startOf(car.callbackId, 'unused', car.vin, date);
      return { ...message, attributes: [{ key: 'vin', value: car.vin }] };
    };
    const response = await call(
      deliver([bare(NOW - 5 * MINUTE), bare(NOW - 4 * MINUTE)], {
        'x-kinetic-secret': car.secret,
        'x-event-id': 'h-1,h-2',
      }),
    );
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, refused: 0, malformed: 0 });
    const rows = await eventsOf(car.callbackId);
    expect(rows.map((row) => [row.event_id, row.event_at])).toEqual([
      ['h-1', NOW - 5 * MINUTE],
      ['h-2', NOW - 4 * MINUTE],
    ]);
  });

  it('refuses a wrong, missing or foreign secret and an unknown callback with the same 401, storing nothing', async () => {
    const car = await linkedCarWithCallback(database().db);
    const other = await linkedCarWithCallback(database().db);
    const message = startOf(car.callbackId, 'ev-auth', car.vin);
    const attempts = [
      deliver(message, { 'x-kinetic-secret': `${car.secret}x` }),
      deliver(message, { 'x-kinetic-secret': car.secret.slice(0, -1) }),
      deliver(message, {}),
      deliver(message, { 'x-kinetic-secret': '' }),
      // Another subscription's valid secret does not open this one.
      deliver(message, { 'x-kinetic-secret': other.secret }),
      // A callback nobody subscribed, with a secret that is valid elsewhere.
      deliver({ ...message, callbackId: 'cb-unknown' }, { 'x-kinetic-secret': car.secret }),
      // A batch mixing two callbacks.
      deliver([message, startOf(other.callbackId, 'ev-x', other.vin)], { 'x-kinetic-secret': car.secret }),
    ];
    for (const request of attempts) {
      const response = await call(request);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'unauthorized', message: 'The delivery could not be authenticated.' },
      });
    }
    expect(await eventsOf(car.callbackId)).toEqual([]);
    expect(await eventsOf(other.callbackId)).toEqual([]);
  });

  it('refuses messages outside the replay window (72 h + 5 min back, 5 min ahead)', async () => {
    const car = await linkedCarWithCallback(database().db);
    const headers = { 'x-kinetic-secret': car.secret };
    const window = 72 * HOUR + 5 * MINUTE;
    // Alone, a stale or future message is a 400 and nothing is stored.
    for (const date of [NOW - window, NOW - 30 * 24 * HOUR, NOW + 5 * MINUTE + 1000]) {
      const response = await call(deliver(startOf(car.callbackId, `stale-${date}`, car.vin, date), headers));
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('bad_request');
    }
    expect(await eventsOf(car.callbackId)).toEqual([]);
    // In a batch, the fresh ones are kept and the stale ones dropped.
    const response = await call(
      deliver(
        [
          startOf(car.callbackId, 'edge-old', car.vin, NOW - window + 1000),
          startOf(car.callbackId, 'too-old', car.vin, NOW - window - 1000),
          startOf(car.callbackId, 'edge-new', car.vin, NOW + 5 * MINUTE),
        ],
        headers,
      ),
    );
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, refused: 1, malformed: 0 });
    expect((await eventsOf(car.callbackId)).map((row) => row.event_id)).toEqual(['edge-new', 'edge-old']);
  });

  it('keeps the good messages of a batch that holds a malformed one, ids from the header by position', async () => {
    const car = await linkedCarWithCallback(database().db);
    // Event ids from the header only: the header lists one per message of the whole delivery.
    const bare = (eventId: string) => {
      const message = startOf(car.callbackId, eventId, car.vin);
      return { ...message, attributes: message.attributes?.filter((item) => item.key !== 'x-event-id') };
    };
    const batch = [bare('good-1'), { callbackId: car.callbackId, garbage: true }, bare('good-3')];
    const response = await call(
      deliver(batch, { 'x-kinetic-secret': car.secret, 'x-event-id': 'good-1,bad-2,good-3' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, refused: 0, malformed: 1 });
    expect((await eventsOf(car.callbackId)).map((row) => row.event_id)).toEqual(['good-1', 'good-3']);
  });

  it('answers 400 for malformed JSON or a body that is not a PSA message, 415 for another content type', async () => {
    const car = await linkedCarWithCallback(database().db);
    const headers = { 'x-kinetic-secret': car.secret };
    const malformed = await call(deliver('{"callbackId":', headers));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: { code: 'bad_request', message: 'The request body is not valid JSON.' },
    });
    for (const body of [
      { callbackId: car.callbackId },
      [],
      { ...startOf(car.callbackId, 'x', car.vin), date: 'yesterday' },
    ]) {
      const response = await call(deliver(body, headers));
      expect(response.status).toBe(400);
      const error = (await response.json()).error;
      expect(error.code).toBe('bad_request');
      expect(JSON.stringify(error)).not.toMatch(/at .*\.ts|stack/i);
    }
    const tooMany = Array.from({ length: 101 }, (_, index) => startOf(car.callbackId, `m-${index}`, car.vin));
    expect((await call(deliver(tooMany, headers))).status).toBe(400);
    const text = await call(
      deliver(startOf(car.callbackId, 'x', car.vin), { ...headers, 'content-type': 'text/plain' }),
    );
    expect(text.status).toBe(415);
    expect(await eventsOf(car.callbackId)).toEqual([]);
  });

  it('refuses a body over 1 MiB with 413, declared or not', async () => {
    const car = await linkedCarWithCallback(database().db);
    const big = `"${'x'.repeat(MAX_WEBHOOK_BODY_BYTES)}"`;
    const declared = await call(
      deliver(big, { 'x-kinetic-secret': car.secret, 'content-length': String(Buffer.byteLength(big)) }),
    );
    expect(declared.status).toBe(413);
    const undeclared = await call(deliver(big, { 'x-kinetic-secret': car.secret }));
    expect(undeclared.status).toBe(413);
    expect((await undeclared.json()).error.code).toBe('payload_too_large');
  });

  it('accepts a full batch of 100 messages', async () => {
    const car = await linkedCarWithCallback(database().db);
    const batch = Array.from({ length: 100 }, (_, index) =>
      startOf(car.callbackId, `full-${String(index).padStart(3, '0')}`, car.vin, NOW - index * 1000),
    );
    const response = await call(deliver(batch, { 'x-kinetic-secret': car.secret }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 100, duplicates: 0, refused: 0, malformed: 0 });
  });
});
