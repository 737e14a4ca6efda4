import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimVehicle } from '@/lib/simulator/world/world';
import { ENGINES, useTestDatabase } from '../../test/db-harness';
import { createUser } from '../db/queries/users';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { startV1Simulator, type V1Simulator } from '../vehicle-api/psa-v1/simulator-for-tests';
import { connectV1Car, NO_SUCH_CAR_MESSAGE, V1_CONNECT_LIMIT } from './connect-v1';

// Linking a car over PSA v1 against the simulated cloud over real HTTP: the car must answer to its
// VIN and contract under its own brand's key; anything else is "no such car" and leaves nothing.

const NOW = Date.parse('2026-03-01T08:00:00Z');

let sim: V1Simulator;
let config: { v1BaseUrl: string; apps: { brand: string; clientId: string }[] };
/** The demo owner's petrol 208: a Peugeot. */
let peugeot: SimVehicle;

beforeAll(async () => {
  sim = await startV1Simulator({ seed: 'connect-v1', now: NOW });
  peugeot = sim.combustion;
  config = {
    v1BaseUrl: sim.baseUrl,
    apps: (['peugeot', 'citroen', 'ds'] as const).map((brand) => ({
      brand,
      clientId: sim.ctx.world.clientFor(brand).clientId,
    })),
  };
});
afterAll(() => sim.close());

/** A peer's Peugeot (no other test links it). */
function peerPeugeot(): SimVehicle {
  for (let index = 1; index < sim.ctx.world.ownerCount; index++) {
    const found = sim.ctx.world.ownerAt(index).vehicles.find((vehicle) => vehicle.brand === 'peugeot');
    if (found) return found;
  }
  throw new Error('no peer drives a Peugeot');
}

let counter = 0;
const newOwner = (db: Kysely<Database>) =>
  createUser(db, { email: `v1-${++counter}@example.com`, passwordHash: null, now: NOW });

async function refusal(pending: Promise<unknown>): Promise<AppError> {
  const error = await pending.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

const accountsOf = (db: Kysely<Database>, ownerId: string) =>
  db
    .selectFrom('car_accounts')
    .select(['provider', 'maker_subject', 'tokens'])
    .where('user_id', '=', ownerId)
    .execute();

describe.each(ENGINES)('connectV1Car on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('links the car once, tokenless, with its contract; linking again reuses the account', async () => {
    const { db } = database();
    const owner = await newOwner(db);
    const input = {
      ownerId: owner.id,
      brand: 'peugeot' as const,
      vin: peugeot.vin,
      contract: peugeot.contract,
    };
    const first = await connectV1Car(db, config, input, { now: NOW });
    expect(first.created).toBe(true);
    expect(first.account).toMatchObject({ provider: 'psa-v1', brand: 'peugeot', makerSubject: peugeot.vin });
    expect(first.vehicle).toMatchObject({
      vin: peugeot.vin,
      contract: peugeot.contract,
      providerVehicleId: peugeot.vin,
    });
    // The VIN typed in lower case with spaces is the same car.
    const spaced = `${peugeot.vin.slice(0, 8).toLowerCase()} ${peugeot.vin.slice(8)}`;
    const second = await connectV1Car(db, config, { ...input, vin: spaced }, { now: NOW });
    expect(second.created).toBe(false);
    expect(second.account.id).toBe(first.account.id);
    expect(second.vehicle.vehicleId).toBe(first.vehicle.vehicleId);
    expect(await accountsOf(db, owner.id)).toEqual([
      { provider: 'psa-v1', maker_subject: peugeot.vin, tokens: null },
    ]);
    const state = await db
      .selectFrom('sync_state')
      .select(['provider', 'next_sync_at'])
      .where('vehicle_id', '=', first.vehicle.vehicleId)
      .execute();
    // Due at once: the worker's next pass syncs it.
    expect(state).toEqual([{ provider: 'psa-v1', next_sync_at: NOW }]);
  });

  it('refuses a wrong contract, and links nothing', async () => {
    const { db } = database();
    const owner = await newOwner(db);
    const error = await refusal(
      connectV1Car(db, config, {
        ownerId: owner.id,
        brand: 'peugeot',
        vin: peugeot.vin,
        contract: 'CT00000001',
      }),
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toBe(NO_SUCH_CAR_MESSAGE);
    expect(await accountsOf(db, owner.id)).toEqual([]);
  });

  it('refuses the car under another brand (another application key), and links nothing', async () => {
    const { db } = database();
    const owner = await newOwner(db);
    const error = await refusal(
      connectV1Car(db, config, {
        ownerId: owner.id,
        brand: 'citroen',
        vin: peugeot.vin,
        contract: peugeot.contract,
      }),
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toBe(NO_SUCH_CAR_MESSAGE);
    expect(await accountsOf(db, owner.id)).toEqual([]);
  });

  it('refuses a malformed VIN before asking PSA', async () => {
    const { db } = database();
    const owner = await newOwner(db);
    // 17 characters, but I, O and Q are not VIN letters (ISO 3779).
    for (const vin of ['VF3ABC', 'VF3IOQ12345678901']) {
      const error = await refusal(
        connectV1Car(db, config, { ownerId: owner.id, brand: 'peugeot', vin, contract: peugeot.contract }),
      );
      expect(error.code).toBe('bad_request');
    }
  });

  it('refuses a car another owner has linked', async () => {
    const { db } = database();
    const first = await newOwner(db);
    const second = await newOwner(db);
    const input = { brand: 'peugeot' as const, vin: sim.electric.vin, contract: sim.electric.contract };
    await connectV1Car(db, config, { ownerId: first.id, ...input }, { now: NOW });
    const error = await refusal(connectV1Car(db, config, { ownerId: second.id, ...input }, { now: NOW }));
    expect(error.code).toBe('conflict');
    expect(await accountsOf(db, second.id)).toEqual([]);
  });

  it(`allows ${V1_CONNECT_LIMIT.max} attempts an hour per owner`, async () => {
    const { db } = database();
    const owner = await newOwner(db);
    const car = peerPeugeot();
    const wrong = { ownerId: owner.id, brand: 'peugeot' as const, vin: car.vin, contract: 'CT00000002' };
    for (let attempt = 1; attempt <= V1_CONNECT_LIMIT.max; attempt++) {
      expect((await refusal(connectV1Car(db, config, wrong, { now: NOW }))).code).toBe('not_found');
    }
    // Even the right contract waits now…
    const right = { ...wrong, contract: car.contract };
    expect((await refusal(connectV1Car(db, config, right, { now: NOW + 1000 }))).code).toBe('rate_limited');
    // …and passes once the hour is over.
    const linked = await connectV1Car(db, config, right, { now: NOW + V1_CONNECT_LIMIT.windowMs + 1000 });
    expect(linked.created).toBe(true);
  });
});
