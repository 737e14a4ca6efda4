import { expect, test } from '@playwright/test';
import { E2E_LINKED_PEERS } from '../support/servers';

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

test('security headers are on HTML pages, JSON answers and redirects', async ({ request }) => {
  const responses = [
    await request.get('/login'),
    await request.get('/api/health'),
    await request.get('/', { maxRedirects: 0 }),
  ];
  for (const response of responses) {
    const headers = response.headers();
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['strict-transport-security']).toMatch(/max-age=31536000; includeSubDomains/);
    expect(headers['permissions-policy']).toContain('geolocation=()');
    expect(headers['x-powered-by']).toBeUndefined();
  }
});

test('every HTML response carries a fresh nonce CSP and every script uses it', async ({ request }) => {
  const policies: string[] = [];
  for (let i = 0; i < 2; i += 1) {
    const response = await request.get('/login');
    const policy = response.headers()['content-security-policy'] ?? '';
    policies.push(policy);
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    for (const directive of [
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ]) {
      expect(policy).toContain(directive);
    }
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  }
  expect(policies[0]).not.toBe(policies[1]);
});

test('a 404 page also carries the CSP', async ({ request }) => {
  // Signed-out visitors are redirected before a 404 can render; the sign-up page is public.
  const response = await request.get('/signup/nothing-here');
  expect(response.status()).toBe(404);
  expect(response.headers()['content-security-policy']).toContain("'strict-dynamic'");
});
