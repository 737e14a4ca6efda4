import { randomBytes } from 'node:crypto';
import type { SimClock } from '../clock';
import type { SimBrand } from '../world/brands';

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
      // Not a signed JWT: the simulator's id_token only has to look like one to a client that stores it.
      id_token: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
        JSON.stringify({ sub: String(ownerIndex), aud: clientId }),
      ).toString('base64url')}.`,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_S,
      scope: scopes.join(' '),
    };
  }
}
