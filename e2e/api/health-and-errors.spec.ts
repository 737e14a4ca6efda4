import { randomUUID } from 'node:crypto';
import { type APIResponse, expect, test } from '@playwright/test';
import { apiSignIn, createUser, openDatabase, uniqueEmail } from '../support/accounts';
import { expectNonceCsp } from '../support/nonce-csp';
import { importFixtureDrive } from '../support/owners';
import { APP_URL, E2E_LINKED_PEERS } from '../support/servers';

type HealthBody = {
  status: string;
  db: string;
  migrations: string;
  demo: { ready: boolean; peersSynced: number; peersTotal: number };
};

test('GET /api/health reports the database, migrations and the demo warm-up', async ({ request }) => {
  test.setTimeout(150_000);
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toContain('no-store');
  const first = (await response.json()) as HealthBody;
  expect(first).toMatchObject({ status: 'ok', db: 'sqlite', migrations: 'current' });
  // The supervised worker links the demo owner's cars through the simulator and syncs them: the
  // demo becomes ready, and the peers (SIM_PEERS) follow in the background.
  await expect
    .poll(async () => ((await (await request.get('/api/health')).json()) as HealthBody).demo.ready, {
      timeout: 120_000,
      intervals: [1000],
    })
    .toBe(true);
  const warm = ((await (await request.get('/api/health')).json()) as HealthBody).demo;
  expect(warm.peersTotal).toBe(E2E_LINKED_PEERS);
  expect(warm.peersSynced).toBeGreaterThanOrEqual(0);
  expect(warm.peersSynced).toBeLessThanOrEqual(warm.peersTotal);
});

test('an unknown API path answers a JSON 404 in the error shape', async ({ request }) => {
  for (const method of ['get', 'post', 'delete'] as const) {
    const response = await request[method]('/api/no-such-thing');
    expect(response.status()).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
  }
});

// docs/security-tests.md HD-01 and HD-04, over HTTP, on every kind of answer: pages signed out and
// signed in, a 404 page signed out and signed in, a 500 page, JSON answers (200, 401, 404, 500)
// and a redirect. The 500s come from the owner's own stored data, damaged at the database edge (a
// trip whose events are not JSON): a real failure of the real build, with no test-only switch.
test('every answer carries the security headers, every HTML one a fresh nonce CSP on each script (HD-01, HD-04)', async ({
  playwright,
  baseURL,
}) => {
  const owner = await playwright.request.newContext({ baseURL });
  const anonymous = await playwright.request.newContext({ baseURL });
  try {
    const email = uniqueEmail('headers');
    await createUser(email);
    await apiSignIn(owner, email);
    const { vehicleId, tripIds } = await importFixtureDrive(owner, 'Headers');
    const tripId = tripIds[0] as string;
    const db = openDatabase(APP_URL);
    try {
      db.prepare('update trips set events = ? where id = ?').run('{"damaged', tripId);
    } finally {
      db.close();
    }

    type Answer = { what: string; response: APIResponse; signedIn: boolean };
    const answers: Answer[] = [];
    const fetchAs = async (what: string, signedIn: boolean, url: string, status: number) => {
      const response = await (signedIn ? owner : anonymous).get(url, { maxRedirects: 0 });
      expect(response.status(), what).toBe(status);
      answers.push({ what, response, signedIn });
    };
    const shared = await owner.post(`/api/vehicles/${vehicleId}/share-links`, { data: { expiresInDays: 1 } });
    expect(shared.status()).toBe(201);
    const { link } = (await shared.json()) as { link: { token: string } };
    await fetchAs('sign-in page', false, '/login', 200);
    await fetchAs('sign-up page', false, '/signup', 200);
    await fetchAs('methodology page', false, '/methodology', 200);
    await fetchAs('shared page', false, `/s/${link.token}`, 200);
    await fetchAs('sign-in page again', false, '/login', 200);
    await fetchAs('404 page, signed out', false, '/signup/nothing-here', 404);
    await fetchAs('redirect to sign-in', false, '/', 307);
    await fetchAs('health JSON', false, '/api/health', 200);
    await fetchAs('401 JSON', false, '/api/vehicles', 401);
    await fetchAs('404 JSON', false, '/api/no-such-thing', 404);
    await fetchAs('redirect to the car, signed in', true, '/', 307);
    await fetchAs('settings page', true, '/settings', 200);
    await fetchAs('vehicle page', true, `/vehicles/${vehicleId}`, 200);
    await fetchAs('404 page, signed in', true, `/vehicles/${randomUUID()}`, 404);
    await fetchAs('500 page', true, `/vehicles/${vehicleId}/trips/${tripId}`, 500);
    await fetchAs('signed-in JSON', true, '/api/vehicles', 200);
    await fetchAs('500 JSON', true, `/api/vehicles/${vehicleId}/trips/${tripId}`, 500);

    const nonces = new Set<string>();
    const htmlChecked: string[] = [];
    for (const { what, response, signedIn } of answers) {
      const headers = response.headers();
      expect(headers['x-content-type-options'], what).toBe('nosniff');
      // A shared page's URL holds its token: no Referer at all leaves it.
      expect(headers['referrer-policy'], what).toBe(
        what === 'shared page' ? 'no-referrer' : 'strict-origin-when-cross-origin',
      );
      const hsts = /^max-age=(\d+); includeSubDomains/.exec(headers['strict-transport-security'] ?? '');
      expect(Number(hsts?.[1]), what).toBeGreaterThanOrEqual(31_536_000);
      expect(headers['x-powered-by'], what).toBeUndefined();
      const permissions = (headers['permissions-policy'] ?? '').split(',').map((part) => part.trim());
      expect(permissions, what).toEqual(
        expect.arrayContaining(['geolocation=()', 'camera=()', 'microphone=()']),
      );
      // Whatever a signed-in owner is answered is stored by no cache, shared or not.
      if (signedIn) {
        const cache = (headers['cache-control'] ?? '').split(',').map((part) => part.trim());
        expect(cache, what).toEqual(expect.arrayContaining(['private', 'no-store']));
      }
      const body = await response.text();
      expect(body, what).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      if (!(headers['content-type'] ?? '').startsWith('text/html')) continue;

      const nonce = expectNonceCsp(what, headers['content-security-policy'] ?? '', body);
      expect(nonces.has(nonce), `${what}: a nonce seen before`).toBe(false);
      nonces.add(nonce);
      htmlChecked.push(what);
    }
    // The CSP checks above ran on every kind of HTML answer.
    expect(htmlChecked).toEqual(
      expect.arrayContaining([
        'sign-in page',
        'sign-in page again',
        'sign-up page',
        'methodology page',
        'shared page',
        '404 page, signed out',
        '404 page, signed in',
        'settings page',
        'vehicle page',
        '500 page',
      ]),
    );
  } finally {
    await Promise.all([owner.dispose(), anonymous.dispose()]);
  }
});
