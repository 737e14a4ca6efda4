import { expect, test } from '@playwright/test';
import { APP_SIMULATOR_URL } from '../support/servers';

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
  expect(body.total).toBe(13);
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
