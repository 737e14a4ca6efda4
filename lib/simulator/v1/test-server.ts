import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { z } from 'zod';
import { SimClock } from '../clock';
import { createSimContext, type SimContext } from '../context';
import { createSimulatorServer } from '../server';
import type { RateLimitOptions } from '../v4/rate-limiter';
import { issueTestCredentials } from '../v4/test-server';
import { createV4Routes } from '../v4/user-routes';
import type { SimVehicle } from '../world/world';
import { createV1Routes } from './routes';

// Test support for v1: the simulator with v1 (and v4, to compare the two) on a free local port, in
// a small world on a frozen clock, with HTTP helpers and the gateway's error shape. Frozen time puts
// every call in one second, so the gateway's burst limit is lifted unless a test sets its own.
// Expectations belong in the tests, derived from the timeline, the traces or v4 — never from
// these routes' own output.

export const V1_TEST_NOW = Date.parse('2026-03-01T08:00:00Z');
export const V1_BASE = '/dev/connectedcar/v1';

/** Query parameters; an array repeats the parameter, undefined leaves it out. */
export type Query = Record<string, string | readonly string[] | undefined>;
export type Answer = { status: number; body: unknown };

export const gatewayErrorSchema = z.strictObject({
  httpCode: z.string().regex(/^\d{3}$/),
  httpMessage: z.string().min(1),
  moreInformation: z.string().min(1),
});

export type GatewayError = z.infer<typeof gatewayErrorSchema>;

export type V1ServerOptions = {
  seed: string;
  peers?: number;
  backfillDays?: number;
  now?: number;
  rateLimit?: RateLimitOptions;
};

export type V1TestServer = {
  ctx: SimContext;
  /** The demo owner's petrol 208 and e-208. */
  combustion: SimVehicle;
  electric: SimVehicle;
  /** The v1 key (`client_id`) of the car's brand. */
  keyOf: (vehicle: SimVehicle) => string;
  /** `client_id` and `contract` of a car. */
  queryOf: (vehicle: SimVehicle) => Query;
  /** `client_id`, `contract`, `locale` (en_GB unless given) and `brand` of a car. */
  labelledQueryOf: (vehicle: SimVehicle, locale?: string) => Query;
  setNow: (ms: number) => void;
  get: (path: string, query: Query) => Promise<Answer>;
  /** A GET of a path with its query already written. */
  getRaw: (pathAndQuery: string) => Promise<Answer>;
  /** A JSON body, or `body` sent as is when it is a string. */
  post: (path: string, query: Query, body: unknown) => Promise<Answer>;
  put: (path: string, query: Query) => Promise<Answer>;
  /** A v4 GET under /connectedcar/v4 (or an absolute HAL link) as owner `ownerIndex`, every scope. */
  v4Get: (path: string, ownerIndex: number) => Promise<Answer>;
  /** Asserts a 200 (the body in the message otherwise) and gives its body. */
  expectOk: (answer: Answer | Promise<Answer>) => Promise<unknown>;
  /** Asserts a refusal: its status and the gateway body carrying the same code; gives that body. */
  expectRefusal: (answer: Answer | Promise<Answer>, status: number) => Promise<GatewayError>;
};

/**
 * Starts the server before the file's tests and closes it after them. Call it at a test file's top
 * level (it registers beforeAll/afterAll).
 */
export function setupV1Server(options: V1ServerOptions): V1TestServer {
  const ctx = createSimContext({
    seed: options.seed,
    peers: options.peers ?? 12,
    backfillDays: options.backfillDays,
    clock: new SimClock({ now: options.now ?? V1_TEST_NOW, frozen: true }),
  });
  const [combustion, electric] = ctx.world.ownerAt(0).vehicles as [SimVehicle, SimVehicle];
  const rateLimit = { perSecond: 1_000_000, ...options.rateLimit };
  let origin = '';
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const server = createSimulatorServer(ctx, [createV1Routes({ rateLimit }), createV4Routes({ rateLimit })]);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  const keyOf = (vehicle: SimVehicle) => ctx.world.clientFor(vehicle.brand).clientId;
  const urlOf = (path: string, query: Query) => {
    const url = new URL(`${origin}${V1_BASE}${path}`);
    for (const [name, value] of Object.entries(query)) {
      for (const item of typeof value === 'string' ? [value] : (value ?? []))
        url.searchParams.append(name, item);
    }
    return url;
  };
  const answer = async (response: Response): Promise<Answer> => ({
    status: response.status,
    body: (await response.json()) as unknown,
  });

  return {
    ctx,
    combustion,
    electric,
    keyOf,
    queryOf: (vehicle) => ({ client_id: keyOf(vehicle), contract: vehicle.contract }),
    labelledQueryOf: (vehicle, locale = 'en_GB') => ({
      client_id: keyOf(vehicle),
      contract: vehicle.contract,
      locale,
      brand: vehicle.brand === 'peugeot' ? 'P' : 'C',
    }),
    setNow: (ms) => ctx.clock.set({ now: ms, frozen: true }),
    get: async (path, query) => answer(await fetch(urlOf(path, query))),
    getRaw: async (pathAndQuery) => answer(await fetch(`${origin}${V1_BASE}${pathAndQuery}`)),
    post: async (path, query, body) =>
      answer(
        await fetch(urlOf(path, query), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    put: async (path, query) => answer(await fetch(urlOf(path, query), { method: 'PUT' })),
    v4Get: async (path, ownerIndex) => {
      const { credentials } = issueTestCredentials(ctx, ownerIndex);
      const url = new URL(path.startsWith('http') ? path : `${origin}/connectedcar/v4${path}`);
      if (!url.searchParams.has('client_id')) url.searchParams.append('client_id', credentials.clientId);
      return answer(
        await fetch(url, {
          headers: {
            accept: 'application/hal+json',
            authorization: `Bearer ${credentials.token}`,
            'x-introspect-realm': credentials.realm,
          },
        }),
      );
    },
    expectOk: async (pending) => {
      const { status, body } = await pending;
      expect(status, JSON.stringify(body)).toBe(200);
      return body;
    },
    expectRefusal: async (pending, status) => {
      const { status: actual, body } = await pending;
      expect(actual, JSON.stringify(body)).toBe(status);
      const refusal = gatewayErrorSchema.parse(body);
      expect(refusal.httpCode).toBe(String(status));
      return refusal;
    },
  };
}
