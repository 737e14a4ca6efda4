import 'server-only';
import type { Kysely } from 'kysely';
import type { TokenCipher } from '../crypto/token-cipher';
import type { Database } from '../db/schema';
import {
  createResilientHttp,
  type ResilienceOptions,
  type ResilientHttp,
  systemClock,
} from '../vehicle-api/http/resilient';
import { plainHttp, type UpstreamHttp } from '../vehicle-api/http/upstream';
import type { VehicleDataProvider } from '../vehicle-api/provider';
import { createPsaV4Client } from '../vehicle-api/psa-v4/client';
import { createPsaV4Provider, type PsaV4ProviderOptions } from '../vehicle-api/psa-v4/provider';
import { carAccountTokenStore } from '../vehicle-api/psa-v4/token-store';
import {
  createTokenManager,
  psaTokenEndpoint,
  type TokenEndpoint,
  TokenRefreshRefusedError,
} from '../vehicle-api/psa-v4/tokens';
import { budgetedHttp, createTokenBucket, DEFAULT_REQUEST_BUDGET } from './token-bucket';

// Builds the VehicleDataProvider of one car account, the way the worker needs it: tokens from the
// account's encrypted token store, HTTP through the provider's request budget and resilience
// layer, base URL, client id and realm from configuration. Only PSA v4 so far (v1 comes next).
//
// One provider per account, kept while the worker runs, so its token manager's single-flight
// refresh and "re-authorisation needed" memory span passes. One budget and one resilient HTTP
// per provider kind, shared by its accounts: the gateway's limits and an outage are the
// provider's, not one account's, so the circuit breaker and the concurrency bound are too.

export type PsaV4App = {
  brand: string;
  /** `clientsB2CPeugeot`, … (`x-introspect-realm`). */
  realm: string;
  clientId: string;
  /** For the refresh grant (HTTP Basic); without it refreshes go to `refreshEndpointFor`. */
  clientSecret?: string;
};

export type PsaV4Config = {
  /** `https://api.groupe-psa.com/connectedcar/v4`, or the simulator's. */
  apiBaseUrl: string;
  /** `https://idpcvs.peugeot.com/am/oauth2/access_token`, or the simulator's. */
  tokenUrl: string;
  apps: PsaV4App[];
};

/** What the factory needs of an account (never its tokens: the token store reads those). */
export type AccountRef = { id: string; provider: string; brand: string };

export type ProviderFactoryOptions = {
  db: Kysely<Database>;
  cipher: TokenCipher;
  psaV4: PsaV4Config | null;
  /** The cloud's clock (token expiry, staleness); real time in production. */
  now?: () => number;
  /** The transport under the budget (default plain fetch with a timeout). */
  transport?: UpstreamHttp;
  budget?: { perSecond: number; burst: number };
  resilience?: Partial<Omit<ResilienceOptions, 'provider' | 'clock'>>;
  /** A token endpoint for an account whose app has no client secret here (the simulator's demo link). */
  refreshEndpointFor?: (accountId: string) => TokenEndpoint | undefined;
  /** Sync tuning of the PSA v4 provider (tests shorten the first sync's backfill). */
  psaV4Sync?: Pick<PsaV4ProviderOptions, 'backfillMs' | 'maxTelemetryPages'>;
};

export type ProviderFactory = {
  forAccount(account: AccountRef): VehicleDataProvider;
  /** Drops the cached provider (after re-authorisation: new tokens need a new token manager). */
  forget(accountId: string): void;
};

/** Our own 429 handling waits at most this long in-line; a longer Retry-After reschedules the car. */
export const WORKER_MAX_RATE_LIMIT_WAIT_MS = 5_000;

export class ProviderNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderNotConfiguredError';
  }
}

export function createProviderFactory(options: ProviderFactoryOptions): ProviderFactory {
  const now = options.now ?? Date.now;
  const cache = new Map<string, VehicleDataProvider>();
  const shared = new Map<string, ResilientHttp>();

  const httpFor = (provider: string): ResilientHttp => {
    let http = shared.get(provider);
    if (!http) {
      const bucket = createTokenBucket(options.budget ?? DEFAULT_REQUEST_BUDGET);
      http = createResilientHttp(budgetedHttp(options.transport ?? plainHttp, bucket), {
        maxWaitMs: WORKER_MAX_RATE_LIMIT_WAIT_MS,
        ...options.resilience,
        provider,
        // Retry-At and circuit times on the same clock as the worker's schedule.
        clock: { now, sleep: systemClock.sleep },
      });
      shared.set(provider, http);
    }
    return http;
  };

  const buildPsaV4 = (account: AccountRef): VehicleDataProvider => {
    const config = options.psaV4;
    if (!config) throw new ProviderNotConfiguredError('PSA v4 is not configured');
    const app = config.apps.find((candidate) => candidate.brand === account.brand);
    if (!app) throw new ProviderNotConfiguredError(`no PSA v4 application configured for ${account.brand}`);
    const endpoint: TokenEndpoint = app.clientSecret
      ? psaTokenEndpoint({
          tokenUrl: config.tokenUrl,
          clientId: app.clientId,
          clientSecret: app.clientSecret,
          realm: app.realm,
        })
      : (options.refreshEndpointFor?.(account.id) ?? {
          refresh: async () => {
            // Without the app's secret no refresh can succeed: the owner has to link again.
            throw new TokenRefreshRefusedError(
              'client_refused',
              `no client secret configured for ${account.brand}`,
            );
          },
        });
    const tokens = createTokenManager({
      store: carAccountTokenStore({ db: options.db, cipher: options.cipher, accountId: account.id, now }),
      endpoint,
      now,
    });
    const client = createPsaV4Client({
      baseUrl: config.apiBaseUrl,
      clientId: app.clientId,
      realm: app.realm,
      tokens,
      http: httpFor('psa-v4'),
    });
    return createPsaV4Provider({ client, now, ...options.psaV4Sync });
  };

  return {
    forAccount(account) {
      const cached = cache.get(account.id);
      if (cached) return cached;
      if (account.provider !== 'psa-v4') {
        throw new ProviderNotConfiguredError(`the worker does not sync ${account.provider} yet`);
      }
      const provider = buildPsaV4(account);
      cache.set(account.id, provider);
      return provider;
    },
    forget(accountId) {
      cache.delete(accountId);
    },
  };
}
