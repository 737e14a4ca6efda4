import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallbackTestServer, type Credentials, startCallbackServer } from './test-support';

// The callback and monitor endpoints over real HTTP (spec 4.17 Subscribe and Monitors operations,
// vehicle-apis.md §4.2): status codes and bodies of each write, per-owner isolation, validation.

let server: CallbackTestServer;
let demo: Credentials;
let peer: Credentials;
let demoCar: string;
let peerCar: string;

beforeAll(async () => {
  server = await startCallbackServer();
  demo = server.credentialsFor(0);
  peer = server.credentialsFor(1);
  demoCar = server.ctx.world.ownerAt(0).vehicles[0]?.id ?? '';
  peerCar = server.ctx.world.ownerAt(1).vehicles[0]?.id ?? '';
});

afterAll(async () => {
  await server.close();
});

const subscribe = (target: string, extra: Record<string, unknown> = {}) => ({
  label: 'kinetic',
  callback: {
    webhook: {
      name: 'kinetic-hook',
      target,
      attributes: [{ type: 'Header', key: 'x-kinetic-secret', value: 's3cret' }],
    },
  },
  ...extra,
});

const tripMonitor = (label = 'trips') => ({
  label,
  triggerParam: {
    triggers: [
      { name: 'start', data: { data: 'vehicle.trip.start', op: 'onChange' } },
      { name: 'stop', data: { data: 'vehicle.trip.stop', op: 'onChange' } },
    ],
    boolExp: 'start | stop',
  },
  extendedEventParam: ['vehicle.trip'],
});

function expectV4Error(
  result: { status: number; headers: Headers; body: Record<string, unknown> | undefined },
  status: number,
  code: number,
) {
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toBe('application/hal+json');
  expect(result.body).toMatchObject({ code });
  expect(typeof result.body?.uuid).toBe('string');
  return String(result.body?.message);
}

/** The items of a HAL collection's `_embedded[name]` (none when the body has none). */
function embedded<T>(result: { body: Record<string, unknown> | undefined }, name: string): T[] {
  const items = (result.body?._embedded as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(items) ? (items as T[]) : [];
}

async function createCallback(
  credentials: Credentials,
  body: unknown = subscribe('http://127.0.0.1:9/hook'),
) {
  const created = await server.api('/user/callbacks', credentials, { method: 'POST', body });
  expect(created.status).toBe(200);
  return String(created.body?.callbackId);
}

describe('callbacks', () => {
  it('subscribes, reads, lists, updates, pauses and deletes a webhook callback', async () => {
    const body = subscribe('http://127.0.0.1:9/hook', { type: ['Monitor'] });
    const created = await server.api('/user/callbacks', demo, { method: 'POST', body });
    expect(created.status).toBe(200);
    const id = String(created.body?.callbackId);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.body).toEqual({
      _links: { callback: { href: `${server.origin}/connectedcar/v4/user/callbacks/${id}` } },
      callbackId: id,
      status: 'Running',
    });

    const read = await server.api(`/user/callbacks/${id}`, demo);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      _links: { self: { href: `${server.origin}/connectedcar/v4/user/callbacks/${id}` } },
      label: 'kinetic',
      id,
      subscribe: body,
      status: 'Running',
    });

    const list = await server.api('/user/callbacks', demo);
    expect(list.status).toBe(200);
    expect(embedded<{ id: string }>(list, 'callbacks').map((callback) => callback.id)).toContain(id);
    // A Monitor-only callback is not among the Remote ones.
    const remotes = await server.api('/user/callbacks?types=Remote', demo);
    expect(embedded<{ id: string }>(remotes, 'callbacks').map((callback) => callback.id)).not.toContain(id);
    expectV4Error(await server.api('/user/callbacks?types=Sms', demo), 400, 40001);

    const replacement = subscribe('https://hooks.example/psa');
    const updated = await server.api(`/user/callbacks/${id}`, demo, { method: 'PUT', body: replacement });
    expect(updated.status).toBe(202);
    expect(updated.body).toMatchObject({ callbackId: id, status: 'Running' });
    expect((await server.api(`/user/callbacks/${id}`, demo)).body?.subscribe).toEqual(replacement);

    const paused = await server.api(`/user/callbacks/${id}/status`, demo, {
      method: 'PUT',
      body: { status: 'Paused' },
    });
    expect(paused.status).toBe(202);
    expect(paused.body).toMatchObject({ callbackId: id, status: 'Paused' });
    expect((await server.api(`/user/callbacks/${id}`, demo)).body?.status).toBe('Paused');

    const deleted = await server.api(`/user/callbacks/${id}`, demo, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expectV4Error(await server.api(`/user/callbacks/${id}`, demo), 404, 40400);
    expectV4Error(await server.api(`/user/callbacks/${id}`, demo, { method: 'DELETE' }), 404, 40400);
  });

  it('answers other methods with 405 and the allowed ones', async () => {
    const list = await server.api('/user/callbacks', demo, { method: 'PATCH', body: {} });
    expectV4Error(list, 405, 40500);
    expect(list.headers.get('allow')).toBe('GET, POST');
    const id = await createCallback(demo);
    const one = await server.api(`/user/callbacks/${id}`, demo, { method: 'POST', body: {} });
    expectV4Error(one, 405, 40500);
    expect(one.headers.get('allow')).toBe('GET, PUT, DELETE');
    const status = await server.api(`/user/callbacks/${id}/status`, demo);
    expect(status.headers.get('allow')).toBe('PUT');
  });
});

describe('monitors', () => {
  it('creates, reads, lists, updates, pauses and deletes a monitor; deleting its callback deletes it', async () => {
    const callbackId = await createCallback(demo);
    const base = `/user/vehicles/${demoCar}/callbacks/${callbackId}/monitors`;
    const created = await server.api(base, demo, { method: 'POST', body: tripMonitor() });
    expect(created.status).toBe(202);
    const monitorId = String(created.body?.monitorId);
    const href = `${server.origin}/connectedcar/v4${base}/${monitorId}`;
    const at = new Date(server.clock.now()).toISOString().replace('.000Z', 'Z');
    expect(created.body).toEqual({
      createdAt: at,
      updatedAt: at,
      _links: { monitor: { href } },
      monitorId,
      status: 'Running',
    });

    const read = await server.api(`${base}/${monitorId}`, demo);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      createdAt: at,
      updatedAt: at,
      _links: { self: { href } },
      monitorId,
      monitor: tripMonitor(),
      status: 'Running',
    });
    const list = await server.api(base, demo);
    expect(embedded<{ monitorId: string }>(list, 'monitors')).toEqual([
      expect.objectContaining({ monitorId }),
    ]);

    const updated = await server.api(`${base}/${monitorId}`, demo, {
      method: 'PUT',
      body: tripMonitor('renamed'),
    });
    expect(updated.status).toBe(202);
    const renamed = (await server.api(`${base}/${monitorId}`, demo)).body?.monitor as
      | { label?: string }
      | undefined;
    expect(renamed?.label).toBe('renamed');
    const paused = await server.api(`${base}/${monitorId}/status`, demo, {
      method: 'PUT',
      body: { status: 'Paused' },
    });
    expect(paused.status).toBe(202);
    expect(paused.body).toMatchObject({ monitorId, status: 'Paused' });

    expect((await server.api(`${base}/${monitorId}`, demo, { method: 'DELETE' })).status).toBe(204);
    expectV4Error(await server.api(`${base}/${monitorId}`, demo), 404, 40400);

    const again = await server.api(base, demo, { method: 'POST', body: tripMonitor() });
    const againId = String(again.body?.monitorId);
    expect(againId).not.toBe(monitorId);
    expect((await server.api(`/user/callbacks/${callbackId}`, demo, { method: 'DELETE' })).status).toBe(204);
    expectV4Error(await server.api(`${base}/${againId}`, demo), 404, 40400);
  });

  it('keeps at most 5 monitors per car and application', async () => {
    const callbackId = await createCallback(demo);
    const otherCallback = await createCallback(demo);
    const car = server.ctx.world.ownerAt(0).vehicles[1]?.id ?? '';
    for (let n = 0; n < 5; n++) {
      const callback = n % 2 === 0 ? callbackId : otherCallback;
      const created = await server.api(`/user/vehicles/${car}/callbacks/${callback}/monitors`, demo, {
        method: 'POST',
        body: tripMonitor(`m${n}`),
      });
      expect(created.status).toBe(202);
    }
    const sixth = await server.api(`/user/vehicles/${car}/callbacks/${callbackId}/monitors`, demo, {
      method: 'POST',
      body: tripMonitor('m5'),
    });
    expect(expectV4Error(sixth, 400, 40001)).toContain('at most 5');
    // Gone with their callbacks: room again.
    await server.api(`/user/callbacks/${callbackId}`, demo, { method: 'DELETE' });
    await server.api(`/user/callbacks/${otherCallback}`, demo, { method: 'DELETE' });
  });

  it('needs the scope of the data a monitor watches', async () => {
    const noTrips = server.credentialsFor(0, ['openid', 'data:telemetry', 'data:position']);
    const callbackId = await createCallback(noTrips);
    const base = `/user/vehicles/${demoCar}/callbacks/${callbackId}/monitors`;
    expectV4Error(await server.api(base, noTrips, { method: 'POST', body: tripMonitor() }), 403, 40302);
    const fuel = {
      label: 'fuel',
      triggerParam: {
        triggers: [
          { name: 'low', data: { data: 'vehicle.energy.fuel.level', op: 'lowerThan', value: ['20'] } },
        ],
        boolExp: 'low',
      },
    };
    expect((await server.api(base, noTrips, { method: 'POST', body: fuel })).status).toBe(202);
    await server.api(`/user/callbacks/${callbackId}`, noTrips, { method: 'DELETE' });
  });
});

describe('isolation', () => {
  it("answers another owner's callback and monitor ids like missing ones", async () => {
    const callbackId = await createCallback(demo);
    const base = `/user/vehicles/${demoCar}/callbacks/${callbackId}/monitors`;
    const monitorId = String(
      (await server.api(base, demo, { method: 'POST', body: tripMonitor() })).body?.monitorId,
    );

    const missing = 'ab'.repeat(16);
    for (const [method, path, body] of [
      ['GET', `/user/callbacks/${callbackId}`, undefined],
      ['PUT', `/user/callbacks/${callbackId}`, subscribe('http://127.0.0.1:9/stolen')],
      ['PUT', `/user/callbacks/${callbackId}/status`, { status: 'Paused' }],
      ['DELETE', `/user/callbacks/${callbackId}`, undefined],
      ['GET', `/user/vehicles/${peerCar}/callbacks/${callbackId}/monitors`, undefined],
    ] as const) {
      const foreign = await server.api(path, peer, { method, body });
      const absent = await server.api(path.replace(callbackId, missing), peer, { method, body });
      expectV4Error(foreign, 404, 40400);
      expectV4Error(absent, 404, 40400);
      expect(foreign.body?.message).toBe(absent.body?.message);
    }
    // The owner's car itself stays out of reach (the v4 answer for a car that is not yours).
    expectV4Error(await server.api(`${base}/${monitorId}`, peer), 403, 40301);
    // A monitor id under another callback is not found either.
    const peerCallback = await createCallback(peer);
    expectV4Error(
      await server.api(`/user/vehicles/${peerCar}/callbacks/${peerCallback}/monitors/${monitorId}`, peer),
      404,
      40400,
    );
    const peerList = await server.api('/user/callbacks', peer);
    const ids = embedded<{ id: string }>(peerList, 'callbacks').map((callback) => callback.id);
    expect(ids).toEqual([peerCallback]);
    // Untouched by all of the above.
    expect((await server.api(`/user/callbacks/${callbackId}`, demo)).body?.status).toBe('Running');
    expect((await server.api(`${base}/${monitorId}`, demo)).status).toBe(200);
  });
});

describe('validation', () => {
  const webhook = { name: 'k', target: 'http://127.0.0.1:9/hook' };
  const data = (trigger: Record<string, unknown>) => ({
    label: 'x',
    triggerParam: { triggers: [{ name: 'a', data: trigger }], boolExp: 'a' },
  });

  it('refuses bad callback bodies with 400 and the v4 error body', async () => {
    const bodies: unknown[] = [
      {},
      { callback: {} },
      { callback: { webhook: { ...webhook, target: 'ftp://127.0.0.1/hook' } } },
      { callback: { webhook: { ...webhook, target: 'not a url' } } },
      { callback: { webhook: { ...webhook, target: 'http://user:pw@127.0.0.1/hook' } } },
      { callback: { webhook, websocket: { target: 'wss://127.0.0.1' } } },
      { callback: { websocket: { target: 'wss://127.0.0.1' } } },
      { callback: { webhook: { target: 'http://127.0.0.1/hook' } } },
      { callback: { webhook }, colour: 'red' },
      { callback: { webhook }, type: ['Sms'] },
      {
        callback: {
          webhook: { ...webhook, attributes: [{ type: 'Header', key: 'x-a', value: 'v\r\nx-b: 1' }] },
        },
      },
      { callback: { webhook: { ...webhook, attributes: [{ type: 'Header', key: 'bad key', value: 'v' }] } } },
      {
        callback: {
          webhook: { ...webhook, attributes: [{ type: 'Header', key: 'Content-Type', value: 'v' }] },
        },
      },
      {
        callback: { webhook: { ...webhook, attributes: [{ type: 'Body', key: 'x-event-id', value: 'v' }] } },
      },
      { callback: { webhook: { ...webhook, attributes: [{ type: 'Cookie', key: 'a', value: 'v' }] } } },
    ];
    for (const body of bodies) {
      const result = await server.api('/user/callbacks', demo, { method: 'POST', body });
      expect(result.status, JSON.stringify(body)).toBe(400);
      expectV4Error(result, 400, 40001);
    }
    expectV4Error(
      await server.api('/user/callbacks', demo, { method: 'POST', rawBody: '{"callback":' }),
      400,
      40001,
    );
    const tooLarge = JSON.stringify({ ...subscribe('http://127.0.0.1/hook'), label: 'x'.repeat(70_000) });
    expectV4Error(
      await server.api('/user/callbacks', demo, { method: 'POST', rawBody: tooLarge }),
      413,
      41300,
    );
    const id = await createCallback(demo);
    for (const status of [{ status: 'Failed' }, { status: 'running' }, {}]) {
      const result = await server.api(`/user/callbacks/${id}/status`, demo, { method: 'PUT', body: status });
      expectV4Error(result, 400, 40001);
    }
  });

  it('refuses bad monitor bodies with 400 and the v4 error body', async () => {
    const callbackId = await createCallback(demo);
    const base = `/user/vehicles/${demoCar}/callbacks/${callbackId}/monitors`;
    const trips = tripMonitor().triggerParam.triggers;
    const bodies: unknown[] = [
      {},
      { triggerParam: { triggers: trips, boolExp: 'start' } },
      { label: 'x', triggerParam: { triggers: trips, boolExp: 'start | nope' } },
      { label: 'x', triggerParam: { triggers: trips, boolExp: 'start | !start' } },
      { label: 'x', triggerParam: { triggers: trips, boolExp: 'start & !start' } },
      { label: 'x', triggerParam: { triggers: trips, boolExp: '(start | stop' } },
      { label: 'x', triggerParam: { triggers: trips, boolExp: 'start stop' } },
      { label: 'x', triggerParam: { triggers: [...trips, trips[0]], boolExp: 'start' } },
      { label: 'x', triggerParam: { triggers: [], boolExp: 'a' } },
      {
        label: 'x',
        triggerParam: {
          triggers: ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({
            name,
            data: { data: 'vehicle.trip.start', op: 'onChange' },
          })),
          boolExp: 'a|b|c|d|e|f',
        },
      },
      data({ data: 'vehicle.trip.start', op: 'greaterThan', value: ['1'] }),
      data({ data: 'vehicle.energy.fuel.level', op: 'lowerThan' }),
      data({ data: 'vehicle.energy.fuel.level', op: 'lowerThan', value: ['low'] }),
      data({ data: 'vehicle.kinetic.moving', op: 'equalsTo', value: ['yes'] }),
      data({
        data: 'vehicle.odometer',
        op: 'greaterThan',
        value: ['1'],
        previous: { op: 'equalsTo', value: ['0'] },
      }),
      data({ data: 'vehicle.fuel', op: 'onChange' }),
      {
        label: 'x',
        triggerParam: {
          triggers: [
            {
              name: 'z',
              zone: { transition: 'In', place: { radius: 1.5, center: { longitude: 2, latitude: 48 } } },
            },
          ],
          boolExp: 'z',
        },
      },
      {
        label: 'x',
        triggerParam: {
          triggers: [
            {
              name: 'z',
              zone: { transition: 'In', place: { radius: 1, center: { longitude: 2, latitude: 48 } } },
              data: { data: 'vehicle.trip.start', op: 'onChange' },
            },
          ],
          boolExp: 'z',
        },
      },
      {
        label: 'x',
        triggerParam: {
          triggers: [{ name: 't', time: { times: [{ start: 'PT25H', duration: 'PT1H' }] } }],
          boolExp: 't',
        },
      },
      {
        label: 'x',
        triggerParam: { triggers: [{ name: 't', time: { times: [{ start: 'PT8H' }] } }], boolExp: 't' },
      },
      {
        label: 'x',
        triggerParam: {
          triggers: [
            { name: 't', time: { times: [{ start: 'PT8H', duration: 'PT1H' }], timeZone: 'Mars/Base' } },
          ],
          boolExp: 't',
        },
      },
      { ...tripMonitor(), extendedEventParam: ['vehicle.weather'] },
      { ...tripMonitor(), subscribeParam: { refreshEvent: 30 } },
      { ...tripMonitor(), attributes: [{ type: 'Query', key: 'a', value: 'b' }] },
    ];
    for (const body of bodies) {
      const result = await server.api(base, demo, { method: 'POST', body });
      expect(result.status, JSON.stringify(body)).toBe(400);
      expectV4Error(result, 400, 40001);
    }
    // A Remote-only callback takes no monitors.
    const remoteOnly = await createCallback(demo, subscribe('http://127.0.0.1:9/hook', { type: ['Remote'] }));
    expectV4Error(
      await server.api(`/user/vehicles/${demoCar}/callbacks/${remoteOnly}/monitors`, demo, {
        method: 'POST',
        body: tripMonitor(),
      }),
      400,
      40001,
    );
    // Every spec'd shape still passes: zones, time windows, extensions, attributes, refresh.
    const full = {
      label: 'everything',
      subscribeParam: {
        refreshEvent: 600,
        callbackAttributes: { webhook: [{ type: 'Query', key: 'source', value: '$monitorId' }] },
      },
      attributes: [{ type: 'Header', key: 'x-vehicle', value: '$vin' }],
      extendedEventParam: ['vehicle.status', 'vehicle.position', 'vehicle.telemetry.vehicle.energies'],
      triggerParam: {
        triggers: [
          {
            name: 'home',
            zone: { transition: 'Out', place: { radius: 2, center: { longitude: 8.69, latitude: 50 } } },
          },
          {
            name: 'night',
            time: {
              times: [
                {
                  recurrence: 'Daily',
                  start: 'PT22H',
                  duration: 'PT8H',
                  occurence: { day: ['Mon', 'Fri'], week: ['w1-w25'] },
                },
              ],
              timeZone: 'Europe/Berlin',
            },
          },
          {
            name: 'plug',
            data: {
              data: 'vehicle.energy.charging.status',
              op: 'onChange',
              previous: { op: 'equalsTo', value: ['InProgress'] },
            },
          },
        ],
        boolExp: '(home & night) | plug',
      },
    };
    const accepted = await server.api(base, demo, { method: 'POST', body: full });
    expect(accepted.status).toBe(202);
  });
});
