import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_OWNER_PASSWORD } from '../oauth/client-auth';
import { idTokenIssuer } from '../oauth/token-store';
import type { IdTokenFaultKind } from './rules';
import { type FaultTestServer, startFaultServer } from './test-server';

// The id_token faults over real HTTP: a genuine code exchange at the peugeot IdP, answered with
// working tokens and an id_token whose one claim a client must refuse; nothing else changes.

const REDIRECT_URI = 'http://localhost:3000/api/auth/callback/psa-peugeot';
const TOKEN_PATH = '/peugeot/am/oauth2/access_token';

let sim: FaultTestServer;

beforeAll(async () => {
  sim = await startFaultServer();
});
afterAll(() => sim.close());
beforeEach(() => sim.setRules([]));

type Claims = Record<string, unknown> & { iss: string; aud: string; sub: string; iat: number; exp: number };

/** Signs the demo owner in at the peugeot IdP and exchanges the code, as a client would. */
async function exchange() {
  const authorize = await fetch(`${sim.origin}/peugeot/am/oauth2/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: sim.client.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile',
      email: 'demo@kinetic.local',
      password: SIM_OWNER_PASSWORD,
    }),
    redirect: 'manual',
  });
  expect(authorize.status).toBe(302);
  expect(authorize.headers.get('x-sim-fault')).toBeNull();
  const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const basic = Buffer.from(`${sim.client.clientId}:${sim.client.clientSecret}`).toString('base64');
  const response = await fetch(`${sim.origin}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string; id_token: string };
  const payload = body.id_token.split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  return { fault: response.headers.get('x-sim-fault'), body, claims };
}

describe('id_token faults', () => {
  it('are off by default: the id_token names this IdP, this client, no nonce, a live exp', async () => {
    const { fault, claims } = await exchange();
    expect(fault).toBeNull();
    expect(claims.iss).toBe(idTokenIssuer('peugeot'));
    expect(claims.aud).toBe(sim.client.clientId);
    expect(claims.nonce).toBeUndefined();
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
  });

  const cases: { kind: IdTokenFaultKind; changed: string; check: (claims: Claims) => void }[] = [
    {
      kind: 'id_token_wrong_aud',
      changed: 'aud',
      check: (claims) => expect(claims.aud).toBe(sim.ctx.world.clientFor('citroen').clientId),
    },
    {
      kind: 'id_token_wrong_iss',
      changed: 'iss',
      check: (claims) => expect(claims.iss).toBe(idTokenIssuer('citroen')),
    },
    {
      kind: 'id_token_nonce',
      changed: 'nonce',
      check: (claims) => expect(claims.nonce).toMatch(/^[\w-]{22}$/),
    },
    {
      kind: 'id_token_expired',
      changed: 'exp',
      check: (claims) => expect(claims.exp).toBeLessThan(Date.now() / 1000 - 3000),
    },
  ];
  for (const { kind, changed, check } of cases) {
    it(`${kind}: a genuine exchange, working tokens, one claim changed`, async () => {
      const genuine = (await exchange()).claims;
      sim.setRules([{ kind, rate: 1 }]);
      const { fault, body, claims } = await exchange();
      expect(fault).toBe(kind);
      check(claims);
      // Everything else is the genuine token's.
      for (const name of ['iss', 'aud', 'sub', 'nonce'].filter((name) => name !== changed)) {
        expect(claims[name], name).toEqual(genuine[name]);
      }
      // The access token is real: the owner's profile answers to it.
      const userinfo = await fetch(`${sim.origin}/peugeot/am/oauth2/userinfo`, {
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      expect(userinfo.status).toBe(200);
      expect(sim.ctx.faults.tally().faults[kind]).toBe(1);
    });
  }

  it('touch only the token endpoint', async () => {
    sim.setRules([{ kind: 'id_token_wrong_aud', rate: 1 }]);
    const response = await sim.callV4('/user/vehicles', sim.issueToken().access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sim-fault')).toBeNull();
    await exchange();
    // The authorize post and the v4 call drew nothing: one fault, at the exchange.
    expect(sim.ctx.faults.tally().faults).toEqual({ id_token_wrong_aud: 1 });
  });
});
