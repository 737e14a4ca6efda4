import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '@/test/db-harness';
import { beginConnectFlow, completeConnectFlow, openConnectFlow } from '../car-accounts/maker-oauth';
import {
  type AccountTokens,
  createTokenCipher,
  openAccountTokens,
  sealAccountTokens,
} from '../crypto/token-cipher';
import { connectCarAccount, readSealedTokens } from '../db/queries/car-accounts';
import { createUser, getUserByEmail } from '../db/queries/users';
import { getAuthSecret, getTokenEncryptionKey } from '../secrets';
import type { PsaApp } from '../vehicle-api/psa-config';
import { type PsaCloud, peugeotAppOf, startPsaCloud } from '../vehicle-api/psa-v4/simulator-for-tests';
import { carAccountTokenStore } from '../vehicle-api/psa-v4/token-store';
import { createTokenManager } from '../vehicle-api/psa-v4/tokens';
import { TAINT_MESSAGES, taintAvailable, taintValue } from './taint';

// docs/security-tests.md AC-16, "passing them to a Client Component throws": our server code's
// secrets, obtained through the same functions the app uses, are handed as props to a client
// reference and rendered with the React server renderer the production build runs.
//
// Which renderer: with `experimental.taint` Next.js runs app pages on its vendored *experimental*
// React, and a `next build` (Turbopack, the default) loads it from
// next/dist/compiled/next-server/app-page-turbo-experimental.runtime.prod.js — the file
// next/dist/server/route-modules/app-page/module.compiled.js picks when __NEXT_EXPERIMENTAL_REACT
// and TURBOPACK are set in production. That bundle holds React (`react-rsc`) and the Flight
// server together. In the app, Turbopack resolves `react` in server code to that same React
// (next/dist/server/route-modules/app-page/vendored/rsc/react.js re-exports it); here vi.mock does
// the same for our modules, so lib/security/taint.ts registers values with the very React whose
// renderer checks them. Without it Vitest would hand our modules the installed stable `react`,
// which has no taint API (taint-without-react-taint.test.ts covers that case).

const rsc = await vi.hoisted(async () => {
  // vi.hoisted runs before the imports above: it imports what it needs itself.
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  // What Next's server sets up before it loads a runtime (React's server reads AsyncLocalStorage).
  require('next/dist/server/node-environment-baseline.js');
  return require('next/dist/compiled/next-server/app-page-turbo-experimental.runtime.prod.js').vendored[
    'react-rsc'
  ];
});
vi.mock('react', () => rsc.React);

type ReactServer = {
  createElement(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): unknown;
  __SERVER_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE: {
    TaintRegistryValues: Map<string, { message: string; count: number }>;
  };
};
type FlightServer = {
  registerClientReference<T>(proxy: T, id: string, exportName: string): T;
  renderToPipeableStream(
    model: unknown,
    manifest: Record<string, { id: string; chunks: string[]; name: string }>,
    options: { onError(error: unknown): void },
  ): { pipe(destination: NodeJS.WritableStream): void };
};
const React = rsc.React as ReactServer;
const Flight = rsc.ReactServerDOMTurbopackServer as FlightServer;

// A Client Component as the Flight server sees one: a reference to a 'use client' module.
const MODULE_ID = 'components/secret-probe.tsx';
const SecretProbe = Flight.registerClientReference(
  () => {
    throw new Error('a client reference never runs on the server');
  },
  MODULE_ID,
  'SecretProbe',
);
const CLIENT_MANIFEST = { [MODULE_ID]: { id: MODULE_ID, chunks: [], name: '*' } };

/** A page: a Server Component that hands `value` to the client as a prop. */
function Page({ value }: { value: unknown }) {
  return React.createElement('main', null, React.createElement(SecretProbe, { value }));
}

/** Renders the page's RSC payload; answers it and the errors the renderer reported. */
function renderPage(value: unknown): Promise<{ payload: string; errors: Error[] }> {
  return new Promise((resolve, reject) => {
    const errors: Error[] = [];
    const stream = Flight.renderToPipeableStream(React.createElement(Page, { value }), CLIENT_MANIFEST, {
      // onError may answer a digest string; anything else is an error of its own.
      onError: (error) => {
        errors.push(error as Error);
      },
    });
    const sink = new PassThrough();
    let payload = '';
    sink.on('data', (chunk: Buffer) => {
      payload += chunk.toString('utf8');
    });
    sink.on('end', () => resolve({ payload, errors }));
    sink.on('error', reject);
    stream.pipe(sink);
  });
}

/** Holders referenced after their render (see expectRefused). */
const heldUntilRendered: object[] = [];

/**
 * Renders the page with `value` and expects the render to fail with `message`, the value absent
 * from the payload. `holder` is the object the app keeps the value in: React drops a taint once
 * its lifetime object is collected, so the holder is kept reachable until the render is over —
 * as the app keeps it while it uses the value.
 */
async function expectRefused(value: string | object, message: string, holder: object, leaked?: string) {
  const { payload, errors } = await renderPage(value);
  heldUntilRendered.push(holder);
  expect(errors.map((error) => error.message)).toEqual([message]);
  const secret = leaked ?? value;
  if (typeof secret === 'string') expect(payload).not.toContain(secret);
}

const opaque = () => randomBytes(32).toString('base64url');
const newTokens = (): AccountTokens => ({
  accessToken: `at-${opaque()}`,
  refreshToken: `rt-${opaque()}`,
  expiresAt: Date.now() + 3_599_000,
  scopes: ['openid', 'profile'],
});

describe('React taint (AC-16): server secrets passed to a Client Component', () => {
  const database = useTestDatabase('sqlite');
  const cipher = createTokenCipher(randomBytes(32));

  async function connectedAccount(tokens: AccountTokens) {
    const { db } = database();
    const owner = await createUser(db, {
      email: `taint-${opaque().slice(0, 8)}@example.com`,
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g',
    });
    const { account } = await connectCarAccount(db, cipher, {
      ownerId: owner.id,
      provider: 'psa-v4',
      brand: 'peugeot',
      makerSubject: `sub-${opaque()}`,
      tokens,
    });
    return { owner, account };
  }

  it('runs on a React that can taint (otherwise every test below would prove nothing)', () => {
    expect(rsc.React.version).toMatch(/-experimental-/);
    expect(taintAvailable).toBe(true);
  });

  it('runs React from the same commit as the canary build it replaces, so with the same fixes', () => {
    // The runtime Next loads without `experimental.taint`. A Next upgrade that vendors the two
    // channels from different commits must be looked at (AC-18) before it is taken.
    const canary = createRequire(import.meta.url)(
      'next/dist/compiled/next-server/app-page-turbo.runtime.prod.js',
    ).vendored['react-rsc'].React.version;
    expect(canary).toMatch(/-canary-/);
    expect(rsc.React.version.replace('-experimental-', '-canary-')).toBe(canary);
  });

  it('control: the same page with an untainted value of the same shape renders it', async () => {
    const plain = `at-${opaque()}`;
    const { payload, errors } = await renderPage(plain);
    expect(errors).toEqual([]);
    expect(payload).toContain(plain);
    expect(payload).toContain(MODULE_ID);
  });

  it('refuses the tokens the token cipher opens: each token, and the object holding them', async () => {
    const sent = newTokens();
    const opened = openAccountTokens(cipher, 'account-1', sealAccountTokens(cipher, 'account-1', sent));
    await expectRefused(opened.accessToken, TAINT_MESSAGES.accessToken, opened);
    await expectRefused(opened.refreshToken, TAINT_MESSAGES.refreshToken, opened);
    await expectRefused(opened, TAINT_MESSAGES.accountTokens, opened, sent.accessToken);
    // A string built anew with the same characters is the same value: still refused.
    await expectRefused(`at-${sent.accessToken.slice(3)}`, TAINT_MESSAGES.accessToken, opened);
  });

  it('refuses the tokens the car account token store reads, and their sealed blob', async () => {
    const stored = newTokens();
    const { account } = await connectedAccount(stored);
    const loaded = await carAccountTokenStore({ db: database().db, cipher, accountId: account.id }).load();
    if (!loaded) throw new Error('the store read no tokens');
    expect(loaded.accessToken).toBe(stored.accessToken);
    await expectRefused(loaded.accessToken, TAINT_MESSAGES.accessToken, loaded);
    await expectRefused(loaded.refreshToken, TAINT_MESSAGES.refreshToken, loaded);

    const sealed = await readSealedTokens(database().db, account.id);
    if (!sealed?.sealed) throw new Error('the account holds no sealed tokens');
    await expectRefused(sealed.sealed, TAINT_MESSAGES.sealedTokens, sealed);
  });

  it('refuses the tokens a refresh brings (token manager over the store)', async () => {
    const { account } = await connectedAccount({ ...newTokens(), expiresAt: 0 });
    const refreshed = { accessToken: `at-${opaque()}`, refreshToken: `rt-${opaque()}`, expiresInS: 3599 };
    const manager = createTokenManager({
      store: carAccountTokenStore({ db: database().db, cipher, accountId: account.id }),
      // The identity provider is the edge: its answer arrives as fresh, untainted strings.
      endpoint: { refresh: async () => ({ ...refreshed }) },
    });
    expect(await manager.accessToken()).toBe(refreshed.accessToken);
    // The manager holds the refreshed tokens (as the app's provider does while it calls the API).
    await expectRefused(refreshed.accessToken, TAINT_MESSAGES.accessToken, manager);
    await expectRefused(refreshed.refreshToken, TAINT_MESSAGES.refreshToken, manager);
  });

  it('refuses a password hash read with the user row', async () => {
    const { owner } = await connectedAccount(newTokens());
    const row = await getUserByEmail(database().db, owner.email);
    if (!row?.password_hash) throw new Error('the row holds no password hash');
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    await expectRefused(row.password_hash, TAINT_MESSAGES.passwordHash, row);
  });

  it('refuses AUTH_SECRET and TOKEN_ENCRYPTION_KEY, generated or configured', async () => {
    const { env } = database();
    // Generated under the data folder: held by lib/secrets.ts for the life of the process.
    await expectRefused(getAuthSecret(env), TAINT_MESSAGES.secret, env);
    await expectRefused(getTokenEncryptionKey(env).toString('base64'), TAINT_MESSAGES.secret, env);
    // Configured: held by the configuration object.
    const configured = { ...env, AUTH_SECRET: randomBytes(32).toString('base64') };
    await expectRefused(getAuthSecret(configured), TAINT_MESSAGES.secret, configured);
  });

  it('taints a value once per holder, however often it is read', () => {
    const registry =
      React.__SERVER_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE.TaintRegistryValues;
    const holder = { secret: `s-${opaque()}` };
    for (let read = 0; read < 5; read++) taintValue(TAINT_MESSAGES.secret, holder, holder.secret);
    // React counts (and registers a finalizer for) every call: five reads of the auth secret per
    // five requests would otherwise be five entries that never go away.
    expect(registry.get(holder.secret)?.count).toBe(1);
  });

  it('leaves short values alone: tainting one would break every page showing the same text', async () => {
    const holder = { value: 'AT' };
    taintValue(TAINT_MESSAGES.accessToken, holder, holder.value);
    const { errors, payload } = await renderPage('AT');
    expect(errors).toEqual([]);
    expect(payload).toContain('"AT"');
  });
});

describe('React taint (AC-16): the tokens the Connect-a-car flow brings', () => {
  // The flow against the simulated identity provider over real HTTP, the browser's part played
  // with fetch (as in lib/car-accounts/maker-oauth.test.ts).
  const cipher = createTokenCipher(randomBytes(32));
  const redirectUri = 'http://localhost:3000/api/car-accounts/callback/peugeot';
  let cloud: PsaCloud;
  let app: PsaApp;

  beforeAll(async () => {
    cloud = await startPsaCloud('taint');
    app = peugeotAppOf(cloud);
  });

  afterAll(async () => {
    await cloud?.close();
  });

  it('refuses the access and refresh tokens and the object holding them', async () => {
    let email: string | undefined;
    for (let index = 0; index < cloud.ctx.world.ownerCount && !email; index += 1) {
      const owner = cloud.ctx.world.ownerAt(index);
      if (owner.brand === 'peugeot') email = owner.email;
    }
    if (!email) throw new Error('no peugeot owner');
    const started = await beginConnectFlow({ app, cipher, ownerId: 'owner-a', accountId: null, redirectUri });
    const form = new URLSearchParams(new URL(started.authorizeUrl).searchParams);
    form.set('email', email);
    form.set('password', 'sim-password');
    const signedIn = await fetch(`${cloud.origin}${new URL(started.authorizeUrl).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    const done = await completeConnectFlow({
      app,
      brand: 'peugeot',
      flow: openConnectFlow(cipher, started.cookie),
      ownerId: 'owner-a',
      callbackUrl: new URL(signedIn.headers.get('location') ?? ''),
      redirectUri,
    });
    await expectRefused(done.tokens.accessToken, TAINT_MESSAGES.accessToken, done.tokens);
    await expectRefused(done.tokens.refreshToken, TAINT_MESSAGES.refreshToken, done.tokens);
    await expectRefused(done.tokens, TAINT_MESSAGES.accountTokens, done.tokens, done.tokens.accessToken);
  });
});
