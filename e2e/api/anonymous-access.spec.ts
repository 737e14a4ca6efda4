import { expect, test } from '@playwright/test';
import { createUser, insertVehicle, uniqueEmail } from '../support/accounts';
import { HEADER_SHAPES, PAGE_SHAPES } from '../support/bypass-shapes';
import { fill, PROTECTED_API, PROTECTED_PAGES } from '../support/route-registry';
import { APP_URL, NO_PROXY_URL } from '../support/servers';

// Every protected page and route in every request shape of e2e/support/bypass-shapes.ts
// (docs/security-tests.md AC-02): the answer must not depend on the proxy at all.

// Text that only a signed-in page renders.
const SIGNED_IN_MARKERS = /No cars yet|Where you are signed in|Sign out|CANARY/;

for (const baseUrl of [APP_URL, NO_PROXY_URL]) {
  const proxy = baseUrl === APP_URL ? 'proxy on' : 'proxy redirect off';

  test.describe(`anonymous access (${proxy})`, () => {
    let vehicleId = '';

    test.beforeAll(async () => {
      const owner = uniqueEmail('canary');
      await createUser(owner, { baseUrl });
      vehicleId = insertVehicle(owner, { label: 'CANARY-B', vin: 'CANARYVINB000003' }, baseUrl);
    });

    test('every protected page refuses anonymous visitors, in every request shape', async ({
      playwright,
    }) => {
      const request = await playwright.request.newContext({ baseURL: baseUrl });
      for (const page of PROTECTED_PAGES) {
        // The shapes of one page at once: the suite waits on the server, not on itself.
        await Promise.all(
          PAGE_SHAPES.map(async (variant) => {
            const path = (variant.transform ?? ((p: string) => p))(fill(page, vehicleId));
            const where = `${path} [${variant.name}]`;
            let response = await request.get(path, { headers: variant.headers ?? {}, maxRedirects: 0 });
            // Next sends RSC requests without a cache-busting `_rsc` parameter to the same path with
            // one; follow that hop, since it is not an answer about access.
            const hop = new URL(response.headers().location ?? '/', baseUrl);
            if (response.status() === 307 && hop.pathname === new URL(path, baseUrl).pathname) {
              response = await request.get(`${hop.pathname}${hop.search}`, {
                headers: variant.headers ?? {},
                maxRedirects: 0,
              });
            }
            const body = await response.text();
            expect(body, where).not.toContain('CANARY');
            const status = response.status();
            if (status >= 300 && status < 400) {
              expect(new URL(response.headers().location ?? '', baseUrl).pathname, where).toBe('/login');
            } else {
              // The RSC transport answers 200 with a redirect instruction, or (for a prefetch) with the
              // route tree only: either way nothing of a signed-in page may be in it.
              expect([200, 401, 404], where).toContain(status);
              expect(body, where).not.toMatch(SIGNED_IN_MARKERS);
            }
          }),
        );
      }
      await request.dispose();
    });

    test('every protected API route answers 401 JSON to anonymous callers', async ({ playwright }) => {
      const request = await playwright.request.newContext({ baseURL: baseUrl });
      for (const route of PROTECTED_API) {
        await Promise.all(
          HEADER_SHAPES.map(async (variant) => {
            const response = await request.fetch(fill(route.path, vehicleId), {
              method: route.method,
              headers: variant.headers ?? {},
              data: route.method === 'GET' ? undefined : {},
            });
            const where = `${route.method} ${route.path} [${variant.name}]`;
            expect(response.status(), where).toBe(401);
            expect(await response.json(), where).toEqual({
              error: { code: 'unauthorized', message: 'Sign in to continue.' },
            });
          }),
        );
      }
      await request.dispose();
    });
  });
}
