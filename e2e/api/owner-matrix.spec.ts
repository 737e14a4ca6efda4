import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, type PlaywrightWorkerArgs, test } from '@playwright/test';
import { apiSignIn, createUser, uniqueEmail } from '../support/accounts';
import {
  type BypassShape,
  HEADER_SHAPES,
  injectedParams,
  PAGE_SHAPES,
  withQuery,
} from '../support/bypass-shapes';
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

type Answer = { status: number; text: string };

async function call(
  request: APIRequestContext,
  route: ApiRoute,
  ids: Ids,
  shape: { headers?: Record<string, string>; query?: string } = {},
) {
  const url = urlOf(route, ids);
  const send = (target: string) =>
    request.fetch(target, {
      method: route.method,
      headers: shape.headers ?? {},
      ...(route.body === undefined ? {} : { data: route.body }),
      maxRedirects: 0,
    });
  const target = shape.query ? withQuery(url, shape.query) : url;
  let response = await send(target);
  // Past the owner's request budget the answer is a 429 whatever the ids: wait as it asks, and
  // ask again, so that what is compared is the route's answer.
  for (let retry = 0; response.status() === 429 && retry < 3; retry++) {
    const waitS = Number(response.headers()['retry-after'] ?? 1);
    await new Promise((resolve) => setTimeout(resolve, waitS * 1000));
    response = await send(target);
  }
  // Next sends an RSC request without its cache-busting `_rsc` to the same path with one (307,
  // the method kept): follow that hop, it is not an answer about access.
  const hop = new URL(response.headers().location ?? '/', 'http://x');
  if (response.status() === 307 && hop.pathname === new URL(target, 'http://x').pathname) {
    response = await send(`${hop.pathname}${hop.search}`);
  }
  const text = await response.text();
  return { status: response.status(), text } satisfies Answer;
}

/**
 * A page as `request` gets it in one request shape. An RSC request without a cache-busting `_rsc`
 * is first sent to the same path with one: that hop is followed, it says nothing about access.
 * The answer's text has every id of `ids` replaced by its name, and what is new on every answer
 * replaced too, so that the answers for two sets of ids can be compared byte for byte.
 */
async function pageIn(
  request: APIRequestContext,
  baseUrl: string,
  path: string,
  shape: BypassShape,
  ids: Ids,
) {
  const url = (shape.transform ?? ((p: string) => p))(path);
  const headers = shape.headers ?? {};
  let response = await request.get(url, { headers, maxRedirects: 0 });
  const hop = new URL(response.headers().location ?? '/', baseUrl);
  if (response.status() === 307 && hop.pathname === new URL(url, baseUrl).pathname) {
    response = await request.get(`${hop.pathname}${hop.search}`, { headers, maxRedirects: 0 });
  }
  let text = await response.text();
  for (const [name, id] of Object.entries(ids)) text = text.replaceAll(id, `{${name}}`);
  // The CSP nonce is new on every answer.
  const nonces = [
    ...(response.headers()['content-security-policy'] ?? '').matchAll(/'nonce-([^']+)'/g),
    ...text.matchAll(/nonce="([^"]+)"/g),
  ];
  for (const [, nonce] of nonces) if (nonce) text = text.replaceAll(nonce, '{nonce}');
  // So is the request id (a nanoid) that keys an RSC answer's viewport and metadata (`<id>v`, `<id>m`).
  for (const [, id] of text.matchAll(/"([\w-]{21})[vm]"/g)) if (id) text = text.replaceAll(id, '{requestId}');
  return { status: response.status(), text } satisfies Answer;
}

/** Owners who only call with others' ids (they hold nothing), one request budget each. */
const OTHER_OWNERS = 3;

async function signedInOwner(playwright: PlaywrightWorkerArgs['playwright'], baseUrl: string, n: number) {
  const email = uniqueEmail('shapes');
  await createUser(email, { baseUrl });
  // Each from its own address (TEST-NET-2), so that these sign-ins never count towards the
  // per-address sign-in limit (AC-14) of the suite's callers on 127.0.0.1.
  const request = await playwright.request.newContext({
    baseURL: baseUrl,
    extraHTTPHeaders: { 'x-forwarded-for': `198.51.100.${200 + n}` },
  });
  await apiSignIn(request, email);
  return request;
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

    // AC-02: the same requests in every shape that has bypassed a proxy before
    // (e2e/support/bypass-shapes.ts), one per shape and route with B's ids, by owners other than
    // B. Each answer is byte for byte the answer to missing ids: the plain one for the headers Next
    // must ignore, the one in the same shape for the RSC forms. Then the routes' parameters
    // injected again in the query (plain and as Next's `nxtP…`): B's ids in the path with A's in
    // the query read like missing ids in the path with A's in the query, and A's reads and pages
    // with B's ids injected stay A's.
    const missing = missingIds();
    // Every shape on every route is more than one owner's request budget (lib/http/owner-budget.ts)
    // allows at once: other owners, signed in for this, share the shapes out. Pages spend none.
    const others = await Promise.all(
      Array.from({ length: OTHER_OWNERS }, (_, n) => signedInOwner(playwright, baseUrl, n)),
    );
    for (const route of ID_API) {
      const where = `${route.method} ${route.path}`;
      // Each shape once with B's ids; with missing ids once plainly (the answer of every shape
      // Next must ignore) and once in each shape Next answers differently (the RSC forms).
      const owner = (i: number) => others[i % OTHER_OWNERS] as APIRequestContext;
      const [reference, ...answers] = await Promise.all([
        call(owner(0), route, missing),
        ...HEADER_SHAPES.map((shape, i) =>
          Promise.all([
            call(owner(i), route, b.ids, shape),
            shape.ignored ? null : call(owner(i), route, missing, shape),
          ]),
        ),
      ]);
      for (const [i, shape] of HEADER_SHAPES.entries()) {
        const [foreign, onMissing] = answers[i] as [Answer, Answer | null];
        expect(foreign, `${where} with B's ids [${shape.name}]`).toEqual(onMissing ?? reference);
        expect(foreign.text, where).not.toContain(b.label);
        // A refusal (404, or a 400 for a query the route does not take, e.g. Next's `_rsc`).
        if (!route.query || takesId(route.path))
          expect([400, 404], `${where} [${shape.name}]`).toContain(foreign.status);
      }
      const withMine = { query: injectedParams(a.ids) };
      expect(await call(a.request, route, b.ids, withMine), `${where} B's ids, A's injected`).toEqual(
        await call(a.request, route, missing, withMine),
      );
      // Only reads: a write on A's ids would change A's objects before the own-ids check below.
      if (route.method === 'GET') {
        const injected = await call(a.request, route, a.ids, { query: injectedParams(b.ids) });
        expect(injected, `${where} A's ids, B's injected`).toEqual(
          await call(a.request, route, a.ids, { query: injectedParams(missing) }),
        );
        expect(injected.text, where).not.toContain(b.label);
      }
    }
    for (const page of ID_PAGES) {
      const [reference, ...answers] = await Promise.all([
        pageIn(a.request, baseUrl, fillIds(page, missing), { name: 'plain' }, missing),
        ...PAGE_SHAPES.map((shape) =>
          Promise.all([
            pageIn(a.request, baseUrl, fillIds(page, b.ids), shape, b.ids),
            shape.ignored ? null : pageIn(a.request, baseUrl, fillIds(page, missing), shape, missing),
          ]),
        ),
      ]);
      for (const [i, shape] of PAGE_SHAPES.entries()) {
        const where = `${page} [${shape.name}] as A`;
        const [foreign, onMissing] = answers[i] as [Answer, Answer | null];
        expect(foreign.text, where).not.toContain(b.label);
        const expected = onMissing ?? reference;
        expect(foreign, where).toEqual(expected);
        // A not-found page, or the RSC transport's 200 with the not-found tree in it.
        expect([404, 200], where).toContain(foreign.status);
      }
      const injected = {
        transform: (path: string) => withQuery(path, injectedParams(a.ids)),
        name: 'injected',
      };
      const [foreign, onMissing] = await Promise.all([
        pageIn(a.request, baseUrl, fillIds(page, b.ids), injected, b.ids),
        pageIn(a.request, baseUrl, fillIds(page, missing), injected, missing),
      ]);
      expect(foreign, `${page} B's ids, A's injected`).toEqual(onMissing);
      expect(foreign.status, `${page} B's ids, A's injected`).toBe(404);
      expect(foreign.text, page).not.toContain(b.label);
      const mine = await a.request.get(withQuery(fillIds(page, a.ids), injectedParams(b.ids)), {
        maxRedirects: 0,
      });
      expect(mine.status(), `${page} A's ids, B's injected`).toBe(200);
      const mineText = await mine.text();
      expect(mineText, page).not.toContain(b.label);
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
    await Promise.all([
      a.request.dispose(),
      b.request.dispose(),
      anonymous.dispose(),
      ...others.map((o) => o.dispose()),
    ]);
  });
}
