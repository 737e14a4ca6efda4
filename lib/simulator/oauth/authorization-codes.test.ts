import { describe, expect, it } from 'vitest';
import { SimClock } from '../clock';
import {
  AUTHORIZATION_CODE_TTL_S,
  AuthorizationCodeStore,
  type CodeGrant,
  isS256Challenge,
  s256Challenge,
  verifierMatches,
} from './authorization-codes';

const grant: CodeGrant = {
  clientId: 'client-a',
  brand: 'peugeot',
  redirectUri: 'http://localhost:3000/callback',
  ownerIndex: 4,
  scopes: ['openid', 'profile'],
  codeChallenge: null,
};

describe('AuthorizationCodeStore', () => {
  it('issues distinct 36-character codes that redeem exactly once', () => {
    const store = new AuthorizationCodeStore(new SimClock({ now: 0, frozen: true }));
    const code = store.issue(grant);
    const other = store.issue(grant);
    expect(code).toHaveLength(36);
    expect(other).not.toBe(code);
    expect(store.redeem(code)).toEqual({ ok: true, grant });
    expect(store.redeem(code)).toEqual({ ok: false, reason: 'replayed', refreshToken: null });
    expect(store.redeem('not-a-code')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('remembers the refresh token a code bought, so that a replay can revoke it', () => {
    const store = new AuthorizationCodeStore(new SimClock({ now: 0, frozen: true }));
    const code = store.issue(grant);
    expect(store.redeem(code).ok).toBe(true);
    store.recordTokens(code, 'refresh-1');
    expect(store.redeem(code)).toEqual({ ok: false, reason: 'replayed', refreshToken: 'refresh-1' });
  });

  it('expires codes after 60 s of simulated time, and an expired code is spent too', () => {
    const clock = new SimClock({ now: 1_000_000, frozen: true });
    const store = new AuthorizationCodeStore(clock);
    const late = store.issue(grant);
    const inTime = store.issue(grant);
    clock.set({ now: 1_000_000 + AUTHORIZATION_CODE_TTL_S * 1000 - 1 });
    expect(store.redeem(inTime).ok).toBe(true);
    clock.set({ now: 1_000_000 + AUTHORIZATION_CODE_TTL_S * 1000 });
    expect(store.redeem(late)).toEqual({ ok: false, reason: 'expired' });
    expect(store.redeem(late)).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('stays bounded when codes are never exchanged', () => {
    const clock = new SimClock({ now: 0, frozen: true });
    const store = new AuthorizationCodeStore(clock);
    const first = store.issue(grant);
    for (let index = 0; index < 10_050; index += 1) store.issue(grant);
    expect(store.size).toBeLessThanOrEqual(10_000);
    // The oldest live code made room for the newest.
    expect(store.redeem(first)).toEqual({ ok: false, reason: 'unknown' });
    // Once they have expired, a sweep clears them all.
    clock.set({ now: 61_000 });
    store.issue(grant);
    expect(store.size).toBe(1);
  });
});

describe('PKCE S256', () => {
  // RFC 7636 Appendix B.
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('matches the RFC 7636 example', () => {
    expect(s256Challenge(verifier)).toBe(challenge);
    expect(isS256Challenge(challenge)).toBe(true);
    expect(verifierMatches(challenge, verifier)).toBe(true);
  });

  it('refuses another verifier, a malformed one, and malformed challenges', () => {
    expect(verifierMatches(challenge, `${verifier.slice(0, -1)}Y`)).toBe(false);
    expect(verifierMatches(challenge, 'short')).toBe(false);
    expect(verifierMatches(challenge, `${verifier} `)).toBe(false);
    expect(verifierMatches(s256Challenge('x'.repeat(129)), 'x'.repeat(129))).toBe(false);
    expect(isS256Challenge(verifier.slice(0, 42))).toBe(false);
    expect(isS256Challenge(`${challenge.slice(0, 42)}=`)).toBe(false);
    expect(isS256Challenge(`${challenge.slice(0, 42)}+`)).toBe(false);
  });
});
