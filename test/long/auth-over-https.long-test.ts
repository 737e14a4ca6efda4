import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/password';
import { sqlitePathFor } from '@/lib/db/client';
import { createUser } from '@/lib/db/queries/users';
import { CHROMIUM_ARGS, DEBIAN_CHROMIUM } from '@/scripts/support/chromium-flags';
import { freePort } from '@/scripts/support/test-postgres';
import { openTestDatabase, type TestDatabase } from '@/test/db-harness';
import { type AppChild, appEnv, ensureBuild, freshAuthSecret, startApp } from './app-harness';
import { startTlsProxy, type TlsAnswer, tlsRequest } from './tls-proxy';
import { freshTokenKey } from './worker-harness';

// docs/security-tests.md AC-08: the session and CSRF cookies over HTTPS, on the production build
// (`next start`) behind a TLS-terminating reverse proxy on loopback (test/long/tls-proxy.ts), the
// app configured with AUTH_URL=https://localhost:<proxy port> as docs/deploy.md configures it.
// An owner signs in with a password and a maker sign-in (MyPeugeot, an Auth.js OAuth provider) is
// started; every Set-Cookie line is parsed:
//   - the session cookie is `__Secure-authjs.session-token`, HttpOnly, Secure, SameSite=Lax, Path=/,
//     and the app reads it (the owner's own account answers);
//   - the CSRF cookie is `__Host-authjs.csrf-token`, HttpOnly, Secure, Path=/, no Domain;
//   - the maker sign-in's PKCE verifier and state cookies live at most 15 minutes;
//   - every cookie the app sets over HTTPS with a value is Secure, none is chunked or above 4096 bytes;
//   - the session token is in no URL and in no page or RSC payload;
//   - a real Chromium signing in through the form keeps both cookies with those flags (it drops a
//     `__Host-`/`__Secure-` cookie that breaks its prefix's rules), and no script of the page can
//     read the token: not in document.cookie, localStorage or sessionStorage.
// The maker's IdP is never contacted by the start (its URLs are configured), so it points at a
// closed port.

const PASSWORD = 'a long and uncommon passphrase';
const EMAIL = 'https-owner@example.test';
const FIFTEEN_MINUTES_S = 900;

let build: ReturnType<typeof ensureBuild> | undefined;
let db: TestDatabase;
let dataDir: string;
let app: AppChild;
let proxy: Awaited<ReturnType<typeof startTlsProxy>>;

beforeAll(async () => {
  build ??= ensureBuild();
  if (build.built) console.log(`[auth-over-https] built the app first: ${build.seconds.toFixed(0)} s`);
  db = await openTestDatabase('sqlite');
  await createUser(db.db, { email: EMAIL, passwordHash: await hashPassword(PASSWORD) });
  dataDir = await mkdtemp(join(tmpdir(), 'kinetic-auth-over-https-'));
  const appPort = await freePort();
  const closedPort = await freePort();
  proxy = await startTlsProxy(appPort);
  app = await startApp({
    ...appEnv({
      database: { sqliteFile: sqlitePathFor(db.env) as string },
      port: appPort,
      dataDir,
      authSecret: freshAuthSecret(),
      tokenKey: freshTokenKey(),
    }),
    AUTH_URL: proxy.origin,
    PSA_PEUGEOT_CLIENT_ID: 'kinetic-https',
    PSA_PEUGEOT_CLIENT_SECRET: 'https-secret',
    PSA_PEUGEOT_IDP_URL: `http://127.0.0.1:${closedPort}/am/oauth2`,
    PSA_API_URL: `http://127.0.0.1:${closedPort}/connectedcar/v4`,
    PSA_V1_API_URL: `http://127.0.0.1:${closedPort}/dev/connectedcar/v1`,
  });
}, 180_000);

afterAll(async () => {
  app?.kill('SIGKILL');
  await app?.exited;
  await proxy?.close();
  await db?.cleanup();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type SetCookie = { name: string; value: string; attributes: Map<string, string>; line: string };

function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';');
  const at = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    attributes.set(key, eq < 0 ? '' : part.slice(eq + 1).trim());
  }
  return { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim(), attributes, line };
}

/** Seconds the cookie lives from the answer's Date: the shorter of Max-Age and Expires. */
function lifetimeS(cookie: SetCookie, answer: TlsAnswer): number {
  const lifetimes: number[] = [];
  const maxAge = cookie.attributes.get('max-age');
  if (maxAge !== undefined) lifetimes.push(Number(maxAge));
  const expires = cookie.attributes.get('expires');
  if (expires !== undefined) {
    const now = Date.parse(String(answer.headers.date ?? '')) || Date.now();
    // Expires has whole seconds and Date is sent rounded down: allow one second.
    lifetimes.push((Date.parse(expires) - now) / 1000 - 1);
  }
  if (lifetimes.length === 0)
    throw new Error(`${cookie.name} has neither Max-Age nor Expires: it never expires`);
  return Math.min(...lifetimes);
}

class Jar {
  readonly #values = new Map<string, string>();
  /** Every cookie the app set, in order. */
  readonly seen: SetCookie[] = [];

  take(answer: TlsAnswer): SetCookie[] {
    const cookies = answer.setCookies.map(parseSetCookie);
    for (const cookie of cookies) {
      this.seen.push(cookie);
      if (cookie.value === '' || cookie.attributes.get('max-age') === '0') this.#values.delete(cookie.name);
      else this.#values.set(cookie.name, cookie.value);
    }
    return cookies;
  }

  get(name: string): string | undefined {
    return this.#values.get(name);
  }

  header(): string {
    return [...this.#values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function only(cookies: SetCookie[], name: string): SetCookie {
  const found = cookies.filter((cookie) => cookie.name === name);
  expect(
    found.map((cookie) => cookie.name),
    `one ${name} among ${cookies.map((c) => c.name)}`,
  ).toEqual([name]);
  return found[0] as SetCookie;
}

function expectFlags(cookie: SetCookie, flags: { httpOnly: boolean }) {
  const where = cookie.line;
  expect(cookie.attributes.has('secure'), `${where}: Secure`).toBe(true);
  expect(cookie.attributes.has('httponly'), `${where}: HttpOnly`).toBe(flags.httpOnly);
  expect(cookie.attributes.get('samesite')?.toLowerCase(), `${where}: SameSite`).toBe('lax');
  expect(cookie.attributes.get('path'), `${where}: Path`).toBe('/');
  expect(cookie.attributes.has('domain'), `${where}: no Domain`).toBe(false);
}

describe('auth cookies over HTTPS behind a TLS proxy (AC-08)', () => {
  it('session, CSRF, PKCE and state cookies carry their prefixes, flags and lifetimes, and stay small', async () => {
    const origin = proxy.origin;
    const send = (
      path: string,
      jar: Jar,
      init: { method?: string; headers?: Record<string, string>; body?: string } = {},
    ) =>
      tlsRequest(`${origin}${path}`, proxy.cert, {
        ...init,
        headers: { ...init.headers, ...(jar.header() ? { cookie: jar.header() } : {}) },
      });

    // Password sign-in, as the sign-in form posts it.
    const jar = new Jar();
    const csrfAnswer = await send('/api/auth/csrf', jar);
    expect(csrfAnswer.status).toBe(200);
    const csrfCookies = jar.take(csrfAnswer);
    const { csrfToken } = JSON.parse(csrfAnswer.text) as { csrfToken: string };
    const csrf = only(csrfCookies, '__Host-authjs.csrf-token');
    expectFlags(csrf, { httpOnly: true });
    // Without a lifetime it is a session cookie: gone when the browser closes.
    expect(csrf.attributes.has('max-age') || csrf.attributes.has('expires')).toBe(false);

    const form = { 'content-type': 'application/x-www-form-urlencoded', origin };
    const signIn = await send('/api/auth/callback/credentials', jar, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({ csrfToken, email: EMAIL, password: PASSWORD, callbackUrl: '/' }).toString(),
    });
    expect(signIn.status, signIn.text.slice(0, 300)).toBe(302);
    const location = String(signIn.headers.location ?? '');
    expect(new URL(location, origin).origin).toBe(origin);
    expect(new URL(location, origin).searchParams.get('error')).toBeNull();
    const session = only(jar.take(signIn), '__Secure-authjs.session-token');
    expectFlags(session, { httpOnly: true });
    // The session lives as long as the database row allows, never longer than its 30 days.
    expect(lifetimeS(session, signIn)).toBeGreaterThan(0);
    expect(lifetimeS(session, signIn)).toBeLessThanOrEqual(30 * 24 * 3600);
    // The JWT carries only the owner's and the session's ids: one small cookie, no chunks.
    expect(session.value.length).toBeLessThan(1024);
    expect(jar.seen.some((cookie) => /\.session-token\.\d+$/.test(cookie.name))).toBe(false);

    // The app reads that cookie over HTTPS: the owner's account answers, and no page, RSC payload
    // or URL carries the token.
    const account = await send('/api/account', jar);
    expect(account.status, account.text.slice(0, 300)).toBe(200);
    expect((JSON.parse(account.text) as { account: { email: string } }).account.email).toBe(EMAIL);
    expect(location).not.toContain(session.value);
    for (const headers of [{}, { RSC: '1' }] as Record<string, string>[]) {
      let page = await send('/settings', jar, { headers });
      // An RSC request carries a cache-busting `_rsc` matching its headers; without it Next
      // redirects to the same path with it.
      if (page.status === 307) {
        const hop = new URL(String(page.headers.location ?? ''), origin);
        expect(hop.pathname).toBe('/settings');
        page = await send(`${hop.pathname}${hop.search}`, jar, { headers });
      }
      expect(page.status, `/settings ${JSON.stringify(headers)}`).toBe(200);
      expect(page.text).toContain(EMAIL);
      expect(page.text).not.toContain(session.value);
      jar.take(page);
    }

    // A maker sign-in started: the browser is sent to the IdP with state and a PKCE challenge, and
    // the verifier and state wait in short-lived cookies.
    const maker = new Jar();
    const makerCsrf = await send('/api/auth/csrf', maker);
    maker.take(makerCsrf);
    const start = await send('/api/auth/signin/psa-peugeot', maker, {
      method: 'POST',
      headers: form,
      body: new URLSearchParams({
        csrfToken: (JSON.parse(makerCsrf.text) as { csrfToken: string }).csrfToken,
        callbackUrl: '/',
      }).toString(),
    });
    expect(start.status, start.text.slice(0, 300)).toBe(302);
    const authorize = new URL(String(start.headers.location ?? ''));
    expect(authorize.pathname).toMatch(/\/am\/oauth2\//);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const startCookies = maker.take(start);
    const flowCookies = [
      only(startCookies, '__Secure-authjs.pkce.code_verifier'),
      only(startCookies, '__Secure-authjs.state'),
      // The provider asks for no nonce (OAuth, not OpenID Connect); one would be held the same way.
      ...startCookies.filter((cookie) => cookie.name === '__Secure-authjs.nonce'),
    ];
    for (const cookie of flowCookies) {
      expectFlags(cookie, { httpOnly: true });
      const lifetime = lifetimeS(cookie, start);
      expect(lifetime, cookie.line).toBeGreaterThan(0);
      expect(lifetime, cookie.line).toBeLessThanOrEqual(FIFTEEN_MINUTES_S);
    }

    // Every cookie the app set over HTTPS: small, with its prefix's rules, and Secure when it
    // carries a value (a deletion, `name=; Expires=1970`, carries nothing).
    const all = [...jar.seen, ...maker.seen];
    expect(all.filter((cookie) => cookie.value !== '').length).toBeGreaterThan(4);
    for (const cookie of all) {
      if (cookie.value !== '') expect(cookie.attributes.has('secure'), `${cookie.line}: Secure`).toBe(true);
      expect(Buffer.byteLength(cookie.line), cookie.name).toBeLessThanOrEqual(4096);
      // No Auth.js cookie without its prefix (the plain-HTTP names).
      expect(cookie.name, cookie.line).not.toMatch(/^authjs\./);
      if (cookie.name.startsWith('__Host-')) {
        expect(cookie.attributes.get('path'), cookie.line).toBe('/');
        expect(cookie.attributes.has('domain'), cookie.line).toBe(false);
      }
    }
  });

  it('a real Chromium signed in through the form holds them as set, out of reach of scripts', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM,
      args: ['--headless', ...CHROMIUM_ARGS],
    });
    try {
      // The browser cannot be told to trust the test's certificate alone; TLS itself is verified
      // by the test above, which trusts exactly that certificate.
      const context = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: proxy.origin });
      const page = await context.newPage();
      // The form signs in through a Server Action, which needs no CSRF cookie (Next checks the
      // action's Origin): fetch one as the browser, for Chromium to judge and keep.
      await page.goto('/api/auth/csrf');
      await page.goto('/login');
      await page.getByLabel('E-mail').fill(EMAIL);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.pathname !== '/login');
      expect(page.url()).not.toMatch(/token|session/i);

      const cookies = await context.cookies();
      const named = (name: string) => {
        const found = cookies.find((cookie) => cookie.name === name);
        if (!found) throw new Error(`the browser holds no ${name} among ${cookies.map((c) => c.name)}`);
        return found;
      };
      const session = named('__Secure-authjs.session-token');
      const csrf = named('__Host-authjs.csrf-token');
      for (const cookie of [session, csrf]) {
        expect(cookie, cookie.name).toMatchObject({
          domain: 'localhost',
          path: '/',
          secure: true,
          httpOnly: true,
          sameSite: 'Lax',
        });
      }
      expect(cookies.some((cookie) => cookie.name.startsWith('authjs.'))).toBe(false);

      await page.goto('/settings');
      // Signed in: the settings page shows the owner's address.
      expect(await page.content()).toContain(EMAIL);
      const reachable = await page.evaluate(() => ({
        cookie: document.cookie,
        local: JSON.stringify({ ...localStorage }),
        session: JSON.stringify({ ...sessionStorage }),
        html: document.documentElement.outerHTML,
      }));
      expect(reachable.cookie).not.toContain('authjs');
      for (const [where, text] of Object.entries(reachable)) {
        expect(text, where).not.toContain(session.value);
      }
    } finally {
      await browser.close();
    }
  });
});
