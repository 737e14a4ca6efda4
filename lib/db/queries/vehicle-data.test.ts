import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { emptyVehicleData, type Sample, type Trip, type VehicleData } from '../../telemetry/model';
import { sqliteDatabaseOf } from '../client';
import type { Database } from '../schema';
import { createUser } from './users';
import { storeVehicleData, writeVehicleData } from './vehicle-data';
import { createVehicle } from './vehicles';

// The write path keeps its promise on both engines: a batch stored twice, in pieces, shuffled, or
// with older versions of its trips and alerts arriving late, leaves exactly the rows of storing it
// once; a batch that fails midway leaves nothing.

const T0 = Date.parse('2026-02-27T22:00:00Z');
const v4 = (ref: string) => ({ provider: 'psa-v4' as const, ref });

const TABLES = [
  ['samples', ['at', 'provider']],
  ['trips', ['provider', 'provider_trip_id']],
  ['alerts', ['provider', 'provider_alert_id']],
  ['maintenance_reports', ['provider', 'at']],
  ['charging_sessions', ['provider', 'started_at']],
  ['eco_evaluations', ['provider', 'scope']],
  ['quarantine', ['id']],
] as const;

/** Every row of one car, table by table, in key order, without the vehicle id (nor trip ids, derived from it). */
async function dump(db: Kysely<Database>, vehicleId: string) {
  const out: Record<string, unknown[]> = {};
  for (const [table, keys] of TABLES) {
    let query = db.selectFrom(table).selectAll().where('vehicle_id', '=', vehicleId);
    for (const key of keys) query = query.orderBy(key as never);
    out[table] = (await query.execute()).map((row) => {
      const { vehicle_id: _, ...rest } = row as Record<string, unknown>;
      if (table === 'trips') delete rest.id;
      return rest;
    });
  }
  return out;
}

const sampleArbitrary = (at: number) =>
  fc
    .record(
      {
        speedKmh: fc.double({ min: 0, max: 200, noNaN: true }),
        engineRpm: fc.integer({ min: 0, max: 6000 }),
        fuelLevelPct: fc.double({ min: 0, max: 100, noNaN: true }),
        latitude: fc.double({ min: 40, max: 50, noNaN: true }),
        gear: fc.integer({ min: 0, max: 6 }),
        ignition: fc.boolean(),
      },
      { requiredKeys: [] },
    )
    .map((values): Sample => ({ at, ...values, source: v4('telemetry') }));

/** A trip and the snapshots seen while it ran (older versions of the same id). */
const tripWithSnapshots = (index: number) =>
  fc
    .record({
      minutes: fc.integer({ min: 2, max: 90 }),
      km: fc.double({ min: 0.5, max: 80, noNaN: true }),
      snapshots: fc.integer({ min: 0, max: 3 }),
    })
    .map(({ minutes, km, snapshots }) => {
      const startedAt = T0 + index * 3 * 3_600_000;
      const final: Trip = {
        providerTripId: `trip-${index}`,
        startedAt,
        endedAt: startedAt + minutes * 60_000,
        durationS: minutes * 60,
        distanceKm: km,
        source: v4('trips'),
      };
      const versions: Trip[] = [final];
      for (let k = 1; k <= snapshots; k++) {
        const share = k / (snapshots + 1);
        versions.push({
          providerTripId: final.providerTripId,
          startedAt,
          durationS: Math.floor(minutes * 60 * share),
          distanceKm: km * share,
          source: v4('trips'),
        });
      }
      return { final, versions };
    });

const batchArbitrary = fc
  .record({
    sampleCount: fc.integer({ min: 0, max: 40 }),
    tripCount: fc.integer({ min: 0, max: 4 }),
  })
  .chain(({ sampleCount, tripCount }) =>
    fc.record({
      // Instants across a month boundary: PostgreSQL spreads them over two partitions.
      samples: fc.tuple(
        ...Array.from({ length: sampleCount }, (_, i) =>
          sampleArbitrary(T0 + i * 7_000 + (i > sampleCount / 2 ? 86_400_000 * 2 : 0)),
        ),
      ),
      trips: fc.tuple(...Array.from({ length: tripCount }, (_, i) => tripWithSnapshots(i))),
      alertEnded: fc.boolean(),
      seed: fc.integer(),
    }),
  );

function batchOf(samples: Sample[], trips: Trip[], alertEnded: boolean): VehicleData {
  const startedAt = T0 + 600_000;
  return {
    ...emptyVehicleData(),
    samples,
    trips,
    alerts: [
      {
        providerAlertId: 'a1',
        type: 'TyrePressureLow',
        severity: 'warning',
        active: true,
        startedAt,
        source: v4('alerts'),
      },
      ...(alertEnded
        ? [
            {
              providerAlertId: 'a1',
              type: 'TyrePressureLow',
              severity: 'warning' as const,
              active: false,
              startedAt,
              endedAt: startedAt + 3_600_000,
              source: v4('alerts'),
            },
          ]
        : []),
    ],
    maintenance: [{ at: T0, daysBeforeService: 120, kmBeforeService: 8500.5, source: v4('maintenance') }],
    chargingSessions: [
      { startedAt: T0 + 1000, endedAt: T0 + 7_200_000, energyAddedKwh: 22.5, source: v4('status') },
    ],
    ecoEvaluations: [
      {
        at: T0,
        scope: { kind: 'day', day: '2026-02-27' },
        mark: 7.5,
        scaleMax: 10,
        criteria: { braking: 8, acceleration: 7 },
        source: { provider: 'psa-v1', ref: 'eco' },
      },
    ],
  };
}

/** Deterministic shuffle (fast-check's seed): the same run always replays the same order. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe.each(ENGINES)('vehicle data on %s', (engine) => {
  const database = useTestDatabase(engine);
  let counter = 0;

  async function newVehicle() {
    counter += 1;
    const { db } = database();
    const owner = await createUser(db, { email: `data${counter}@example.com`, passwordHash: 'h', now: T0 });
    const vin = `VF3TEST${String(counter).padStart(10, '0')}`;
    return (
      await createVehicle(db, owner.id, {
        label: 'car',
        brand: 'peugeot',
        model: '208',
        powertrain: 'petrol',
        vin,
      })
    ).id;
  }

  it('stores a batch and reads back exactly what it was given', async () => {
    const { db } = database();
    const vehicleId = await newVehicle();
    const sample: Sample = {
      at: T0,
      speedKmh: 52.5,
      engineRpm: 1850,
      fuelLevelPct: 40,
      gear: 3,
      ignition: true,
      charging: 'disconnected',
      source: v4('status'),
    };
    await storeVehicleData(db, vehicleId, { ...emptyVehicleData(), samples: [sample] });
    const [row] = (await dump(db, vehicleId)).samples as Record<string, unknown>[];
    expect(row).toMatchObject({
      at: T0,
      provider: 'psa-v4',
      source_ref: 'status',
      speed_kmh: 52.5,
      engine_rpm: 1850,
      fuel_level_pct: 40,
      gear: 3,
      ignition: 1,
      charging: 'disconnected',
      latitude: null,
    });
  });

  it('merges two reports of the same instant instead of keeping one', async () => {
    const { db } = database();
    const vehicleId = await newVehicle();
    await storeVehicleData(db, vehicleId, {
      ...emptyVehicleData(),
      samples: [{ at: T0, fuelLevelPct: 40, source: v4('status') }],
    });
    await storeVehicleData(db, vehicleId, {
      ...emptyVehicleData(),
      samples: [{ at: T0, speedKmh: 80, source: v4('telemetry') }],
    });
    const rows = (await dump(db, vehicleId)).samples as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ fuel_level_pct: 40, speed_kmh: 80 });
  });

  it('any batch duplicated, split and shuffled leaves the same database as storing it once', async () => {
    const { db } = database();
    await fc.assert(
      fc.asyncProperty(batchArbitrary, async ({ samples, trips, alertEnded, seed }) => {
        const finalTrips = trips.map((trip) => trip.final);
        const once = await newVehicle();
        await storeVehicleData(db, once, batchOf(samples, finalTrips, alertEnded));

        // Everything twice, older trip snapshots among them, in a random order and random pieces.
        const all = batchOf(
          [...samples, ...samples],
          [...trips.flatMap((trip) => trip.versions), ...finalTrips],
          alertEnded,
        );
        const messy = await newVehicle();
        const pieces = 1 + (Math.abs(seed) % 4);
        for (let piece = 0; piece < pieces; piece++) {
          const part = emptyVehicleData();
          for (const kind of Object.keys(all) as (keyof VehicleData)[]) {
            const items = shuffled(all[kind] as unknown[], seed + piece);
            (part as Record<string, unknown[]>)[kind] = items.filter((_, i) => i % pieces === piece);
          }
          await storeVehicleData(db, messy, part);
        }
        await storeVehicleData(db, messy, all);
        expect(await dump(db, messy)).toEqual(await dump(db, once));
      }),
      { numRuns: engine === 'postgres' ? 12 : 25 },
    );
  }, 120_000);

  it('a batch that fails midway stores nothing', async () => {
    const { db } = database();
    const vehicleId = await newVehicle();
    const broken = {
      ...emptyVehicleData(),
      samples: [{ at: T0, speedKmh: 10, source: v4('telemetry') }],
      // A trip without its source cannot be written: it fails after the samples went in.
      trips: [{ providerTripId: 'x', startedAt: T0 } as Trip],
    };
    await expect(storeVehicleData(db, vehicleId, broken)).rejects.toThrow();
    const rows = await dump(db, vehicleId);
    expect(rows.samples).toEqual([]);
    expect(rows.trips).toEqual([]);
  });

  it('keeps each quarantined record once, with its reason', async () => {
    const { db } = database();
    const vehicleId = await newVehicle();
    const entry = {
      kind: 'samples' as const,
      record: { at: T0, speedKmh: 912 },
      reason: 'speedKmh: too big',
    };
    await storeVehicleData(db, vehicleId, emptyVehicleData(), [entry, entry], T0);
    await storeVehicleData(db, vehicleId, emptyVehicleData(), [entry], T0 + 1);
    const rows = (await dump(db, vehicleId)).quarantine as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'samples', reason: 'speedKmh: too big', received_at: T0 });
    expect(JSON.parse(String(rows[0]?.record))).toEqual(entry.record);
  });
});

describe('sample partitions on PostgreSQL', () => {
  const database = useTestDatabase('postgres');

  it('are created month by month as samples arrive, and concurrent writers agree', async () => {
    const { db } = database();
    const owner = await createUser(db, { email: 'partitions@example.com', passwordHash: 'h', now: T0 });
    const cars = await Promise.all(
      ['VF3PART0000000001', 'VF3PART0000000002'].map((vin) =>
        createVehicle(db, owner.id, {
          label: vin,
          brand: 'peugeot',
          model: '208',
          powertrain: 'petrol',
          vin,
        }),
      ),
    );
    const acrossMonths = (at: number): VehicleData => ({
      ...emptyVehicleData(),
      samples: [0, 1, 2].map((k) => ({ at: at + k * 86_400_000, speedKmh: 10 * k, source: v4('telemetry') })),
    });
    // Two writers create the same new months at the same moment (2026-02-27 … 2026-03-01).
    await Promise.all(cars.map((car) => storeVehicleData(db, car.id, acrossMonths(T0))));
    const { rows } = await sql<{ name: string }>`
      select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent
      where p.relname = 'samples' order by 1`.execute(db);
    expect(rows.map((row) => row.name)).toEqual(['samples_202602', 'samples_202603']);
    const counts = await db
      .selectFrom('samples')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(counts.n)).toBe(6);
  });
});

describe.each(ENGINES)('large batches on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('merge the same way across statement chunks and months, with awkward text and tiny values', async () => {
    const { db } = database();
    const owner = await createUser(db, { email: `bulk-${engine}@example.com`, passwordHash: 'h', now: T0 });
    const car = await createVehicle(db, owner.id, {
      label: 'bulk',
      brand: 'peugeot',
      model: '208',
      powertrain: 'petrol',
      vin: 'VF3BULK0000000001',
    });
    const count = 12_345;
    const at = (i: number) => T0 + i * 1000 + (i > count / 2 ? 3 * 86_400_000 : 0);
    const ref = `trip "1", back\\slash {braces}`;
    // Two overlapping partial copies: the first has speeds for every sample, the second fuel levels
    // for two thirds of them (and a tiny value where PostgreSQL's float4 would refuse it).
    const speeds: Sample[] = Array.from({ length: count }, (_, i) => ({
      at: at(i),
      speedKmh: i % 130,
      source: v4(ref),
    }));
    const levels: Sample[] = Array.from({ length: count }, (_, i) => i)
      .filter((i) => i % 3 !== 0)
      .map((i) => ({ at: at(i), fuelLevelPct: i % 7 === 0 ? 1e-40 : (i % 100) + 0.5, source: v4('status') }));
    await storeVehicleData(db, car.id, { ...emptyVehicleData(), samples: speeds });
    await storeVehicleData(db, car.id, { ...emptyVehicleData(), samples: levels });
    const rows = await db
      .selectFrom('samples')
      .select(['at', 'speed_kmh', 'fuel_level_pct', 'source_ref'])
      .where('vehicle_id', '=', car.id)
      .orderBy('at')
      .execute();
    expect(rows).toHaveLength(count);
    for (const [i, row] of rows.entries()) {
      expect(row.at).toBe(at(i));
      expect(row.speed_kmh).toBe(i % 130);
      expect(row.fuel_level_pct).toBe(i % 3 === 0 ? null : i % 7 === 0 ? 0 : (i % 100) + 0.5);
      expect(row.source_ref).toBe(i % 3 === 0 ? ref : 'status');
    }
  }, 60_000);
});

describe('samples through prepared statements on SQLite', () => {
  const database = useTestDatabase('sqlite');
  let counter = 0;

  async function newVehicle() {
    counter += 1;
    const { db } = database();
    const owner = await createUser(db, {
      email: `prepared${counter}@example.com`,
      passwordHash: 'h',
      now: T0,
    });
    const vin = `VF3PREP${String(counter).padStart(10, '0')}`;
    return (
      await createVehicle(db, owner.id, {
        label: 'car',
        brand: 'peugeot',
        model: '208',
        powertrain: 'petrol',
        vin,
      })
    ).id;
  }

  const speeds = (count: number, ref = 'telemetry'): Sample[] =>
    Array.from({ length: count }, (_, i) => ({ at: T0 + i * 1000, speedKmh: i, source: v4(ref) }));

  it('finds the better-sqlite3 handle from the database and from its transactions', async () => {
    const { db } = database();
    const handle = sqliteDatabaseOf(db);
    expect(handle).toBeDefined();
    const inside = await db.transaction().execute(async (trx) => sqliteDatabaseOf(trx));
    expect(inside).toBe(handle);
  });

  it('prepares the sample upserts once per database, not once per batch', async () => {
    const { db } = database();
    const vehicleId = await newVehicle();
    const handle = sqliteDatabaseOf(db);
    if (!handle) throw new Error('no SQLite handle');
    // Warm up: the statements may already be prepared by another test of this database.
    await storeVehicleData(db, vehicleId, { ...emptyVehicleData(), samples: speeds(101) });
    const prepare = vi.spyOn(handle, 'prepare');
    try {
      await storeVehicleData(db, vehicleId, { ...emptyVehicleData(), samples: speeds(250) });
      await storeVehicleData(db, vehicleId, { ...emptyVehicleData(), samples: speeds(333, 'again') });
      const samplePrepares = prepare.mock.calls.filter(([text]) => String(text).includes('into samples'));
      expect(samplePrepares).toEqual([]);
    } finally {
      prepare.mockRestore();
    }
    const stored = await db
      .selectFrom('samples')
      .select(['at', 'source_ref'])
      .where('vehicle_id', '=', vehicleId)
      .execute();
    expect(stored).toHaveLength(333);
    expect(new Set(stored.map((row) => row.source_ref))).toEqual(new Set(['again']));
  });

  it('rolls back samples written by both statements when the batch fails after them', async () => {
    const { db } = database();
    const vehicleId = await newVehicle();
    const broken = {
      ...emptyVehicleData(),
      // Two runs of 100 rows and 37 single rows, then a trip without its source that cannot be written.
      samples: speeds(237),
      trips: [{ providerTripId: 'x', startedAt: T0 } as Trip],
    };
    await expect(storeVehicleData(db, vehicleId, broken)).rejects.toThrow();
    const rows = await dump(db, vehicleId);
    expect(rows.samples).toEqual([]);
    expect(rows.trips).toEqual([]);
  });

  it('merges copies of one instant within a batch across the 100-row boundary', async () => {
    const { db } = database();
    const vehicleId = await newVehicle();
    // 120 instants with speeds, then copies of instants 90…119 carrying only a fuel level, one of
    // them tiny (stored as 0): 120 rows, the copies' instants holding both values and their ref.
    const copies: Sample[] = Array.from({ length: 30 }, (_, k) => ({
      at: T0 + (90 + k) * 1000,
      fuelLevelPct: k === 0 ? 1e-40 : k,
      source: v4('status'),
    }));
    await storeVehicleData(db, vehicleId, { ...emptyVehicleData(), samples: [...speeds(120), ...copies] });
    const rows = await db
      .selectFrom('samples')
      .select(['at', 'speed_kmh', 'fuel_level_pct', 'source_ref'])
      .where('vehicle_id', '=', vehicleId)
      .orderBy('at')
      .execute();
    expect(rows).toHaveLength(120);
    for (const [i, row] of rows.entries()) {
      expect(row).toEqual({
        at: T0 + i * 1000,
        speed_kmh: i,
        fuel_level_pct: i < 90 ? null : i - 90,
        source_ref: i < 90 ? 'telemetry' : 'status',
      });
    }
  });

  it('stores samples through Kysely when not given a transaction', async () => {
    const { db } = database();
    const vehicleId = await newVehicle();
    await writeVehicleData(db, vehicleId, { ...emptyVehicleData(), samples: speeds(150) });
    await writeVehicleData(db, vehicleId, {
      ...emptyVehicleData(),
      samples: [{ at: T0 + 149_000, fuelLevelPct: 12.5, source: v4('status') }],
    });
    const rows = await db
      .selectFrom('samples')
      .select(['at', 'speed_kmh', 'fuel_level_pct'])
      .where('vehicle_id', '=', vehicleId)
      .orderBy('at')
      .execute();
    expect(rows).toHaveLength(150);
    expect(rows[149]).toEqual({ at: T0 + 149_000, speed_kmh: 149, fuel_level_pct: 12.5 });
  });
});
