import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alertsBetween } from '@/lib/simulator/fleet/alerts';
import { DAY_MS, type TripRecord } from '@/lib/simulator/fleet/vehicle-timeline';
import type { SimVehicle } from '@/lib/simulator/world/world';
import { ENGINES, openTestDatabase, type TestDatabase } from '../../test/db-harness';
import { connectV1Car } from '../car-accounts/connect-v1';
import { createTokenCipher } from '../crypto/token-cipher';
import { getSyncState } from '../db/queries/sync-state';
import { createUser } from '../db/queries/users';
import type { Database } from '../db/schema';
import type { PsaV1Brand } from '../vehicle-api/psa-v1/provider';
import { startV1Simulator, type V1Simulator } from '../vehicle-api/psa-v1/simulator-for-tests';
import { createProviderFactory } from './providers';
import { createSyncWorker } from './sync-worker';

// PSA v1 through the worker: a car linked by VIN and contract (connectV1Car) against the simulated
// cloud over real HTTP, synced by the sync worker into the database. Expectations come from the
// simulated world (the car's timeline and alerts), never from the adapter's output.

const NOW = Date.parse('2026-03-01T08:00:00Z');
const BACKFILL_DAYS = 3;
const silent = () => {};

let sim: V1Simulator;
let car: SimVehicle;
let brand: PsaV1Brand;

const isV1Brand = (value: string): value is PsaV1Brand =>
  value === 'peugeot' || value === 'citroen' || value === 'ds';

beforeAll(async () => {
  sim = await startV1Simulator({ seed: 'worker-v1', now: NOW });
  // A car v1 serves, with finished trips in the backfill and alerts in the cloud's history.
  for (let index = 0; index < sim.ctx.world.ownerCount && !car; index++) {
    for (const vehicle of sim.ctx.world.ownerAt(index).vehicles) {
      if (!isV1Brand(vehicle.brand)) continue;
      const start = sim.ctx.fleet.historyStartMs(vehicle, NOW);
      const alerts = alertsBetween(sim.ctx, vehicle, start, NOW + 1, NOW);
      if (alerts.length > 0 && expectedTrips(vehicle).length >= 2) {
        car = vehicle;
        brand = vehicle.brand;
        break;
      }
    }
  }
  if (!car) throw new Error('no v1 car with trips and alerts in the test world');
});
afterAll(() => sim.close());

/** Trips the first sync must bring: started since the backfill's first UTC day, ended by now. */
function expectedTrips(vehicle: SimVehicle): TripRecord[] {
  const fromMs = Math.floor((NOW - BACKFILL_DAYS * DAY_MS) / DAY_MS) * DAY_MS;
  return sim.ctx.fleet
    .timelineOf(vehicle)
    .tripsBetween(fromMs, NOW)
    .filter((trip) => trip.endMs <= NOW);
}

/** docs/simulator.md: "the v4 trip `<vehicle id>-<day>-<n>` is `day × 1000 + n`" in v1. */
function v1TripId(trip: TripRecord): string {
  const [day, n] = trip.id.split('-').slice(-2).map(Number) as [number, number];
  return String(day * 1000 + n);
}

async function count(db: Kysely<Database>, table: 'samples' | 'eco_evaluations', vehicleId: string) {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('vehicle_id', '=', vehicleId)
    .where('provider', '=', 'psa-v1')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(ENGINES)('PSA v1 in the sync worker on %s', (engine) => {
  let opened: TestDatabase | undefined;
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });

  it('links a car by VIN and contract and syncs its samples, trips, alerts and eco evaluations', async () => {
    opened = await openTestDatabase(engine);
    const { db } = opened;
    const owner = await createUser(db, { email: 'v1-owner@example.com', passwordHash: null, now: NOW });
    const apps = [{ brand, clientId: sim.keyOf(car) }];
    const now = () => sim.ctx.clock.now();
    const providers = createProviderFactory({
      db,
      cipher: createTokenCipher(randomBytes(32)),
      now,
      psaV4: null,
      psaV1: { baseUrl: sim.baseUrl, apps },
      psaV1Sync: { backfillDays: BACKFILL_DAYS },
      resilience: { baseDelayMs: 1, capDelayMs: 5, maxWaitMs: 0 },
    });

    const { account, vehicle } = await connectV1Car(
      db,
      { v1BaseUrl: sim.baseUrl, apps },
      { ownerId: owner.id, brand, vin: car.vin, contract: car.contract },
      { now: NOW },
    );
    expect(account.provider).toBe('psa-v1');
    expect(vehicle.contract).toBe(car.contract);

    const worker = createSyncWorker({ db, providers, now, log: silent });
    expect(await worker.runOnce()).toMatchObject({ leased: 1, synced: 1, failed: 0 });

    const expected = expectedTrips(car);
    const trips = await db
      .selectFrom('trips')
      .select(['provider_trip_id', 'started_at'])
      .where('vehicle_id', '=', vehicle.vehicleId)
      .where('provider', '=', 'psa-v1')
      .orderBy('started_at')
      .execute();
    expect(trips.map((trip) => trip.provider_trip_id)).toEqual(expected.map(v1TripId));
    trips.forEach((trip, k) => {
      expect(Math.abs(trip.started_at - (expected[k] as TripRecord).startMs)).toBeLessThan(1000);
    });

    // One eco-driving evaluation per trip (v1 evaluates every finished trip).
    expect(await count(db, 'eco_evaluations', vehicle.vehicleId)).toBe(expected.length);

    const alerts = await db
      .selectFrom('alerts')
      .select('provider_alert_id')
      .where('vehicle_id', '=', vehicle.vehicleId)
      .execute();
    const truth = alertsBetween(sim.ctx, car, sim.ctx.fleet.historyStartMs(car, NOW), NOW + 1, NOW);
    expect(alerts.map((alert) => alert.provider_alert_id).sort()).toEqual(
      truth.map((alert) => alert.id).sort(),
    );

    const samples = await count(db, 'samples', vehicle.vehicleId);
    expect(samples).toBeGreaterThan(0);

    const state = await getSyncState(db, vehicle.vehicleId, 'psa-v1');
    expect(state).toMatchObject({ failures: 0, lastSyncedAt: NOW, leaseOwner: null });
    expect(state?.cursor).not.toBeNull();

    // A later pass (the cloud's clock still frozen: nothing new) stores nothing twice.
    const later = createSyncWorker({ db, providers, now: () => NOW + 6 * 3_600_000, log: silent });
    expect(await later.runOnce()).toMatchObject({ leased: 1, synced: 1 });
    expect(await count(db, 'samples', vehicle.vehicleId)).toBe(samples);
    expect(await count(db, 'eco_evaluations', vehicle.vehicleId)).toBe(expected.length);
  }, 60_000);
});
