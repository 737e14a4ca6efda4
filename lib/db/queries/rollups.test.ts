import fc from 'fast-check';
import { type Kysely, Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { coarsen, mergeRollups, type Resolution, type Rollup, rollup } from '../../telemetry/derive/rollups';
import { emptyVehicleData, type Provider, type Sample } from '../../telemetry/model';
import { migrateToLatest } from '../migrate';
import { migrationProvider } from '../migrations';
import type { Database } from '../schema';
import {
  instantRuns,
  ROLLUP_FIELDS_STORED,
  readRollups,
  refreshRollups,
  refreshRollupsAt,
  SEPARATE_RANGES_AFTER_MS,
} from './rollups';
import { createUser } from './users';
import { sampleOfRow, sampleRow, writeVehicleData } from './vehicle-data';
import { createVehicle } from './vehicles';

// Stored rollups on both engines: hand-worked buckets, then the laws — a batch stored twice,
// shuffled or in pieces (each piece refreshed on its own) leaves the same rollups as storing it
// once; the stored rollups equal rollups.ts's rollup of the stored samples; and a range's rollup
// equals the merge of its parts' and the coarsening of its finer buckets.

const MIDNIGHT = Date.UTC(2026, 2, 1);
const at = (h: number, m: number, s: number) => MIDNIGHT + ((h * 60 + m) * 60 + s) * 1000;
const DAY = 86_400_000;
const RESOLUTIONS: readonly Resolution[] = ['minute', 'hour', 'day'];

let counter = 0;
async function newVehicle(db: Kysely<Database>): Promise<string> {
  counter++;
  const owner = await createUser(db, { email: `rollups${counter}@example.com`, passwordHash: 'h' });
  const vehicle = await createVehicle(db, owner.id, {
    label: `Car ${counter}`,
    brand: 'peugeot',
    model: '308',
    powertrain: 'petrol',
    vin: `VF3ROLL${String(counter).padStart(10, '0')}`,
  });
  return vehicle.id;
}

const sample = (
  when: number,
  fields: Omit<Sample, 'at' | 'source'>,
  provider: Provider = 'psa-v4',
): Sample => ({
  at: when,
  source: { provider, ref: 'telemetry' },
  ...fields,
});

/** Stores a batch and refreshes the range it touched, as the write path's hook will. */
async function storeAndRefresh(db: Kysely<Database>, vehicleId: string, samples: readonly Sample[]) {
  if (samples.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await writeVehicleData(trx, vehicleId, { ...emptyVehicleData(), samples: [...samples] });
    const instants = samples.map((s) => s.at);
    await refreshRollups(trx, vehicleId, Math.min(...instants), Math.max(...instants));
  });
}

async function readAll(db: Kysely<Database>, vehicleId: string) {
  const out: Rollup[] = [];
  for (const resolution of RESOLUTIONS) out.push(await readRollups(db, vehicleId, resolution, 0, 2 ** 50));
  return out;
}

async function storedSamples(db: Kysely<Database>, vehicleId: string): Promise<Sample[]> {
  const rows = await db.selectFrom('samples').selectAll().where('vehicle_id', '=', vehicleId).execute();
  return rows.map(sampleOfRow);
}

/** rollups.ts's rollup restricted to the stored metrics (buckets without any of them dropped). */
function expectedRollup(samples: readonly Sample[], resolution: Resolution): Rollup {
  const full = rollup(samples, resolution);
  const buckets = full.buckets
    .map((bucket) => ({
      start: bucket.start,
      fields: Object.fromEntries(
        Object.entries(bucket.fields).filter(([field]) =>
          (ROLLUP_FIELDS_STORED as readonly string[]).includes(field),
        ),
      ),
    }))
    .filter((bucket) => Object.keys(bucket.fields).length > 0);
  return { resolution, buckets };
}

/** Equal, sums up to `tolerance` relative (addition in another order, float4 columns on PG). */
function expectSameRollup(actual: Rollup, expected: Rollup, tolerance: number) {
  expect(actual.resolution).toBe(expected.resolution);
  expect(actual.buckets.map((b) => b.start)).toEqual(expected.buckets.map((b) => b.start));
  for (const [i, bucket] of actual.buckets.entries()) {
    const other = expected.buckets[i]?.fields ?? {};
    expect(Object.keys(bucket.fields).sort()).toEqual(Object.keys(other).sort());
    for (const [field, aggregate] of Object.entries(bucket.fields)) {
      const { sum, ...exact } = aggregate;
      const expectedAggregate = other[field as keyof typeof other];
      const { sum: expectedSum, ...expectedExact } = expectedAggregate ?? { sum: Number.NaN };
      expect(exact).toEqual(expectedExact);
      expect(Math.abs(sum - expectedSum)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expectedSum)));
    }
  }
}

// Readings at up to 400 instants over about two days (minutes, hours and a day boundary), from one
// or two providers (so that some instants hold two readings), each with a random subset of fields
// — some with none of the rolled-up metrics.
const STEP_MS = 431_000;
const batchArbitrary = fc
  .uniqueArray(
    fc.record({
      step: fc.integer({ min: 0, max: 400 }),
      provider: fc.constantFrom<Provider>('psa-v4', 'obd-import'),
    }),
    { minLength: 1, maxLength: 80, selector: ({ step, provider }) => `${step}|${provider}` },
  )
  .chain((keys) =>
    fc.tuple(
      ...keys.map(({ step, provider }) =>
        fc
          .record(
            {
              speedKmh: fc.integer({ min: 0, max: 2000 }).map((v) => v / 10),
              engineRpm: fc.integer({ min: 0, max: 7000 }),
              fuelLevelPct: fc.integer({ min: 0, max: 1000 }).map((v) => v / 10),
              altitudeM: fc.integer({ min: -100, max: 3000 }),
              odometerKm: fc.double({ min: 0, max: 300_000, noNaN: true }),
              coolantC: fc.integer({ min: -20, max: 120 }),
            },
            { requiredKeys: [] },
          )
          .map((fields) => sample(MIDNIGHT + step * STEP_MS, fields, provider)),
      ),
    ),
  );

describe('instantRuns', () => {
  it("splits a batch's instants where two are more than six hours apart", () => {
    expect(SEPARATE_RANGES_AFTER_MS).toBe(6 * 3_600_000);
    expect(instantRuns([])).toEqual([]);
    expect(instantRuns([5, 1, 3, 3])).toEqual([[1, 5]]);
    expect(instantRuns([0, 6 * 3_600_000])).toEqual([[0, 6 * 3_600_000]]);
    expect(instantRuns([0, 10, 6 * 3_600_000 + 11, 7 * 3_600_000])).toEqual([
      [0, 10],
      [6 * 3_600_000 + 11, 7 * 3_600_000],
    ]);
  });
});

for (const engine of ENGINES) {
  describe(`rollups (${engine})`, () => {
    const database = useTestDatabase(engine);

    it('rolls up by hand-worked minute, hour and day buckets', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      await storeAndRefresh(db, vehicleId, [
        // Two providers at the first and at the last instant of the minute: the smaller speed is
        // first, the larger last, whichever arrives first.
        sample(at(10, 0, 10), { speedKmh: 12 }, 'obd-import'),
        sample(at(10, 0, 10), { speedKmh: 10, fuelLevelPct: 50 }),
        sample(at(10, 0, 50), { speedKmh: 32 }, 'obd-import'),
        sample(at(10, 0, 50), { speedKmh: 30, fuelLevelPct: 49.5 }),
        sample(at(10, 1, 5), { speedKmh: 20, engineRpm: 1800 }),
        sample(at(10, 2, 0), { latitude: 48.8 }),
        sample(at(23, 59, 59), { speedKmh: 4 }),
        sample(at(24, 0, 0), { speedKmh: 6 }),
      ]);
      const [minutes, hours, days] = await readAll(db, vehicleId);
      // 10:02 holds a position only: no rolled-up metric, no bucket.
      expect(minutes?.buckets.map((b) => b.start)).toEqual([
        at(10, 0, 0),
        at(10, 1, 0),
        at(23, 59, 0),
        at(24, 0, 0),
      ]);
      expect(minutes?.buckets[0]?.fields).toEqual({
        speedKmh: {
          count: 4,
          sum: 84,
          min: 10,
          max: 32,
          first: { at: at(10, 0, 10), value: 10 },
          last: { at: at(10, 0, 50), value: 32 },
        },
        fuelLevelPct: {
          count: 2,
          sum: 99.5,
          min: 49.5,
          max: 50,
          first: { at: at(10, 0, 10), value: 50 },
          last: { at: at(10, 0, 50), value: 49.5 },
        },
      });
      expect(hours?.buckets.map((b) => b.start)).toEqual([at(10, 0, 0), at(23, 0, 0), at(24, 0, 0)]);
      expect(hours?.buckets[0]?.fields.speedKmh).toEqual({
        count: 5,
        sum: 104,
        min: 10,
        max: 32,
        first: { at: at(10, 0, 10), value: 10 },
        last: { at: at(10, 1, 5), value: 20 },
      });
      expect(hours?.buckets[0]?.fields.engineRpm).toEqual({
        count: 1,
        sum: 1800,
        min: 1800,
        max: 1800,
        first: { at: at(10, 1, 5), value: 1800 },
        last: { at: at(10, 1, 5), value: 1800 },
      });
      expect(days?.buckets.map((b) => b.start)).toEqual([MIDNIGHT, MIDNIGHT + DAY]);
      expect(days?.buckets[0]?.fields.speedKmh).toMatchObject({
        count: 6,
        sum: 108,
        min: 4,
        max: 32,
        last: { at: at(23, 59, 59), value: 4 },
      });
      expect(days?.buckets[1]?.fields.speedKmh).toMatchObject({ count: 1, sum: 6 });

      const samplesN = await db
        .selectFrom('sample_rollups')
        .select(['resolution', 'bucket_start', 'samples_n'])
        .where('vehicle_id', '=', vehicleId)
        .where('bucket_start', '=', at(10, 0, 0))
        .orderBy('resolution')
        .execute();
      // Rows, rolled-up metric or not: the minute 10:00 holds 4, the hour 10:00 those and 2 more.
      expect(samplesN).toEqual([
        { resolution: 'hour', bucket_start: at(10, 0, 0), samples_n: 6 },
        { resolution: 'minute', bucket_start: at(10, 0, 0), samples_n: 4 },
      ]);
    });

    it('reads only the buckets overlapping the range asked for', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      await storeAndRefresh(
        db,
        vehicleId,
        [0, 1, 2, 3].map((m) => sample(at(8, m, 30), { speedKmh: m })),
      );
      const read = await readRollups(db, vehicleId, 'minute', at(8, 1, 45), at(8, 3, 0));
      expect(read.buckets.map((b) => b.start)).toEqual([at(8, 1, 0), at(8, 2, 0)]);
      const other = await newVehicle(db);
      expect((await readRollups(db, other, 'minute', 0, 2 ** 50)).buckets).toEqual([]);
    });

    it('recomputes rather than adds: a repeat refresh, or a value corrected later, leaves the right bucket', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      await storeAndRefresh(db, vehicleId, [sample(at(9, 0, 0), { speedKmh: 50 })]);
      await db.transaction().execute((trx) => refreshRollups(trx, vehicleId, at(9, 0, 0), at(9, 0, 0)));
      await storeAndRefresh(db, vehicleId, [sample(at(9, 0, 0), { speedKmh: 40 })]);
      const [minutes, hours, days] = await readAll(db, vehicleId);
      for (const read of [minutes, hours, days]) {
        expect(read?.buckets[0]?.fields.speedKmh).toMatchObject({ count: 1, sum: 40, min: 40, max: 40 });
      }
    });

    it('refreshes in its own transaction when given the database', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      await db.transaction().execute((trx) =>
        writeVehicleData(trx, vehicleId, {
          ...emptyVehicleData(),
          samples: [sample(at(6, 0, 0), { speedKmh: 7 })],
        }),
      );
      await refreshRollups(db, vehicleId, at(6, 0, 0), at(6, 0, 0));
      const [minutes] = await readAll(db, vehicleId);
      expect(minutes?.buckets.map((b) => [b.start, b.fields.speedKmh?.sum])).toEqual([[at(6, 0, 0), 7]]);
    });

    if (engine === 'postgres') {
      it('two transactions writing the same minute at once both end up in its rollup', async () => {
        const { db } = database();
        const vehicleId = await newVehicle(db);
        // The month's partition exists already: creating it would lock the table and serialize
        // the two transactions anyway.
        await storeAndRefresh(db, vehicleId, [sample(at(4, 0, 0), { speedKmh: 9 })]);
        let releaseFirst = () => {};
        const firstMayCommit = new Promise<void>((resolve) => {
          releaseFirst = resolve;
        });
        let firstRefreshed = () => {};
        const firstHasRefreshed = new Promise<void>((resolve) => {
          firstRefreshed = resolve;
        });
        const first = db.transaction().execute(async (trx) => {
          await writeVehicleData(trx, vehicleId, {
            ...emptyVehicleData(),
            samples: [sample(at(5, 0, 1), { speedKmh: 1 })],
          });
          await refreshRollups(trx, vehicleId, at(5, 0, 1), at(5, 0, 1));
          firstRefreshed();
          await firstMayCommit;
        });
        await firstHasRefreshed;
        const second = db.transaction().execute(async (trx) => {
          // Inserted directly: whatever locks the write path takes, the refresh must not rely on them.
          await trx
            .insertInto('samples')
            .values(sampleRow(vehicleId, sample(at(5, 0, 2), { speedKmh: 2 }, 'obd-import')))
            .execute();
          await refreshRollups(trx, vehicleId, at(5, 0, 2), at(5, 0, 2));
        });
        // Time for the second transaction to reach its refresh before the first commits.
        await new Promise((resolve) => setTimeout(resolve, 300));
        releaseFirst();
        await Promise.all([first, second]);
        const [minutes] = await readAll(db, vehicleId);
        expect(minutes?.buckets[1]?.start).toBe(at(5, 0, 0));
        expect(minutes?.buckets[1]?.fields.speedKmh).toMatchObject({ count: 2, sum: 3 });
      });
    }

    it('refreshRollupsAt refreshes far-apart instants as separate short ranges, with the same result', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      const batch = [
        sample(at(7, 0, 0), { speedKmh: 10 }),
        sample(at(7, 0, 1), { speedKmh: 11 }),
        sample(at(7, 0, 0) + 20 * DAY, { speedKmh: 12 }),
      ];
      await db.transaction().execute(async (trx) => {
        await writeVehicleData(trx, vehicleId, { ...emptyVehicleData(), samples: batch });
        await refreshRollupsAt(
          trx,
          vehicleId,
          batch.map((s) => s.at),
        );
      });
      const [minutes, , days] = await readAll(db, vehicleId);
      expect(minutes?.buckets.map((b) => [b.start, b.fields.speedKmh?.count])).toEqual([
        [at(7, 0, 0), 2],
        [at(7, 0, 0) + 20 * DAY, 1],
      ]);
      expect(days?.buckets.map((b) => b.start)).toEqual([MIDNIGHT, MIDNIGHT + 20 * DAY]);
    });

    it('laws: twice, shuffled or in pieces gives the same rollups, equal to rollups.ts of the stored samples', async () => {
      const { db, engine: which } = database();
      // PostgreSQL keeps speed and levels as float4 and sums them as float8: within 1e-6.
      const toOracle = which === 'postgres' ? 1e-6 : 1e-9;
      await fc.assert(
        fc.asyncProperty(
          batchArbitrary,
          fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
          fc.func(fc.integer()),
          async (batch, cuts, order) => {
            const once = await newVehicle(db);
            await storeAndRefresh(db, once, batch);

            const shuffled = [...batch, ...batch].sort((a, b) => order(a.at) - order(b.at));
            const twice = await newVehicle(db);
            await storeAndRefresh(db, twice, shuffled);

            const pieces = await newVehicle(db);
            const ends = [...new Set(cuts.map((cut) => cut % (shuffled.length + 1)))].sort((a, b) => a - b);
            let start = 0;
            for (const end of [...ends, shuffled.length]) {
              await storeAndRefresh(db, pieces, shuffled.slice(start, end));
              start = Math.max(start, end);
            }

            const reference = await readAll(db, once);
            for (const vehicle of [twice, pieces]) {
              const read = await readAll(db, vehicle);
              for (const [i, r] of read.entries()) expectSameRollup(r, reference[i] as Rollup, 1e-12);
            }
            const stored = await storedSamples(db, once);
            for (const [i, resolution] of RESOLUTIONS.entries())
              expectSameRollup(reference[i] as Rollup, expectedRollup(stored, resolution), toOracle);
          },
        ),
        { numRuns: 15 },
      );
    });

    it('laws: a range rolls up to the merge of its parts and to the coarsening of its finer buckets', async () => {
      const { db } = database();
      await fc.assert(
        fc.asyncProperty(
          batchArbitrary,
          fc.integer({ min: 0, max: 2 * 24 * 60 }),
          async (batch, cutMinute) => {
            const vehicleId = await newVehicle(db);
            await storeAndRefresh(db, vehicleId, batch);
            const end = MIDNIGHT + 3 * DAY;
            const cut = MIDNIGHT + cutMinute * 60_000;
            const whole = await readRollups(db, vehicleId, 'minute', MIDNIGHT, end);
            const merged = mergeRollups(
              await readRollups(db, vehicleId, 'minute', MIDNIGHT, cut),
              await readRollups(db, vehicleId, 'minute', cut, end),
            );
            expectSameRollup(merged, whole, 1e-12);
            const hours = await readRollups(db, vehicleId, 'hour', MIDNIGHT, end);
            const days = await readRollups(db, vehicleId, 'day', MIDNIGHT, end);
            expectSameRollup(coarsen(whole, 'hour'), hours, 1e-9);
            expectSameRollup(coarsen(hours, 'day'), days, 1e-9);
          },
        ),
        { numRuns: 15 },
      );
    });
  });

  describe(`migration 0005 (${engine})`, () => {
    const database = useTestDatabase(engine, { migrate: false });

    it('rolls up the samples stored before it, as refreshRollups would', async () => {
      const { db } = database();
      const migrated = await new Migrator({ db, provider: migrationProvider }).migrateTo(
        '0004-webhook-events',
      );
      expect(migrated.error).toBeUndefined();
      const batch = fc.sample(batchArbitrary, { numRuns: 1, seed: 5 })[0] ?? [];
      expect(batch.length).toBeGreaterThan(0);
      const before = await newVehicle(db);
      await db.transaction().execute((trx) =>
        writeVehicleData(trx, before, { ...emptyVehicleData(), samples: batch }, [], Date.now(), {
          deriveLater: true,
        }),
      );
      expect(await migrateToLatest(db)).toContain('0005-rollups');

      const after = await newVehicle(db);
      await storeAndRefresh(db, after, batch);
      const expected = await readAll(db, after);
      const backfilled = await readAll(db, before);
      expect(backfilled[0]?.buckets.length).toBeGreaterThan(0);
      for (const [i, read] of backfilled.entries()) expectSameRollup(read, expected[i] as Rollup, 1e-12);
    });
  });
}
