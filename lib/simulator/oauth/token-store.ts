import { createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { SimClock } from '../clock';
import { BRAND_INFO, type SimBrand } from '../world/brands';

// Access and refresh tokens of the simulated identity providers, kept in memory: a simulator
// restart signs every client out, as a real provider's key rotation would. Expiry follows the
// simulated clock, so a fast-forwarded clock expires tokens as real time would.

export const ACCESS_TOKEN_TTL_S = 3599;
export const REFRESH_TOKEN_TTL_S = 90 * 24 * 3600;

export type TokenGrant = {
  ownerIndex: number;
  brand: SimBrand;
  clientId: string;
  scopes: readonly string[];
};

type AccessToken = TokenGrant & { expiresAt: number; refreshToken: string };
type RefreshToken = TokenGrant & { expiresAt: number; accessTokens: Set<string> };

export type TokenResponse = {
  access_token: string;
  refresh_token: string;
  id_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
};

export type AccessCheck =
  | { ok: true; grant: TokenGrant }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

const opaque = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The issuer a brand's id_tokens name: the brand's identity-provider host (vehicle-apis.md §2.1). */
export function idTokenIssuer(brand: SimBrand): string {
  return `https://idpcvs.${BRAND_INFO[brand].idpDomain}/am/oauth2`;
}

// One RSA key per process, made on first use: generating one per store would cost every test.
let signingKey: KeyObject | undefined;

/** The claims of the simulator's id_tokens. */
export type IdTokenClaims = {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
  nonce?: string;
};

function signJwt(claims: IdTokenClaims): string {
  signingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT', kid: 'sim-1' });
  const payload = encode(claims);
  const signature = createSign('RSA-SHA256')
    .update(`${header}.${payload}`)
    .sign(signingKey)
    .toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * An RS256 OpenID Connect id_token, as OAuth client libraries (oauth4webapi, hence Auth.js)
 * insist on: they check alg, iss, aud, sub, iat and exp. Its times are real time, not the
 * simulated clock: a client checks `exp` against its own clock.
 */
function signIdToken(input: { brand: SimBrand; ownerIndex: number; clientId: string }): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({
    iss: idTokenIssuer(input.brand),
    aud: input.clientId,
    sub: String(input.ownerIndex),
    iat: now,
    exp: now + ACCESS_TOKEN_TTL_S,
  });
}

/**
 * The same id_token with some claims changed and signed again with the IdP's own key: what the
 * id_token faults (faults/id-token.ts) send, a token only its claims betray.
 */
export function resignIdToken(idToken: string, edit: (claims: IdTokenClaims) => IdTokenClaims): string {
  const payload = idToken.split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as IdTokenClaims;
  return signJwt(edit(claims));
}

export class TokenStore {
  readonly #access = new Map<string, AccessToken>();
  readonly #refresh = new Map<string, RefreshToken>();
  readonly #clock: SimClock;

  constructor(clock: SimClock) {
    this.#clock = clock;
  }

  /** Issues a new access + refresh token pair for a grant (code exchange or test-token endpoint). */
  issue(grant: TokenGrant): TokenResponse {
    const refreshToken = opaque(32);
    this.#refresh.set(refreshToken, {
      ...grant,
      expiresAt: this.#clock.now() + REFRESH_TOKEN_TTL_S * 1000,
      accessTokens: new Set(),
    });
    return this.#issueAccess(refreshToken);
  }

  /** Exchanges a refresh token for a new access token; the refresh token stays valid. */
  refresh(refreshToken: string, clientId: string): TokenResponse | null {
    const entry = this.#refresh.get(refreshToken);
    if (!entry || entry.clientId !== clientId) return null;
    if (entry.expiresAt <= this.#clock.now()) {
      this.revoke(refreshToken);
      return null;
    }
    return this.#issueAccess(refreshToken);
  }

  /** Revokes a refresh token (and every access token made from it) or a single access token. */
  revoke(token: string): boolean {
    const refresh = this.#refresh.get(token);
    if (refresh) {
      for (const access of refresh.accessTokens) this.#access.delete(access);
      this.#refresh.delete(token);
      return true;
    }
    const access = this.#access.get(token);
    if (!access) return false;
    this.#access.delete(token);
    this.#refresh.get(access.refreshToken)?.accessTokens.delete(token);
    return true;
  }

  /**
   * Revokes an access token together with the refresh token it was made from (and so every
   * sibling access token): the whole grant, as when an owner withdraws consent at the provider.
   */
  revokeGrant(accessToken: string): boolean {
    const access = this.#access.get(accessToken);
    if (!access) return false;
    return this.revoke(access.refreshToken) || this.revoke(accessToken);
  }

  /** Which client a live refresh token belongs to, or null. */
  refreshTokenClient(refreshToken: string): string | null {
    const entry = this.#refresh.get(refreshToken);
    return entry && entry.expiresAt > this.#clock.now() ? entry.clientId : null;
  }

  /** Checks a bearer token as the API gateway would. */
  checkAccess(token: string | undefined): AccessCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const entry = this.#access.get(token);
    if (!entry) return { ok: false, reason: 'invalid' };
    if (entry.expiresAt <= this.#clock.now()) return { ok: false, reason: 'expired' };
    const { ownerIndex, brand, clientId, scopes } = entry;
    return { ok: true, grant: { ownerIndex, brand, clientId, scopes } };
  }

  #issueAccess(refreshToken: string): TokenResponse {
    const entry = this.#refresh.get(refreshToken);
    if (!entry) throw new Error('unknown refresh token');
    const accessToken = opaque(32);
    const { ownerIndex, brand, clientId, scopes } = entry;
    this.#access.set(accessToken, {
      ownerIndex,
      brand,
      clientId,
      scopes,
      refreshToken,
      expiresAt: this.#clock.now() + ACCESS_TOKEN_TTL_S * 1000,
    });
    entry.accessTokens.add(accessToken);
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: signIdToken({ brand, ownerIndex, clientId }),
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_S,
      scope: scopes.join(' '),
    };
  }
}
