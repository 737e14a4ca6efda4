import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { emptyVehicleData, type PrivacyState, type VehicleSnapshot } from '../../telemetry/model';
import { validateVehicleData } from '../../telemetry/validate';
import type { Database } from '../schema';
import { createUser } from './users';
import { storeVehicleData } from './vehicle-data';
import { readVehicleSnapshot } from './vehicle-snapshots';
import { createVehicle } from './vehicles';

// Migration 0007 and the "newer wins" rule of vehicle_snapshots, on both engines: hand-worked
// deliveries, then the law — whatever order a set of snapshots arrives in, one per batch, each fact
// ends as the value measured last.

const T0 = Date.UTC(2026, 2, 1, 8);
const MIN = 60_000;
const source = { provider: 'psa-v4' as const, ref: 'status' };
const range = (at: number, rangeKm: number): VehicleSnapshot => ({ at, rangeKm, source });
const privacy = (at: number, state: PrivacyState): VehicleSnapshot => ({ at, privacy: state, source });

let counter = 0;
async function newVehicle(db: Kysely<Database>) {
  counter++;
  const owner = await createUser(db, { email: `snap${counter}@example.com`, passwordHash: 'h' });
  const vehicle = await createVehicle(db, owner.id, {
    label: `Car ${counter}`,
    brand: 'peugeot',
    model: '208',
    powertrain: 'petrol',
    vin: `VF3SNAP${String(counter).padStart(10, '0')}`,
  });
  return { ownerId: owner.id, vehicleId: vehicle.id };
}

const store = (db: Kysely<Database>, vehicleId: string, snapshots: VehicleSnapshot[]) =>
  storeVehicleData(db, vehicleId, { ...emptyVehicleData(), snapshots });

describe('snapshot validation', () => {
  it('quarantines a snapshot that says nothing, an impossible range or an unknown privacy state', () => {
    const empty = { at: T0, source };
    const negative = { at: T0, rangeKm: -1, source };
    const unknown = { at: T0, privacy: 'hidden', source } as unknown as VehicleSnapshot;
    const good = range(T0, 320);
    const { data, quarantined } = validateVehicleData({
      ...emptyVehicleData(),
      snapshots: [empty, negative, unknown, good],
    });
    expect(data.snapshots).toEqual([good]);
    expect(quarantined.map((entry) => [entry.kind, entry.record])).toEqual([
      ['snapshots', empty],
      ['snapshots', negative],
      ['snapshots', unknown],
    ]);
  });

  it('leaves the snapshots absent when the adapter brought none', () => {
    expect(validateVehicleData(emptyVehicleData()).data).not.toHaveProperty('snapshots');
  });
});

describe.each(ENGINES)('vehicle snapshots on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('migration 0007 creates vehicle_snapshots with one row per vehicle and a checked privacy', async () => {
    const { db } = database();
    const table = (await db.introspection.getTables()).find((t) => t.name === 'vehicle_snapshots');
    expect(table?.columns.map((c) => c.name).sort()).toEqual(
      ['privacy', 'privacy_at', 'range_at', 'range_km', 'vehicle_id'].sort(),
    );
    const { vehicleId } = await newVehicle(db);
    await db
      .insertInto('vehicle_snapshots')
      .values({ vehicle_id: vehicleId, range_km: 1, range_at: T0, privacy: null, privacy_at: null })
      .execute();
    await expect(
      db
        .insertInto('vehicle_snapshots')
        .values({ vehicle_id: vehicleId, range_km: 2, range_at: T0, privacy: null, privacy_at: null })
        .execute(),
    ).rejects.toThrow();
    const other = await newVehicle(db);
    await expect(
      db
        .insertInto('vehicle_snapshots')
        .values({
          vehicle_id: other.vehicleId,
          range_km: null,
          range_at: null,
          privacy: 'hidden',
          privacy_at: T0,
        })
        .execute(),
    ).rejects.toThrow();
  });

  it('keeps the newest range and privacy, each on its own clock', async () => {
    const { db } = database();
    const { ownerId, vehicleId } = await newVehicle(db);
    expect(await readVehicleSnapshot(db, ownerId, vehicleId)).toBeNull();

    await store(db, vehicleId, [range(T0 + 10 * MIN, 300), privacy(T0 + 5 * MIN, 'none')]);
    expect(await readVehicleSnapshot(db, ownerId, vehicleId)).toEqual({
      rangeKm: 300,
      rangeAt: T0 + 10 * MIN,
      privacy: 'none',
      privacyAt: T0 + 5 * MIN,
    });

    // A late delivery of an older range loses; its newer privacy state wins.
    await store(db, vehicleId, [range(T0 + 2 * MIN, 410), privacy(T0 + 6 * MIN, 'geolocation')]);
    expect(await readVehicleSnapshot(db, ownerId, vehicleId)).toEqual({
      rangeKm: 300,
      rangeAt: T0 + 10 * MIN,
      privacy: 'geolocation',
      privacyAt: T0 + 6 * MIN,
    });

    // A batch with only a range leaves the privacy alone; the same instant again: later delivery wins.
    await store(db, vehicleId, [range(T0 + 10 * MIN, 299.5)]);
    expect(await readVehicleSnapshot(db, ownerId, vehicleId)).toEqual({
      rangeKm: 299.5,
      rangeAt: T0 + 10 * MIN,
      privacy: 'geolocation',
      privacyAt: T0 + 6 * MIN,
    });

    // Within one batch the newest counts, whatever the order.
    await store(db, vehicleId, [privacy(T0 + 30 * MIN, 'full'), privacy(T0 + 20 * MIN, 'none')]);
    expect((await readVehicleSnapshot(db, ownerId, vehicleId))?.privacy).toBe('full');
  });

  it('answers null for another owner, as for a vehicle that does not exist', async () => {
    const { db } = database();
    const mine = await newVehicle(db);
    const theirs = await newVehicle(db);
    await store(db, mine.vehicleId, [range(T0, 100)]);
    expect(await readVehicleSnapshot(db, theirs.ownerId, mine.vehicleId)).toBeNull();
    expect(await readVehicleSnapshot(db, mine.ownerId, 'no-such-car')).toBeNull();
    expect((await readVehicleSnapshot(db, mine.ownerId, mine.vehicleId))?.rangeKm).toBe(100);
  });

  it('ends with the last-measured value of each fact, whatever the delivery order', async () => {
    const { db } = database();
    const states = ['none', 'geolocation', 'full'] as const;
    // Distinct instants, so "the last measured" is one value (ties are the later delivery's, above).
    const deliveries = fc
      .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 8 })
      .chain((minutes) =>
        fc.tuple(
          fc.constant(minutes),
          fc.array(fc.integer({ min: 0, max: 900 }), {
            minLength: minutes.length,
            maxLength: minutes.length,
          }),
          fc.array(fc.constantFrom(...states), { minLength: minutes.length, maxLength: minutes.length }),
          fc.array(fc.boolean(), { minLength: minutes.length, maxLength: minutes.length }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(deliveries, async ([minutes, ranges, privacies, isRange]) => {
        const { ownerId, vehicleId } = await newVehicle(db);
        const snapshots = minutes.map((m, i) =>
          isRange[i] ? range(T0 + m * MIN, ranges[i] ?? 0) : privacy(T0 + m * MIN, privacies[i] ?? 'none'),
        );
        for (const snapshot of snapshots) await store(db, vehicleId, [snapshot]);
        const newest = (kind: 'range' | 'privacy') =>
          snapshots
            .filter((s) => (kind === 'range' ? s.rangeKm !== undefined : s.privacy !== undefined))
            .sort((a, b) => b.at - a.at)[0];
        const lastRange = newest('range');
        const lastPrivacy = newest('privacy');
        expect(await readVehicleSnapshot(db, ownerId, vehicleId)).toEqual({
          rangeKm: lastRange?.rangeKm ?? null,
          rangeAt: lastRange?.at ?? null,
          privacy: lastPrivacy?.privacy ?? null,
          privacyAt: lastPrivacy?.at ?? null,
        });
      }),
      { numRuns: 25 },
    );
  });
});
