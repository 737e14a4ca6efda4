import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fill, PROTECTED_API, PROTECTED_PAGES } from '@/e2e/support/route-registry';
import {
  actionOutcome,
  actionRequest,
  actionsOfBuild,
  argsFor,
  PUBLIC_ACTIONS,
} from '@/e2e/support/server-actions';
import { hashPassword } from '@/lib/auth/password';
import { sqlitePathFor } from '@/lib/db/client';
import { createUser } from '@/lib/db/queries/users';
import { median } from '@/scripts/bench/types';
import { freePort } from '@/scripts/support/test-postgres';
import { openTestDatabase, type TestDatabase } from '@/test/db-harness';
import { type AppChild, appEnv, ensureBuild, freshAuthSecret, startApp } from './app-harness';
import { freshTokenKey, spawnChild } from './worker-harness';

// Auth over HTTP on the production build (`next start`), one app for all of it.
//
// docs/security-tests.md AC-10: auth fails closed when it is misconfigured. The app runs with the
// car maker's sign-in configured badly:
//   - MyPeugeot with its identity provider unreachable (nothing listens on its port), the
//     connected-car API too;
//   - MyCitroën with a client id and no secret (an application that cannot sign anyone in).
// Then, anonymously, with a garbage session cookie and with a well-formed session cookie sealed
// with another secret, every protected API route answers 401, every protected page sends the
// caller to /login and every Server Action that needs an owner fails (posted as a browser would);
// a maker sign-in that cannot reach its IdP ends on /login without a session. The same app lets a
// real owner in (the refusals are about the caller, not a broken app). And an identity-provider URL
// that is not a URL, or PostgreSQL without AUTH_SECRET, stops the app at start-up instead of
// running without them.
//
// docs/security-tests.md AC-14: on the same app, a sign-in with an unknown address and one with a
// wrong password get the same answer, and their median times over 30 interleaved tries each lie
// within 50 ms (equal paths, not a speed goal).

const PASSWORD = 'a long and uncommon passphrase';
const EMAIL = 'misconfigured-owner@example.test';
const SESSION_COOKIE = 'authjs.session-token';

let build: ReturnType<typeof ensureBuild> | undefined;
let db: TestDatabase;
let dataDir: string;
let app: AppChild;
let authSecret: string;
let database: { sqliteFile: string };
let closedPort: number;

function env(extra: Record<string, string>) {
  return {
    ...appEnv({ database, port: 0, dataDir, authSecret, tokenKey: freshTokenKey() }),
    ...extra,
  };
}

beforeAll(async () => {
  build ??= ensureBuild();
  if (build.built) console.log(`[auth-over-http] built the app first: ${build.seconds.toFixed(0)} s`);
  db = await openTestDatabase('sqlite');
  database = { sqliteFile: sqlitePathFor(db.env) as string };
  await createUser(db.db, { email: EMAIL, passwordHash: await hashPassword(PASSWORD) });
  dataDir = await mkdtemp(join(tmpdir(), 'kinetic-auth-over-http-'));
  authSecret = freshAuthSecret();
  // A port that was free a moment ago and that nothing here listens on: connections are refused.
  closedPort = await freePort();
  const port = await freePort();
  app = await startApp({
    ...env({
      PSA_PEUGEOT_CLIENT_ID: 'kinetic-misconfigured',
      PSA_PEUGEOT_CLIENT_SECRET: 'misconfigured-secret',
      PSA_PEUGEOT_IDP_URL: `http://127.0.0.1:${closedPort}/am/oauth2`,
      PSA_CITROEN_CLIENT_ID: 'kinetic-without-a-secret',
      PSA_API_URL: `http://127.0.0.1:${closedPort}/connectedcar/v4`,
      PSA_V1_API_URL: `http://127.0.0.1:${closedPort}/dev/connectedcar/v1`,
    }),
    PORT: String(port),
  });
}, 180_000);

afterAll(async () => {
  app?.kill('SIGKILL');
  await app?.exited;
  await db?.cleanup();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The Cookie header of a response's Set-Cookie headers (names and values only). */
function cookiesOf(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return jar;
}

const cookieHeader = (jar: Map<string, string>) =>
  [...jar]
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');

async function callers(): Promise<Record<string, Record<string, string>>> {
  // Well-formed, and decryptable by an app whose secret it was sealed with: not this one's.
  const foreign = await encode({
    token: { sub: randomUUID(), sid: randomUUID() },
    secret: freshAuthSecret(),
    salt: SESSION_COOKIE,
  });
  return {
    anonymous: {},
    'a garbage session cookie': { cookie: `${SESSION_COOKIE}=not-a-session` },
    'a session cookie sealed with another secret': { cookie: `${SESSION_COOKIE}=${foreign}` },
  };
}

describe('auth with the maker sign-in misconfigured (production build)', () => {
  it('every protected route answers 401 and every page sends to /login, for any caller without a session', async () => {
    const origin = app.origin;
    for (const [who, headers] of Object.entries(await callers())) {
      for (const route of PROTECTED_API) {
        const id = randomUUID();
        const url = `${origin}${fill(route.path, id)}${route.query ? `?${fill(route.query, id)}` : ''}`;
        const response = await fetch(url, {
          method: route.method,
          headers: { ...headers, origin, 'content-type': 'application/json' },
          body: route.body === undefined || route.method === 'GET' ? undefined : JSON.stringify(route.body),
          redirect: 'manual',
        });
        const where = `${route.method} ${route.path} (${who})`;
        expect(response.status, where).toBe(401);
        expect(await response.json(), where).toEqual({
          error: { code: 'unauthorized', message: expect.any(String) },
        });
      }
      for (const page of PROTECTED_PAGES) {
        const response = await fetch(`${origin}${fill(page, randomUUID())}`, { headers, redirect: 'manual' });
        const where = `${page} (${who})`;
        expect(response.status, where).toBeGreaterThanOrEqual(300);
        expect(response.status, where).toBeLessThan(400);
        expect(new URL(response.headers.get('location') ?? '', origin).pathname, where).toBe('/login');
        await response.arrayBuffer();
      }
      const session = await fetch(`${origin}/api/auth/session`, { headers });
      expect(session.status, who).toBe(200);
      expect(await session.json(), who).toBeNull();
    }
  });

  it('every Server Action that needs an owner refuses those callers with an error', async () => {
    const origin = app.origin;
    const actions = actionsOfBuild(process.cwd());
    expect(actions.length).toBeGreaterThan(10);
    for (const [who, headers] of Object.entries(await callers())) {
      for (const action of actions) {
        if (PUBLIC_ACTIONS.has(action.name)) continue;
        const ids = {
          vehicleId: randomUUID(),
          groupId: randomUUID(),
          linkId: randomUUID(),
          accountId: randomUUID(),
          token: 'x'.repeat(43),
        };
        const request = actionRequest(action, argsFor(action.name, ids, EMAIL), ids.vehicleId, origin);
        const response = await fetch(`${origin}${request.path}`, {
          method: 'POST',
          headers: { ...request.headers, ...headers },
          body: request.body,
          redirect: 'manual',
        });
        const where = `${action.name} (${who})`;
        // Without any session cookie the proxy sends the caller to /login before the action runs;
        // with one (garbage or foreign) it lets the request through, and the action refuses itself.
        if (!('cookie' in headers)) {
          expect(response.status, where).toBe(307);
          expect(new URL(response.headers.get('location') ?? '', origin).pathname, where).toBe('/login');
          await response.arrayBuffer();
          continue;
        }
        const outcome = actionOutcome(
          response.status,
          response.headers.get('x-action-redirect'),
          await response.text(),
        );
        expect(outcome.status, where).toBe(500);
        expect(outcome.result, where).toMatch(/^E\{/);
        expect(outcome.redirect, where).toBe('');
      }
    }
    expect(await db.db.selectFrom('sessions').select('id').execute()).toEqual([]);
  });

  it('a maker sign-in whose IdP cannot be reached ends on /login with no session', async () => {
    const origin = app.origin;
    const csrf = await fetch(`${origin}/api/auth/csrf`);
    const jar = cookiesOf(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    for (const provider of ['psa-peugeot', 'psa-citroen']) {
      const start = await fetch(`${origin}/api/auth/signin/${provider}`, {
        method: 'POST',
        headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ csrfToken, callbackUrl: '/' }),
        redirect: 'manual',
      });
      for (const [name, value] of cookiesOf(start)) jar.set(name, value);
      const location = new URL(start.headers.get('location') ?? '', origin);
      if (provider === 'psa-peugeot') {
        // Sent on to the unreachable IdP, with state and PKCE: the browser would fail there.
        expect(location.origin).toBe(`http://127.0.0.1:${closedPort}`);
        const state = location.searchParams.get('state') ?? '';
        expect(state).not.toBe('');
        // The IdP "answers" with a code: exchanging it needs the IdP, which cannot be reached.
        const callback = await fetch(
          `${origin}/api/auth/callback/${provider}?code=forged-code&state=${encodeURIComponent(state)}`,
          { headers: { cookie: cookieHeader(jar) }, redirect: 'manual' },
        );
        const back = new URL(callback.headers.get('location') ?? '', origin);
        expect(back.pathname, provider).toBe('/login');
        expect(back.searchParams.get('error'), provider).not.toBeNull();
        for (const [name, value] of cookiesOf(callback)) jar.set(name, value);
      } else {
        // Without a secret the brand is not offered at all.
        expect(location.pathname, provider).toBe('/login');
      }
      expect(jar.get(SESSION_COOKIE) ?? '', provider).toBe('');
      const account = await fetch(`${origin}/api/account`, { headers: { cookie: cookieHeader(jar) } });
      expect(account.status, provider).toBe(401);
    }
    expect(await db.db.selectFrom('sessions').select('id').execute()).toEqual([]);
  });

  it('a real owner still signs in with a password on the same app (the refusals are about the caller)', async () => {
    const origin = app.origin;
    const csrf = await fetch(`${origin}/api/auth/csrf`);
    const jar = cookiesOf(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await fetch(`${origin}/api/auth/callback/credentials`, {
      method: 'POST',
      headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ csrfToken, email: EMAIL, password: PASSWORD, callbackUrl: '/' }),
      redirect: 'manual',
    });
    for (const [name, value] of cookiesOf(signIn)) jar.set(name, value);
    expect(jar.get(SESSION_COOKIE) ?? '').not.toBe('');
    const account = await fetch(`${origin}/api/account`, { headers: { cookie: cookieHeader(jar) } });
    expect(account.status).toBe(200);
    expect(((await account.json()) as { account: { email: string } }).account.email).toBe(EMAIL);
  });

  /** Starts the build with `config` and expects it to stop by itself, naming `variable`. */
  async function expectRefusedStart(config: NodeJS.ProcessEnv, variable: string) {
    const port = await freePort();
    const child = spawnChild(
      `app-${variable}`,
      [join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '--port', String(port)],
      { ...config, PORT: String(port) },
    );
    const ended = await Promise.race([
      child.exited,
      new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 60_000)),
    ]);
    if (ended === 'running') {
      child.kill('SIGKILL');
      await child.exited;
    }
    expect(ended, child.output().slice(-2000)).not.toBe('running');
    expect(ended === 'running' ? null : ended.code).not.toBe(0);
    expect(child.output()).toContain(variable);
  }

  it('an identity-provider URL that is not a URL stops the app at start-up, naming the variable', async () => {
    await expectRefusedStart(
      env({
        PSA_PEUGEOT_CLIENT_ID: 'kinetic-misconfigured',
        PSA_PEUGEOT_CLIENT_SECRET: 'misconfigured-secret',
        PSA_PEUGEOT_IDP_URL: 'not a url',
      }),
      'PSA_PEUGEOT_IDP_URL',
    );
  });

  it('on PostgreSQL without AUTH_SECRET the app refuses to start (no secret is made up)', async () => {
    const { AUTH_SECRET: _unset, ...withoutSecret } = env({
      // Never reached: the missing secret stops the start first.
      DATABASE_URL: `postgres://kinetic@127.0.0.1:${closedPort}/kinetic`,
    });
    await expectRefusedStart(withoutSecret, 'AUTH_SECRET');
  });
});

describe('sign-in over HTTP: unknown address and wrong password (AC-14)', () => {
  const SAMPLES = 30;

  it(`answer alike, in the same time (medians of ${SAMPLES} within 50 ms)`, async () => {
    const origin = app.origin;
    // One account per wrong password, so that the per-account limit (5 a minute) never answers
    // early; all with one real argon2id hash.
    const passwordHash = await hashPassword(PASSWORD);
    const known: string[] = [];
    for (let i = 0; i <= SAMPLES; i++) {
      known.push((await createUser(db.db, { email: `timing-${i}@example.test`, passwordHash })).email);
    }
    const csrf = await fetch(`${origin}/api/auth/csrf`);
    const jar = cookiesOf(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    let sent = 0;
    const attempt = async (email: string) => {
      sent += 1;
      const started = performance.now();
      const response = await fetch(`${origin}/api/auth/callback/credentials`, {
        method: 'POST',
        headers: {
          cookie: cookieHeader(jar),
          'content-type': 'application/x-www-form-urlencoded',
          origin,
          // Nothing stands in front of this app, so the address written here is the one counted:
          // a new one per try keeps the per-address limit (20 a minute) from answering early.
          'x-forwarded-for': `198.18.${sent >> 8}.${sent & 255}`,
        },
        body: new URLSearchParams({
          csrfToken,
          email,
          password: 'a wrong password, long enough',
          callbackUrl: '/',
        }),
        redirect: 'manual',
      });
      const body = await response.text();
      const ms = performance.now() - started;
      const cookies = response.headers.getSetCookie().map((line) => line.split('=')[0]);
      return {
        ms,
        answer: { status: response.status, location: response.headers.get('location'), body, cookies },
      };
    };
    // Warm-up: the dummy hash is made on first use, and the route's first calls are slower.
    await attempt('nobody-warm@example.test');
    await attempt(known[SAMPLES] as string);

    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const pair = [() => attempt(`nobody-${i}@example.test`), () => attempt(known[i] as string)] as const;
      // Alternate which goes first, so neither always follows the other.
      const [first, second] = i % 2 === 0 ? pair : [pair[1], pair[0]];
      const one = await first();
      const two = await second();
      const [u, w] = i % 2 === 0 ? [one, two] : [two, one];
      expect(u.answer.status, `try ${i}`).toBe(302);
      expect(new URL(u.answer.location ?? '', origin).searchParams.get('error'), `try ${i}`).toBe(
        'CredentialsSignin',
      );
      expect(w.answer, `try ${i}`).toEqual(u.answer);
      unknown.push(u.ms);
      wrong.push(w.ms);
    }
    expect(
      Math.abs(median(unknown) - median(wrong)),
      `medians: unknown ${median(unknown).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms`,
    ).toBeLessThan(50);
    // And none of those tries opened a session.
    const timingUsers = db.db.selectFrom('users').select('id').where('email', 'like', 'timing-%');
    expect(
      await db.db.selectFrom('sessions').select('id').where('user_id', 'in', timingUsers).execute(),
    ).toEqual([]);
  });
});
