import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACCESS_TOKEN_TTL_S } from '../oauth/token-store';
import { type Credentials, startV4Server, TEST_NOW, type V4TestServer } from './test-server';

// The API gateway's refusals (client id, realm, token, locale) and its per-client rate limits,
// over real HTTP.

const gatewayError = z.strictObject({
  httpCode: z.string().regex(/^\d{3}$/),
  httpMessage: z.string(),
  moreInformation: z.string(),
});

async function expectGatewayError(response: Response, status: number, moreInformation: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = gatewayError.parse(await response.json());
  expect(body).toMatchObject({ httpCode: String(status), moreInformation });
  return body;
}

const rateHeaders = (response: Response) => ({
  limit1: response.headers.get('x-ratelimit-limit-1'),
  remaining1: response.headers.get('x-ratelimit-remaining-1'),
  limit2: response.headers.get('x-ratelimit-limit-2'),
  remaining2: response.headers.get('x-ratelimit-remaining-2'),
  reset: response.headers.get('x-ratelimit-reset'),
  retryAfter: response.headers.get('retry-after'),
});

describe('PSA v4 gateway refusals', () => {
  let server: V4TestServer;
  let demo: Required<Credentials>;

  beforeAll(async () => {
    server = await startV4Server();
    demo = server.credentialsFor(0);
  });
  afterAll(() => server.close());

  it('lets a complete call through with rate limit headers', async () => {
    const response = await server.call('/user', demo);
    expect(response.status).toBe(200);
    expect(rateHeaders(response)).toMatchObject({ limit1: '100000', limit2: '1000000', reset: null });
  });

  it('refuses a missing, repeated or unknown client_id as "Invalid client id or secret."', async () => {
    const { clientId: _, ...noClient } = demo;
    const missing = await server.call('/user', noClient);
    await expectGatewayError(missing, 401, 'Invalid client id or secret.');
    // No subscription, no counters.
    expect(missing.headers.get('x-ratelimit-limit-1')).toBeNull();
    await expectGatewayError(
      await server.call('/user', { ...demo, clientId: 'made-up' }),
      401,
      'Invalid client id or secret.',
    );
    await expectGatewayError(
      await server.call(`/user?client_id=${demo.clientId}`, demo),
      401,
      'Invalid client id or secret.',
    );
    // A brand's client secret is not a client id.
    const secret = server.ctx.world.clientFor('peugeot').clientSecret;
    await expectGatewayError(
      await server.call('/user', { ...demo, clientId: secret }),
      401,
      'Invalid client id or secret.',
    );
  });

  it('refuses a missing or foreign x-introspect-realm before looking at the token', async () => {
    const securityChecks =
      'Cannot pass the security checks that are required by the target API or operation, Enable debug headers for more details.';
    const { realm: _, ...noRealm } = demo;
    const missing = await server.call('/user', noRealm);
    await expectGatewayError(missing, 401, securityChecks);
    expect(missing.headers.get('x-ratelimit-remaining-1')).not.toBeNull();
    await expectGatewayError(
      await server.call('/user', { ...demo, realm: 'clientsB2COpel' }),
      401,
      securityChecks,
    );
    await expectGatewayError(
      await server.call('/user', { ...demo, realm: 'clientsb2cpeugeot' }),
      401,
      securityChecks,
    );
  });

  it('refuses missing, invalid and foreign-client tokens as "Token is invalid"', async () => {
    const { token: _, ...noToken } = demo;
    const missing = await server.call('/user', noToken);
    await expectGatewayError(missing, 401, 'Token is invalid');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    await expectGatewayError(
      await server.call('/user', { ...demo, token: 'not-a-token' }),
      401,
      'Token is invalid',
    );
    await expectGatewayError(
      await server.call(
        '/user',
        { clientId: demo.clientId, realm: demo.realm },
        { headers: { authorization: demo.token } },
      ),
      401,
      'Token is invalid',
    );
    // A live Peugeot token of the same owner, issued to another application.
    const otherApp = server.ctx.tokens.issue({
      ownerIndex: 0,
      brand: 'peugeot',
      clientId: 'another-application',
      scopes: ['openid', 'profile'],
    }).access_token;
    await expectGatewayError(
      await server.call('/user', { ...demo, token: otherApp }),
      401,
      'Token is invalid',
    );
    // A live token of a Citroën owner, issued to the Citroën client, shown with the Peugeot client.
    const citroenOwner = [...Array(server.ctx.world.ownerCount).keys()].find(
      (index) => server.ctx.world.ownerAt(index).brand === 'citroen',
    );
    const citroen = server.credentialsFor(citroenOwner ?? -1);
    expect((await server.call('/user', citroen)).status).toBe(200);
    await expectGatewayError(
      await server.call('/user', { ...demo, token: citroen.token }),
      401,
      'Token is invalid',
    );
    await expectGatewayError(
      await server.call('/user', { ...citroen, clientId: demo.clientId, realm: demo.realm }),
      401,
      'Token is invalid',
    );
  });

  it('refuses an expired token once the simulated clock passes 3599 s', async () => {
    const credentials = server.credentialsFor(0);
    try {
      server.clock.set({ now: TEST_NOW + (ACCESS_TOKEN_TTL_S - 1) * 1000 });
      expect((await server.call('/user', credentials)).status).toBe(200);
      server.clock.set({ now: TEST_NOW + ACCESS_TOKEN_TTL_S * 1000 });
      await expectGatewayError(await server.call('/user', credentials), 401, 'Token is invalid');
    } finally {
      server.clock.set({ now: TEST_NOW });
    }
  });

  it('refuses a malformed locale with the backend 400 and accepts fr-FR, en_GB and en', async () => {
    for (const locale of ['fr-FR', 'en_GB', 'en']) {
      expect((await server.call(`/user?locale=${locale}`, demo)).status, locale).toBe(200);
    }
    for (const locale of ['fr-FR-x', '-FR', 'fr-', 'fr FR', '', 'x'.repeat(40), 'fr%00']) {
      const response = await server.call(`/user/vehicles?locale=${encodeURIComponent(locale)}`, demo);
      expect(response.status, locale).toBe(400);
      expect(((await response.json()) as { code: number }).code).toBe(40001);
    }
  });

  it('checks the gateway before routing: unknown paths need credentials too', async () => {
    await expectGatewayError(await server.call('/nowhere', {}), 401, 'Invalid client id or secret.');
    const response = await server.call('/nowhere', demo);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: number }).code).toBe(40400);
  });
});

describe('PSA v4 gateway rate limits', () => {
  let server: V4TestServer;

  beforeAll(async () => {
    server = await startV4Server({ rateLimit: { perSecond: 3, perDay: 5 } });
  });
  afterAll(() => server.close());

  it('answers the 4th call in one simulated second with 429, and passes again a second later', async () => {
    const demo = server.credentialsFor(0);
    const remaining: (string | null)[] = [];
    for (let call = 0; call < 3; call += 1) {
      const response = await server.call('/user', demo);
      expect(response.status).toBe(200);
      remaining.push(response.headers.get('x-ratelimit-remaining-2'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await server.call('/user', demo);
    await expectGatewayError(refused, 429, 'Rate Limit exceeded');
    expect(rateHeaders(refused)).toEqual({
      limit1: '5',
      remaining1: '2',
      limit2: '3',
      remaining2: '0',
      reset: '1',
      retryAfter: '1',
    });

    // Counters are per client: another brand's application is not held back.
    const peer = [...Array(server.ctx.world.ownerCount).keys()].find(
      (index) => server.ctx.world.ownerAt(index).brand === 'opel',
    );
    expect((await server.call('/user', server.credentialsFor(peer ?? -1))).status).toBe(200);

    server.clock.set({ now: TEST_NOW + 1000 });
    const again = await server.call('/user', demo);
    expect(again.status).toBe(200);
    expect(rateHeaders(again)).toMatchObject({ remaining1: '1', remaining2: '2' });

    // The daily window: the 5th call of the day passes, the 6th waits until the first leaves it.
    server.clock.set({ now: TEST_NOW + 2000 });
    expect((await server.call('/user', demo)).status).toBe(200);
    const daily = await server.call('/user', demo);
    await expectGatewayError(daily, 429, 'Rate Limit exceeded');
    expect(rateHeaders(daily)).toMatchObject({ remaining1: '0', remaining2: '2' });
    expect(Number(daily.headers.get('retry-after'))).toBe(24 * 3600 - 2);
    expect(daily.headers.get('x-ratelimit-reset')).toBe(daily.headers.get('retry-after'));

    server.clock.set({ now: TEST_NOW + 24 * 3600 * 1000 });
    const nextDay = server.credentialsFor(0);
    expect((await server.call('/user', nextDay)).status).toBe(200);
  });
});
