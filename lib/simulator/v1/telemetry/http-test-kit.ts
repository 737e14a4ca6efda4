import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { z } from 'zod';
import { SimClock } from '../../clock';
import { createSimContext, type SimContext } from '../../context';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import { createSimulatorServer } from '../../server';
import type { SimVehicle } from '../../world/world';
import { v1Routes } from '../routes';

// What the v1 telemetry tests share: a simulator on a free port with a frozen clock, the demo
// owner's petrol 208 and e-208, HTTP helpers and the gateway's error shape. Expectations are
// derived in the tests from the timeline, the traces and v4, never from these routes' own output.

export const NOW = Date.parse('2026-03-01T08:00:00Z');
/** The v4 upload cadence while driving (v4/status-resources DRIVING_UPLOAD_MS, restated). */
export const DRIVING_UPLOAD_MS = 30_000;
export const BASE = '/dev/connectedcar/v1';

export type Query = Record<string, string | undefined>;
export type Answer = { status: number; body: unknown };

export type TelemetryTestKit = {
  ctx: SimContext;
  combustion: SimVehicle;
  electric: SimVehicle;
  keyOf: (vehicle: SimVehicle) => string;
  /** `client_id` and `contract` for a car. */
  queryOf: (vehicle: SimVehicle) => Query;
  setNow: (ms: number) => void;
  get: (path: string, query: Query) => Promise<Answer>;
  /** A GET of a path with its query already written (repeated parameters). */
  getRaw: (pathAndQuery: string) => Promise<Answer>;
  post: (path: string, query: Query, body: unknown) => Promise<Answer>;
  expectRefusal: (answer: Answer | Promise<Answer>, status: number) => Promise<void>;
};

export const gatewayError = z.strictObject({
  httpCode: z.string().regex(/^\d{3}$/),
  httpMessage: z.string().min(1),
  moreInformation: z.string().min(1),
});

/** Starts the server before the file's tests and closes it after them. */
export function startTelemetryServer(
  seed: string,
  world: { peers?: number; backfillDays?: number } = {},
): TelemetryTestKit {
  const ctx = createSimContext({
    seed,
    peers: world.peers ?? 12,
    backfillDays: world.backfillDays,
    clock: new SimClock({ now: NOW, frozen: true }),
  });
  const [combustion, electric] = ctx.world.ownerAt(0).vehicles as [SimVehicle, SimVehicle];
  let origin = '';
  let close: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const server = createSimulatorServer(ctx, [v1Routes]);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  const keyOf = (vehicle: SimVehicle) => ctx.world.clientFor(vehicle.brand).clientId;
  const urlOf = (path: string, query: Query) => {
    const url = new URL(`${origin}${BASE}${path}`);
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(name, value);
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
    setNow: (ms) => ctx.clock.set({ now: ms, frozen: true }),
    get: async (path, query) => answer(await fetch(urlOf(path, query))),
    getRaw: async (pathAndQuery) => answer(await fetch(`${origin}${BASE}${pathAndQuery}`)),
    post: async (path, query, body) =>
      answer(
        await fetch(urlOf(path, query), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    expectRefusal: async (pending, status) => {
      const { status: actual, body } = await pending;
      expect(actual, JSON.stringify(body)).toBe(status);
      expect(gatewayError.parse(body).httpCode).toBe(String(status));
    },
  };
}

/** A trip of the car that ended before `beforeMs` and lasted at least `minS` seconds. */
export function recentTrip(ctx: SimContext, vehicle: SimVehicle, beforeMs: number, minS = 600): TripRecord {
  const trips = ctx.fleet.timelineOf(vehicle).tripsBetween(beforeMs - 3 * 86_400_000, beforeMs);
  const trip = trips
    .filter((candidate) => candidate.endMs < beforeMs && candidate.endMs - candidate.startMs >= minS * 1000)
    .at(-1);
  if (!trip)
    throw new Error(`no trip of ${minS} s for ${vehicle.id} before ${new Date(beforeMs).toISOString()}`);
  return trip;
}

/** A per-second map schema over `keys`: all of them, or (`listsecond` given) some. */
export function secondMap(keys: readonly number[], value: z.ZodType, all = true) {
  const key = z.enum(keys.map(String) as [string, ...string[]]);
  return all ? z.record(key, value) : z.partialRecord(key, value);
}

/** `{ "1": …, "2": … }` keys as numbers, sorted. */
export const keysOf = (map: object) =>
  Object.keys(map)
    .map(Number)
    .sort((a, b) => a - b);
export const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);
