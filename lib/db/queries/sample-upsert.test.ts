import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { emptyVehicleData, type Sample } from '../../telemetry/model';
import type { Database } from '../schema';
import { sampleRow, sampleRowsOf, storable } from './sample-upsert';
import { createUser } from './users';
import { storeVehicleData, writeVehicleData } from './vehicle-data';
import { createVehicle } from './vehicles';

// The samples bulk path: its hand-written row layout agrees with the column readers, and on
// PostgreSQL each of its routes (straight COPY, COPY through the staging table and one merging
// upsert) keeps the same guarantees as before, also when two writers store the same instants at
// once: one row per key, merged field by field, all or nothing per batch.

const T0 = Date.parse('2026-03-31T23:58:00Z');
const v4 = (ref: string) => ({ provider: 'psa-v4' as const, ref });
const speeds = (from: number, count: number, ref = 'telemetry'): Sample[] =>
  Array.from({ length: count }, (_, k) => ({
    at: T0 + (from + k) * 1000,
    speedKmh: from + k,
    source: v4(ref),
  }));
const levels = (from: number, count: number, ref = 'status'): Sample[] =>
  Array.from({ length: count }, (_, k) => ({
    at: T0 + (from + k) * 1000,
    fuelLevelPct: (from + k) / 10,
    source: v4(ref),
  }));

describe('sampleRowsOf', () => {
  const optional = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
  const sample = fc.record({
    at: fc.integer({ min: 0, max: 2 ** 45 }),
    speedKmh: optional(fc.double({ noNaN: true })),
    engineRpm: optional(fc.double({ noNaN: true })),
    latitude: optional(fc.double({ min: -90, max: 90, noNaN: true })),
    gear: optional(fc.integer({ min: -1, max: 8 })),
    ignition: optional(fc.boolean()),
    charging: optional(fc.constantFrom('disconnected', 'in-progress', 'finished')),
    outsideTempC: optional(fc.double({ min: -1e-29, max: 1e-29, noNaN: true })),
    source: fc.record({ provider: fc.constant('psa-v4' as const), ref: fc.string() }),
  });

  it('lays a sample out as sampleRow reads it, column by column, tiny values stored as 0', () => {
    fc.assert(
      fc.property(sample, (s) => {
        const expected = Object.values(sampleRow('car', s as Sample)).map(storable);
        expect(sampleRowsOf('car', [s as Sample]).values).toEqual(expected);
      }),
    );
  });

  it('keeps one row per instant and provider, the later copy winning field by field', () => {
    const rows = sampleRowsOf('car', [
      { at: 2000, speedKmh: 20, source: v4('a') },
      { at: 1000, speedKmh: 10, fuelLevelPct: 50, source: v4('b') },
      { at: 1000, speedKmh: 11, engineRpm: 900, source: v4('c') },
    ]);
    const expected = [
      { ...sampleRow('car', { at: 2000, speedKmh: 20, source: v4('a') }) },
      { ...sampleRow('car', { at: 1000, speedKmh: 11, fuelLevelPct: 50, engineRpm: 900, source: v4('c') }) },
    ].flatMap((row) => Object.values(row));
    expect(rows).toEqual({ values: expected, count: 2, firstAt: 1000, lastAt: 2000 });
  });
});

async function newVehicle(db: Kysely<Database>, name: string): Promise<string> {
  const owner = await createUser(db, { email: `${name}@example.com`, passwordHash: 'h', now: T0 });
  const vin = `VF3${name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(14, '0')
    .slice(0, 14)}`;
  const car = await createVehicle(db, owner.id, {
    label: name,
    brand: 'peugeot',
    model: '208',
    powertrain: 'petrol',
    vin,
  });
  return car.id;
}

async function storedSamples(db: Kysely<Database>, vehicleId: string) {
  return db
    .selectFrom('samples')
    .select(['at', 'speed_kmh', 'fuel_level_pct', 'source_ref'])
    .where('vehicle_id', '=', vehicleId)
    .orderBy('at')
    .execute();
}

describe.each(ENGINES)('samples stored again on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('merge with what is stored, including several batches in one transaction', async () => {
    const { db } = database();
    const car = await newVehicle(db, `again-${engine}`);
    // Across the end of March: two months. Awkward text survives the binary stream.
    const ref = 'tab\tnew\nline \\ "quote" é 🚗';
    await storeVehicleData(db, car, { ...emptyVehicleData(), samples: speeds(0, 300, ref) });
    await db.transaction().execute(async (trx) => {
      await writeVehicleData(trx, car, { ...emptyVehicleData(), samples: levels(100, 100) });
      await writeVehicleData(trx, car, { ...emptyVehicleData(), samples: levels(250, 100, 'later') });
    });
    const rows = await storedSamples(db, car);
    expect(rows).toHaveLength(350);
    for (const [i, row] of rows.entries()) {
      expect(row).toEqual({
        at: T0 + i * 1000,
        speed_kmh: i < 300 ? i : null,
        fuel_level_pct: (i >= 100 && i < 200) || i >= 250 ? i / 10 : null,
        source_ref: i < 100 || (i >= 200 && i < 250) ? ref : i < 200 ? 'status' : 'later',
      });
    }
  });
});

describe('samples on PostgreSQL', () => {
  const database = useTestDatabase('postgres');

  it('a writer that finds another storing the same instants waits, then merges instead of failing', async () => {
    const { db } = database();
    const car = await newVehicle(db, 'race');
    // Another car's samples create the months first: creating one locks the whole table, which
    // would hold the second writer back for another reason than the one this test is about.
    await storeVehicleData(db, await newVehicle(db, 'months'), {
      ...emptyVehicleData(),
      samples: [...speeds(0, 1), ...speeds(299, 1)],
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first writer stores instants 0…199 and holds its transaction open.
    const first = db.transaction().execute(async (trx) => {
      await writeVehicleData(trx, car, { ...emptyVehicleData(), samples: speeds(0, 200) });
      await held;
    });
    // The second would find nothing stored in its span yet and copy straight in, failing on the
    // first's keys once those commit; instead it waits for the first to end, then merges.
    const second = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return storeVehicleData(db, car, { ...emptyVehicleData(), samples: levels(100, 200) });
    })();
    await waitForLockWait(db);
    release();
    await Promise.all([first, second]);
    const rows = await storedSamples(db, car);
    expect(rows).toHaveLength(300);
    for (const [i, row] of rows.entries()) {
      expect(row).toEqual({
        at: T0 + i * 1000,
        speed_kmh: i < 200 ? i : null,
        fuel_level_pct: i >= 100 ? i / 10 : null,
        source_ref: i < 100 ? 'telemetry' : 'status',
      });
    }
  });

  it('creates a month again after the batch that created it rolled back', async () => {
    const { db } = database();
    const car = await newVehicle(db, 'rollback');
    const june = Date.parse('2026-06-15T12:00:00Z');
    const inJune: Sample[] = [{ at: june, speedKmh: 1, source: v4('telemetry') }];
    await expect(
      db.transaction().execute(async (trx) => {
        await writeVehicleData(trx, car, { ...emptyVehicleData(), samples: inJune });
        throw new Error('the batch fails after its samples');
      }),
    ).rejects.toThrow('the batch fails');
    expect(await partitions(db)).not.toContain('samples_202606');
    await storeVehicleData(db, car, { ...emptyVehicleData(), samples: inJune });
    await storeVehicleData(db, car, {
      ...emptyVehicleData(),
      samples: [{ at: june + 1000, speedKmh: 2, source: v4('telemetry') }],
    });
    expect(await partitions(db)).toContain('samples_202606');
    expect((await storedSamples(db, car)).map((row) => row.speed_kmh)).toEqual([1, 2]);
  });

  it('creates a month again after retention dropped its partition', async () => {
    const { db } = database();
    const car = await newVehicle(db, 'dropped');
    const may = Date.parse('2026-05-10T08:00:00Z');
    await storeVehicleData(db, car, {
      ...emptyVehicleData(),
      samples: [{ at: may, speedKmh: 1, source: v4('telemetry') }],
    });
    // As lib/db/queries/retention.ts drops a month wholly past its cutoff.
    await sql`drop table samples_202605`.execute(db);
    await storeVehicleData(db, car, {
      ...emptyVehicleData(),
      samples: [{ at: may + 1000, speedKmh: 2, source: v4('telemetry') }],
    });
    expect(await partitions(db)).toContain('samples_202605');
    expect((await storedSamples(db, car)).map((row) => row.speed_kmh)).toEqual([2]);
  });

  it('keeps a batch whole when its straight copy fails', async () => {
    const { db } = database();
    await expect(
      storeVehicleData(db, 'no-such-car', { ...emptyVehicleData(), samples: speeds(0, 10) }),
    ).rejects.toMatchObject({ code: '23503' });
    const count = await db
      .selectFrom('samples')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('vehicle_id', '=', 'no-such-car')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});

async function partitions(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'samples' order by 1`.execute(db);
  return rows.map((row) => row.name);
}

/** Until some session of this database waits on a lock (the second writer on the first's rows). */
async function waitForLockWait(db: Kysely<Database>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    if (Number(rows[0]?.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the second writer never waited on the first');
}
