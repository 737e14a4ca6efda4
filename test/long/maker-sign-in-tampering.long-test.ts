import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlitePathFor } from '@/lib/db/client';
import type { IdTokenFaultKind } from '@/lib/simulator/faults/rules';
import { messagesFor } from '@/messages';
import { freePort } from '@/scripts/support/test-postgres';
import { openTestDatabase, type TestDatabase } from '@/test/db-harness';
import { type AppChild, appEnv, ensureBuild, freshAuthSecret, startApp } from './app-harness';
import { type BrowserSession, createBrowserSession, SESSION_COOKIE } from './browser-session';
import { type FrozenCloud, freshTokenKey, startFrozenCloud } from './worker-harness';

// docs/security-tests.md AC-11: OAuth/OIDC callback integrity of "Sign in with MyPeugeot" (the
// Auth.js providers of lib/auth/maker-sign-in.ts), over real HTTP against the production build
// (`next start`) and the simulated identity providers (lib/simulator/oauth), with no browser: the
// test plays the owner's browser — Auth.js's sign-in endpoint, the IdP's sign-in form, the
// callback — and tampers with one step at a time:
//   - the callback's `state` dropped, changed, or another sign-in's;
//   - the PKCE code-verifier cookie deleted, or swapped for another sign-in's;
//   - the state and/or PKCE cookies of another brand's provider (MyCitroën), with that flow's own
//     state value too, at MyPeugeot's callback, and MyPeugeot's at MyCitroën's;
//   - an id_token with another application's `aud`, another IdP's `iss`, a `nonce` Kinetic never
//     sent (it asks for none: PKCE binds the code), an `exp` in the past — the simulator's
//     id_token faults, which answer a genuine code exchange with working tokens and that token;
//   - the authorization code of a completed sign-in replayed with its check cookies.
// Each must end on /login with the sign-in error shown, no session cookie (/api/account answers
// 401) and no users, sessions, car_accounts or linked-car row. The untampered flow, same owner and
// IdP, signs in and links the maker account (the control), and only then is the code replayed.

const WORLD = { seed: 'kinetic-ac11', peers: 4, backfillDays: 0, now: Date.parse('2026-03-04T09:30:00Z') };
/** The demo owner is the simulated world's first MyPeugeot owner. */
const OWNER = 'demo@kinetic.local';
const SIM_PASSWORD = 'sim-password';
const PKCE_COOKIE = 'authjs.pkce.code_verifier';
const STATE_COOKIE = 'authjs.state';
const TABLES = ['users', 'sessions', 'car_accounts', 'car_account_vehicles'] as const;

let build: ReturnType<typeof ensureBuild> | undefined;
let db: TestDatabase;
let dataDir: string;
let cloud: FrozenCloud;
let app: AppChild;
/** `localhost`, not 127.0.0.1: the IdP accepts plain-http redirect URIs on localhost only. */
let origin: string;

beforeAll(async () => {
  build ??= ensureBuild();
  if (build.built)
    console.log(`[maker-sign-in-tampering] built the app first: ${build.seconds.toFixed(0)} s`);
  cloud = await startFrozenCloud(WORLD);
  db = await openTestDatabase('sqlite');
  dataDir = await mkdtemp(join(tmpdir(), 'kinetic-ac11-'));
  const port = await freePort();
  origin = `http://localhost:${port}`;
  app = await startApp({
    ...appEnv({
      database: { sqliteFile: sqlitePathFor(db.env) as string },
      port,
      dataDir,
      authSecret: freshAuthSecret(),
      tokenKey: freshTokenKey(),
    }),
    // The embedded default's sign-in: every brand's application read from the simulator.
    SIM_TEST_TOKENS: '1',
    SIM_PORT: String(cloud.port),
  });
});

afterAll(async () => {
  // Nothing to keep: the app's database and data folder go too.
  app?.kill('SIGKILL');
  await app?.exited;
  await cloud?.close();
  await db?.cleanup();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function rowCounts(): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = await Promise.all(
    TABLES.map(async (table) => {
      const row = await db.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return [table, Number(row.n)] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<(typeof TABLES)[number], number>;
}

/** A browser holding `jar`'s cookies, edited: a copied cookie, a deleted one. */
function withCookies(jar: BrowserSession, edit: (cookies: Map<string, string>) => void): BrowserSession {
  const cookies = new Map(
    jar
      .cookieHeader()
      .split('; ')
      .filter(Boolean)
      .map(
        (pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as [string, string],
      ),
  );
  edit(cookies);
  return createBrowserSession(cookies);
}

type Brand = 'peugeot' | 'citroen';

/**
 * "Sign in with MyPeugeot" up to the IdP: Auth.js's sign-in endpoint sets the state and PKCE
 * cookies (in `jar`) and sends the browser to the brand's authorize URL, returned.
 */
async function startSignIn(jar: BrowserSession, brand: Brand): Promise<URL> {
  const csrf = await jar.fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await jar.fetch(`${origin}/api/auth/signin/psa-${brand}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ csrfToken, callbackUrl: '/' }),
  });
  await response.body?.cancel();
  expect(response.status).toBe(302);
  const authorize = new URL(response.headers.get('location') ?? '');
  expect(authorize.pathname).toBe(`/${brand}/am/oauth2/authorize`);
  expect(authorize.searchParams.get('state')).toBeTruthy();
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(jar.cookie(STATE_COOKIE)).toBeTruthy();
  expect(jar.cookie(PKCE_COOKIE)).toBeTruthy();
  return authorize;
}

/** The owner signs in on the IdP's form; its redirect is the callback URL with `code` and `state`. */
async function signInAtIdp(authorize: URL): Promise<URL> {
  const form = new URLSearchParams(authorize.searchParams);
  form.set('email', OWNER);
  form.set('password', SIM_PASSWORD);
  // The browser's `localhost:<port>` is the in-process simulator on 127.0.0.1.
  const response = await fetch(`${cloud.origin}${authorize.pathname}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(response.status).toBe(302);
  const callback = new URL(response.headers.get('location') ?? '');
  expect(callback.origin).toBe(origin);
  expect(callback.searchParams.get('code')).toBeTruthy();
  return callback;
}

async function sendCallback(jar: BrowserSession, url: URL | string): Promise<URL> {
  const response = await jar.fetch(url.toString());
  await response.body?.cancel();
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '', origin);
}

const failedMessage = messagesFor('en').auth.login.failed;

/** No session, no new rows, and the owner sees the sign-in error on /login. */
async function expectRefused(
  jar: BrowserSession,
  landing: URL,
  before: Awaited<ReturnType<typeof rowCounts>>,
) {
  expect(landing.pathname).toBe('/login');
  expect(landing.searchParams.get('error')).toBeTruthy();
  expect(jar.cookie(SESSION_COOKIE)).toBeUndefined();
  const account = await jar.fetch(`${origin}/api/account`);
  expect(account.status).toBe(401);
  expect(await account.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  const page = await jar.fetch(landing.toString());
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(failedMessage);
  expect(await rowCounts()).toEqual(before);
}

const NOTHING = { users: 0, sessions: 0, car_accounts: 0, car_account_vehicles: 0 };

describe('AC-11: a tampered "Sign in with MyPeugeot" ends on /login with no session and no link', () => {
  it("a dropped or changed state, or another sign-in's", async () => {
    for (const tamper of ['dropped', 'changed', 'another sign-in'] as const) {
      const jar = createBrowserSession();
      const callback = await signInAtIdp(await startSignIn(jar, 'peugeot'));
      const state = callback.searchParams.get('state') ?? '';
      if (tamper === 'dropped') callback.searchParams.delete('state');
      if (tamper === 'changed') {
        callback.searchParams.set(
          'state',
          `${state.slice(0, -4)}${state.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`,
        );
      }
      if (tamper === 'another sign-in') {
        // A genuine state of this provider, minted for another browser's sign-in.
        const other = await startSignIn(createBrowserSession(), 'peugeot');
        callback.searchParams.set('state', other.searchParams.get('state') ?? '');
      }
      await expectRefused(jar, await sendCallback(jar, callback), NOTHING);
    }
  });

  it('a deleted PKCE cookie, or the one of another sign-in', async () => {
    const jar = createBrowserSession();
    const callback = await signInAtIdp(await startSignIn(jar, 'peugeot'));
    const deleted = withCookies(jar, (cookies) => cookies.delete(PKCE_COOKIE));
    await expectRefused(deleted, await sendCallback(deleted, callback), NOTHING);

    // The other sign-in's verifier is sealed for this provider, so only the IdP can tell: the
    // verifier does not answer this code's challenge.
    const mine = createBrowserSession();
    const myCallback = await signInAtIdp(await startSignIn(mine, 'peugeot'));
    const other = createBrowserSession();
    await startSignIn(other, 'peugeot');
    const swapped = withCookies(mine, (cookies) => cookies.set(PKCE_COOKIE, other.cookie(PKCE_COOKIE) ?? ''));
    await expectRefused(swapped, await sendCallback(swapped, myCallback), NOTHING);
  });

  it("another brand's state and PKCE cookies, with that flow's own state value", async () => {
    // MyPeugeot's code at MyPeugeot's callback, under cookies a MyCitroën sign-in minted.
    const variants = [
      // MyPeugeot's state value, MyCitroën's state and PKCE cookies.
      { state: 'peugeot', cookies: [STATE_COOKIE, PKCE_COOKIE] },
      // MyCitroën's state value and cookie, MyPeugeot's own PKCE cookie: the state matches its
      // cookie and the verifier the code, so only the cookie's binding to its provider refuses
      // it (CVE-2026-73419, fixed in @auth/core 0.41.3).
      { state: 'citroen', cookies: [STATE_COOKIE] },
      // MyCitroën's state value, state and PKCE cookies.
      { state: 'citroen', cookies: [STATE_COOKIE, PKCE_COOKIE] },
    ] as const;
    for (const variant of variants) {
      const peugeot = createBrowserSession();
      const callback = await signInAtIdp(await startSignIn(peugeot, 'peugeot'));
      const citroen = createBrowserSession();
      const citroenAuthorize = await startSignIn(citroen, 'citroen');
      if (variant.state === 'citroen') {
        callback.searchParams.set('state', citroenAuthorize.searchParams.get('state') ?? '');
      }
      const crossed = withCookies(peugeot, (cookies) => {
        for (const name of variant.cookies) cookies.set(name, citroen.cookie(name) ?? '');
      });
      await expectRefused(crossed, await sendCallback(crossed, callback), NOTHING);
    }
    // The other way round: MyPeugeot's code, state and cookies sent to MyCitroën's callback.
    const jar = createBrowserSession();
    const callback = await signInAtIdp(await startSignIn(jar, 'peugeot'));
    const atCitroen = new URL(`/api/auth/callback/psa-citroen${callback.search}`, origin);
    await expectRefused(jar, await sendCallback(jar, atCitroen), NOTHING);
  });

  const idTokenFaults: IdTokenFaultKind[] = [
    'id_token_wrong_aud',
    'id_token_wrong_iss',
    'id_token_nonce',
    'id_token_expired',
  ];
  it.each(idTokenFaults)('an id_token with a bad claim (%s)', async (kind) => {
    cloud.ctx.faults.set({ rules: [{ kind, rate: 1, endpoints: ['/peugeot/am/oauth2/access_token'] }] });
    try {
      const jar = createBrowserSession();
      const callback = await signInAtIdp(await startSignIn(jar, 'peugeot'));
      await expectRefused(jar, await sendCallback(jar, callback), NOTHING);
      // The app did exchange the code, and got the tampered token: the refusal is the token's.
      expect(cloud.ctx.faults.tally().faults).toEqual({ [kind]: 1 });
    } finally {
      cloud.ctx.faults.set({ rules: [] });
    }
  });

  it('the untampered flow signs in and links the account; its code replayed signs no one in', async () => {
    const jar = createBrowserSession();
    const callback = await signInAtIdp(await startSignIn(jar, 'peugeot'));
    // What an attacker who copied the callback request holds: its URL and its check cookies.
    const copied = withCookies(jar, () => {});
    const landing = await sendCallback(jar, callback);
    expect(landing.toString()).toBe(`${origin}/`);
    expect(jar.cookie(SESSION_COOKIE)).toBeTruthy();
    const account = await jar.fetch(`${origin}/api/account`);
    expect(account.status).toBe(200);
    const after = await rowCounts();
    expect(after).toMatchObject({ users: 1, sessions: 1, car_accounts: 1 });
    expect(after.car_account_vehicles).toBeGreaterThan(0);
    const linked = await db.db.selectFrom('car_accounts').select(['brand', 'maker_subject']).execute();
    expect(linked).toEqual([{ brand: 'peugeot', maker_subject: '0' }]);

    await expectRefused(copied, await sendCallback(copied, callback), after);
  });
});
