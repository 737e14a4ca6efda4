import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCipher } from '../crypto/token-cipher';
import type { PsaApp } from '../vehicle-api/psa-config';
import { type PsaCloud, peugeotAppOf, startPsaCloud } from '../vehicle-api/psa-v4/simulator-for-tests';
import {
  beginConnectFlow,
  CONNECT_FLOW_TTL_MS,
  ConnectFlowError,
  completeConnectFlow,
  openConnectFlow,
  revokeAtIdp,
} from './maker-oauth';

// The Connect-a-car OAuth flow against the simulated identity provider over real HTTP: the
// browser's part (sign-in page, form post, redirect) is played with fetch.

const REDIRECT_URI = 'http://localhost:3000/api/car-accounts/callback/peugeot';
const cipher = createTokenCipher(randomBytes(32));

let cloud: PsaCloud;
let app: PsaApp;

beforeAll(async () => {
  cloud = await startPsaCloud('maker-oauth');
  app = peugeotAppOf(cloud);
});

afterAll(async () => {
  await cloud.close();
});

/** The owner's browser: opens the sign-in page, posts the form, returns where the IdP redirects. */
async function signInAtIdp(authorizeUrl: string, email: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const form = new URLSearchParams(new URL(authorizeUrl).searchParams);
  form.set('email', email);
  form.set('password', 'sim-password');
  const posted = await fetch(new URL(authorizeUrl).pathname.replace(/^/, cloud.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  expect(posted.status).toBe(302);
  return new URL(posted.headers.get('location') ?? '');
}

function peugeotOwner() {
  for (let index = 0; index < cloud.ctx.world.ownerCount; index += 1) {
    const owner = cloud.ctx.world.ownerAt(index);
    if (owner.brand === 'peugeot') return owner;
  }
  throw new Error('no peugeot owner');
}

async function begin(ownerId = 'owner-a') {
  const started = await beginConnectFlow({
    app,
    cipher,
    ownerId,
    accountId: null,
    redirectUri: REDIRECT_URI,
  });
  return { ...started, flow: openConnectFlow(cipher, started.cookie) };
}

describe('the Connect-a-car flow', () => {
  it('sends the browser to the brand IdP with PKCE S256 and a random state', async () => {
    const { authorizeUrl, flow } = await begin();
    const url = new URL(authorizeUrl);
    expect(url.origin + url.pathname).toBe(app.authorizeUrl);
    expect(url.searchParams.get('client_id')).toBe(app.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBe(flow?.state);
    // The verifier stays on the server side of the cookie, never in the URL.
    expect(authorizeUrl).not.toContain(flow?.verifier ?? '?');
    expect((await begin()).flow?.state).not.toBe(flow?.state);
  });

  it('exchanges the code for tokens bound to the IdP subject, which the API accepts', async () => {
    const owner = peugeotOwner();
    const { authorizeUrl, flow } = await begin();
    const callbackUrl = await signInAtIdp(authorizeUrl, owner.email);
    const done = await completeConnectFlow({
      app,
      brand: 'peugeot',
      flow,
      ownerId: 'owner-a',
      callbackUrl,
      redirectUri: REDIRECT_URI,
    });
    expect(done.makerSubject).toBe(String(owner.index));
    expect(done.tokens.scopes).toEqual(expect.arrayContaining(['openid', 'data:telemetry']));
    const user = await fetch(`${cloud.origin}/connectedcar/v4/user?client_id=${app.clientId}`, {
      headers: { authorization: `Bearer ${done.tokens.accessToken}`, 'x-introspect-realm': app.realm },
    });
    expect(user.status).toBe(200);
  });

  it('refuses a redirect whose state is not the flow’s', async () => {
    const { authorizeUrl, flow } = await begin();
    const callbackUrl = await signInAtIdp(authorizeUrl, peugeotOwner().email);
    callbackUrl.searchParams.set('state', 'forged');
    await expect(
      completeConnectFlow({
        app,
        brand: 'peugeot',
        flow,
        ownerId: 'owner-a',
        callbackUrl,
        redirectUri: REDIRECT_URI,
      }),
    ).rejects.toMatchObject({ reason: 'mismatch' });
  });

  it('refuses a flow started by another owner or for another brand', async () => {
    const { authorizeUrl, flow } = await begin('owner-b');
    const callbackUrl = await signInAtIdp(authorizeUrl, peugeotOwner().email);
    const attempt = (ownerId: string, brand: 'peugeot' | 'citroen') =>
      completeConnectFlow({ app, brand, flow, ownerId, callbackUrl, redirectUri: REDIRECT_URI });
    await expect(attempt('owner-a', 'peugeot')).rejects.toMatchObject({ reason: 'mismatch' });
    await expect(attempt('owner-b', 'citroen')).rejects.toMatchObject({ reason: 'mismatch' });
  });

  it('refuses a code redeemed with another flow’s PKCE verifier', async () => {
    const first = await begin();
    const second = await begin();
    const callbackUrl = await signInAtIdp(first.authorizeUrl, peugeotOwner().email);
    // The attacker's own flow (its cookie) with the victim's code: state is rewritten to pass.
    callbackUrl.searchParams.set('state', second.flow?.state ?? '');
    await expect(
      completeConnectFlow({
        app,
        brand: 'peugeot',
        flow: second.flow,
        ownerId: 'owner-a',
        callbackUrl,
        redirectUri: REDIRECT_URI,
      }),
    ).rejects.toMatchObject({ reason: 'refused' });
  });

  it('says "denied" when the owner cancels at the IdP', async () => {
    const { flow } = await begin();
    const callbackUrl = new URL(REDIRECT_URI);
    callbackUrl.searchParams.set('error', 'access_denied');
    callbackUrl.searchParams.set('state', flow?.state ?? '');
    await expect(
      completeConnectFlow({
        app,
        brand: 'peugeot',
        flow,
        ownerId: 'owner-a',
        callbackUrl,
        redirectUri: REDIRECT_URI,
      }),
    ).rejects.toBeInstanceOf(ConnectFlowError);
    await expect(
      completeConnectFlow({
        app,
        brand: 'peugeot',
        flow,
        ownerId: 'owner-a',
        callbackUrl,
        redirectUri: REDIRECT_URI,
      }),
    ).rejects.toMatchObject({ reason: 'denied' });
  });
});

describe('the flow cookie', () => {
  it('opens only untampered and unexpired', async () => {
    const now = Date.parse('2026-03-01T08:00:00Z');
    const { cookie } = await beginConnectFlow({
      app,
      cipher,
      ownerId: 'owner-a',
      accountId: 'account-1',
      redirectUri: REDIRECT_URI,
      now,
    });
    expect(openConnectFlow(cipher, cookie, now + 1000)).toMatchObject({
      ownerId: 'owner-a',
      accountId: 'account-1',
    });
    expect(openConnectFlow(cipher, cookie, now + CONNECT_FLOW_TTL_MS)).toBeNull();
    const flipped = `${cookie.slice(0, -2)}${cookie.endsWith('A') ? 'B' : 'A'}=`;
    expect(openConnectFlow(cipher, flipped, now)).toBeNull();
    expect(openConnectFlow(createTokenCipher(randomBytes(32)), cookie, now)).toBeNull();
    expect(openConnectFlow(cipher, undefined, now)).toBeNull();
  });
});

describe('revokeAtIdp', () => {
  it('revokes the grant: its access token stops working', async () => {
    const { authorizeUrl, flow } = await begin();
    const callbackUrl = await signInAtIdp(authorizeUrl, peugeotOwner().email);
    const { tokens } = await completeConnectFlow({
      app,
      brand: 'peugeot',
      flow,
      ownerId: 'owner-a',
      callbackUrl,
      redirectUri: REDIRECT_URI,
    });
    expect(await revokeAtIdp(app, tokens.refreshToken)).toBe(true);
    const user = await fetch(`${cloud.origin}/connectedcar/v4/user?client_id=${app.clientId}`, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, 'x-introspect-realm': app.realm },
    });
    expect(user.status).toBe(401);
  });

  it('answers false, without throwing, when the IdP is unreachable', async () => {
    expect(await revokeAtIdp({ ...app, revokeUrl: 'http://127.0.0.1:9/am/oauth2/token/revoke' }, 'x')).toBe(
      false,
    );
  });
});
