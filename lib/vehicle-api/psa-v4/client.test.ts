import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamRateLimitedError } from '../http/resilient';
import { ReauthorizationNeededError } from '../provider';
import { PsaV4ApiError } from './client';
import { linkAccount, type PsaCloud, startPsaCloud, TEST_NOW } from './simulator-for-tests';

// The v4 client, its token manager and the resilient HTTP layer over REAL HTTP against the
// in-process simulated cloud (identity provider + v4), faults switched on where a test needs them.

let cloud: PsaCloud;

beforeAll(async () => {
  cloud = await startPsaCloud();
});
afterAll(async () => {
  await cloud.close();
});
afterEach(() => {
  cloud.setFaults([]);
  cloud.clock.set({ now: TEST_NOW, frozen: true });
});

const demoCar = () => {
  const car = cloud.ctx.world.ownerAt(0).vehicles.find((vehicle) => vehicle.powertrain === 'petrol');
  if (!car) throw new Error('the demo owner has a petrol 208');
  return car;
};

describe('reading the API', () => {
  it('lists the account’s cars', async () => {
    const { client } = linkAccount(cloud);
    const vehicles = await client.listVehicles();
    const expected = cloud.ctx.world.ownerAt(0).vehicles.map((vehicle) => vehicle.id);
    expect(vehicles.map((vehicle) => vehicle.id).sort()).toEqual([...expected].sort());
  });

  it('follows HAL next links through every telemetry page', async () => {
    const { client, counts } = linkAccount(cloud);
    const car = demoCar();
    const trip = cloud.ctx.fleet
      .timelineOf(car)
      .tripsBetween(TEST_NOW - 3 * 86_400_000, TEST_NOW)
      .find((candidate) => candidate.endMs - candidate.startMs > 300_000);
    if (!trip) throw new Error('the demo car drove in the last three days');
    const window = `${new Date(trip.startMs).toISOString()}/${new Date(trip.startMs + 250_000).toISOString()}`;
    const before = counts.apiRequests;
    const result = await client.telemetry(car.id, { timestamps: [window], pageSize: 100 });
    // 250 one-second messages in [start, start + 250 s): pages of 100, 100 and 50.
    expect(result.complete).toBe(true);
    expect(result.items).toHaveLength(250);
    expect(counts.apiRequests - before).toBe(3);
    const times = result.items.map((item) => Date.parse(item.createdAt ?? ''));
    expect(times[0]).toBe(trip.startMs);
    expect(new Set(times).size).toBe(250);
  });

  it('stops at maxPages and says the walk is incomplete', async () => {
    const { client } = linkAccount(cloud);
    const car = demoCar();
    const result = await client.telemetry(car.id, {
      timestamps: [`${new Date(TEST_NOW - 3 * 86_400_000).toISOString()}/`],
      pageSize: 10,
      maxPages: 2,
    });
    expect(result.items).toHaveLength(20);
    expect(result.complete).toBe(false);
  });

  it('answers an empty collection (404 40499) as no data, not an error', async () => {
    const { client } = linkAccount(cloud);
    const car = demoCar();
    // A window in which nothing happened: one second, ten years ago.
    const result = await client.trips(car.id, { timestamps: ['2016-01-01T00:00:00Z/2016-01-01T00:00:01Z'] });
    expect(result).toEqual({ items: [], complete: true });
  });

  it('refuses another owner’s car with the API’s error', async () => {
    const { client } = linkAccount(cloud);
    const foreign = cloud.ctx.world.ownerAt(1).vehicles[0];
    if (!foreign) throw new Error('peer 1 has a car');
    const error = await client.status(foreign.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PsaV4ApiError);
    expect((error as PsaV4ApiError).status).toBe(403);
  });
});

describe('tokens over real HTTP', () => {
  it('refreshes exactly once for 20 concurrent requests refused with a dead token', async () => {
    const account = linkAccount(cloud);
    // The provider forgets the access token (the refresh token stays good).
    cloud.ctx.tokens.revoke(account.issued.access_token);
    const car = demoCar();
    const answers = await Promise.all(Array.from({ length: 20 }, () => account.client.status(car.id)));
    expect(answers.every((status) => status !== null)).toBe(true);
    expect(account.counts.refreshes).toBe(1);
    expect(account.memory.current()?.accessToken).not.toBe(account.issued.access_token);
  });

  it('refreshes before use when the token expires mid-run (the clock moves an hour)', async () => {
    const account = linkAccount(cloud);
    const car = demoCar();
    await account.client.status(car.id);
    expect(account.counts.refreshes).toBe(0);
    cloud.clock.set({ now: TEST_NOW + 3600_000 });
    const requestsBefore = account.counts.apiRequests;
    expect(await account.client.status(car.id)).not.toBeNull();
    expect(account.counts.refreshes).toBe(1);
    // Refreshed early: no request went out with the dead token.
    expect(account.counts.apiRequests - requestsBefore).toBe(1);
  });

  it('a revoked grant ends in ReauthorizationNeededError after one refresh, then no more traffic', async () => {
    const account = linkAccount(cloud);
    cloud.ctx.tokens.revokeGrant(account.issued.access_token);
    const car = demoCar();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => account.client.status(car.id)));
    for (const result of results) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ReauthorizationNeededError);
    }
    expect(account.counts.refreshes).toBe(1);
    expect(account.memory.marks).toEqual(['grant_refused']);
    const requests = account.counts.apiRequests;
    await expect(account.client.status(car.id)).rejects.toBeInstanceOf(ReauthorizationNeededError);
    expect(account.counts.apiRequests).toBe(requests);
    expect(account.counts.refreshes).toBe(1);
  });

  it('the token_revoked fault (grant withdrawn at the provider) ends the same way', async () => {
    const account = linkAccount(cloud);
    cloud.setFaults([{ kind: 'token_revoked', rate: 1, endpoints: ['/connectedcar/v4/**'] }]);
    await expect(account.client.status(demoCar().id)).rejects.toBeInstanceOf(ReauthorizationNeededError);
    expect(account.counts.refreshes).toBe(1);
  });
});

describe('upstream faults over real HTTP', () => {
  it('retries 5xx answers and connection resets, then gives the API’s error', async () => {
    const account = linkAccount(cloud, { resilience: { maxAttempts: 3, failureThreshold: 100 } });
    cloud.setFaults([
      { kind: 'server_error', rate: 1, endpoints: ['/connectedcar/v4/user/vehicles/*/status'] },
    ]);
    const error = await account.client.status(demoCar().id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PsaV4ApiError);
    expect([500, 503]).toContain((error as PsaV4ApiError).status);
    expect(account.counts.apiRequests).toBe(3);
  });

  it('a truncated body is retried until a whole one arrives', async () => {
    const account = linkAccount(cloud, { resilience: { maxAttempts: 10, failureThreshold: 100 } });
    // Half of the answers are cut off: with ten attempts a whole one comes through.
    cloud.setFaults([
      { kind: 'truncated', rate: 0.5, endpoints: ['/connectedcar/v4/user/vehicles/*/status'] },
    ]);
    expect(await account.client.status(demoCar().id)).not.toBeNull();
  });

  it('429 with Retry-After: a caller that cannot wait gets the instant to come back', async () => {
    const account = linkAccount(cloud);
    cloud.setFaults([
      { kind: 'rate_limit', rate: 1, endpoints: ['/connectedcar/v4/**'], params: { retryAfterS: 42 } },
    ]);
    const before = Date.now();
    const error = await account.client.status(demoCar().id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    const retryAt = (error as UpstreamRateLimitedError).retryAt;
    expect(retryAt).toBeGreaterThanOrEqual(before + 42_000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 42_000);
  });
});
