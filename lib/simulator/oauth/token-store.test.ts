import { describe, expect, it } from 'vitest';
import { SimClock } from '../clock';
import { ACCESS_TOKEN_TTL_S, idTokenIssuer, TokenStore } from './token-store';

const grant = {
  ownerIndex: 3,
  brand: 'peugeot' as const,
  clientId: 'client-a',
  scopes: ['openid', 'profile'],
};

describe('TokenStore', () => {
  it('issues tokens that work until they expire on the simulated clock', () => {
    const clock = new SimClock({ now: 0, frozen: true });
    const store = new TokenStore(clock);
    const tokens = store.issue(grant);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3599, scope: 'openid profile' });
    expect(store.checkAccess(tokens.access_token)).toEqual({ ok: true, grant });
    clock.set({ now: ACCESS_TOKEN_TTL_S * 1000 });
    expect(store.checkAccess(tokens.access_token)).toEqual({ ok: false, reason: 'expired' });
    expect(store.checkAccess('made-up')).toEqual({ ok: false, reason: 'invalid' });
    expect(store.checkAccess(undefined)).toEqual({ ok: false, reason: 'missing' });
  });

  it('refreshes for the same client only, and revoking the refresh token revokes its access tokens', () => {
    const store = new TokenStore(new SimClock({ now: 0, frozen: true }));
    const first = store.issue(grant);
    expect(store.refresh(first.refresh_token, 'another-client')).toBeNull();
    expect(store.refreshTokenClient(first.refresh_token)).toBe('client-a');
    expect(store.refreshTokenClient(first.access_token)).toBeNull();
    const second = store.refresh(first.refresh_token, 'client-a');
    expect(second?.access_token).toBeDefined();
    expect(second?.access_token).not.toBe(first.access_token);
    expect(store.revoke(first.refresh_token)).toBe(true);
    expect(store.checkAccess(first.access_token).ok).toBe(false);
    expect(store.checkAccess(second?.access_token).ok).toBe(false);
    expect(store.refresh(first.refresh_token, 'client-a')).toBeNull();
    expect(store.revoke(first.refresh_token)).toBe(false);
  });
});

describe('id_token', () => {
  it('is an RS256 JWT with the claims OpenID clients check, on real time', () => {
    const store = new TokenStore(new SimClock({ now: Date.parse('2020-01-01T00:00:00Z'), frozen: true }));
    const { id_token: idToken } = store.issue(grant);
    const [header, payload, signature] = idToken.split('.');
    const decode = (part: string | undefined) =>
      JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    expect(decode(header)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    const claims = decode(payload) as { iss: string; aud: string; sub: string; iat: number; exp: number };
    expect(claims).toMatchObject({ iss: idTokenIssuer('peugeot'), aud: 'client-a', sub: '3' });
    // Real time even though the simulated clock is frozen in 2020: clients check exp on their own clock.
    const nowS = Date.now() / 1000;
    expect(Math.abs(claims.iat - nowS)).toBeLessThan(60);
    expect(claims.exp - claims.iat).toBe(ACCESS_TOKEN_TTL_S);
    expect(signature?.length).toBeGreaterThan(300);
  });
});
