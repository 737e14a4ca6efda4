import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SimClock } from '../clock';
import type { SimContext } from '../context';
import type { SimBrand } from '../world/brands';
import type { TokenStore } from './token-store';

// Authorization codes of the simulated identity providers (vehicle-apis.md §2.2). A code is what
// the browser carries from the sign-in page to the client's redirect URI, so it is short-lived,
// single use and bound to everything the client asked for: a code stolen from a redirect is
// worthless without the client's secret, the same redirect URI and (with PKCE) the verifier.

/** Lifetime in simulated seconds (ctx.clock), as a fast-forwarded clock would expire a real one. */
export const AUTHORIZATION_CODE_TTL_S = 60;
// A spent code is remembered a while longer so that a replay is recognised (and the tokens it
// bought revoked, RFC 6749 §4.1.2) instead of looking like an unknown code.
const SPENT_CODE_MEMORY_S = 600;
// Codes live in memory; a client that never exchanges them must not be able to grow it forever.
const MAX_CODES = 10_000;

export type CodeGrant = {
  clientId: string;
  brand: SimBrand;
  /** The redirect URI exactly as the authorization request gave it; the exchange must repeat it. */
  redirectUri: string;
  ownerIndex: number;
  scopes: readonly string[];
  /** The S256 PKCE challenge, or null when the client did not use PKCE. */
  codeChallenge: string | null;
};

type CodeEntry = CodeGrant & {
  issuedAt: number;
  spent: boolean;
  /** The refresh token bought with this code, revoked if the code is replayed. */
  refreshToken: string | null;
};

export type Redemption =
  | { ok: true; grant: CodeGrant }
  | { ok: false; reason: 'unknown' | 'expired' }
  | { ok: false; reason: 'replayed'; refreshToken: string | null };

export class AuthorizationCodeStore {
  readonly #codes = new Map<string, CodeEntry>();
  readonly #clock: SimClock;

  constructor(clock: SimClock) {
    this.#clock = clock;
  }

  /** A new 36-character code (the length PSA's clients expect) for one grant. */
  issue(grant: CodeGrant): string {
    if (this.#codes.size >= MAX_CODES) this.#sweep();
    // Still full of live codes: forget the oldest rather than refuse every new sign-in.
    while (this.#codes.size >= MAX_CODES) {
      const oldest = this.#codes.keys().next().value;
      if (oldest === undefined) break;
      this.#codes.delete(oldest);
    }
    const code = randomUUID();
    this.#codes.set(code, { ...grant, issuedAt: this.#clock.now(), spent: false, refreshToken: null });
    return code;
  }

  /**
   * Spends a code. The first attempt spends it whatever happens next (a wrong verifier or
   * redirect URI included), so a stolen code gives an attacker exactly one try.
   */
  redeem(code: string): Redemption {
    const entry = this.#codes.get(code);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.spent) return { ok: false, reason: 'replayed', refreshToken: entry.refreshToken };
    entry.spent = true;
    if (this.#clock.now() >= entry.issuedAt + AUTHORIZATION_CODE_TTL_S * 1000) {
      return { ok: false, reason: 'expired' };
    }
    const { clientId, brand, redirectUri, ownerIndex, scopes, codeChallenge } = entry;
    return { ok: true, grant: { clientId, brand, redirectUri, ownerIndex, scopes, codeChallenge } };
  }

  /** Remembers which refresh token a code bought, so that a replay can revoke it. */
  recordTokens(code: string, refreshToken: string): void {
    const entry = this.#codes.get(code);
    if (entry) entry.refreshToken = refreshToken;
  }

  get size(): number {
    return this.#codes.size;
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [code, entry] of this.#codes) {
      const memory = entry.spent ? SPENT_CODE_MEMORY_S : AUTHORIZATION_CODE_TTL_S;
      if (now >= entry.issuedAt + memory * 1000) this.#codes.delete(code);
    }
  }
}

// RFC 7636 §4.1–4.2: a verifier is 43–128 unreserved characters; an S256 challenge is the
// base64url SHA-256 of it without padding, which is always 43 characters.
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;
const S256_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function isS256Challenge(value: string): boolean {
  return S256_CHALLENGE_PATTERN.test(value);
}

export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Whether a code verifier answers an S256 challenge; compared in constant time. */
export function verifierMatches(challenge: string, verifier: string): boolean {
  if (!VERIFIER_PATTERN.test(verifier)) return false;
  const expected = Buffer.from(challenge, 'ascii');
  const actual = Buffer.from(s256Challenge(verifier), 'ascii');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// Codes belong to the identity provider whose tokens they buy; the context has no slot for them,
// so they hang off its token store (one per simulator, dropped with it).
const codeStores = new WeakMap<TokenStore, AuthorizationCodeStore>();

export function authorizationCodesOf(ctx: SimContext): AuthorizationCodeStore {
  let store = codeStores.get(ctx.tokens);
  if (!store) {
    store = new AuthorizationCodeStore(ctx.clock);
    codeStores.set(ctx.tokens, store);
  }
  return store;
}
