import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { isUniqueViolation } from '../errors';
import { createSession } from './sessions';
import { createUser, deleteUser } from './users';
import { createVehicle, getVehicle, listVehicles } from './vehicles';

const T0 = 1_900_000_000_000;

describe.each(ENGINES)('vehicles on %s', (engine) => {
  const database = useTestDatabase(engine);
  let counter = 0;

  async function newOwner() {
    counter += 1;
    return createUser(database().db, { email: `owner${counter}@example.com`, passwordHash: 'h', now: T0 });
  }

  function car(label: string, createdAt?: number) {
    counter += 1;
    return {
      label,
      brand: 'Skoda',
      model: 'Fabia',
      powertrain: 'petrol',
      vin: `TMBTEST${String(counter).padStart(10, '0')}`,
      createdAt,
    };
  }

  it("lists only the owner's vehicles, oldest first", async () => {
    const { db } = database();
    const a = await newOwner();
    const b = await newOwner();
    // Inserted out of order, so the order comes from created_at, not from insertion.
    const second = await createVehicle(db, a.id, car('second', T0 + 2_000));
    const first = await createVehicle(db, a.id, car('first', T0 + 1_000));
    const third = await createVehicle(db, a.id, car('third', T0 + 3_000));
    await createVehicle(db, b.id, car('not yours', T0 + 500));

    const listed = await listVehicles(db, a.id);
    expect(listed.map((vehicle) => vehicle.id)).toEqual([first.id, second.id, third.id]);
    expect(listed.every((vehicle) => vehicle.user_id === a.id)).toBe(true);
    expect(listed[0]).toEqual(first);
    expect(typeof listed[0]?.created_at).toBe('number');
    expect((await listVehicles(db, b.id)).map((vehicle) => vehicle.label)).toEqual(['not yours']);
  });

  it('a new owner has an empty list', async () => {
    const owner = await newOwner();
    expect(await listVehicles(database().db, owner.id)).toEqual([]);
  });

  it("another owner's vehicle is answered exactly like one that never existed", async () => {
    const { db } = database();
    const a = await newOwner();
    const b = await newOwner();
    const mine = await createVehicle(db, a.id, car('mine'));
    const theirs = await createVehicle(db, b.id, car('theirs'));

    expect(await getVehicle(db, a.id, mine.id)).toEqual(mine);
    const foreign = await getVehicle(db, a.id, theirs.id);
    const missing = await getVehicle(db, a.id, crypto.randomUUID());
    expect(foreign).toBeNull();
    expect(missing).toBeNull();
    expect(foreign).toStrictEqual(missing);
    // The row exists; it is only hidden from a.
    expect(await getVehicle(db, b.id, theirs.id)).toEqual(theirs);
  });

  it('one owner cannot register the same VIN twice; another owner can', async () => {
    const { db } = database();
    const a = await newOwner();
    const b = await newOwner();
    const vehicle = car('dup');
    await createVehicle(db, a.id, vehicle);
    const error = await createVehicle(db, a.id, { ...vehicle, label: 'again' }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(isUniqueViolation(error)).toBe(true);
    await expect(createVehicle(db, b.id, vehicle)).resolves.toMatchObject({
      user_id: b.id,
      vin: vehicle.vin,
    });
  });

  it('deleting a user deletes its sessions and vehicles, and nobody else’s', async () => {
    const { db } = database();
    const gone = await newOwner();
    const stays = await newOwner();
    const goneVehicle = await createVehicle(db, gone.id, car('gone'));
    const goneSession = await createSession(db, { userId: gone.id, now: T0 });
    const keptVehicle = await createVehicle(db, stays.id, car('kept'));
    const keptSession = await createSession(db, { userId: stays.id, now: T0 });

    await deleteUser(db, gone.id);

    const vehicles = await db.selectFrom('vehicles').select('id').where('user_id', '=', gone.id).execute();
    const sessions = await db.selectFrom('sessions').select('id').where('user_id', '=', gone.id).execute();
    expect(vehicles).toEqual([]);
    expect(sessions).toEqual([]);
    expect(await db.selectFrom('vehicles').select('id').where('id', '=', goneVehicle.id).execute()).toEqual(
      [],
    );
    expect(await db.selectFrom('sessions').select('id').where('id', '=', goneSession).execute()).toEqual([]);
    expect(await getVehicle(db, stays.id, keptVehicle.id)).toEqual(keptVehicle);
    expect(await db.selectFrom('sessions').select('id').where('id', '=', keptSession).execute()).toHaveLength(
      1,
    );
  });

  it('property: getVehicle returns the row if and only if the viewer owns it', async () => {
    const { db } = database();
    const scenario = fc.record({
      owners: fc.integer({ min: 1, max: 4 }),
      // Owner index of each vehicle (taken modulo the number of owners).
      vehicles: fc.array(fc.nat({ max: 3 }), { maxLength: 8 }),
      // (viewer index, vehicle index or a never-existing id when past the end).
      queries: fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 9 })), { minLength: 1, maxLength: 12 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ owners, vehicles, queries }) => {
        const users = [];
        for (let i = 0; i < owners; i++) users.push(await newOwner());
        const rows = [];
        for (const ownerIndex of vehicles) {
          const owner = users[ownerIndex % owners];
          if (!owner) throw new Error('owner index out of range');
          rows.push(await createVehicle(db, owner.id, car(`car ${rows.length}`)));
        }
        for (const [viewerIndex, vehicleIndex] of queries) {
          const viewer = users[viewerIndex % owners];
          if (!viewer) throw new Error('viewer index out of range');
          const target = rows[vehicleIndex];
          const found = await getVehicle(db, viewer.id, target?.id ?? crypto.randomUUID());
          if (target && target.user_id === viewer.id) expect(found).toEqual(target);
          else expect(found).toBeNull();
        }
        for (const user of users) {
          const expected = rows.filter((row) => row.user_id === user.id).map((row) => row.id);
          const listed = (await listVehicles(db, user.id)).map((row) => row.id);
          expect(listed.sort()).toEqual(expected.sort());
        }
      }),
      { numRuns: 30 },
    );
  });
});
