import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from './clock';
import { createSimContext } from './context';
import { createSimulatorServer } from './server';

async function start(testEndpoints: boolean) {
  const clock = new SimClock({ now: Date.parse('2026-03-01T08:00:00Z'), frozen: true });
  const server = createSimulatorServer(
    createSimContext({ seed: 'server-test', peers: 12, clock, testEndpoints }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}` };
}

describe('simulator HTTP server with test endpoints', () => {
  let running: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    running = await start(true);
  });
  afterAll(() => new Promise<void>((resolve) => running.server.close(() => resolve())));

  it('answers its health check', async () => {
    const response = await fetch(`${running.base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', now: '2026-03-01T08:00:00.000Z', owners: 13 });
  });

  it('lists clients and owners, demo owner first, paged', async () => {
    const first = (await (await fetch(`${running.base}/sim/owners?limit=5`)).json()) as {
      clients: { brand: string; realm: string; clientId: string }[];
      owners: { email: string; vehicles: { id: string; vin: string; contract: string }[] }[];
      total: number;
    };
    expect(first.total).toBe(13);
    expect(first.clients.map((client) => client.brand)).toEqual(['peugeot', 'citroen', 'ds', 'opel']);
    expect(first.clients[0]).toEqual({
      brand: 'peugeot',
      realm: 'clientsB2CPeugeot',
      clientId: expect.any(String),
      // Test endpoints only: the embedded Kinetic uses it as a real deployment uses its app's secret.
      clientSecret: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(first.owners).toHaveLength(5);
    expect(first.owners[0]?.email).toBe('demo@kinetic.local');
    expect(Object.keys(first.owners[0]?.vehicles[0] ?? {}).sort()).toEqual(
      ['brand', 'contract', 'id', 'model', 'powertrain', 'vin'].sort(),
    );
    const rest = (await (await fetch(`${running.base}/sim/owners?offset=5&limit=100`)).json()) as {
      owners: { email: string }[];
    };
    expect(rest.owners).toHaveLength(8);
    expect(rest.owners.map((owner) => owner.email)).not.toContain(first.owners[4]?.email);
  });

  it('refuses bad paging with a 400 error body', async () => {
    for (const query of [
      'limit=0',
      'limit=5000',
      'offset=-1',
      'offset=abc',
      'limit=5&limit=6',
      'colour=red',
    ]) {
      const response = await fetch(`${running.base}/sim/owners?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    }
  });

  it('reads and changes the clock, validating the change', async () => {
    expect(await (await fetch(`${running.base}/sim/clock`)).json()).toEqual({
      now: '2026-03-01T08:00:00.000Z',
      rate: 1,
      frozen: true,
    });
    const changed = await fetch(`${running.base}/sim/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: '2026-04-01T00:00:00Z', rate: 60, frozen: true }),
    });
    expect(await changed.json()).toEqual({ now: '2026-04-01T00:00:00.000Z', rate: 60, frozen: true });
    for (const body of ['{"rate": -1}', '{"now": "yesterday"}', '{"speed": 2}', '{not json']) {
      const refused = await fetch(`${running.base}/sim/clock`, { method: 'POST', body });
      expect(refused.status, body).toBe(400);
    }
    const tooBig = await fetch(`${running.base}/sim/clock`, { method: 'POST', body: 'x'.repeat(70_000) });
    expect(tooBig.status).toBe(413);
  });

  it('answers unknown paths and methods with JSON errors', async () => {
    expect((await fetch(`${running.base}/nope`)).status).toBe(404);
    expect((await fetch(`${running.base}/sim/owners`, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('simulator HTTP server without test endpoints', () => {
  it('hides /sim/* entirely', async () => {
    const running = await start(false);
    try {
      for (const path of ['/sim/owners', '/sim/clock']) {
        const response = await fetch(`${running.base}${path}`);
        expect(response.status).toBe(404);
      }
      expect((await fetch(`${running.base}/health`)).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => running.server.close(() => resolve()));
    }
  });
});

describe('simulator families working together', () => {
  it('a test token from /sim/tokens opens the v4 API for that owner only', async () => {
    const running = await start(true);
    try {
      const owners = (await (await fetch(`${running.base}/sim/owners?limit=2`)).json()) as {
        clients: { brand: string; realm: string; clientId: string }[];
        owners: { email: string; brand: string; vehicles: { id: string }[] }[];
      };
      const demo = owners.owners[0];
      const peugeot = owners.clients.find((client) => client.brand === 'peugeot');
      if (!demo || !peugeot) throw new Error('world without a demo owner or a Peugeot client');
      const tokens = (await (
        await fetch(`${running.base}/sim/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ owner: demo.email, brand: 'peugeot' }),
        })
      ).json()) as { access_token: string; expires_in: number };
      expect(tokens.expires_in).toBe(3599);

      const headers = { authorization: `Bearer ${tokens.access_token}`, 'x-introspect-realm': peugeot.realm };
      const vehicles = await fetch(
        `${running.base}/connectedcar/v4/user/vehicles?client_id=${peugeot.clientId}`,
        {
          headers,
        },
      );
      expect(vehicles.status).toBe(200);
      expect(vehicles.headers.get('content-type')).toContain('application/hal+json');
      const body = (await vehicles.json()) as { _embedded: { vehicles: { id: string }[] } };
      expect(body._embedded.vehicles.map((vehicle) => vehicle.id).sort()).toEqual(
        demo.vehicles.map((vehicle) => vehicle.id).sort(),
      );

      const peer = owners.owners[1];
      const foreign = await fetch(
        `${running.base}/connectedcar/v4/user/vehicles/${peer?.vehicles[0]?.id}?client_id=${peugeot.clientId}`,
        { headers },
      );
      expect(foreign.status).toBe(403);
    } finally {
      await new Promise<void>((resolve) => running.server.close(() => resolve()));
    }
  });
});
