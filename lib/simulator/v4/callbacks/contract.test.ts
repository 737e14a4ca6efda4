import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import monitorParameter from '@/lib/vehicle-api/psa-v4/__fixtures__/callbacks-monitor-parameter.json';
import tripMonitor from '@/lib/vehicle-api/psa-v4/__fixtures__/callbacks-monitor-trip.json';
import subscription from '@/lib/vehicle-api/psa-v4/__fixtures__/callbacks-subscribe.json';
import {
  psaV4CallbackRefSchema,
  psaV4CallbackSubscribeSchema,
  psaV4MonitorParameterSchema,
  psaV4MonitorRefSchema,
  psaV4MonitorSchema,
  psaV4MonitorsSchema,
  psaV4UserCallbackSchema,
  psaV4UserCallbacksSchema,
} from '@/lib/vehicle-api/psa-v4/schema';
import { type CallbackTestServer, type Credentials, startCallbackServer } from './test-support';

// The contract of the push channel's REST side: the requests Kinetic's adapter would send (its own
// hand-typed fixtures, valid under its request schemas) are accepted by the simulator, and every
// answer parses with Kinetic's response schemas — both written from the 4.17 spec independently of
// the simulator. Deliveries are checked against the webhook schema in delivery.test.ts.

let server: CallbackTestServer;
let demo: Credentials;
let carId: string;

beforeAll(async () => {
  server = await startCallbackServer();
  demo = server.credentialsFor(0);
  carId = server.ctx.world.ownerAt(0).vehicles[1]?.id ?? '';
});
afterAll(() => server.close());

function expectContract(schema: z.ZodType, body: unknown, where: string) {
  const result = schema.safeParse(body);
  const issues = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  expect(issues, `${where}: ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
}

describe('callbacks and monitors answer in the shapes Kinetic parses', () => {
  it('accepts Kinetic’s own request bodies', () => {
    expectContract(psaV4CallbackSubscribeSchema, subscription, 'subscription fixture');
    expectContract(psaV4MonitorParameterSchema, monitorParameter, 'monitor fixture');
    expectContract(psaV4MonitorParameterSchema, tripMonitor, 'trip monitor fixture');
  });

  it('subscribes, lists, reads and updates a callback', async () => {
    const created = await server.api('/user/callbacks', demo, { method: 'POST', body: subscription });
    expect(created.status).toBe(200);
    expectContract(psaV4CallbackRefSchema, created.body, 'POST /user/callbacks');
    const id = String(created.body?.callbackId);

    const list = await server.api('/user/callbacks', demo);
    expect(list.status).toBe(200);
    expectContract(psaV4UserCallbacksSchema, list.body, 'GET /user/callbacks');
    const read = await server.api(`/user/callbacks/${id}`, demo);
    expectContract(psaV4UserCallbackSchema, read.body, 'GET /user/callbacks/{cbid}');
    const updated = await server.api(`/user/callbacks/${id}`, demo, { method: 'PUT', body: subscription });
    expect(updated.status).toBe(202);
    expectContract(psaV4CallbackRefSchema, updated.body, 'PUT /user/callbacks/{cbid}');
    const paused = await server.api(`/user/callbacks/${id}/status`, demo, {
      method: 'PUT',
      body: { status: 'Paused' },
    });
    expectContract(psaV4CallbackRefSchema, paused.body, 'PUT /user/callbacks/{cbid}/status');
  });

  it('creates, lists, reads, updates and pauses monitors', async () => {
    const created = await server.api('/user/callbacks', demo, { method: 'POST', body: subscription });
    const callbackId = String(created.body?.callbackId);
    const base = `/user/vehicles/${carId}/callbacks/${callbackId}/monitors`;
    const monitorIds: string[] = [];
    for (const body of [monitorParameter, tripMonitor]) {
      const monitor = await server.api(base, demo, { method: 'POST', body });
      expect(monitor.status, JSON.stringify(monitor.body)).toBe(202);
      expectContract(psaV4MonitorRefSchema, monitor.body, `POST monitors ${body.label}`);
      monitorIds.push(String(monitor.body?.monitorId));
    }
    const list = await server.api(base, demo);
    expect(list.status).toBe(200);
    expectContract(psaV4MonitorsSchema, list.body, 'GET monitors');
    for (const monitorId of monitorIds) {
      const read = await server.api(`${base}/${monitorId}`, demo);
      expectContract(psaV4MonitorSchema, read.body, 'GET monitors/{mid}');
    }
    const updated = await server.api(`${base}/${monitorIds[0]}`, demo, { method: 'PUT', body: tripMonitor });
    expect(updated.status).toBe(202);
    expectContract(psaV4MonitorRefSchema, updated.body, 'PUT monitors/{mid}');
    const paused = await server.api(`${base}/${monitorIds[1]}/status`, demo, {
      method: 'PUT',
      body: { status: 'Paused' },
    });
    expect(paused.status).toBe(202);
    if (paused.body !== undefined)
      expectContract(psaV4MonitorRefSchema, paused.body, 'PUT monitors/{mid}/status');
  });
});
