import { describe, expect, it } from 'vitest';
import { SimClock } from '../clock';
import { createSimContext, type SimContext } from '../context';
import { HttpError } from '../http';
import { mintTestTokens, TEST_TOKEN_SCOPES } from './test-tokens';

function context(testEndpoints = true): SimContext {
  const clock = new SimClock({ now: Date.parse('2026-03-01T08:00:00Z'), frozen: true });
  return createSimContext({ seed: 'test-tokens', peers: 8, clock, testEndpoints });
}

function refusal(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an HttpError');
}

describe('mintTestTokens', () => {
  it('issues the token endpoint body for an owner of the brand, usable on the API', () => {
    const ctx = context();
    const tokens = mintTestTokens(ctx, { owner: 'demo@kinetic.local', brand: 'peugeot' });
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3599,
      scope: 'openid profile data:telemetry data:position data:trip data:alert data:collision',
    });
    expect(Object.keys(tokens).sort()).toEqual(
      ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type'].sort(),
    );
    expect(ctx.tokens.checkAccess(tokens.access_token)).toEqual({
      ok: true,
      grant: {
        ownerIndex: 0,
        brand: 'peugeot',
        clientId: ctx.world.clientFor('peugeot').clientId,
        scopes: TEST_TOKEN_SCOPES,
      },
    });
  });

  it('finds peers of other brands by e-mail, ignoring case', () => {
    const ctx = context();
    const owner = ctx.world.ownerAt(2);
    const tokens = mintTestTokens(ctx, { owner: owner.email.toUpperCase(), brand: owner.brand });
    const check = ctx.tokens.checkAccess(tokens.access_token);
    expect(check.ok && check.grant).toMatchObject({ ownerIndex: 2, brand: owner.brand });
  });

  it('refuses an owner of another brand (400) and an unknown owner (404)', () => {
    const ctx = context();
    expect(
      refusal(() => mintTestTokens(ctx, { owner: 'demo@kinetic.local', brand: 'citroen' })),
    ).toMatchObject({
      status: 400,
      code: 'bad_request',
    });
    expect(
      refusal(() => mintTestTokens(ctx, { owner: 'driver999@mypeugeot.sim', brand: 'peugeot' })),
    ).toEqual({
      status: 404,
      code: 'not_found',
      message: 'No simulated owner has this e-mail address.',
    });
  });

  it('refuses extra fields, unknown brands, non-e-mails and non-objects', () => {
    const ctx = context();
    const bodies: unknown[] = [
      { owner: 'demo@kinetic.local', brand: 'peugeot', scopes: ['remote:door:write'] },
      { owner: 'demo@kinetic.local', brand: 'vauxhall' },
      { owner: 'demo', brand: 'peugeot' },
      { owner: 'demo@kinetic.local' },
      [],
      null,
      'demo@kinetic.local',
    ];
    for (const body of bodies) {
      expect(refusal(() => mintTestTokens(ctx, body))).toMatchObject({ status: 400, code: 'bad_request' });
    }
  });

  it('refuses when the test endpoints are off', () => {
    expect(
      refusal(() => mintTestTokens(context(false), { owner: 'demo@kinetic.local', brand: 'peugeot' })),
    ).toMatchObject({ status: 404 });
  });
});
