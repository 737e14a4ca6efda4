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
import type { ProviderVehicleRef, VehicleDataProvider } from '../vehicle-api/provider';
import type { PsaConfig } from '../vehicle-api/psa-config';
import { createPsaV1Client } from '../vehicle-api/psa-v1/client';
import { PsaV1ConfigurationError } from '../vehicle-api/psa-v1/errors';
import {
  createPsaV1Provider,
  type PsaV1Brand,
  type PsaV1ProviderOptions,
} from '../vehicle-api/psa-v1/provider';
import {
  createPsaV4CallbacksClient,
  type PsaV4CallbacksClient,
} from '../vehicle-api/psa-v4/callbacks-client';
import { createPsaV4Client } from '../vehicle-api/psa-v4/client';
import { createPsaV4Provider, type PsaV4ProviderOptions } from '../vehicle-api/psa-v4/provider';
import { carAccountTokenStore } from '../vehicle-api/psa-v4/token-store';
import {
  createTokenManager,
  psaTokenEndpoint,
  type TokenEndpoint,
  type TokenManager,
  TokenRefreshRefusedError,
} from '../vehicle-api/psa-v4/tokens';
import { budgetedHttp, createTokenBucket, DEFAULT_REQUEST_BUDGET } from './token-bucket';

// Builds the VehicleDataProvider of one car account, the way the worker needs it, for PSA v4 and v1:
// - v4: tokens from the account's encrypted token store, base URL, client id and realm from
//   configuration;
// - v1: the brand application's API key (its client id) from configuration, and per car the VIN and
//   contract the link stored (car_account_vehicles); the account holds no owner tokens.
// HTTP goes through the provider's request budget and resilience layer either way.
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
  /** The brand's IdP token endpoint (each brand has its own host); else the config's `tokenUrl`. */
  tokenUrl?: string;
};

export type PsaV4Config = {
  /** `https://api.groupe-psa.com/connectedcar/v4`, or the simulator's. */
  apiBaseUrl: string;
  /** A token endpoint for apps that name none (`https://idpcvs.peugeot.com/am/oauth2/access_token`). */
  tokenUrl?: string;
  apps: PsaV4App[];
};

/** PSA v1: one API key per brand application (the app's client id, vehicle-apis.md §7). */
export type PsaV1Config = {
  /** `https://api.mpsa.com/api/dev/1.0`, or the simulator's `…/dev/connectedcar/v1`. */
  baseUrl: string;
  apps: readonly { brand: string; clientId: string }[];
};

/** The provider factory's PSA options from the installation's configuration (env or simulator). */
export function providerConfigOf(config: PsaConfig): { psaV4: PsaV4Config; psaV1: PsaV1Config } {
  return {
    psaV4: { apiBaseUrl: config.apiBaseUrl, apps: config.apps },
    psaV1: { baseUrl: config.v1BaseUrl, apps: config.apps },
  };
}

export const PSA_V1_BRANDS: readonly PsaV1Brand[] = ['peugeot', 'citroen', 'ds'];

export function isPsaV1Brand(brand: string): brand is PsaV1Brand {
  return (PSA_V1_BRANDS as readonly string[]).includes(brand);
}

/** What the factory needs of an account (never its tokens: the token store reads those). */
export type AccountRef = { id: string; provider: string; brand: string };

export type ProviderFactoryOptions = {
  db: Kysely<Database>;
  cipher: TokenCipher;
  psaV4: PsaV4Config | null;
  /** PSA v1 (absent or null: v1 accounts are not synced). */
  psaV1?: PsaV1Config | null;
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
  /** Sync tuning of the PSA v1 provider. */
  psaV1Sync?: Pick<PsaV1ProviderOptions, 'backfillDays' | 'tripPositions'>;
};

export type ProviderFactory = {
  forAccount(account: AccountRef): VehicleDataProvider;
  /** Drops the cached provider (after re-authorisation: new tokens need a new token manager). */
  forget(accountId: string): void;
};

/** The factory's second face: PSA v4 callbacks clients (callback-subscriptions.ts). */
export type CallbackClients = {
  /**
   * The callbacks client of a v4 account, sharing the account's token manager with its provider:
   * one refresh serves both. `forget` drops it too.
   */
  callbacksFor(account: AccountRef): PsaV4CallbacksClient;
};

/** Our own 429 handling waits at most this long in-line; a longer Retry-After reschedules the car. */
export const WORKER_MAX_RATE_LIMIT_WAIT_MS = 5_000;

export class ProviderNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderNotConfiguredError';
  }
}

export function createProviderFactory(options: ProviderFactoryOptions): ProviderFactory & CallbackClients {
  const now = options.now ?? Date.now;
  const cache = new Map<string, VehicleDataProvider>();
  const callbacks = new Map<string, PsaV4CallbacksClient>();
  /** v4 accounts' token managers and apps, shared by the provider and the callbacks client. */
  const v4Accounts = new Map<string, { tokens: TokenManager; app: PsaV4App; apiBaseUrl: string }>();
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

  const v4AccountOf = (account: AccountRef) => {
    const known = v4Accounts.get(account.id);
    if (known) return known;
    const config = options.psaV4;
    if (!config) throw new ProviderNotConfiguredError('PSA v4 is not configured');
    const app = config.apps.find((candidate) => candidate.brand === account.brand);
    if (!app) throw new ProviderNotConfiguredError(`no PSA v4 application configured for ${account.brand}`);
    const tokenUrl = app.tokenUrl ?? config.tokenUrl;
    const endpoint: TokenEndpoint =
      app.clientSecret && tokenUrl
        ? psaTokenEndpoint({
            tokenUrl,
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
    const entry = { tokens, app, apiBaseUrl: config.apiBaseUrl };
    v4Accounts.set(account.id, entry);
    return entry;
  };

  const buildPsaV4 = (account: AccountRef): VehicleDataProvider => {
    const { tokens, app, apiBaseUrl } = v4AccountOf(account);
    const client = createPsaV4Client({
      baseUrl: apiBaseUrl,
      clientId: app.clientId,
      realm: app.realm,
      tokens,
      http: httpFor('psa-v4'),
    });
    return createPsaV4Provider({ client, now, ...options.psaV4Sync });
  };

  /**
   * v1 has no account to list cars from: each linked car is named by its VIN and contract, which
   * the worker hands over with every sync (ProviderVehicleRef, from car_account_vehicles). One v1
   * provider per car, built on its first sync, keeps that car's alert referential cached; the
   * contract of each sync wins over the one it was built with (a renewed contract).
   */
  const buildPsaV1 = (account: AccountRef): VehicleDataProvider => {
    const config = options.psaV1;
    if (!config) throw new ProviderNotConfiguredError('PSA v1 is not configured');
    const brand = account.brand;
    if (!isPsaV1Brand(brand)) throw new ProviderNotConfiguredError(`PSA v1 does not serve ${brand} cars`);
    const app = config.apps.find((candidate) => candidate.brand === brand);
    if (!app) throw new ProviderNotConfiguredError(`no PSA v1 API key configured for ${brand}`);
    const client = createPsaV1Client({
      baseUrl: config.baseUrl,
      apiKey: app.clientId,
      http: httpFor('psa-v1'),
      now,
    });
    const perCar = new Map<string, VehicleDataProvider>();
    return {
      provider: 'psa-v1',
      // The cars are the links (connect-v1.ts), not something the API can list.
      listVehicles: async () => [],
      sync(vehicle: ProviderVehicleRef, cursor) {
        const vin = vehicle.vin ?? vehicle.providerVehicleId;
        const contract = vehicle.contract;
        if (!contract) {
          throw new PsaV1ConfigurationError('sync', null, 'the linked car has no contract');
        }
        let provider = perCar.get(vin);
        if (!provider) {
          provider = createPsaV1Provider({
            client,
            vehicles: [{ vin, contract, brand }],
            now,
            ...options.psaV1Sync,
          });
          perCar.set(vin, provider);
        }
        return provider.sync({ ...vehicle, vin, contract }, cursor);
      },
    };
  };

  return {
    forAccount(account) {
      const cached = cache.get(account.id);
      if (cached) return cached;
      let provider: VehicleDataProvider;
      if (account.provider === 'psa-v4') provider = buildPsaV4(account);
      else if (account.provider === 'psa-v1') provider = buildPsaV1(account);
      else throw new ProviderNotConfiguredError(`the worker does not sync ${account.provider}`);
      cache.set(account.id, provider);
      return provider;
    },
    callbacksFor(account) {
      const cached = callbacks.get(account.id);
      if (cached) return cached;
      if (account.provider !== 'psa-v4') {
        throw new ProviderNotConfiguredError(`${account.provider} has no callbacks`);
      }
      const { tokens, app, apiBaseUrl } = v4AccountOf(account);
      const client = createPsaV4CallbacksClient({
        baseUrl: apiBaseUrl,
        clientId: app.clientId,
        realm: app.realm,
        tokens,
        http: httpFor('psa-v4'),
      });
      callbacks.set(account.id, client);
      return client;
    },
    forget(accountId) {
      cache.delete(accountId);
      callbacks.delete(accountId);
      v4Accounts.delete(accountId);
    },
  };
}
