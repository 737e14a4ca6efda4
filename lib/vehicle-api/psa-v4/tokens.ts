import 'server-only';
import { z } from 'zod';
import { taintAccountTokens } from '../../security/taint';
import { ReauthorizationNeededError } from '../provider';

// The OAuth tokens of ONE linked PSA account (vehicle-apis.md §2.2): an access token (≈ 1 h,
// `expires_in: 3599` observed) and a refresh token exchanged at the brand's token endpoint
// (`POST …/am/oauth2/access_token?realm=<realm>`, HTTP Basic client auth, form body
// `grant_type=refresh_token&refresh_token=…`).
//
// Rules this module keeps:
// - single flight: however many requests need a new token at the same moment, the token endpoint
//   sees exactly one refresh; everyone awaits the same promise;
// - early refresh: a token within `refreshEarlyMs` of its expiry is replaced before use, so a call
//   does not start with a token that dies on the wire;
// - no refresh loop: the endpoint refusing the grant (400 invalid_grant, 401 invalid_client) or
//   freshly refreshed tokens being refused by the API `maxFreshRejections` times in a row (each
//   before the API took it even once: a token that worked and is refused later has expired or
//   been revoked, which is what refreshing is for) puts the
//   account in "re-authorisation needed" (persisted through the store) and every later call throws
//   ReauthorizationNeededError without touching the network;
// - tokens never appear in errors or logs.

/** The tokens as persisted (encrypted at rest by the store; that comes with the storage slice). */
export type StoredTokens = {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms at which the access token expires. */
  expiresAt: number;
};

/** Why the owner must sign in with the maker again. */
export type ReauthorizationReason = 'grant_refused' | 'client_refused' | 'tokens_refused' | 'no_tokens';

/**
 * Persistence of one account's tokens. `load` answers null when there are none or the account is
 * already marked as needing re-authorisation.
 */
export type TokenStore = {
  load(): Promise<StoredTokens | null>;
  /**
   * Persists refreshed tokens. A store shared by several workers may keep newer tokens another
   * writer saved meanwhile: it answers the tokens it holds, and the manager uses those.
   */
  save(tokens: StoredTokens): Promise<StoredTokens | undefined>;
  markReauthorizationNeeded(reason: ReauthorizationReason): Promise<void>;
};

export type RefreshedTokens = { accessToken: string; refreshToken?: string; expiresInS: number };

/** The token endpoint's refresh grant. Throws TokenRefreshRefusedError or TokenRefreshFailedError. */
export type TokenEndpoint = {
  refresh(refreshToken: string): Promise<RefreshedTokens>;
};

/** The identity provider refused the refresh: only the owner signing in again can fix it. */
export class TokenRefreshRefusedError extends Error {
  constructor(
    readonly reason: 'grant_refused' | 'client_refused',
    message: string,
  ) {
    super(message);
    this.name = 'TokenRefreshRefusedError';
  }
}

/** The refresh did not get an answer worth acting on (network, 5xx, 429): try again later. */
export class TokenRefreshFailedError extends Error {
  constructor(
    message: string,
    readonly retryable = true,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TokenRefreshFailedError';
  }
}

/** RFC 6749 §5.1; PSA answers `{scope, expires_in, token_type, refresh_token, id_token, access_token}`. */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().int().positive(),
  token_type: z.string().regex(/^bearer$/i),
});

const oauthErrorSchema = z.object({ error: z.string() });

export type PsaTokenEndpointOptions = {
  /** `https://idpcvs.{brand.tld}/am/oauth2/access_token` (or the simulator's). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  realm: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

const REFRESH_TIMEOUT_MS = 15_000;

/** HTTP Basic client authentication; RFC 6749 §2.3.1 form-urlencodes id and secret first. */
export function basicClientCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
    'base64',
  );
}

/**
 * PSA's token endpoint over HTTP. Not retried: the worker's next run is the retry, and a refresh
 * that did reach the server must not be repeated blindly (providers that rotate refresh tokens
 * would then see the old one replayed).
 */
export function psaTokenEndpoint(options: PsaTokenEndpointOptions): TokenEndpoint {
  const send = options.fetch ?? fetch;
  return {
    async refresh(refreshToken) {
      const url = new URL(options.tokenUrl);
      url.searchParams.set('realm', options.realm);
      const basic = basicClientCredentials(options.clientId, options.clientSecret);
      let response: Response;
      let text: string;
      try {
        response = await send(url, {
          method: 'POST',
          headers: {
            authorization: `Basic ${basic}`,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? REFRESH_TIMEOUT_MS),
          redirect: 'error',
        });
        text = await response.text();
      } catch (error) {
        throw new TokenRefreshFailedError('token endpoint unreachable', true, { cause: error });
      }
      let body: unknown;
      try {
        body = text.trim() === '' ? undefined : JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (response.ok) {
        const parsed = tokenResponseSchema.safeParse(body);
        if (!parsed.success) throw new TokenRefreshFailedError('token endpoint answered an unreadable body');
        const { access_token, refresh_token, expires_in } = parsed.data;
        return {
          accessToken: access_token,
          ...(refresh_token ? { refreshToken: refresh_token } : {}),
          expiresInS: expires_in,
        };
      }
      const error = oauthErrorSchema.safeParse(body);
      const code = error.success ? error.data.error : null;
      if (response.status === 401 || code === 'invalid_client') {
        throw new TokenRefreshRefusedError('client_refused', 'the token endpoint refused the client');
      }
      // RFC 6749 §5.2: 400 is a refusal of this request (invalid_grant, invalid_request…), final.
      if (response.status === 400) {
        throw new TokenRefreshRefusedError('grant_refused', `the token endpoint refused the grant (${code})`);
      }
      throw new TokenRefreshFailedError(`token endpoint answered ${response.status}`);
    },
  };
}

export type TokenManagerOptions = {
  store: TokenStore;
  endpoint: TokenEndpoint;
  now?: () => number;
  /** Refresh this long before expiry (default 2 min). */
  refreshEarlyMs?: number;
  /** Freshly refreshed tokens refused (401) in a row before giving up (default 3). */
  maxFreshRejections?: number;
};

/**
 * 2 min covers clock skew between us and the IdP plus a slow call (timeouts are 15 s); about 3 % of
 * a 3599 s token's life.
 */
export const REFRESH_EARLY_MS = 120_000;
/**
 * Three fresh tokens refused in a row, none of them ever accepted, before giving up: still bounded
 * (never a loop), and a gateway that answers a stray 401 now and then (security-tests.md UP-05
 * tolerates up to 5 in 10 minutes) does not send the owner to sign in again. With 2, two stray
 * 401s in a row did: at the rate of test/long/upstream-faults.long-test.ts (1 call in 23 a stray
 * 401) that is about 1 refresh in 300, and that test's run lost an account now and then.
 */
export const MAX_FRESH_REJECTIONS = 3;

export type TokenManager = {
  /** A live access token, refreshed first when expired or about to expire. */
  accessToken(): Promise<string>;
  /**
   * The API refused `token` (401). Answers the token to retry with: a newer one if another call
   * already replaced it, else a freshly refreshed one. Throws ReauthorizationNeededError when
   * refreshing cannot help.
   */
  rejected(token: string): Promise<string>;
  /** The API accepted `token`: the account works, the rejection count starts over. */
  accepted(token: string): void;
};

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const now = options.now ?? Date.now;
  const refreshEarlyMs = options.refreshEarlyMs ?? REFRESH_EARLY_MS;
  const maxFreshRejections = options.maxFreshRejections ?? MAX_FRESH_REJECTIONS;
  let current: StoredTokens | null = null;
  let loaded = false;
  let inFlight: Promise<string> | null = null;
  let reauthorizationNeeded = false;
  /** The access token the last refresh produced: a 401 on it means refreshing did not help. */
  let freshToken: string | null = null;
  let freshRejections = 0;
  let struckToken: string | null = null;

  const needReauthorization = async (reason: ReauthorizationReason): Promise<never> => {
    if (!reauthorizationNeeded) {
      reauthorizationNeeded = true;
      await options.store.markReauthorizationNeeded(reason);
    }
    throw new ReauthorizationNeededError(`PSA account needs re-authorisation (${reason})`);
  };

  /** The first read of the store, shared: a late answer must not put expired tokens back. */
  let firstLoad: Promise<void> | null = null;

  async function load(): Promise<StoredTokens> {
    if (reauthorizationNeeded) throw new ReauthorizationNeededError('PSA account needs re-authorisation');
    if (!loaded) {
      firstLoad ??= options.store.load().then((tokens) => {
        current = tokens;
        loaded = true;
      });
      await firstLoad;
    }
    if (!current) return needReauthorization('no_tokens');
    return current;
  }

  /** The one refresh everyone waits on. */
  function refresh(): Promise<string> {
    inFlight ??= (async () => {
      try {
        const tokens = await load();
        let answer: RefreshedTokens;
        try {
          answer = await options.endpoint.refresh(tokens.refreshToken);
        } catch (error) {
          if (error instanceof TokenRefreshRefusedError) return needReauthorization(error.reason);
          throw error;
        }
        // Tainted for as long as this object (which becomes `current`) holds them.
        const next: StoredTokens = taintAccountTokens({
          accessToken: answer.accessToken,
          // RFC 6749 §6: the server MAY issue a new refresh token; otherwise the old one stays.
          refreshToken: answer.refreshToken ?? tokens.refreshToken,
          expiresAt: now() + answer.expiresInS * 1000,
        });
        const kept = (await options.store.save(next)) ?? next;
        current = kept;
        freshToken = kept.accessToken;
        return kept.accessToken;
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  }

  return {
    async accessToken() {
      const tokens = await load();
      // From here to refresh() nothing awaits: a concurrent caller sees `inFlight` set.
      if (inFlight) return inFlight;
      if (tokens.expiresAt - refreshEarlyMs > now()) return tokens.accessToken;
      return refresh();
    },

    async rejected(token) {
      const tokens = await load();
      if (inFlight) return inFlight;
      // Another call already replaced the refused token: retry with the new one.
      if (tokens.accessToken !== token) return tokens.accessToken;
      // A refused fresh token counts once, however many requests it was refused on.
      if (token === freshToken && struckToken !== token) {
        struckToken = token;
        freshRejections++;
        if (freshRejections >= maxFreshRejections) return needReauthorization('tokens_refused');
      }
      return refresh();
    },

    accepted(token) {
      if (token !== current?.accessToken) return;
      freshRejections = 0;
      // No longer fresh: when the API refuses it later (it expired, or the gateway erred), that is
      // no sign that refreshing does not help.
      if (token === freshToken) freshToken = null;
    },
  };
}
