import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimClock } from '../clock';
import { createSimContext } from '../context';
import { createSimulatorServer } from '../server';
import type { SimBrand } from '../world/brands';
import type { SimClient, SimOwner } from '../world/world';
import { oauthRoutes, SIM_OWNER_PASSWORD } from './identity-provider';

// Real HTTP against the simulator server with only the identity-provider routes mounted.

const START = Date.parse('2026-03-01T08:00:00Z');
const REDIRECT_URI = 'http://localhost:3000/api/auth/callback/peugeot';
const INVALID_GRANT = { error: 'invalid_grant', error_description: 'grant is invalid' };
const INVALID_CLIENT = { error: 'invalid_client', error_description: 'Invalid client id or secret.' };

// The world and clock exist from the start: the tables of cases below are built from them.
const clock = new SimClock({ now: START, frozen: true });
const ctx = createSimContext({ seed: 'identity-provider-test', peers: 12, clock });
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const server = createSimulatorServer(ctx, [oauthRoutes]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(() => close());
beforeEach(() => clock.set({ now: START }));

const client = (brand: SimBrand): SimClient => ctx.world.clientFor(brand);

function ownerOf(brand: SimBrand): SimOwner {
  for (let index = 1; index < ctx.world.ownerCount; index += 1) {
    const owner = ctx.world.ownerAt(index);
    if (owner.brand === brand) return owner;
  }
  throw new Error(`no ${brand} owner`);
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

const basicOf = (brand: SimBrand) => basic(client(brand).clientId, client(brand).clientSecret);

function authorizeParams(overrides: Record<string, string | undefined> = {}, brand: SimBrand = 'peugeot') {
  const params: Record<string, string | undefined> = {
    client_id: client(brand).clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile',
    state: 'state-123',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function form(fields: Record<string, string>): URLSearchParams {
  return new URLSearchParams(fields);
}

async function getAuthorize(params: Record<string, string>, path = '/am/oauth2/authorize') {
  return fetch(`${base}${path}?${new URLSearchParams(params)}`, { redirect: 'manual' });
}

async function postAuthorize(fields: Record<string, string>, path = '/am/oauth2/authorize') {
  return fetch(`${base}${path}`, { method: 'POST', body: form(fields), redirect: 'manual' });
}

/** Signs in through the form and returns the redirect's query. */
async function signIn(
  params: Record<string, string>,
  email = 'demo@kinetic.local',
  path = '/am/oauth2/authorize',
): Promise<URLSearchParams> {
  const response = await postAuthorize({ ...params, email, password: SIM_OWNER_PASSWORD }, path);
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  const expected = new URL(params.redirect_uri ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(`${expected.origin}${expected.pathname}`);
  return location.searchParams;
}

async function codeFor(params: Record<string, string>, email?: string): Promise<string> {
  const code = (await signIn(params, email)).get('code');
  if (!code) throw new Error('no code');
  return code;
}

async function postToken(
  fields: Record<string, string>,
  authorization: string | null = basicOf('peugeot'),
  query = '',
) {
  const headers: Record<string, string> = {};
  if (authorization) headers.authorization = authorization;
  const response = await fetch(`${base}/am/oauth2/access_token${query}`, {
    method: 'POST',
    headers,
    body: form(fields),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function exchange(code: string, verifier?: string, overrides: Record<string, string> = {}) {
  return postToken({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    ...(verifier ? { code_verifier: verifier } : {}),
    ...overrides,
  });
}

async function postRevoke(fields: Record<string, string>, authorization = basicOf('peugeot'), query = '') {
  const response = await fetch(`${base}/am/oauth2/token/revoke${query}`, {
    method: 'POST',
    headers: { authorization },
    body: form(fields),
  });
  return { status: response.status, body: await response.json() };
}

const HTML_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#96;': '`',
};

/** The hidden fields of the sign-in form, read back the way a browser would submit them. */
function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    const decode = (text: string) =>
      text.replace(/&(amp|lt|gt|quot|#39|#96);/g, (entity) => HTML_ENTITIES[entity] ?? entity);
    fields[decode(match[1] ?? '')] = decode(match[2] ?? '');
  }
  return fields;
}

describe('the authorization-code flow with PKCE S256', () => {
  it('signs in, exchanges the code, refreshes and revokes', async () => {
    const { verifier, challenge } = pkce();
    const state = '<script>alert("x")</script>&\'';
    const page = await getAuthorize(
      authorizeParams({
        state,
        scope: 'openid profile data:trip',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        locale: 'fr-FR',
      }),
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/am/oauth2/authorize">');
    expect(html).toContain('<html lang="fr-FR">');
    expect(html).toContain('MyPeugeot');
    expect(html).toContain(`password is &quot;${SIM_OWNER_PASSWORD}&quot;`);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');

    // Post the form as a browser would: its hidden fields plus the credentials.
    const fields = hiddenFields(html);
    expect(fields).toMatchObject({ state, code_challenge: challenge, redirect_uri: REDIRECT_URI });
    const redirect = await postAuthorize({
      ...fields,
      email: 'demo@kinetic.local',
      password: SIM_OWNER_PASSWORD,
    });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    const code = location.searchParams.get('code') ?? '';
    expect(code).toHaveLength(36);
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('scope')).toBe('openid profile data:trip');

    const exchanged = await exchange(code, verifier);
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('cache-control')).toBe('no-store');
    expect(exchanged.body).toMatchObject({
      scope: 'openid profile data:trip',
      expires_in: 3599,
      token_type: 'Bearer',
    });
    const accessToken = String(exchanged.body.access_token);
    const refreshToken = String(exchanged.body.refresh_token);
    expect(typeof exchanged.body.id_token).toBe('string');
    const grant = {
      ownerIndex: 0,
      brand: 'peugeot',
      clientId: client('peugeot').clientId,
      scopes: ['openid', 'profile', 'data:trip'],
    };
    expect(ctx.tokens.checkAccess(accessToken)).toEqual({ ok: true, grant });

    const profile = await fetch(`${base}/am/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(profile.status).toBe(200);
    expect(await profile.json()).toEqual({ sub: '0', name: 'Demo driver', email: 'demo@kinetic.local' });

    const refreshed = await postToken(
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      basicOf('peugeot'),
      '?realm=clientsB2CPeugeot',
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      scope: 'openid profile data:trip',
      expires_in: 3599,
      token_type: 'Bearer',
    });
    const refreshedAccess = String(refreshed.body.access_token);
    expect(refreshedAccess).not.toBe(accessToken);
    expect(ctx.tokens.checkAccess(refreshedAccess)).toEqual({ ok: true, grant });

    const revoked = await postRevoke({ token: refreshToken }, basicOf('peugeot'), '?realm=clientsB2CPeugeot');
    expect(revoked).toEqual({ status: 200, body: {} });
    expect(ctx.tokens.checkAccess(accessToken)).toEqual({ ok: false, reason: 'invalid' });
    expect(ctx.tokens.checkAccess(refreshedAccess)).toEqual({ ok: false, reason: 'invalid' });
    const again = await postToken({ grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(again).toMatchObject({ status: 400, body: INVALID_GRANT });
  });

  it('works per brand path, with comma-separated scopes, client_secret_post and no PKCE', async () => {
    const owner = ownerOf('citroen');
    const params = authorizeParams({ scope: 'openid,profile', state: undefined }, 'citroen');
    const page = await getAuthorize(params, '/citroen/am/oauth2/authorize');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/citroen/am/oauth2/authorize">');
    const query = await signIn(params, owner.email.toUpperCase(), '/citroen/am/oauth2/authorize');
    expect(query.has('state')).toBe(false);
    expect(query.get('scope')).toBe('openid profile');
    const exchanged = await postToken(
      {
        grant_type: 'authorization_code',
        code: query.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        client_id: client('citroen').clientId,
        client_secret: client('citroen').clientSecret,
      },
      null,
    );
    expect(exchanged.status).toBe(200);
    expect(ctx.tokens.checkAccess(String(exchanged.body.access_token))).toEqual({
      ok: true,
      grant: {
        ownerIndex: owner.index,
        brand: 'citroen',
        clientId: client('citroen').clientId,
        scopes: ['openid', 'profile'],
      },
    });
  });

  it('keeps the redirect URI query and adds the response parameters', async () => {
    const redirectUri = 'https://app.example/callback?provider=psa&x=a%20b';
    const query = await signIn(authorizeParams({ redirect_uri: redirectUri }));
    expect(query.get('provider')).toBe('psa');
    expect(query.get('x')).toBe('a b');
    expect(query.get('code')).toHaveLength(36);
  });
});

describe('the sign-in form refuses', () => {
  const attempt = async (email: string, password: string, brand: SimBrand = 'peugeot') => {
    const response = await postAuthorize({ ...authorizeParams({}, brand), email, password });
    return {
      status: response.status,
      location: response.headers.get('location'),
      html: await response.text(),
    };
  };

  it('a wrong password, an unknown e-mail and an owner of another brand, with the same plain error', async () => {
    const citroenOwner = ownerOf('citroen');
    for (const [email, password] of [
      ['demo@kinetic.local', 'wrong-password'],
      ['demo@kinetic.local', ''],
      ['nobody@kinetic.local', SIM_OWNER_PASSWORD],
      [citroenOwner.email, SIM_OWNER_PASSWORD],
    ] as const) {
      const result = await attempt(email, password);
      expect(result.status).toBe(200);
      expect(result.location).toBeNull();
      expect(result.html).toContain('The e-mail address or password is incorrect.');
      expect(result.html).toContain(`value="${email}"`);
    }
    // The Citroën owner is fine at Citroën's sign-in.
    expect((await attempt(citroenOwner.email, SIM_OWNER_PASSWORD, 'citroen')).status).toBe(302);
  });

  it('escapes the e-mail address it puts back into the form', async () => {
    const result = await attempt('"><script>x</script>', 'nope');
    expect(result.html).not.toContain('<script>x');
    expect(result.html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });
});

describe('authorization requests that cannot be trusted get an error page, never a redirect', () => {
  const cases: [string, Record<string, string>, string?][] = [
    ['unknown client_id', authorizeParams({ client_id: 'not-a-client' })],
    ['missing client_id', authorizeParams({ client_id: undefined })],
    ['missing redirect_uri', authorizeParams({ redirect_uri: undefined })],
    ['plain http off localhost', authorizeParams({ redirect_uri: 'http://evil.example/callback' })],
    ['http on 127.0.0.1', authorizeParams({ redirect_uri: 'http://127.0.0.1:3000/callback' })],
    ['a relative URI', authorizeParams({ redirect_uri: '/callback' })],
    ['a javascript: URI', authorizeParams({ redirect_uri: 'javascript:alert(1)' })],
    ['a custom scheme', authorizeParams({ redirect_uri: 'mymap://oauth2redirect/fr' })],
    ['a fragment', authorizeParams({ redirect_uri: 'https://app.example/cb#frag' })],
    ['credentials in the URI', authorizeParams({ redirect_uri: 'https://user:pw@app.example/cb' })],
    ['response_type=token', authorizeParams({ response_type: 'token' })],
    ['missing response_type', authorizeParams({ response_type: undefined })],
    ['a client of another brand on a brand path', authorizeParams(), '/citroen/am/oauth2/authorize'],
  ];
  for (const [name, params, path] of cases) {
    it(name, async () => {
      for (const response of [
        await getAuthorize(params, path),
        await postAuthorize({ ...params, email: 'demo@kinetic.local', password: SIM_OWNER_PASSWORD }, path),
      ]) {
        expect(response.status).toBe(400);
        expect(response.headers.get('location')).toBeNull();
        expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(await response.text()).toContain('Sign-in request refused');
      }
    });
  }

  it('a repeated parameter', async () => {
    const response = await fetch(
      `${base}/am/oauth2/authorize?${new URLSearchParams(authorizeParams())}&state=second`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('authorization request errors for a trusted client go back to it', () => {
  const refusedWith = async (params: Record<string, string>) => {
    const response = await getAuthorize(params);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.has('code')).toBe(false);
    return { error: location.searchParams.get('error'), state: location.searchParams.get('state') };
  };

  it('invalid_scope for unknown or missing scopes', async () => {
    for (const scope of ['openid profile remote:door:write', 'admin', '', ' , ']) {
      expect(await refusedWith(authorizeParams({ scope }))).toEqual({
        error: 'invalid_scope',
        state: 'state-123',
      });
    }
    expect(await refusedWith(authorizeParams({ scope: undefined }))).toEqual({
      error: 'invalid_scope',
      state: 'state-123',
    });
  });

  it('invalid_request for the plain PKCE method, a challenge without method, a method without challenge, a malformed challenge', async () => {
    const { challenge, verifier } = pkce();
    for (const params of [
      { code_challenge: verifier, code_challenge_method: 'plain' },
      { code_challenge: challenge },
      { code_challenge_method: 'S256' },
      { code_challenge: `${challenge}x`, code_challenge_method: 'S256' },
    ]) {
      expect(await refusedWith(authorizeParams(params))).toEqual({
        error: 'invalid_request',
        state: 'state-123',
      });
    }
  });
});

describe('the token endpoint refuses', () => {
  it('a wrong client secret, an unknown client, a missing or malformed client authentication (401)', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256' }));
    const fields = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    };
    for (const authorization of [
      basic(client('peugeot').clientId, 'wrong-secret'),
      basic(client('peugeot').clientId, client('citroen').clientSecret),
      basic('not-a-client', client('peugeot').clientSecret),
      `Bearer ${client('peugeot').clientSecret}`,
      'Basic !!!',
      null,
    ]) {
      const result = await postToken(fields, authorization);
      expect(result.status).toBe(401);
      expect(result.body).toEqual(INVALID_CLIENT);
      expect(result.headers.get('www-authenticate')).toMatch(/^Basic/);
    }
    const wrongPost = await postToken(
      { ...fields, client_id: client('peugeot').clientId, client_secret: 'nope' },
      null,
    );
    expect(wrongPost).toMatchObject({ status: 401, body: INVALID_CLIENT });
    // A failed client authentication does not spend the code.
    expect((await postToken(fields)).status).toBe(200);
  });

  it('two client authentication methods at once', async () => {
    const result = await postToken(
      { grant_type: 'refresh_token', refresh_token: 'x', client_secret: client('peugeot').clientSecret },
      basicOf('peugeot'),
    );
    expect(result).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('a reused code, and revokes the tokens the first exchange gave', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256' }));
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    expect(ctx.tokens.checkAccess(String(first.body.access_token)).ok).toBe(true);
    const second = await exchange(code, verifier);
    expect(second).toMatchObject({ status: 400, body: INVALID_GRANT });
    expect(ctx.tokens.checkAccess(String(first.body.access_token)).ok).toBe(false);
    expect(
      (await postToken({ grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) }))
        .status,
    ).toBe(400);
  });

  it('a code after 60 s of simulated time', async () => {
    const { verifier, challenge } = pkce();
    const params = authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256' });
    const expired = await codeFor(params);
    const justInTime = await codeFor(params);
    clock.set({ now: START + 59_999 });
    expect((await exchange(justInTime, verifier)).status).toBe(200);
    clock.set({ now: START + 60_000 });
    expect(await exchange(expired, verifier)).toMatchObject({ status: 400, body: INVALID_GRANT });
  });

  it('a wrong or missing code_verifier, and the failed attempt spends the code', async () => {
    const { verifier, challenge } = pkce();
    const params = authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256' });
    const wrong = await codeFor(params);
    expect(await exchange(wrong, pkce().verifier)).toMatchObject({ status: 400, body: INVALID_GRANT });
    expect(await exchange(wrong, verifier)).toMatchObject({ status: 400, body: INVALID_GRANT });
    const missing = await codeFor(params);
    expect(await exchange(missing)).toMatchObject({ status: 400, body: INVALID_GRANT });
    expect(await exchange(missing, verifier)).toMatchObject({ status: 400, body: INVALID_GRANT });
    // The challenge itself is not a verifier.
    expect(await exchange(await codeFor(params), challenge)).toMatchObject({
      status: 400,
      body: INVALID_GRANT,
    });
  });

  it('a code_verifier for a code issued without a challenge (PKCE downgrade)', async () => {
    const code = await codeFor(authorizeParams());
    expect(await exchange(code, pkce().verifier)).toMatchObject({ status: 400, body: INVALID_GRANT });
  });

  it('a redirect_uri that differs from the authorization request, or is missing', async () => {
    const { verifier, challenge } = pkce();
    const params = authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256' });
    const code = await codeFor(params);
    const mismatch = await exchange(code, verifier, { redirect_uri: `${REDIRECT_URI}/` });
    expect(mismatch).toMatchObject({ status: 400, body: INVALID_GRANT });
    const missing = await postToken({
      grant_type: 'authorization_code',
      code: await codeFor(params),
      code_verifier: verifier,
    });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('a code issued to another client', async () => {
    const code = await codeFor(authorizeParams());
    const result = await postToken(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      basicOf('citroen'),
    );
    expect(result).toMatchObject({ status: 400, body: INVALID_GRANT });
  });

  it('an unknown code and a missing code', async () => {
    expect(await exchange('00000000-0000-0000-0000-000000000000')).toMatchObject({
      status: 400,
      body: INVALID_GRANT,
    });
    const missing = await postToken({ grant_type: 'authorization_code', redirect_uri: REDIRECT_URI });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('unsupported and missing grant types', async () => {
    for (const grantType of ['password', 'client_credentials', 'implicit', 'AUTHORIZATION_CODE']) {
      const result = await postToken({
        grant_type: grantType,
        username: 'demo@kinetic.local',
        password: SIM_OWNER_PASSWORD,
      });
      expect(result).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    }
    expect(await postToken({ code: 'x' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('malformed bodies', async () => {
    const send = async (body: string, contentType: string | null) => {
      const headers: Record<string, string> = { authorization: basicOf('peugeot') };
      if (contentType) headers['content-type'] = contentType;
      const response = await fetch(`${base}/am/oauth2/access_token`, { method: 'POST', headers, body });
      return { status: response.status, body: await response.json() };
    };
    const refusals = [
      await send(JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'x' }), 'application/json'),
      await send('grant_type=refresh_token', null),
      await send('grant_type=refresh_token&refresh_token=%E0%A4%A', 'application/x-www-form-urlencoded'),
      await send(
        'grant_type=refresh_token&refresh_token=a&refresh_token=b',
        'application/x-www-form-urlencoded',
      ),
    ];
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    }
    // The media type's parameters are fine.
    const withCharset = await send(
      'grant_type=refresh_token&refresh_token=x',
      'application/x-www-form-urlencoded; charset=UTF-8',
    );
    expect(withCharset).toMatchObject({ status: 400, body: INVALID_GRANT });
  });

  it('bodies over 64 KiB with 413, announced or streamed', async () => {
    const big = `grant_type=refresh_token&refresh_token=${'a'.repeat(64 * 1024)}`;
    const announced = await postToken({ grant_type: 'refresh_token', refresh_token: 'a'.repeat(64 * 1024) });
    expect(announced).toMatchObject({ status: 413, body: { error: 'invalid_request' } });
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 8192)
          controller.enqueue(bytes.slice(offset, offset + 8192));
        controller.close();
      },
    });
    const streamed = await fetch(`${base}/am/oauth2/access_token`, {
      method: 'POST',
      headers: { authorization: basicOf('peugeot'), 'content-type': 'application/x-www-form-urlencoded' },
      body: stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: 'invalid_request' });
    // The sign-in form answers with a page.
    const page = await postAuthorize({ ...authorizeParams(), email: 'a'.repeat(70_000), password: 'x' });
    expect(page.status).toBe(413);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // And the server is still there.
    expect((await getAuthorize(authorizeParams())).status).toBe(200);
  });
});

describe('refresh and revocation', () => {
  async function freshTokens() {
    const exchanged = await exchange(await codeFor(authorizeParams()));
    expect(exchanged.status).toBe(200);
    return { access: String(exchanged.body.access_token), refresh: String(exchanged.body.refresh_token) };
  }

  it('access tokens expire after 3599 s of simulated time; the refresh token still works', async () => {
    const tokens = await freshTokens();
    clock.set({ now: START + 3598_000 });
    expect(ctx.tokens.checkAccess(tokens.access).ok).toBe(true);
    clock.set({ now: START + 3599_000 });
    expect(ctx.tokens.checkAccess(tokens.access)).toEqual({ ok: false, reason: 'expired' });
    const profile = await fetch(`${base}/am/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access}` },
    });
    expect(profile.status).toBe(401);
    expect(await profile.json()).toMatchObject({ error: 'invalid_token' });
    const refreshed = await postToken({ grant_type: 'refresh_token', refresh_token: tokens.refresh });
    expect(refreshed.status).toBe(200);
    expect(ctx.tokens.checkAccess(String(refreshed.body.access_token)).ok).toBe(true);
  });

  it('refuses a refresh in another realm, an unknown realm, another client or an unknown token', async () => {
    const tokens = await freshTokens();
    const fields = { grant_type: 'refresh_token', refresh_token: tokens.refresh };
    expect(await postToken(fields, basicOf('peugeot'), '?realm=clientsB2CCitroen')).toMatchObject({
      status: 401,
      body: INVALID_CLIENT,
    });
    expect(await postToken(fields, basicOf('peugeot'), '?realm=nope')).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    expect(await postToken(fields, basicOf('citroen'))).toMatchObject({ status: 400, body: INVALID_GRANT });
    expect(await postToken({ ...fields, refresh_token: 'unknown' })).toMatchObject({
      status: 400,
      body: INVALID_GRANT,
    });
    expect(await postToken({ grant_type: 'refresh_token' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    // None of that harmed the token.
    expect((await postToken(fields, basicOf('peugeot'), '?realm=clientsB2CPeugeot')).status).toBe(200);
  });

  it('revokes an access token alone, answers 200 for unknown tokens, leaves other clients’ tokens alone', async () => {
    const tokens = await freshTokens();
    expect(await postRevoke({ token: 'never-issued' })).toEqual({ status: 200, body: {} });
    expect(await postRevoke({ token: tokens.access }, basicOf('citroen'))).toEqual({ status: 200, body: {} });
    expect(await postRevoke({ token: tokens.refresh }, basicOf('citroen'))).toEqual({
      status: 200,
      body: {},
    });
    expect(ctx.tokens.checkAccess(tokens.access).ok).toBe(true);
    expect(await postRevoke({ token: tokens.access })).toEqual({ status: 200, body: {} });
    expect(ctx.tokens.checkAccess(tokens.access).ok).toBe(false);
    const refreshed = await postToken({ grant_type: 'refresh_token', refresh_token: tokens.refresh });
    expect(refreshed.status).toBe(200);
    // The PSA doc's sample sends `refresh_token=` instead of `token=`.
    expect(await postRevoke({ refresh_token: tokens.refresh })).toEqual({ status: 200, body: {} });
    expect(ctx.tokens.checkAccess(String(refreshed.body.access_token)).ok).toBe(false);
  });

  it('refuses revocation without a token or with a bad client', async () => {
    expect(await postRevoke({})).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await postRevoke({ token: 'x' }, basic(client('peugeot').clientId, 'wrong'))).toEqual({
      status: 401,
      body: INVALID_CLIENT,
    });
    expect(await postRevoke({ token: 'x' }, basicOf('peugeot'), '?realm=clientsB2COpel')).toEqual({
      status: 401,
      body: INVALID_CLIENT,
    });
  });
});

describe('userinfo', () => {
  it('needs a valid bearer token with the openid scope', async () => {
    const missing = await fetch(`${base}/am/oauth2/userinfo`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const invalid = await fetch(`${base}/am/oauth2/userinfo`, {
      headers: { authorization: 'Bearer made-up' },
    });
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const noOpenId = ctx.tokens.issue({
      ownerIndex: 1,
      brand: 'peugeot',
      clientId: client('peugeot').clientId,
      scopes: ['data:trip'],
    });
    const forbidden = await fetch(`${base}/am/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${noOpenId.access_token}` },
    });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: 'insufficient_scope' });
    const openIdOnly = ctx.tokens.issue({
      ownerIndex: 1,
      brand: 'peugeot',
      clientId: client('peugeot').clientId,
      scopes: ['openid'],
    });
    const bare = await fetch(`${base}/am/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${openIdOnly.access_token}` },
    });
    expect(await bare.json()).toEqual({ sub: '1' });
  });
});

describe('routing under /am/oauth2', () => {
  it('answers unknown paths with 404 JSON and wrong methods with 405', async () => {
    for (const path of [
      '/am/oauth2',
      '/am/oauth2/',
      '/am/oauth2/introspect',
      '/am/oauth2/__proto__',
      '/peugeot/am/oauth2/nope',
    ]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
    }
    const wrongMethod = await fetch(`${base}/am/oauth2/access_token`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/am/oauth2/authorize`, { method: 'DELETE' })).headers.get('allow')).toBe(
      'GET, POST',
    );
  });

  it('leaves other paths to other route families', async () => {
    // With only this family mounted, the server's own 404 answers.
    expect((await fetch(`${base}/vauxhall/am/oauth2/authorize`)).status).toBe(404);
    expect((await fetch(`${base}/connectedcar/v4/user`)).status).toBe(404);
  });
});
