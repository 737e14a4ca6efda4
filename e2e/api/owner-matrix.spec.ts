import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { type FullOwner as Owner, okJson, ownerWithEverything } from '../support/owner-with-everything';
import {
  type ApiRoute,
  fillIds,
  type Ids,
  PROTECTED_API,
  PROTECTED_PAGES,
  takesId,
} from '../support/route-registry';
import { APP_URL, NO_PROXY_URL } from '../support/servers';

// The access-control matrix (docs/security-tests.md AC-01, issue 8): every page and API route of
// the registry that takes an object id, for every verb, called by owner A
//   - with owner B's ids,
//   - with A's own car and B's object (a trip, charge or link of another car),
//   - with ids that do not exist,
//   - and anonymously with B's ids.
// A gets 404 with exactly the body a missing id gets, the anonymous caller 401, and B's objects
// are unchanged afterwards. Each request carries a valid query and body (the registry's recipe),
// and A's own ids succeed with them, so the 404s are about whose ids they are, not bad input.
// Run against the app and against the instance whose proxy does not redirect: the data layer
// alone must hold.

/** Well-formed ids of nothing. */
function missingIds(): Ids {
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  return {
    vehicleId: randomUUID(),
    tripId: randomUUID(),
    chargeId: b64(`psa-v4|${Date.UTC(2026, 0, 1)}`),
    alertId: b64(JSON.stringify([randomUUID(), 'psa-v4', 'missing'])),
    accountId: randomUUID(),
    linkId: randomUUID(),
  };
}

function urlOf(route: ApiRoute, ids: Ids): string {
  const url = fillIds(route.path, ids);
  return route.query ? `${url}?${fillIds(route.query, ids)}` : url;
}

async function call(request: APIRequestContext, route: ApiRoute, ids: Ids) {
  const response = await request.fetch(urlOf(route, ids), {
    method: route.method,
    ...(route.body === undefined ? {} : { data: route.body }),
    maxRedirects: 0,
  });
  const text = await response.text();
  return { status: response.status(), text };
}

/** What B can see of its own objects: it must read the same after A's attempts. */
async function snapshotOf(owner: Owner): Promise<string> {
  const { ids, request } = owner;
  const reads = [
    `/api/vehicles/${ids.vehicleId}`,
    `/api/vehicles/${ids.vehicleId}/trips/${ids.tripId}`,
    `/api/vehicles/${ids.vehicleId}/charging/${ids.chargeId}`,
    `/api/alerts?vehicleId=${ids.vehicleId}`,
    `/api/vehicles/${ids.vehicleId}/share-links`,
    `/api/car-accounts/${ids.accountId}`,
    `/api/vehicles`,
  ];
  const bodies = await Promise.all(reads.map(async (url) => okJson(await request.get(url), url)));
  const board = (await okJson(await request.get(`/api/vehicles/${ids.vehicleId}/leaderboard`), 'board')) as {
    me: { listed: boolean; pseudonym: string | null };
  };
  return JSON.stringify([bodies, board.me.listed, board.me.pseudonym]);
}

/** A path naming a car and one of its objects (a trip, a charge, a link). */
const hasObjectOfCar = (template: string) => /\{vehicleId\}.*\{(tripId|chargeId|linkId)\}/.test(template);

const ID_API = PROTECTED_API.filter((route) => takesId(route.path) || takesId(route.query ?? ''));
const ID_PAGES = PROTECTED_PAGES.filter((page) => takesId(page) && !page.includes('{token}'));

for (const baseUrl of [APP_URL, NO_PROXY_URL]) {
  const proxy = baseUrl === APP_URL ? 'proxy on' : 'proxy redirect off';

  test(`owner A on owner B's ids and on missing ids: identical 404s, B unchanged (${proxy})`, async ({
    playwright,
  }) => {
    test.setTimeout(180_000);
    const [a, b] = await Promise.all([
      ownerWithEverything(playwright, baseUrl, 'a'),
      ownerWithEverything(playwright, baseUrl, 'b'),
    ]);
    const anonymous = await playwright.request.newContext({ baseURL: baseUrl });
    const before = await snapshotOf(b);
    // A's car with B's other objects: the car is A's, the trip, charge and link are not.
    const mixed: Ids = { ...b.ids, vehicleId: a.ids.vehicleId, accountId: b.ids.accountId };
    const missingOnMine: Ids = { ...missingIds(), vehicleId: a.ids.vehicleId };

    for (const route of ID_API) {
      const where = `${route.method} ${route.path}`;
      const missing = await call(a.request, route, missingIds());
      const foreign = await call(a.request, route, b.ids);
      const anon = await call(anonymous, route, b.ids);
      expect(anon.status, `${where} anonymous`).toBe(401);
      expect(anon.text, `${where} anonymous`).not.toContain(b.label);
      if (route.query && !takesId(route.path)) {
        // A list filtered by another owner's car reads like a list filtered by no car of theirs.
        expect(foreign, `${where} with B's car`).toEqual(missing);
        expect(foreign.text, where).not.toContain(b.label);
        continue;
      }
      expect(missing.status, `${where} missing`).toBe(404);
      expect(JSON.parse(missing.text).error.code, `${where} missing`).toBe('not_found');
      expect(foreign, `${where} with B's ids`).toEqual(missing);
      if (hasObjectOfCar(route.path)) {
        const onMine = await call(a.request, route, missingOnMine);
        expect(onMine.status, `${where} A's car, missing object`).toBe(404);
        expect(await call(a.request, route, mixed), `${where} A's car, B's object`).toEqual(onMine);
      }
    }

    for (const page of ID_PAGES) {
      const attempts = hasObjectOfCar(page) ? [missingIds(), b.ids, mixed] : [missingIds(), b.ids];
      for (const ids of attempts) {
        const response = await a.request.get(fillIds(page, ids), { maxRedirects: 0 });
        expect(response.status(), `${fillIds(page, ids)} as A`).toBe(404);
        expect(await response.text(), page).not.toContain(b.label);
      }
    }

    expect(await snapshotOf(b), "B's objects after A's attempts").toBe(before);

    // The same pages and recipes on A's own ids succeed: the refusals above were about
    // ownership. Last, because some of them change A's objects (a link revoked, A unlisted, the
    // car account disconnected).
    for (const page of ID_PAGES) {
      const own = await a.request.get(fillIds(page, a.ids), { maxRedirects: 0 });
      expect(own.status(), `${page} on A's own ids`).toBe(200);
    }
    for (const route of ID_API) {
      const own = await call(a.request, route, a.ids);
      const where = `${route.method} ${route.path} on A's own ids: ${own.text.slice(0, 200)}`;
      expect(own.status, where).toBeLessThan(300);
    }
    await Promise.all([a.request.dispose(), b.request.dispose(), anonymous.dispose()]);
  });
}
