import { randomBytes } from 'node:crypto';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { median } from '../../scripts/bench/types';
import { apiSignIn, createUser, uniqueEmail } from '../support/accounts';
import { importFixtureDrive } from '../support/owners';
import { APP_URL } from '../support/servers';

// docs/security-tests.md PV-03: guessing share tokens gets nowhere. Over HTTP, from one client
// address: 30 links revoked by their owner and 30 tokens that never existed, interleaved, all
// answer the same 404 page, and their median times lie within 50 ms of each other (the same robust
// comparison as the sign-in timing test: equal paths, not a speed goal). The next request from
// that address, the 61st in the minute, answers 429 with Retry-After in the error shape, even for
// a live link, while another address still opens it. The address is the last X-Forwarded-For hop,
// the one the proxy in front appends (docs/deploy.md): rotating what comes before it changes nothing.

const BUDGET = 60;
const SAMPLES = BUDGET / 2;

/** The page with its per-request nonce and its own token set aside; RSC records in any order. */
const comparable = (html: string, token: string) =>
  html
    .replace(/nonce[=:\\"]+[A-Za-z0-9+/=]+/g, 'nonce')
    .replaceAll(token, 'TOKEN')
    .split('\\n')
    .sort();

async function ownerWithCar(request: APIRequestContext): Promise<string> {
  const email = uniqueEmail('share-guess');
  await createUser(email);
  await apiSignIn(request, email);
  return (await importFixtureDrive(request, 'Guessed')).vehicleId;
}

async function newLink(request: APIRequestContext, vehicleId: string) {
  const response = await request.post(`/api/vehicles/${vehicleId}/share-links`, {
    data: { expiresInDays: 30 },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { link: { id: string; token: string } }).link;
}

test('guessing share tokens: revoked and never-issued answer alike and in the same time, then 429 after 60 a minute', async ({
  playwright,
}) => {
  test.setTimeout(120_000);
  const owner = await playwright.request.newContext({ baseURL: APP_URL });
  const vehicleId = await ownerWithCar(owner);
  const revoked: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const link = await newLink(owner, vehicleId);
    expect((await owner.delete(`/api/vehicles/${vehicleId}/share-links/${link.id}`)).ok()).toBe(true);
    revoked.push(link.token);
  }
  const live = await newLink(owner, vehicleId);

  // Documentation-range addresses, as the proxy would append them; this run's own, so that no
  // other test's requests count against them.
  const octet = () => randomBytes(1)[0] ?? 1;
  const guesser = `198.51.100.${octet()}`;
  const bystander = `203.0.113.${octet()}`;
  const from = (address: string, written = '') => ({
    'x-forwarded-for': written ? `${written}, ${address}` : address,
  });
  const visitor = await playwright.request.newContext({ baseURL: APP_URL });
  // Warm-up from the bystander (the guesser's budget stays whole): the page's first renders.
  for (const token of [revoked[0] as string, randomBytes(32).toString('base64url')])
    await (await visitor.get(`/s/${token}`, { headers: from(bystander) })).body();

  const open = async (token: string, i: number) => {
    const started = performance.now();
    // What the guesser writes in front of its address rotates on every request.
    const response = await visitor.get(`/s/${token}`, { headers: from(guesser, `10.0.${i % 256}.${i}`) });
    const text = await response.text();
    return { ms: performance.now() - started, status: response.status(), page: comparable(text, token) };
  };
  const windowOpened = Date.now();
  const timesRevoked: number[] = [];
  const timesNever: number[] = [];
  let reference: string[] | undefined;
  for (let i = 0; i < SAMPLES; i++) {
    const never = randomBytes(32).toString('base64url');
    const pair = [() => open(revoked[i] as string, 2 * i), () => open(never, 2 * i + 1)] as const;
    // Alternate which goes first, so neither always follows the other.
    const [first, second] = i % 2 === 0 ? pair : [pair[1], pair[0]];
    const one = await first();
    const two = await second();
    const [r, n] = i % 2 === 0 ? [one, two] : [two, one];
    expect(r.status, `revoked token ${i}`).toBe(404);
    expect(n.status, `never-issued token ${i}`).toBe(404);
    reference ??= r.page;
    expect(r.page, `revoked token ${i}`).toEqual(reference);
    expect(n.page, `never-issued token ${i}`).toEqual(reference);
    timesRevoked.push(r.ms);
    timesNever.push(n.ms);
  }
  const difference = Math.abs(median(timesRevoked) - median(timesNever));
  expect(
    difference,
    `medians: revoked ${median(timesRevoked).toFixed(1)} ms, never issued ${median(timesNever).toFixed(1)} ms`,
  ).toBeLessThan(50);

  // The 61st request of the minute from that address: refused before any lookup, even for a live link.
  // (The budget counts per fixed minute from the first request: the 60 above must fit in it.)
  expect(Date.now() - windowOpened, 'the 60 requests took longer than the budget’s minute').toBeLessThan(
    55_000,
  );
  const limited = await visitor.get(`/s/${live.token}`, { headers: from(guesser, '10.9.9.9') });
  expect(limited.status()).toBe(429);
  const retryAfter = Number(limited.headers()['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(limited.headers()['cache-control']).toContain('no-store');
  expect(await limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
  // Another address opens the live link as usual.
  const other = await visitor.get(`/s/${live.token}`, { headers: from(bystander) });
  expect(other.status()).toBe(200);
  await Promise.all([owner.dispose(), visitor.dispose()]);
});
