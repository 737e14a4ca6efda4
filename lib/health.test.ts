import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENGINES, openTestDatabase, type TestDatabase } from '../test/db-harness';
import { createTokenCipher } from './crypto/token-cipher';
import { openPostgres } from './db/client';
import { migrateToLatest } from './db/migrate';
import { connectCarAccount, linkVehicles } from './db/queries/car-accounts';
import { leaseDueVehicles, recordSyncResult, releaseLease } from './db/queries/sync-state';
import { scorePendingTrips } from './db/queries/trip-scores';
import { createUser } from './db/queries/users';
import { ensureDemoOwner } from './demo/demo-owner';
import { checkHealth } from './health';

describe.each(ENGINES)('checkHealth on %s', (engine) => {
  let opened: TestDatabase | undefined;
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });

  it('is degraded with pending migrations until the schema is migrated, then ok', async () => {
    opened = await openTestDatabase(engine, { migrate: false });
    expect(await checkHealth({ db: opened.db, engine, demo: false })).toEqual({
      status: 'degraded',
      db: engine,
      migrations: 'pending',
      failing: 'migrations',
    });
    await migrateToLatest(opened.db);
    expect(await checkHealth({ db: opened.db, engine, demo: false })).toEqual({
      status: 'ok',
      db: engine,
      migrations: 'current',
    });
  });

  it('reports the demo warm-up: ready once the demo owner cars synced, peers from sync state', async () => {
    opened = await openTestDatabase(engine);
    const { db } = opened;
    const demo = () =>
      checkHealth({ db, engine, demo: true, peersExpected: 3 }).then((health) => health.demo);
    expect(await demo()).toEqual({ ready: false, peersSynced: 0, peersTotal: 3 });

    // Seeded, but no car linked yet: not ready.
    const owner = await ensureDemoOwner(db);
    expect(await demo()).toEqual({ ready: false, peersSynced: 0, peersTotal: 3 });

    const cipher = createTokenCipher(randomBytes(32));
    const NOW = 1_772_352_000_000;
    const link = async (userId: string, subject: string, vins: string[]) => {
      const { account } = await connectCarAccount(db, cipher, {
        ownerId: userId,
        provider: 'psa-v4',
        brand: 'peugeot',
        makerSubject: subject,
        tokens: { accessToken: 'a', refreshToken: 'r', expiresAt: NOW + 3_600_000, scopes: [] },
        now: NOW,
      });
      const linked = await linkVehicles(
        db,
        userId,
        account.id,
        vins.map((vin) => ({
          providerVehicleId: `id-${vin}`,
          vin,
          label: 'Peugeot 208',
          brand: 'Peugeot',
          model: '208',
          powertrain: 'petrol',
        })),
        { now: NOW },
      );
      return linked?.map((vehicle) => vehicle.vehicleId) ?? [];
    };
    const sync = async (vehicleIds: string[], options: { backlog?: boolean } = {}) => {
      const leased = await leaseDueVehicles(db, 'health-test', NOW, 60_000, 100);
      for (const car of leased) {
        if (!vehicleIds.includes(car.vehicleId)) {
          await releaseLease(db, 'health-test', car.vehicleId, car.provider);
          continue;
        }
        await recordSyncResult(db, 'health-test', {
          vehicleId: car.vehicleId,
          provider: car.provider,
          cursor: { v: 1 },
          activity: 'parked',
          lastMeasuredAt: NOW,
          nextSyncAt: NOW,
          now: NOW,
          backlog: options.backlog === true,
        });
      }
    };

    const [first, second] = await link(owner.id, '0', ['VF3AAAAAAAA000001', 'VF3AAAAAAAA000002']);
    const peerA = await createUser(db, { email: 'peer-1@peers.kinetic.local', passwordHash: null });
    const peerB = await createUser(db, { email: 'peer-2@peers.kinetic.local', passwordHash: null });
    const [peerCar] = await link(peerA.id, '1', ['VF3AAAAAAAA000003']);
    await link(peerB.id, '2', ['VF3AAAAAAAA000004']);
    // Someone else's car, synced: neither the demo nor a peer.
    const stranger = await createUser(db, { email: 'someone@example.com', passwordHash: null });
    const [strangerCar] = await link(stranger.id, '9', ['VF3AAAAAAAA000009']);

    await sync([first as string, peerCar as string, strangerCar as string]);
    expect(await demo()).toEqual({ ready: false, peersSynced: 1, peersTotal: 3 });
    await sync([second as string]);
    expect(await demo()).toEqual({ ready: true, peersSynced: 1, peersTotal: 3 });
    // More peers linked than expected: the total counts them.
    expect((await checkHealth({ db, engine, demo: true, peersExpected: 1 })).demo?.peersTotal).toBe(2);

    // Peer B synced once but with the month still at the provider: not brought in yet.
    const peerBCar = (
      await db.selectFrom('vehicles').select('id').where('user_id', '=', peerB.id).execute()
    )[0]?.id as string;
    await sync([peerBCar], { backlog: true });
    expect(await demo()).toEqual({ ready: true, peersSynced: 1, peersTotal: 3 });
    await sync([peerBCar]);
    expect(await demo()).toEqual({ ready: true, peersSynced: 2, peersTotal: 3 });

    // A finished, summarized trip of peer A waiting for its score: A is not brought in until scored.
    await db
      .insertInto('trips')
      .values({
        id: 'trip-a',
        vehicle_id: peerCar as string,
        provider: 'psa-v4',
        provider_trip_id: 'a',
        source_ref: 'a',
        started_at: NOW - 3_600_000,
        ended_at: NOW - 1_800_000,
        observed_until: NOW - 1_800_000,
        distance_km: 20,
        duration_s: 1800,
        start_odometer_km: null,
        end_odometer_km: null,
        avg_speed_kmh: 40,
        max_speed_kmh: 90,
        fuel_used_l: 1.2,
        energy_used_kwh: null,
        moving_s: 1700,
        idle_s: 100,
        events: '[]',
        start_latitude: null,
        start_longitude: null,
        end_latitude: null,
        end_longitude: null,
        faults: null,
      })
      .execute();
    expect(await demo()).toEqual({ ready: true, peersSynced: 1, peersTotal: 3 });
    expect(await scorePendingTrips(db, { now: NOW })).toBe(1);
    expect(await demo()).toEqual({ ready: true, peersSynced: 2, peersTotal: 3 });
  });
});

describe('checkHealth with an unreachable database', () => {
  it('answers degraded, naming the database, without throwing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const handle = openPostgres('postgres://nobody@127.0.0.1:1/none');
    try {
      expect(await checkHealth({ db: handle.db, engine: 'postgres', demo: false })).toEqual({
        status: 'degraded',
        db: 'postgres',
        migrations: 'unknown',
        failing: 'database',
      });
    } finally {
      await handle.close();
      vi.restoreAllMocks();
    }
  });
});
