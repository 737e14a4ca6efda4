import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '@/lib/simulator/fleet/vehicle-timeline';
import { plainHttp, type UpstreamHttp } from '../http/upstream';
import { createPsaV1Client, type PsaV1Car, type PsaV1Client } from './client';
import {
  PsaV1ConfigurationError,
  PsaV1MalformedAnswerError,
  PsaV1RateLimitedError,
  PsaV1UpstreamError,
  retryAfterMs,
} from './errors';
import { startV1Simulator, type V1Simulator } from './simulator-for-tests';
import { psaV1Day, psaV1Month } from './time';

// The v1 client over real HTTP against the in-process simulator: the POST list twins answer what
// the per-car operations answer, and each kind of refusal becomes its typed error.

const NOW = Date.parse('2026-03-01T08:00:00Z');

let sim: V1Simulator;
let client: PsaV1Client;
let petrol: PsaV1Car;
let electric: PsaV1Car;

beforeAll(async () => {
  sim = await startV1Simulator({ seed: 'psa-v1-client', now: NOW });
  client = createPsaV1Client({
    baseUrl: `${sim.baseUrl}/`,
    apiKey: sim.keyOf(sim.combustion),
    http: plainHttp,
  });
  petrol = { vin: sim.combustion.vin, contract: sim.combustion.contract, brand: 'P' };
  electric = { vin: sim.electric.vin, contract: sim.electric.contract, brand: 'P' };
});
afterAll(() => sim.close());
beforeEach(() => sim.ctx.faults.set({ rules: [] }));

describe('the POST list twins', () => {
  it('answer for every car what the per-car operations answer', async () => {
    const cars = [petrol, electric];
    expect(await client.runningDataList(cars)).toEqual([
      await client.runningData(petrol),
      await client.runningData(electric),
    ]);
    expect(await client.environmentList(cars)).toEqual([
      await client.environment(petrol),
      await client.environment(electric),
    ]);
    expect(await client.maintenanceList(cars)).toEqual([
      await client.maintenance(petrol),
      await client.maintenance(electric),
    ]);
    const range = { from: psaV1Day(NOW - DAY_MS), to: psaV1Day(NOW), limit: 50 };
    const [petrolTrips, electricTrips] = [
      await client.periodTrips(petrol, range),
      await client.periodTrips(electric, range),
    ];
    expect(await client.tripList(cars, range)).toEqual([...petrolTrips.trips, ...electricTrips.trips]);
    const days = { fromDay: psaV1Day(NOW - DAY_MS), toDay: psaV1Day(NOW) };
    expect(await client.ecoPerDayList(cars, days)).toEqual([
      ...(await client.ecoPerDay(petrol, days)),
      ...(await client.ecoPerDay(electric, days)),
    ]);
    // March 2026 (one day of it by NOW): a whole month would simulate a month of traces.
    const months = { fromMonth: psaV1Month(NOW), toMonth: psaV1Month(NOW) };
    expect(await client.ecoPerMonthList(cars, months)).toEqual([
      ...(await client.ecoPerMonth(petrol, months)),
      ...(await client.ecoPerMonth(electric, months)),
    ]);
    for (const active of [true, false]) {
      const perCar = [
        ...(await client.alerts(petrol, active)).listAlert,
        ...(await client.alerts(electric, active)).listAlert,
      ];
      const listed = await client.alertList(cars, active);
      expect(listed.map(({ vin: _vin, contract: _contract, ...item }) => item)).toEqual(perCar);
    }
  }, 20_000);

  it('ask metric trips: unit=0 answers the same distance as the per-trip operation', async () => {
    const page = await client.lastTrips(petrol, 1);
    const [first] = page.trips;
    expect(first).toBeDefined();
    if (!first) return;
    expect(await client.tripById(petrol, first.tripId)).toEqual(first);
    const evaluation = await client.ecoTrip(petrol, first.tripId);
    expect(evaluation.tripId).toBe(first.tripId);
  });
});

describe('refusals', () => {
  it('a bad key is a configuration error, and the key is not in the message', async () => {
    const wrong = createPsaV1Client({ baseUrl: sim.baseUrl, apiKey: 'secret-wrong-key', http: plainHttp });
    const error = await wrong.runningData(petrol).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PsaV1ConfigurationError);
    expect((error as Error).message).not.toContain('secret-wrong-key');
  });

  it('429 carries Retry-After; 5xx is an upstream error', async () => {
    sim.ctx.faults.set({ rules: [{ kind: 'rate_limit', rate: 1, params: { retryAfterS: 30 } }] });
    const limited = await client.maintenance(petrol).catch((caught: unknown) => caught);
    expect(limited).toBeInstanceOf(PsaV1RateLimitedError);
    expect((limited as PsaV1RateLimitedError).retryAfterMs).toBe(30_000);

    sim.ctx.faults.set({ rules: [{ kind: 'server_error', rate: 1 }] });
    const failed = await client.maintenance(petrol).catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(PsaV1UpstreamError);
    expect([500, 503]).toContain((failed as PsaV1UpstreamError).status);
  });

  it('a body that is not JSON is malformed', async () => {
    sim.ctx.faults.set({ rules: [{ kind: 'malformed', rate: 1 }] });
    await expect(client.runningData(petrol)).rejects.toBeInstanceOf(PsaV1MalformedAnswerError);
  });

  it('JSON that breaks the schema is malformed too', async () => {
    // A hand-written answer: the per-second map has a key the spec does not list (“5” of a 10-s map).
    const http: UpstreamHttp = {
      request: async () => ({
        status: 200,
        headers: new Headers(),
        body: { engineSpeed: { '5': 900 }, vin: petrol.vin },
      }),
    };
    const broken = createPsaV1Client({ baseUrl: sim.baseUrl, apiKey: 'k', http });
    await expect(broken.runningData(petrol)).rejects.toMatchObject({ code: 'malformed', status: 200 });
  });

  it('Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 08:01:00 GMT', NOW)).toBe(60_000);
    expect(retryAfterMs('soon', NOW)).toBeNull();
    expect(retryAfterMs(null, NOW)).toBeNull();
  });
});
