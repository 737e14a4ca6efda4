import { describe, expect, it } from 'vitest';
import { createResilientHttp } from '../http/resilient';
import type { UpstreamHttp, UpstreamRequest } from '../http/upstream';
import { ReauthorizationNeededError } from '../provider';
import statusFixture from './__fixtures__/status-thermic.json';
import { createPsaV4Client, PsaV4ApiError } from './client';
import { memoryTokenStore } from './simulator-for-tests';
import { createTokenManager, type TokenEndpoint, TokenRefreshRefusedError } from './tokens';

// The client's 401 handling with a scripted upstream: which token each request carried decides the
// answer, so concurrency and refresh counts are exact.

const T0 = Date.parse('2026-03-01T08:00:00Z');
const BASE = 'https://api.example/connectedcar/v4';

/** 200 for the tokens in `good`, the gateway's 401 for any other. */
function gateway(good: ReadonlySet<string>) {
  const seen: UpstreamRequest[] = [];
  const http: UpstreamHttp = {
    async request(request) {
      seen.push(request);
      await new Promise((resolve) => setTimeout(resolve, 1));
      const token = request.headers?.authorization?.replace(/^Bearer /, '') ?? '';
      if (good.has(token)) return { status: 200, headers: new Headers(), body: statusFixture };
      return {
        status: 401,
        headers: new Headers(),
        body: { httpCode: '401', httpMessage: 'Unauthorized', moreInformation: 'Token is invalid' },
      };
    },
  };
  return { http, seen };
}

function endpoint(answer: () => string | Error) {
  let refreshes = 0;
  const tokenEndpoint: TokenEndpoint = {
    async refresh() {
      refreshes++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const result = answer();
      if (result instanceof Error) throw result;
      return { accessToken: result, expiresInS: 3599 };
    },
  };
  return { tokenEndpoint, refreshes: () => refreshes };
}

function clientWith(http: UpstreamHttp, tokenEndpoint: TokenEndpoint) {
  const memory = memoryTokenStore({ accessToken: 'old', refreshToken: 'refresh', expiresAt: T0 + 3_000_000 });
  const tokens = createTokenManager({ store: memory.store, endpoint: tokenEndpoint, now: () => T0 });
  const client = createPsaV4Client({
    baseUrl: BASE,
    clientId: 'app',
    realm: 'clientsB2CPeugeot',
    tokens,
    http: createResilientHttp(http, { provider: 'psa-v4' }),
  });
  return { client, memory };
}

describe('401 handling', () => {
  it('20 concurrent requests refused with an expired token: one refresh, every request retried once', async () => {
    const upstream = gateway(new Set(['new']));
    const refresh = endpoint(() => 'new');
    const { client } = clientWith(upstream.http, refresh.tokenEndpoint);
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.status('car-1')));
    expect(answers.every((status) => status?.createdAt === '2024-05-10T11:47:12Z')).toBe(true);
    expect(refresh.refreshes()).toBe(1);
    expect(upstream.seen).toHaveLength(40);
    // Every request carries the realm and the application id, and no token rides in the URL.
    for (const request of upstream.seen) {
      expect(request.headers?.['x-introspect-realm']).toBe('clientsB2CPeugeot');
      expect(new URL(request.url).searchParams.get('client_id')).toBe('app');
      expect(request.url).not.toMatch(/old|new/);
    }
  });

  it('a revoked grant: one refresh attempt, then ReauthorizationNeededError, bounded traffic', async () => {
    const upstream = gateway(new Set());
    const refresh = endpoint(() => new TokenRefreshRefusedError('grant_refused', 'invalid_grant'));
    const { client, memory } = clientWith(upstream.http, refresh.tokenEndpoint);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => client.status('car-1')));
    expect(
      results.every(
        (result) => result.status === 'rejected' && result.reason instanceof ReauthorizationNeededError,
      ),
    ).toBe(true);
    expect(refresh.refreshes()).toBe(1);
    expect(memory.marks).toEqual(['grant_refused']);
    expect(upstream.seen.length).toBeLessThanOrEqual(20);
  });

  it('fresh tokens refused again and again: stops after three refreshes, never loops', async () => {
    const upstream = gateway(new Set());
    let n = 0;
    const refresh = endpoint(() => `fresh-${++n}`);
    const { client, memory } = clientWith(upstream.http, refresh.tokenEndpoint);
    const outcomes: unknown[] = [];
    for (let i = 0; i < 5; i++) outcomes.push(await client.status('car-1').catch((error: unknown) => error));
    expect(outcomes.some((outcome) => outcome instanceof ReauthorizationNeededError)).toBe(true);
    expect(
      outcomes.every(
        (outcome) => outcome instanceof ReauthorizationNeededError || outcome instanceof PsaV4ApiError,
      ),
    ).toBe(true);
    // MAX_FRESH_REJECTIONS: three fresh tokens refused in a row, none ever accepted.
    expect(refresh.refreshes()).toBe(3);
    expect(memory.marks).toEqual(['tokens_refused']);
  });

  it('a refused application id is a configuration error: no refresh', async () => {
    const http: UpstreamHttp = {
      request: async () => ({
        status: 401,
        headers: new Headers(),
        body: {
          httpCode: '401',
          httpMessage: 'Unauthorized',
          moreInformation: 'Invalid client id or secret.',
        },
      }),
    };
    const refresh = endpoint(() => 'new');
    const { client } = clientWith(http, refresh.tokenEndpoint);
    await expect(client.status('car-1')).rejects.toBeInstanceOf(PsaV4ApiError);
    expect(refresh.refreshes()).toBe(0);
  });

  it('never follows a next link to another host (the bearer token stays home)', async () => {
    const page = (next: string) => ({
      _links: { self: { href: `${BASE}/user/vehicles` }, next: { href: next } },
      total: 2,
      totalPage: 2,
      currentPage: 1,
      _embedded: { vehicles: [{ id: 'a', _links: { self: { href: `${BASE}/user/vehicles/a` } } }] },
    });
    const seen: string[] = [];
    const http: UpstreamHttp = {
      request: async (request) => {
        seen.push(request.url);
        return {
          status: 200,
          headers: new Headers(),
          body: page('https://evil.example/connectedcar/v4/user/vehicles?pageToken=x'),
        };
      },
    };
    const { client } = clientWith(http, endpoint(() => 'new').tokenEndpoint);
    await expect(client.listVehicles()).rejects.toThrow(/outside the API/);
    expect(seen).toHaveLength(1);
  });
});
