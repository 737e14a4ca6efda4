import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import type { Resolution, Rollup } from '../../telemetry/derive/rollups';
import { emptyVehicleData, type Sample, type Trip, type VehicleData } from '../../telemetry/model';
import type { Database } from '../schema';
import { pruneRawSamples } from './retention';
import { readRollups, refreshRollups } from './rollups';
import { createUser } from './users';
import { writeVehicleData } from './vehicle-data';
import { createVehicle } from './vehicles';

/** Stored the way the write path did before it derived anything: without rollups or summaries. */
function storeUnderived(db: Kysely<Database>, vehicleId: string, data: VehicleData) {
  return db
    .transaction()
    .execute((trx) => writeVehicleData(trx, vehicleId, data, [], Date.now(), { deriveLater: true }));
}

// Retention on both engines: samples before the (day-aligned) cutoff go — by whole monthly
// partitions on PostgreSQL, in chunks otherwise — and rollups, trips and events stay; samples
// never rolled up are rolled up first; a trip across the cutoff keeps all its samples.

const RESOLUTIONS: readonly Resolution[] = ['minute', 'hour', 'day'];
const MARCH_15 = Date.UTC(2026, 2, 15);

let counter = 0;
async function newVehicle(db: Kysely<Database>): Promise<string> {
  counter++;
  const owner = await createUser(db, { email: `retention${counter}@example.com`, passwordHash: 'h' });
  const vehicle = await createVehicle(db, owner.id, {
    label: `Car ${counter}`,
    brand: 'citroen',
    model: 'c4',
    powertrain: 'diesel',
    vin: `VF7RETN${String(counter).padStart(10, '0')}`,
  });
  return vehicle.id;
}

/** `count` readings every `stepS` seconds from `from`. */
function run(from: number, count: number, stepS = 1): Sample[] {
  return Array.from({ length: count }, (_, i) => ({
    at: from + i * stepS * 1000,
    speedKmh: 30 + (i % 11),
    fuelLevelPct: 60 - i / 100,
    ignition: true,
    source: { provider: 'psa-v4' as const, ref: 'telemetry' },
  }));
}

async function storeAndRefresh(db: Kysely<Database>, vehicleId: string, samples: readonly Sample[]) {
  await db.transaction().execute(async (trx) => {
    await writeVehicleData(trx, vehicleId, { ...emptyVehicleData(), samples: [...samples] });
    const instants = samples.map((sample) => sample.at);
    await refreshRollups(trx, vehicleId, Math.min(...instants), Math.max(...instants));
  });
}

async function readAll(db: Kysely<Database>, vehicleId: string): Promise<Rollup[]> {
  const out: Rollup[] = [];
  for (const resolution of RESOLUTIONS) out.push(await readRollups(db, vehicleId, resolution, 0, 2 ** 50));
  return out;
}

async function instants(db: Kysely<Database>, vehicleId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('samples')
    .select('at')
    .where('vehicle_id', '=', vehicleId)
    .orderBy('at')
    .execute();
  return rows.map((row) => Number(row.at));
}

async function partitions(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'samples' order by 1`.execute(db);
  return rows.map((row) => row.name);
}

const JAN = run(Date.UTC(2026, 0, 10, 12), 60);
const FEB = run(Date.UTC(2026, 1, 10, 12), 60);
const BEFORE_MIDNIGHT = run(MARCH_15 - 30_000, 30);
const AFTER_MIDNIGHT = run(MARCH_15, 30);
const LATER = run(Date.UTC(2026, 2, 20, 9), 10);

for (const engine of ENGINES) {
  describe(`pruneRawSamples (${engine}): drops what is older, keeps the rollups`, () => {
    const database = useTestDatabase(engine);

    it('drops samples before 00:00 UTC of the cutoff day, leaves rollups as they were, and is idempotent', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      await storeAndRefresh(db, vehicleId, [...JAN, ...FEB, ...BEFORE_MIDNIGHT, ...AFTER_MIDNIGHT, ...LATER]);
      const rollupsBefore = await readAll(db, vehicleId);

      const report = await pruneRawSamples(db, { olderThanMs: MARCH_15 + 12 * 3_600_000, chunkRows: 7 });

      expect(report.cutoffMs).toBe(MARCH_15);
      expect(report.refreshedRanges).toBe(0);
      expect(await instants(db, vehicleId)).toEqual([...AFTER_MIDNIGHT, ...LATER].map((s) => s.at));
      expect(await readAll(db, vehicleId)).toEqual(rollupsBefore);
      if (engine === 'postgres') {
        // January and February go as whole partitions; March is cut row by row.
        expect(report.droppedPartitions).toEqual(['samples_202601', 'samples_202602']);
        expect(report.deletedSamples).toBe(BEFORE_MIDNIGHT.length);
        expect(await partitions(db)).toEqual(['samples_202603']);
      } else {
        expect(report.droppedPartitions).toEqual([]);
        expect(report.deletedSamples).toBe(JAN.length + FEB.length + BEFORE_MIDNIGHT.length);
      }

      const again = await pruneRawSamples(db, { olderThanMs: MARCH_15 + 12 * 3_600_000 });
      expect(again).toMatchObject({ deletedSamples: 0, droppedPartitions: [], refreshedRanges: 0 });
      expect(await readAll(db, vehicleId)).toEqual(rollupsBefore);
    });
  });

  describe(`pruneRawSamples (${engine}): rolls up and summarizes before it drops`, () => {
    const database = useTestDatabase(engine);

    it('rolls up samples stored without a refresh before dropping them', async () => {
      const { db } = database();
      const reference = await newVehicle(db);
      const unrolled = await newVehicle(db);
      const samples = [...JAN, ...BEFORE_MIDNIGHT, ...LATER];
      await storeAndRefresh(db, reference, samples);
      // Stored the way no write path should: without its rollups.
      await storeUnderived(db, unrolled, { ...emptyVehicleData(), samples });
      expect((await readAll(db, unrolled))[0]?.buckets).toEqual([]);

      const report = await pruneRawSamples(db, { olderThanMs: MARCH_15, chunkRows: 1000 });
      expect(report.refreshedRanges).toBeGreaterThanOrEqual(1);
      // The unrolled car's January and March 14 are rolled up; LATER, still raw, is not (yet):
      // the write path's refresh does that, not retention.
      const expected = await readAll(db, reference);
      const actual = await readAll(db, unrolled);
      for (const [i, rollup] of actual.entries()) {
        const before = (bucketStart: number) => bucketStart < MARCH_15;
        expect(rollup.buckets).toEqual(expected[i]?.buckets.filter((bucket) => before(bucket.start)));
      }
      expect(await instants(db, unrolled)).toEqual(LATER.map((s) => s.at));
    });

    it('summarizes a finished provider trip before its samples go, and keeps the samples of a trip across the cutoff', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      const earlyStart = MARCH_15 - 14 * 3_600_000;
      const early: Trip = {
        providerTripId: 'early',
        startedAt: earlyStart,
        endedAt: earlyStart + 120_000,
        distanceKm: 1.1,
        source: { provider: 'psa-v4', ref: 'trips' },
      };
      const acrossStart = MARCH_15 - 10 * 60_000;
      const across: Trip = {
        providerTripId: 'across',
        startedAt: acrossStart,
        endedAt: MARCH_15 + 10 * 60_000,
        distanceKm: 9.9,
        source: { provider: 'psa-v4', ref: 'trips' },
      };
      const acrossSamples = run(acrossStart, 241, 5);
      await storeUnderived(db, vehicleId, {
        ...emptyVehicleData(),
        samples: [...run(earlyStart, 121), ...acrossSamples],
        trips: [early, across],
      });

      await pruneRawSamples(db, { olderThanMs: MARCH_15 });

      const trips = await db
        .selectFrom('trips')
        .select(['provider_trip_id', 'distance_km', 'moving_s', 'events'])
        .where('vehicle_id', '=', vehicleId)
        .orderBy('provider_trip_id')
        .execute();
      expect(trips.map((trip) => trip.provider_trip_id)).toEqual(['across', 'early']);
      const earlyRow = trips[1];
      // 121 readings at 30–40 km/h, one a second: the whole 120 s moving, no harsh event.
      expect(earlyRow?.moving_s).toBeCloseTo(120, 3);
      expect(earlyRow?.events).toBe('[]');
      expect(earlyRow?.distance_km).toBeCloseTo(1.1, 5);
      // The trip across the cutoff keeps every sample, from 23:50 on.
      expect(await instants(db, vehicleId)).toEqual(acrossSamples.map((s) => s.at));
      expect(trips[0]?.events).toBeNull();
    });
  });
}
