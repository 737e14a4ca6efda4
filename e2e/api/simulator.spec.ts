import { expect, test } from '@playwright/test';
import { APP_SIMULATOR_URL, E2E_SIM_PEERS } from '../support/servers';

// `npm start` supervises the simulated vehicle cloud beside the app in the embedded default.
test('the supervised simulator serves its world, demo owner first', async ({ request }) => {
  const health = await request.get(`${APP_SIMULATOR_URL}/health`);
  expect(health.status()).toBe(200);

  const response = await request.get(`${APP_SIMULATOR_URL}/sim/owners?limit=3`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as {
    clients: { brand: string }[];
    owners: { email: string; vehicles: { brand: string; powertrain: string }[] }[];
    total: number;
  };
  // The demo owner and the peers (SIM_PEERS) the e2e servers configure.
  expect(body.total).toBe(1 + E2E_SIM_PEERS);
  expect(body.clients.map((client) => client.brand)).toEqual(['peugeot', 'citroen', 'ds', 'opel']);
  expect(body.owners[0]?.email).toBe('demo@kinetic.local');
  expect(body.owners[0]?.vehicles.map((vehicle) => vehicle.powertrain)).toContain('electric');

  const clock = (await (await request.get(`${APP_SIMULATOR_URL}/sim/clock`)).json()) as {
    now: string;
    rate: number;
  };
  expect(clock.rate).toBe(1);
  expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(60_000);
});

test('a test token opens the simulated PSA v4 API for the demo owner', async ({ request }) => {
  const owners = (await (await request.get(`${APP_SIMULATOR_URL}/sim/owners?limit=1`)).json()) as {
    clients: { brand: string; realm: string; clientId: string }[];
    owners: { vehicles: { id: string; vin: string }[] }[];
  };
  const peugeot = owners.clients.find((client) => client.brand === 'peugeot');
  const tokens = (await (
    await request.post(`${APP_SIMULATOR_URL}/sim/tokens`, {
      data: { owner: 'demo@kinetic.local', brand: 'peugeot' },
    })
  ).json()) as { access_token: string };
  const response = await request.get(`${APP_SIMULATOR_URL}/connectedcar/v4/user/vehicles`, {
    params: { client_id: peugeot?.clientId ?? '' },
    headers: { authorization: `Bearer ${tokens.access_token}`, 'x-introspect-realm': peugeot?.realm ?? '' },
  });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { _embedded: { vehicles: { vin: string }[] } };
  expect(body._embedded.vehicles.map((vehicle) => vehicle.vin).sort()).toEqual(
    (owners.owners[0]?.vehicles ?? []).map((vehicle) => vehicle.vin).sort(),
  );
});

test('the supervised simulator backfills a month for the demo cars and serves their present', async ({
  request,
}) => {
  const owners = (await (await request.get(`${APP_SIMULATOR_URL}/sim/owners?limit=1`)).json()) as {
    clients: { brand: string; realm: string; clientId: string }[];
    owners: { vehicles: { id: string; powertrain: string }[] }[];
  };
  const peugeot = owners.clients.find((client) => client.brand === 'peugeot');
  const tokens = (await (
    await request.post(`${APP_SIMULATOR_URL}/sim/tokens`, {
      data: { owner: 'demo@kinetic.local', brand: 'peugeot' },
    })
  ).json()) as { access_token: string };
  const get = (path: string, params: Record<string, string> = {}) =>
    request.get(`${APP_SIMULATOR_URL}/connectedcar/v4${path}`, {
      params: { client_id: peugeot?.clientId ?? '', ...params },
      headers: { authorization: `Bearer ${tokens.access_token}`, 'x-introspect-realm': peugeot?.realm ?? '' },
    });
  const now = Date.now();
  for (const vehicle of owners.owners[0]?.vehicles ?? []) {
    const status = await get(`/user/vehicles/${vehicle.id}/status`);
    expect(status.status()).toBe(200);
    const body = (await status.json()) as { odometer: { mileage: number }; energies: { type: string }[] };
    expect(body.odometer.mileage).toBeGreaterThan(0);
    expect(body.energies.map((energy) => energy.type)).toContain(
      vehicle.powertrain === 'electric' ? 'Electric' : 'Fuel',
    );
    const trips = await get(`/user/vehicles/${vehicle.id}/trips`, { pageSize: '60' });
    expect(trips.status()).toBe(200);
    const page = (await trips.json()) as { total: number; _embedded: { trips: { startedAt: string }[] } };
    // SIM_BACKFILL_DAYS defaults to 30: a month of driving, nothing older.
    expect(page.total).toBeGreaterThan(20);
    const oldest = Date.parse(page._embedded.trips[0]?.startedAt ?? '');
    expect(now - oldest).toBeLessThan(31 * 86_400_000);
    expect(now - oldest).toBeGreaterThan(25 * 86_400_000);
  }
});
