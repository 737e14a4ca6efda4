import 'server-only';
import type { AddressInfo } from 'node:net';
import { SimClock } from '../../simulator/clock';
import { createSimContext } from '../../simulator/context';
import type { FaultRule } from '../../simulator/faults/rules';
import { FaultSwitchboard } from '../../simulator/faults/switchboard';
import { oauthRoutes } from '../../simulator/oauth/identity-provider';
import { createSimulatorServer } from '../../simulator/server';
import { issueTestCredentials } from '../../simulator/v4/test-server';
import { createV4Routes } from '../../simulator/v4/user-routes';
import { createResilientHttp, type ResilienceOptions } from '../http/resilient';
import { plainHttp } from '../http/upstream';
import type { PsaApp } from '../psa-config';
import { createPsaV4Client } from './client';
import {
  createTokenManager,
  psaTokenEndpoint,
  type ReauthorizationReason,
  type StoredTokens,
  type TokenStore,
} from './tokens';

// TEST SUPPORT ONLY (imported by the colocated *.test.ts files, never by adapter code): the
// simulated vehicle cloud in-process — identity providers and v4, fault switches on — on a free
// local port with a frozen clock, and the adapter stack (resilient HTTP → token manager → client)
// wired to it exactly as it would be to api.groupe-psa.com: base URLs and credentials only.

export const TEST_NOW = Date.parse('2026-03-01T08:00:00Z');

export async function startPsaCloud(seed = 'psa-v4-adapter') {
  const clock = new SimClock({ now: TEST_NOW, frozen: true });
  const ctx = createSimContext({ seed, peers: 4, clock, faults: new FaultSwitchboard(undefined, { seed }) });
  // A frozen clock puts every call in one second: the burst limit is lifted, as in the v4 tests.
  const server = createSimulatorServer(
    ctx,
    [oauthRoutes, createV4Routes({ rateLimit: { perSecond: 1_000_000 } })],
    {
      webhooks: false,
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const setFaults = (rules: FaultRule[]) => ctx.faults.set({ rules });
  return { ctx, clock, origin, close, setFaults };
}

export type PsaCloud = Awaited<ReturnType<typeof startPsaCloud>>;

/** Kinetic's Peugeot application as configured against this cloud's identity provider. */
export function peugeotAppOf(cloud: PsaCloud): PsaApp {
  const client = cloud.ctx.world.clients.find((candidate) => candidate.brand === 'peugeot');
  if (!client) throw new Error('the simulated world has no Peugeot client');
  const idp = `${cloud.origin}/peugeot/am/oauth2`;
  return {
    brand: 'peugeot',
    realm: 'clientsB2CPeugeot',
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    // vehicle-apis.md §2.1: the id_token issuer is the brand's IdP host.
    issuer: 'https://idpcvs.peugeot.com/am/oauth2',
    authorizeUrl: `${idp}/authorize`,
    tokenUrl: `${idp}/access_token`,
    revokeUrl: `${idp}/token/revoke`,
    userinfoUrl: `${idp}/userinfo`,
  };
}

/** An in-memory token store that records what happens to it. */
export function memoryTokenStore(initial: StoredTokens | null) {
  let tokens = initial;
  const marks: ReauthorizationReason[] = [];
  const store: TokenStore = {
    load: async () => (marks.length > 0 ? null : tokens),
    save: async (next) => {
      tokens = next;
      return next;
    },
    markReauthorizationNeeded: async (reason) => {
      marks.push(reason);
    },
  };
  return { store, marks, current: () => tokens };
}

/**
 * The adapter stack for an owner's account (the demo owner by default), with a freshly issued token
 * pair, counting the token endpoint's refreshes and the API's requests.
 */
export function linkAccount(
  cloud: PsaCloud,
  options: { ownerIndex?: number; resilience?: Partial<ResilienceOptions> } = {},
) {
  const { ctx } = cloud;
  const ownerIndex = options.ownerIndex ?? 0;
  const { owner, client: app, issued } = issueTestCredentials(ctx, ownerIndex);
  const memory = memoryTokenStore({
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token,
    expiresAt: ctx.clock.now() + issued.expires_in * 1000,
  });
  const counts = { refreshes: 0, apiRequests: 0 };
  const endpoint = psaTokenEndpoint({
    tokenUrl: `${cloud.origin}/am/oauth2/access_token`,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    realm: app.realm,
    fetch: (input, init) => {
      counts.refreshes++;
      return fetch(input, init);
    },
  });
  // The token's expiry is on the cloud's clock (the simulated one here, real time in production).
  const tokens = createTokenManager({ store: memory.store, endpoint, now: () => ctx.clock.now() });
  const http = createResilientHttp(
    {
      request: (request) => {
        counts.apiRequests++;
        return plainHttp.request(request);
      },
    },
    { provider: 'psa-v4', baseDelayMs: 1, capDelayMs: 5, maxWaitMs: 0, ...options.resilience },
  );
  const client = createPsaV4Client({
    baseUrl: `${cloud.origin}/connectedcar/v4`,
    clientId: app.clientId,
    realm: app.realm,
    tokens,
    http,
  });
  return { owner, app, issued, memory, counts, tokens, client };
}
