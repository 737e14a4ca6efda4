import { expect, test } from '@playwright/test';
import { apiSignIn, createUser, insertVehicle, uniqueEmail } from '../support/accounts';

test('GET /api/vehicles answers 401 to anonymous callers', async ({ request }) => {
  const response = await request.get('/api/vehicles');
  expect(response.status()).toBe(401);
  expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: 'Sign in to continue.' } });
});

test('a new owner gets an empty list; an owner sees only their own vehicles, oldest first', async ({
  playwright,
  baseURL,
}) => {
  const alice = uniqueEmail('alice');
  const bob = uniqueEmail('bob');
  await createUser(alice);
  await createUser(bob);

  const asAlice = await playwright.request.newContext({ baseURL });
  await apiSignIn(asAlice, alice);
  expect(await (await asAlice.get('/api/vehicles')).json()).toEqual({ vehicles: [] });

  // Inserted newest first, so the order of the answer comes from the query, not from insertion.
  const second = insertVehicle(alice, { label: 'Weekend', vin: 'VF3AAAAAAAA000002', createdAt: Date.now() });
  const first = insertVehicle(alice, {
    label: 'Daily',
    vin: 'VF3AAAAAAAA000001',
    createdAt: Date.now() - 60_000,
  });
  insertVehicle(bob, { label: 'CANARY-B', vin: 'CANARYVINB000001' });

  const body = (await (await asAlice.get('/api/vehicles')).json()) as {
    vehicles: { id: string; label: string }[];
  };
  expect(body.vehicles.map((vehicle) => vehicle.id)).toEqual([first, second]);
  expect(body.vehicles[0]).toEqual({
    id: first,
    label: 'Daily',
    brand: 'Peugeot',
    model: '208',
    powertrain: 'petrol',
    vin: 'VF3AAAAAAAA000001',
  });
  expect(JSON.stringify(body)).not.toContain('CANARY');
  await asAlice.dispose();
});

test("another owner's vehicle id answers exactly like a missing one", async ({ playwright, baseURL }) => {
  const alice = uniqueEmail('alice');
  const bob = uniqueEmail('bob');
  await createUser(alice);
  await createUser(bob);
  const bobsVehicle = insertVehicle(bob, { label: 'CANARY-B', vin: 'CANARYVINB000002' });

  const asAlice = await playwright.request.newContext({ baseURL });
  await apiSignIn(asAlice, alice);
  const foreign = await asAlice.get(`/api/vehicles/${bobsVehicle}`);
  const missing = await asAlice.get('/api/vehicles/00000000-0000-4000-8000-000000000000');
  expect(foreign.status()).toBe(404);
  expect(missing.status()).toBe(404);
  expect(await foreign.text()).toBe(await missing.text());

  const foreignPage = await asAlice.get(`/vehicles/${bobsVehicle}`);
  const missingPage = await asAlice.get('/vehicles/00000000-0000-4000-8000-000000000000');
  expect(foreignPage.status()).toBe(404);
  expect(missingPage.status()).toBe(404);
  expect(await foreignPage.text()).not.toContain('CANARY');

  const asBob = await playwright.request.newContext({ baseURL });
  await apiSignIn(asBob, bob);
  const own = await asBob.get(`/api/vehicles/${bobsVehicle}`);
  expect(own.status()).toBe(200);
  expect(((await own.json()) as { vehicle: { label: string } }).vehicle.label).toBe('CANARY-B');
  await asAlice.dispose();
  await asBob.dispose();
});

test('PATCH /api/account validates its body: malformed, oversized, wrong type, unknown fields', async ({
  playwright,
  baseURL,
}) => {
  const owner = uniqueEmail('carol');
  await createUser(owner);
  const asOwner = await playwright.request.newContext({ baseURL });
  await apiSignIn(asOwner, owner);

  const malformed = await asOwner.patch('/api/account', {
    headers: { 'content-type': 'application/json' },
    data: '{"name": ',
  });
  expect(malformed.status()).toBe(400);
  expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('bad_request');

  const oversized = await asOwner.patch('/api/account', {
    headers: { 'content-type': 'application/json' },
    data: JSON.stringify({ name: 'x'.repeat(300 * 1024) }),
  });
  expect(oversized.status()).toBe(413);

  const plainText = await asOwner.patch('/api/account', {
    headers: { 'content-type': 'text/plain' },
    data: '{}',
  });
  expect(plainText.status()).toBe(415);

  const smuggled = await asOwner.patch('/api/account', {
    data: { name: 'Carol', email: 'admin@example.test' },
  });
  expect(smuggled.status()).toBe(400);

  const badZone = await asOwner.patch('/api/account', { data: { timeZone: 'Mars/Olympus' } });
  expect(badZone.status()).toBe(400);
  expect(((await badZone.json()) as { error: { message: string } }).error.message).toContain('timeZone');

  const good = await asOwner.patch('/api/account', { data: { name: 'Carol', timeZone: 'Europe/Paris' } });
  expect(good.status()).toBe(200);
  expect(await good.json()).toEqual({
    account: {
      email: owner,
      name: 'Carol',
      timeZone: 'Europe/Paris',
      locale: null,
      units: { speed: 'kmh', fuel: 'l100km', energy: 'kwh100km' },
      isDemo: false,
    },
  });
  await asOwner.dispose();
});

test('sign-in through the API is throttled with 429 and Retry-After', async ({ playwright, baseURL }) => {
  const owner = uniqueEmail('hammered');
  await createUser(owner);
  const client = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.7' },
  });
  const { csrfToken } = (await (await client.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const attempt = (password: string) =>
    client.post('/api/auth/callback/credentials', {
      form: { csrfToken, email: owner, password, callbackUrl: '/' },
      maxRedirects: 0,
    });
  for (let i = 0; i < 5; i += 1) {
    const refused = await attempt(`wrong password ${i}`);
    expect(refused.status()).toBe(302);
    expect(refused.headers().location).toContain('error=CredentialsSignin');
  }
  const throttled = await attempt('correct horse battery staple');
  expect(throttled.status()).toBe(429);
  expect(Number(throttled.headers()['retry-after'])).toBeGreaterThan(0);
  expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  await client.dispose();
});
