import type { PlaywrightWorkerArgs } from '@playwright/test';
import { EXPENSIVE, OWNER_BUDGET } from '../../lib/http/owner-budget';
import { apiSignIn, createUser, insertVehicle, uniqueEmail } from '../support/accounts';
import { RANGE } from '../support/route-registry';
import { expect, test } from '../support/test';

// LD-03 over real HTTP: one owner hammering the most expensive reads meets 429 with Retry-After
// within seconds, and another owner reading at the same moment is never refused. The budget is
// the owner's across routes: the flood alternates telemetry and trip lists (each route is its own
// server bundle, so a limiter per bundle would let twice the burst through), and the requests
// that went through stay within one budget's burst plus what refilled meanwhile. The budget's
// arithmetic is proven in lib/http/owner-rate-limit.test.ts.

const HAMMER_REQUESTS = 600;
const HAMMER_CONCURRENCY = 16;

async function ownerWithCar(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string | undefined,
  clientAddress: string,
  tag: string,
  vin: string,
) {
  const email = uniqueEmail(tag);
  await createUser(email);
  const vehicleId = insertVehicle(email, { label: tag, vin });
  const request = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { 'x-forwarded-for': clientAddress },
  });
  await apiSignIn(request, email);
  return {
    request,
    routes: [`/api/vehicles/${vehicleId}/telemetry?metrics=speed&${RANGE}&width=200`, '/api/trips'],
  };
}

test('an owner flooding the telemetry route gets 429 with Retry-After; another owner reading meanwhile never does', async ({
  playwright,
  baseURL,
  clientAddress,
}) => {
  const noisy = await ownerWithCar(playwright, baseURL, clientAddress, 'noisy', 'VF3NOISY000000001');
  const quiet = await ownerWithCar(playwright, baseURL, clientAddress, 'quiet', 'VF3QUIET000000001');

  const answers: { route: string; status: number }[] = [];
  let refusal: { retryAfter: string | undefined; body: unknown } | undefined;
  const quietStatuses: number[] = [];
  const refusedOn = () => new Set(answers.filter((a) => a.status === 429).map((a) => a.route));
  let hammering = true;
  const started = performance.now();
  const hammer = async () => {
    while (answers.length < HAMMER_REQUESTS && refusedOn().size < noisy.routes.length) {
      const route = noisy.routes[answers.length % noisy.routes.length] as string;
      const response = await noisy.request.get(route);
      answers.push({ route, status: response.status() });
      if (response.status() === 429)
        refusal ??= { retryAfter: response.headers()['retry-after'], body: await response.json() };
    }
  };
  const read = async () => {
    while (hammering)
      for (const route of quiet.routes) quietStatuses.push((await quiet.request.get(route)).status());
  };
  const reader = read();
  await Promise.all(Array.from({ length: HAMMER_CONCURRENCY }, hammer));
  const elapsedS = (performance.now() - started) / 1000;
  hammering = false;
  await reader;

  expect(refusedOn(), `${answers.length} requests`).toEqual(new Set(noisy.routes));
  expect(Number(refusal?.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(refusal?.body).toEqual({
    error: { code: 'rate_limited', message: expect.stringContaining('Try again') },
  });
  expect(answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
  const allowed = answers.filter((a) => a.status === 200).length;
  const oneBudget = (OWNER_BUDGET.capacity + OWNER_BUDGET.refillPerS * elapsedS) / EXPENSIVE;
  expect(allowed, `${allowed} of ${answers.length} allowed in ${elapsedS.toFixed(1)} s`).toBeLessThanOrEqual(
    Math.floor(oneBudget),
  );
  expect(quietStatuses.length).toBeGreaterThan(0);
  expect(quietStatuses.every((status) => status === 200)).toBe(true);
});
