import { Auth, type AuthConfig, createActionURL } from '@auth/core';
import Credentials from '@auth/core/providers/credentials';
import { encode } from 'next-auth/jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionIdFromCookies, usesSecureCookies } from './session-cookie';

// sessionIdFromCookies replaces next-auth's `auth()` for reading the session id, so it must read
// exactly what auth() reads. Each case is answered twice — by next-auth's own path (the URL its
// auth() builds with createActionURL, then @auth/core's session endpoint with callbacks like
// lib/auth/config.ts's) and by sessionIdFromCookies — with real tokens and real crypto.

const SECRET = 'session-cookie-test-secret-of-32-chars-or-more';
const PLAIN = 'authjs.session-token';
const SECURE = '__Secure-authjs.session-token';

const config: AuthConfig = {
  basePath: '/api/auth',
  secret: SECRET,
  trustHost: true,
  session: { strategy: 'jwt' },
  providers: [Credentials({ credentials: {}, authorize: async () => null })],
  callbacks: {
    jwt: ({ token }) => token,
    session: ({ session, token }) => ({ ...session, sid: token.sid }),
  },
  // Forged and expired tokens are expected here; next-auth would log each one.
  logger: { error: () => {}, warn: () => {}, debug: () => {} },
};

const token = (sid: string, salt: string, options: { secret?: string; maxAge?: number } = {}) =>
  encode({ token: { sub: 'user-1', sid }, secret: options.secret ?? SECRET, salt, maxAge: options.maxAge });

/** What next-auth's auth() answers for these request headers (next-auth/lib/index.js getSession). */
async function nextAuthSessionId(headers: Headers, authUrl: string | undefined): Promise<string | null> {
  const url = createActionURL(
    'session',
    // next-auth passes the header as is, null included (its `??` then falls back to https).
    headers.get('x-forwarded-proto') as string,
    headers,
    { AUTH_URL: authUrl },
    config,
  );
  const response = await Auth(new Request(url, { headers: { cookie: headers.get('cookie') ?? '' } }), config);
  const body = (await response.json()) as { sid?: string } | null;
  return body?.sid ?? null;
}

type Case = { name: string; headers: Record<string, string>; authUrl?: string; signedIn: boolean };

async function cases(): Promise<Case[]> {
  const plain = await token('sid-plain', PLAIN);
  const secure = await token('sid-secure', SECURE);
  const long = await token(`sid-long-${'x'.repeat(5000)}`, PLAIN);
  const http = { host: 'localhost:3000', 'x-forwarded-proto': 'http' };
  const https = { host: 'kinetic.example', 'x-forwarded-proto': 'https' };
  return [
    { name: 'http, plain cookie', headers: { ...http, cookie: `${PLAIN}=${plain}` }, signedIn: true },
    { name: 'https, secure cookie', headers: { ...https, cookie: `${SECURE}=${secure}` }, signedIn: true },
    { name: 'https, plain cookie only', headers: { ...https, cookie: `${PLAIN}=${plain}` }, signedIn: false },
    {
      name: 'http, secure cookie only',
      headers: { ...http, cookie: `${SECURE}=${secure}` },
      signedIn: false,
    },
    {
      name: 'no X-Forwarded-Proto counts as https',
      headers: { host: 'kinetic.example', cookie: `${SECURE}=${secure}` },
      signedIn: true,
    },
    {
      name: 'AUTH_URL https wins over the request',
      headers: { ...http, cookie: `${SECURE}=${secure}` },
      authUrl: 'https://kinetic.example',
      signedIn: true,
    },
    {
      name: 'AUTH_URL http wins over the request',
      headers: { ...https, cookie: `${PLAIN}=${plain}` },
      authUrl: 'http://localhost:3000',
      signedIn: true,
    },
    {
      name: 'among other cookies',
      headers: { ...http, cookie: `kinetic-locale=fr; ${PLAIN}=${plain}; kinetic-tz=Europe%2FParis` },
      signedIn: true,
    },
    {
      name: 'a cookie split in chunks',
      headers: {
        ...http,
        cookie: `${PLAIN}.0=${long.slice(0, 3000)}; ${PLAIN}.1=${long.slice(3000)}`,
      },
      signedIn: true,
    },
    {
      name: 'tampered',
      headers: { ...http, cookie: `${PLAIN}=${plain.slice(0, -4)}AAAA` },
      signedIn: false,
    },
    {
      name: 'another secret',
      headers: { ...http, cookie: `${PLAIN}=${await token('sid-x', PLAIN, { secret: `${SECRET}-other` })}` },
      signedIn: false,
    },
    {
      name: 'the other cookie name as salt',
      headers: { ...http, cookie: `${PLAIN}=${await token('sid-x', SECURE)}` },
      signedIn: false,
    },
    {
      name: 'expired',
      headers: { ...http, cookie: `${PLAIN}=${await token('sid-x', PLAIN, { maxAge: -60 })}` },
      signedIn: false,
    },
    { name: 'no cookie', headers: { ...http }, signedIn: false },
    {
      name: 'a bearer token instead of a cookie',
      headers: { ...http, authorization: `Bearer ${plain}` },
      signedIn: false,
    },
  ];
}

describe('sessionIdFromCookies', () => {
  it("reads the session id exactly as next-auth's own session endpoint does", async () => {
    for (const testCase of await cases()) {
      const headers = new Headers(testCase.headers);
      const expected = await nextAuthSessionId(headers, testCase.authUrl);
      const actual = await sessionIdFromCookies({ headers, secret: SECRET, authUrl: testCase.authUrl });
      expect({ case: testCase.name, sid: actual }).toEqual({ case: testCase.name, sid: expected });
      // The reference itself signs in exactly the cases meant to (the comparison is not vacuous).
      expect({ case: testCase.name, signedIn: expected !== null }).toEqual({
        case: testCase.name,
        signedIn: testCase.signedIn,
      });
    }
  });

  it('answers a cookie read before exactly as the first time (decrypted answers are kept)', async () => {
    const all = await cases();
    const first = [];
    for (const testCase of all)
      first.push(
        await sessionIdFromCookies({
          headers: new Headers(testCase.headers),
          secret: SECRET,
          authUrl: testCase.authUrl,
        }),
      );
    for (const [index, testCase] of all.entries()) {
      const again = await sessionIdFromCookies({
        headers: new Headers(testCase.headers),
        secret: SECRET,
        authUrl: testCase.authUrl,
      });
      expect({ case: testCase.name, sid: again }).toEqual({ case: testCase.name, sid: first[index] });
    }
    expect(first.filter((sid) => sid !== null).length).toBe(
      all.filter((testCase) => testCase.signedIn).length,
    );
  });

  it('never answers a kept cookie for another secret or another cookie scheme', async () => {
    const headers = new Headers({
      'x-forwarded-proto': 'http',
      cookie: `${PLAIN}=${await token('sid-kept', PLAIN)}`,
    });
    expect(await sessionIdFromCookies({ headers, secret: SECRET, authUrl: undefined })).toBe('sid-kept');
    expect(
      await sessionIdFromCookies({ headers, secret: `${SECRET}-rotated`, authUrl: undefined }),
    ).toBeNull();
    expect(
      await sessionIdFromCookies({ headers, secret: SECRET, authUrl: 'https://kinetic.example' }),
    ).toBeNull();
  });

  describe('once the token expires', () => {
    afterEach(() => vi.useRealTimers());

    it('stops answering a kept cookie', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const headers = new Headers({
        'x-forwarded-proto': 'http',
        cookie: `${PLAIN}=${await token('sid-expiring', PLAIN, { maxAge: 60 })}`,
      });
      expect(await sessionIdFromCookies({ headers, secret: SECRET, authUrl: undefined })).toBe(
        'sid-expiring',
      );
      // Past the token's exp and next-auth's 15 s clock tolerance.
      vi.setSystemTime(Date.now() + 120_000);
      expect(await sessionIdFromCookies({ headers, secret: SECRET, authUrl: undefined })).toBeNull();
      expect(await nextAuthSessionId(headers, undefined)).toBeNull();
    });
  });

  it('names the cookie by AUTH_URL, else by X-Forwarded-Proto, else https', () => {
    const headers = (proto?: string) => new Headers(proto ? { 'x-forwarded-proto': proto } : {});
    expect(usesSecureCookies(headers('http'), undefined)).toBe(false);
    expect(usesSecureCookies(headers('https'), undefined)).toBe(true);
    expect(usesSecureCookies(headers(), undefined)).toBe(true);
    expect(usesSecureCookies(headers('https'), 'http://localhost:3000')).toBe(false);
    expect(usesSecureCookies(headers('http'), 'https://kinetic.example')).toBe(true);
  });
});
