import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { type AccountTokens, createTokenCipher, openAccountTokens } from '../../crypto/token-cipher';
import { AppError } from '../../errors';
import { type DbHandle, openPostgres, openSqlite, sqlitePathFor } from '../client';
import type { Database } from '../schema';
import {
  type CarAccount,
  connectCarAccount,
  disconnectCarAccount,
  getCarAccount,
  getCarAccountByMakerIdentity,
  type LinkVehicleInput,
  linkVehicles,
  listCarAccounts,
  markCarAccountReauthorizationNeeded,
  readSealedTokens,
} from './car-accounts';
import {
  getSyncState,
  leaseDueVehicles,
  recordSyncFailure,
  recordSyncResult,
  releaseLease,
  sanitizeSyncError,
  upsertSyncState,
} from './sync-state';
import { createUser, deleteUser } from './users';
import { createVehicle, getVehicle, listVehicles } from './vehicles';

const T0 = 1_900_000_000_000;
const LEASE_MS = 60_000;

describe.each(ENGINES)('car accounts on %s', (engine) => {
  const database = useTestDatabase(engine);
  const cipher = createTokenCipher(randomBytes(32));
  let counter = 0;

  const next = () => {
    counter += 1;
    return counter;
  };

  async function newOwner() {
    return createUser(database().db, { email: `car-owner${next()}@example.com`, passwordHash: 'h', now: T0 });
  }

  function freshTokens(): AccountTokens {
    return {
      accessToken: `AT-${randomBytes(16).toString('hex')}`,
      refreshToken: `RT-${randomBytes(16).toString('hex')}`,
      expiresAt: T0 + 3_599_000,
      scopes: ['openid', 'profile'],
    };
  }

  async function connect(ownerId: string, subject = `sub-${next()}`, brand = 'peugeot') {
    const tokens = freshTokens();
    const result = await connectCarAccount(database().db, cipher, {
      ownerId,
      provider: 'psa-v4',
      brand,
      makerSubject: subject,
      tokens,
      now: T0,
    });
    return { ...result, tokens, subject };
  }

  function car(providerVehicleId = `pv-${next()}`): LinkVehicleInput {
    return {
      providerVehicleId,
      vin: `VR3TEST${String(next()).padStart(10, '0')}`,
      label: 'My 208',
      brand: 'Peugeot',
      model: '208',
      powertrain: 'petrol',
    };
  }

  async function rawAccount(accountId: string) {
    return database()
      .db.selectFrom('car_accounts')
      .selectAll()
      .where('id', '=', accountId)
      .executeTakeFirst();
  }

  describe('connecting', () => {
    it('creates an account bound to the maker identity, with the tokens sealed for it', async () => {
      const owner = await newOwner();
      const { account, created, tokens, subject } = await connect(owner.id);
      expect(created).toBe(true);
      expect(account).toEqual({
        id: account.id,
        userId: owner.id,
        provider: 'psa-v4',
        brand: 'peugeot',
        makerSubject: subject,
        status: 'active',
        statusReason: null,
        createdAt: T0,
        updatedAt: T0,
      });

      const row = await rawAccount(account.id);
      expect(row?.tokens).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      // No plaintext token anywhere in the stored row…
      const stored = JSON.stringify(row);
      for (const secret of [tokens.accessToken, tokens.refreshToken]) expect(stored).not.toContain(secret);
      // …yet it opens, for this account only, to exactly what was given.
      expect(openAccountTokens(cipher, account.id, row?.tokens ?? '')).toEqual(tokens);
    });

    it('reuses the account on the next sign-in with the same maker identity, with the new tokens', async () => {
      const { db } = database();
      const owner = await newOwner();
      const first = await connect(owner.id, 'sub-same');
      await markCarAccountReauthorizationNeeded(db, first.account.id, 'grant_refused');
      const second = await connect(owner.id, 'sub-same');

      expect(second.created).toBe(false);
      expect(second.account.id).toBe(first.account.id);
      expect(second.account.status).toBe('active');
      expect(second.account.statusReason).toBeNull();
      const row = await rawAccount(first.account.id);
      expect(openAccountTokens(cipher, first.account.id, row?.tokens ?? '')).toEqual(second.tokens);
      expect(row?.token_version).toBe(2);
      expect((await listCarAccounts(db, owner.id)).map((account) => account.id)).toEqual([first.account.id]);
    });

    it('tells identities apart by brand and subject', async () => {
      const owner = await newOwner();
      const a = await connect(owner.id, 'sub-x', 'peugeot');
      const b = await connect(owner.id, 'sub-x', 'citroen');
      const c = await connect(owner.id, 'sub-y', 'peugeot');
      expect(new Set([a.account.id, b.account.id, c.account.id]).size).toBe(3);
      expect([a.created, b.created, c.created]).toEqual([true, true, true]);
    });

    it('never matches by e-mail: an e-mail is not an identity, and a bound identity is not merged', async () => {
      const { db } = database();
      const alice = await newOwner();
      const { account } = await connect(alice.id, 'sub-alice');

      // Looking the owner's e-mail up as a subject finds nothing.
      expect(
        await getCarAccountByMakerIdentity(db, {
          provider: 'psa-v4',
          brand: 'peugeot',
          makerSubject: alice.email,
        }),
      ).toBeNull();
      expect(
        await getCarAccountByMakerIdentity(db, {
          provider: 'psa-v4',
          brand: 'peugeot',
          makerSubject: 'sub-alice',
        }),
      ).toEqual(account);

      // Another Kinetic owner presenting Alice's maker identity is refused, not merged into Alice.
      const bob = await newOwner();
      const error = await connect(bob.id, 'sub-alice').then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('conflict');
      expect(await listCarAccounts(db, bob.id)).toEqual([]);
      expect((await getCarAccount(db, alice.id, account.id))?.userId).toBe(alice.id);
    });

    it('lets another owner bind an identity its previous owner disconnected, without their cars', async () => {
      const { db } = database();
      const alice = await newOwner();
      const { account } = await connect(alice.id, 'sub-passed-on');
      const [linked] = (await linkVehicles(db, alice.id, account.id, [car()], { now: T0 })) ?? [];
      await disconnectCarAccount(db, alice.id, account.id, { deleteData: false, now: T0 });

      const bob = await newOwner();
      const again = await connect(bob.id, 'sub-passed-on');
      expect(again.created).toBe(true);
      expect(again.account.id).not.toBe(account.id);
      expect(again.account.userId).toBe(bob.id);
      const [bobs] = await listCarAccounts(db, bob.id);
      expect(bobs?.vehicles).toEqual([]);
      // Alice keeps her car and its data.
      expect(await getVehicle(db, alice.id, linked?.vehicleId ?? '')).not.toBeNull();
    });

    it('two simultaneous first sign-ins with one identity make one account', async () => {
      const owner = await newOwner();
      const results = await Promise.all(Array.from({ length: 4 }, () => connect(owner.id, 'sub-race')));
      expect(new Set(results.map((result) => result.account.id)).size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
    });
  });

  describe('owner scoping', () => {
    it("another owner's account answers exactly like one that never existed, and stays untouched", async () => {
      const { db } = database();
      const a = await newOwner();
      const b = await newOwner();
      const { account } = await connect(a.id);
      await linkVehicles(db, a.id, account.id, [car()], { now: T0 });
      const before = await rawAccount(account.id);
      const missing = crypto.randomUUID();

      expect(await getCarAccount(db, b.id, account.id)).toStrictEqual(await getCarAccount(db, b.id, missing));
      expect(await getCarAccount(db, b.id, account.id)).toBeNull();
      expect(await disconnectCarAccount(db, b.id, account.id, { deleteData: true })).toStrictEqual(
        await disconnectCarAccount(db, b.id, missing, { deleteData: true }),
      );
      expect(await disconnectCarAccount(db, b.id, account.id, { deleteData: true })).toBeNull();
      expect(await linkVehicles(db, b.id, account.id, [car()])).toStrictEqual(
        await linkVehicles(db, b.id, missing, [car()]),
      );
      expect(await linkVehicles(db, b.id, account.id, [car()])).toBeNull();
      expect(await listCarAccounts(db, b.id)).toEqual([]);
      expect(await listVehicles(db, b.id)).toEqual([]);

      // A's account is byte-for-byte what it was, and A still sees it.
      expect(await rawAccount(account.id)).toEqual(before);
      expect(await getCarAccount(db, a.id, account.id)).toEqual(account);
    });

    it('property: getCarAccount and listCarAccounts show an account if and only if the viewer owns it', async () => {
      const { db } = database();
      const scenario = fc.record({
        owners: fc.integer({ min: 1, max: 4 }),
        accounts: fc.array(fc.nat({ max: 3 }), { maxLength: 6 }),
        queries: fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 7 })), { minLength: 1, maxLength: 10 }),
      });
      await fc.assert(
        fc.asyncProperty(scenario, async ({ owners, accounts, queries }) => {
          const users = [];
          for (let i = 0; i < owners; i++) users.push(await newOwner());
          const made: CarAccount[] = [];
          for (const ownerIndex of accounts) {
            const owner = users[ownerIndex % owners];
            if (!owner) throw new Error('owner index out of range');
            made.push((await connect(owner.id)).account);
          }
          for (const [viewerIndex, accountIndex] of queries) {
            const viewer = users[viewerIndex % owners];
            if (!viewer) throw new Error('viewer index out of range');
            const target = made[accountIndex];
            const found = await getCarAccount(db, viewer.id, target?.id ?? crypto.randomUUID());
            if (target && target.userId === viewer.id) expect(found).toEqual(target);
            else expect(found).toBeNull();
          }
          for (const user of users) {
            const expected = made
              .filter((account) => account.userId === user.id)
              .map((account) => account.id);
            const listed = (await listCarAccounts(db, user.id)).map((account) => account.id);
            expect(listed.sort()).toEqual(expected.sort());
          }
        }),
        { numRuns: 25 },
      );
    });
  });

  describe('linking cars', () => {
    it('creates the Kinetic vehicle, the link and a sync state due at once', async () => {
      const { db } = database();
      const owner = await newOwner();
      const { account } = await connect(owner.id);
      const input = { ...car('pv-1'), contract: null };
      const linked = await linkVehicles(db, owner.id, account.id, [input], { now: T0 + 5 });

      expect(linked).toHaveLength(1);
      const [link] = linked ?? [];
      expect(link).toEqual({
        carAccountId: account.id,
        vehicleId: link?.vehicleId,
        providerVehicleId: 'pv-1',
        vin: input.vin,
        contract: null,
        linkedAt: T0 + 5,
        label: 'My 208',
        brand: 'Peugeot',
        model: '208',
        powertrain: 'petrol',
        lastSyncedAt: null,
        nextSyncAt: T0 + 5,
        failures: 0,
        lastError: null,
      });
      expect(await getVehicle(db, owner.id, link?.vehicleId ?? '')).toMatchObject({
        vin: input.vin,
        label: 'My 208',
      });
      expect(await getSyncState(db, link?.vehicleId ?? '', 'psa-v4')).toMatchObject({
        cursor: null,
        activity: 'unknown',
        nextSyncAt: T0 + 5,
        failures: 0,
        leaseOwner: null,
      });
    });

    it('reuses a car the owner already has with the same VIN', async () => {
      const { db } = database();
      const owner = await newOwner();
      const input = car();
      const existing = await createVehicle(db, owner.id, { ...input, label: 'From a file import' });
      const { account } = await connect(owner.id);
      const linked = await linkVehicles(db, owner.id, account.id, [input]);
      expect(linked?.map((vehicle) => vehicle.vehicleId)).toEqual([existing.id]);
      expect(await listVehicles(db, owner.id)).toHaveLength(1);
    });

    it('property: any sequence of (repeated, overlapping) link calls leaves one car per provider id', async () => {
      const { db } = database();
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.nat({ max: 5 }), { maxLength: 6 }), { minLength: 1, maxLength: 5 }),
          async (calls) => {
            const owner = await newOwner();
            const { account } = await connect(owner.id);
            const cars = Array.from({ length: 6 }, (_, i) => car(`pv-${i}`));
            const seen = new Map<string, string>();
            for (const picks of calls) {
              const linked = await linkVehicles(
                db,
                owner.id,
                account.id,
                picks.map((i) => cars[i] as LinkVehicleInput),
              );
              for (const vehicle of linked ?? []) {
                // A provider id always maps to the same Kinetic car.
                expect(seen.get(vehicle.providerVehicleId) ?? vehicle.vehicleId).toBe(vehicle.vehicleId);
                seen.set(vehicle.providerVehicleId, vehicle.vehicleId);
              }
              expect(new Set(linked?.map((vehicle) => vehicle.providerVehicleId))).toEqual(
                new Set(picks.map((i) => `pv-${i}`)),
              );
            }
            const distinct = new Set(calls.flat()).size;
            expect(await listVehicles(db, owner.id)).toHaveLength(distinct);
            const [listed] = await listCarAccounts(db, owner.id);
            expect(listed?.vehicles).toHaveLength(distinct);
            const states = await db
              .selectFrom('sync_state')
              .select('vehicle_id')
              .where('vehicle_id', 'in', [...seen.values(), 'none'])
              .execute();
            expect(states).toHaveLength(distinct);
          },
        ),
        { numRuns: 15 },
      );
    });

    it('concurrent links of the same cars make each car once', async () => {
      const { db } = database();
      const owner = await newOwner();
      const { account } = await connect(owner.id);
      const cars = [car(), car(), car()];
      await Promise.all(Array.from({ length: 4 }, () => linkVehicles(db, owner.id, account.id, cars)));
      expect(await listVehicles(db, owner.id)).toHaveLength(3);
    });
  });

  describe('status', () => {
    it('marks re-authorisation needed only while active, and only for the current tokens when asked', async () => {
      const { db } = database();
      const owner = await newOwner();
      const { account } = await connect(owner.id);
      const version = (await readSealedTokens(db, account.id))?.version ?? -1;

      expect(
        await markCarAccountReauthorizationNeeded(db, account.id, 'grant_refused', {
          expectedTokenVersion: version - 1,
        }),
      ).toBe(false);
      expect((await getCarAccount(db, owner.id, account.id))?.status).toBe('active');

      expect(
        await markCarAccountReauthorizationNeeded(db, account.id, 'grant_refused', {
          expectedTokenVersion: version,
          now: T0 + 9,
        }),
      ).toBe(true);
      expect(await getCarAccount(db, owner.id, account.id)).toMatchObject({
        status: 'reauthorization_needed',
        statusReason: 'grant_refused',
        updatedAt: T0 + 9,
      });
      // Already marked: nothing more to do.
      expect(await markCarAccountReauthorizationNeeded(db, account.id, 'tokens_refused')).toBe(false);
    });
  });

  describe('disconnecting', () => {
    async function seedData(vehicleId: string) {
      await database()
        .db.insertInto('maintenance_reports')
        .values({
          vehicle_id: vehicleId,
          provider: 'psa-v4',
          at: T0,
          source_ref: 'maintenance',
          days_before_service: 30,
          km_before_service: 1000,
        })
        .execute();
    }

    it('deletes the tokens and keeps the data unless asked', async () => {
      const { db } = database();
      const owner = await newOwner();
      const { account } = await connect(owner.id);
      const [linked] = (await linkVehicles(db, owner.id, account.id, [car()])) ?? [];
      const before = (await readSealedTokens(db, account.id))?.version ?? -1;

      const result = await disconnectCarAccount(db, owner.id, account.id, { deleteData: false, now: T0 + 1 });
      expect(result?.deletedVehicleIds).toEqual([]);
      expect(result?.account).toMatchObject({ status: 'disconnected', statusReason: 'owner_disconnected' });
      const sealed = await readSealedTokens(db, account.id);
      expect(sealed?.sealed).toBeNull();
      // The version moves on: a refresh that started before cannot write tokens back.
      expect(sealed?.version).toBe(before + 1);
      expect(await getVehicle(db, owner.id, linked?.vehicleId ?? '')).not.toBeNull();
      expect((await listCarAccounts(db, owner.id))[0]?.vehicles).toHaveLength(1);

      // Connecting again with the same identity resumes the same account and its cars.
      const again = await connect(owner.id, account.makerSubject);
      expect(again.created).toBe(false);
      expect(again.account.status).toBe('active');
      expect((await listCarAccounts(db, owner.id))[0]?.vehicles).toHaveLength(1);
    });

    it('with deleteData, deletes the cars only this account links, with their data; nothing else', async () => {
      const { db } = database();
      const owner = await newOwner();
      const { account } = await connect(owner.id);
      const other = await connect(owner.id);
      const onlyHere = car();
      const shared = car();
      const [mine, both] = (await linkVehicles(db, owner.id, account.id, [onlyHere, shared])) ?? [];
      await linkVehicles(db, owner.id, other.account.id, [shared]);
      const unlinked = await createVehicle(db, owner.id, car());
      for (const vehicle of [mine?.vehicleId, both?.vehicleId, unlinked.id]) await seedData(vehicle ?? '');

      const result = await disconnectCarAccount(db, owner.id, account.id, { deleteData: true });
      expect(result?.deletedVehicleIds).toEqual([mine?.vehicleId]);

      const reports = await db.selectFrom('maintenance_reports').select('vehicle_id').execute();
      const withData = reports.map((report) => report.vehicle_id);
      expect(withData).not.toContain(mine?.vehicleId);
      expect(withData).toContain(both?.vehicleId);
      expect(withData).toContain(unlinked.id);
      expect(await getSyncState(db, mine?.vehicleId ?? '', 'psa-v4')).toBeNull();
      expect(await getSyncState(db, both?.vehicleId ?? '', 'psa-v4')).not.toBeNull();
      const accounts = await listCarAccounts(db, owner.id);
      expect(accounts.find((entry) => entry.id === account.id)?.vehicles).toEqual([]);
      expect(
        accounts.find((entry) => entry.id === other.account.id)?.vehicles.map((v) => v.vehicleId),
      ).toEqual([both?.vehicleId]);
    });

    it('deleting the owner deletes accounts, links and sync state', async () => {
      const { db } = database();
      const owner = await newOwner();
      const { account } = await connect(owner.id);
      const [linked] = (await linkVehicles(db, owner.id, account.id, [car()])) ?? [];
      await deleteUser(db, owner.id);
      expect(await rawAccount(account.id)).toBeUndefined();
      expect(
        await db
          .selectFrom('car_account_vehicles')
          .selectAll()
          .where('car_account_id', '=', account.id)
          .execute(),
      ).toEqual([]);
      expect(await getSyncState(db, linked?.vehicleId ?? '', 'psa-v4')).toBeNull();
    });
  });

  it('no value any query returns carries a token', async () => {
    const { db } = database();
    const owner = await newOwner();
    const connected = await connect(owner.id);
    const reused = await connect(owner.id, connected.subject);
    const linked = await linkVehicles(db, owner.id, connected.account.id, [car()]);
    const answers: unknown[] = [
      connected.account,
      reused.account,
      linked,
      await getCarAccount(db, owner.id, connected.account.id),
      await listCarAccounts(db, owner.id),
      await getCarAccountByMakerIdentity(db, {
        provider: 'psa-v4',
        brand: 'peugeot',
        makerSubject: connected.subject,
      }),
      await leaseDueVehicles(db, `w-${next()}`, T0 + 10_000_000, LEASE_MS, 1000),
      await disconnectCarAccount(db, owner.id, connected.account.id, { deleteData: false }),
    ];
    const json = JSON.stringify(answers);
    for (const tokens of [connected.tokens, reused.tokens]) {
      expect(json).not.toContain(tokens.accessToken);
      expect(json).not.toContain(tokens.refreshToken);
    }
    // Not even the sealed form leaves through these.
    expect(json).not.toMatch(/v1\.[\w-]{16}\./);
  });

  describe('sync state and leases', () => {
    /** One owner, one active account, `count` linked cars due at T0 (the link time). */
    async function dueCars(count: number) {
      const { db } = database();
      const owner = await newOwner();
      const { account } = await connect(owner.id);
      const linked =
        (await linkVehicles(
          db,
          owner.id,
          account.id,
          Array.from({ length: count }, () => car()),
          { now: T0 },
        )) ?? [];
      return { owner, account, vehicleIds: linked.map((vehicle) => vehicle.vehicleId) };
    }

    /** A second connection to the same database: another worker. */
    function secondHandle(): DbHandle {
      const { env } = database();
      if (engine === 'sqlite') return openSqlite(sqlitePathFor(env));
      if (!env.DATABASE_URL) throw new Error('no DATABASE_URL for the PostgreSQL test database');
      return openPostgres(env.DATABASE_URL, { max: 4 });
    }

    it('leases due cars of active accounts only, soonest first, up to the limit', async () => {
      const { db } = database();
      const { owner, account, vehicleIds } = await dueCars(3);
      const [first, second, third] = vehicleIds as [string, string, string];
      await upsertSyncState(db, { vehicleId: first, provider: 'psa-v4', nextSyncAt: T0 - 10 });
      await upsertSyncState(db, { vehicleId: second, provider: 'psa-v4', nextSyncAt: T0 - 5 });
      await upsertSyncState(db, { vehicleId: third, provider: 'psa-v4', nextSyncAt: T0 + 1_000 });
      const idle = await dueCars(1);
      await disconnectCarAccount(db, idle.owner.id, idle.account.id, { deleteData: false });

      const leased = await leaseDueVehicles(db, 'w1', T0, LEASE_MS, 1);
      expect(leased.map((vehicle) => vehicle.vehicleId)).toEqual([first]);
      expect(leased[0]).toMatchObject({
        provider: 'psa-v4',
        carAccountId: account.id,
        leaseOwner: 'w1',
        leaseUntil: T0 + LEASE_MS,
        cursor: null,
      });
      const rest = await leaseDueVehicles(db, 'w1', T0, LEASE_MS, 10);
      // Not the car due later, not the disconnected account's car, not the one already leased.
      expect(
        rest.filter((vehicle) => [first, second, third].includes(vehicle.vehicleId)).map((v) => v.vehicleId),
      ).toEqual([second]);
      expect(rest.map((vehicle) => vehicle.vehicleId)).not.toContain(idle.vehicleIds[0]);
      await deleteUser(db, owner.id);
      await deleteUser(db, idle.owner.id);
    });

    it('leases cars never synced before cars catching up on their history, whatever their due times', async () => {
      const { db } = database();
      const { owner, vehicleIds } = await dueCars(2);
      const [catchingUp, fresh] = vehicleIds as [string, string];
      await upsertSyncState(db, { vehicleId: catchingUp, provider: 'psa-v4', nextSyncAt: T0 - 60_000 });
      await upsertSyncState(db, { vehicleId: fresh, provider: 'psa-v4', nextSyncAt: T0 - 1 });
      await db
        .updateTable('sync_state')
        .set({ last_synced_at: T0 - 65_000 })
        .where('vehicle_id', '=', catchingUp)
        .execute();
      // One at a time (the order of a batch's rows is the database's): the never-synced car comes first.
      const first = await leaseDueVehicles(db, 'w1', T0, LEASE_MS, 1);
      expect(first.map((vehicle) => vehicle.vehicleId)).toEqual([fresh]);
      const second = await leaseDueVehicles(db, 'w1', T0, LEASE_MS, 1);
      expect(second.map((vehicle) => vehicle.vehicleId)).toEqual([catchingUp]);
      await deleteUser(db, owner.id);
    });

    it('a lease keeps other workers off until it expires; then another takes over and fences the first', async () => {
      const { db } = database();
      const { owner, vehicleIds } = await dueCars(1);
      const [vehicleId] = vehicleIds as [string];
      const mine = <T extends { vehicleId: string }>(rows: T[]) =>
        rows.filter((row) => row.vehicleId === vehicleId);

      expect(mine(await leaseDueVehicles(db, 'slow', T0, LEASE_MS, 100))).toHaveLength(1);
      expect(mine(await leaseDueVehicles(db, 'other', T0 + LEASE_MS - 1, LEASE_MS, 100))).toEqual([]);
      // Only the holder may hand it back.
      expect(await releaseLease(db, 'other', vehicleId, 'psa-v4')).toBe(false);

      const takeover = mine(await leaseDueVehicles(db, 'other', T0 + LEASE_MS, LEASE_MS, 100));
      expect(takeover.map((row) => row.leaseOwner)).toEqual(['other']);

      // The stalled worker wakes up: its result is refused and changes nothing.
      const result = {
        vehicleId,
        provider: 'psa-v4',
        activity: 'parked' as const,
        lastMeasuredAt: T0,
        now: T0,
      };
      expect(
        await recordSyncResult(db, 'slow', { ...result, cursor: { page: 'stale' }, nextSyncAt: T0 + 1 }),
      ).toBe(false);
      expect(
        await recordSyncFailure(db, 'slow', { vehicleId, provider: 'psa-v4', error: 'x', nextSyncAt: T0 }),
      ).toBe(false);
      expect((await getSyncState(db, vehicleId, 'psa-v4'))?.cursor).toBeNull();

      expect(
        await recordSyncResult(db, 'other', {
          ...result,
          cursor: { page: 'fresh' },
          nextSyncAt: T0 + 300_000,
        }),
      ).toBe(true);
      expect(await getSyncState(db, vehicleId, 'psa-v4')).toMatchObject({
        cursor: { page: 'fresh' },
        activity: 'parked',
        lastSyncedAt: T0,
        nextSyncAt: T0 + 300_000,
        leaseOwner: null,
        leaseUntil: null,
      });
      await deleteUser(db, owner.id);
    });

    it('records results and failures: cursor, activity, monotonic measurement time, failure count', async () => {
      const { db } = database();
      const { owner, vehicleIds } = await dueCars(1);
      const [vehicleId] = vehicleIds as [string];
      const key = { vehicleId, provider: 'psa-v4' };

      await leaseDueVehicles(db, 'w', T0, LEASE_MS, 100);
      const base = { ...key, activity: 'driving' as const, cursor: { since: 'a', n: 2, gap: null } };
      expect(
        await recordSyncResult(db, 'w', { ...base, lastMeasuredAt: T0 + 50, nextSyncAt: T0, now: T0 }),
      ).toBe(true);

      await leaseDueVehicles(db, 'w', T0, LEASE_MS, 100);
      const leakyError =
        'GET https://api.example.com/connectedcar/v1/vehicles?client_id=SECRETKEY123&x=1 failed: ' +
        `401 Bearer ${'t'.repeat(40)}`;
      expect(await recordSyncFailure(db, 'w', { ...key, error: leakyError, nextSyncAt: T0 })).toBe(true);
      await leaseDueVehicles(db, 'w', T0, LEASE_MS, 100);
      expect(await recordSyncFailure(db, 'w', { ...key, error: 'timeout', nextSyncAt: T0 })).toBe(true);
      const failed = await getSyncState(db, vehicleId, 'psa-v4');
      expect(failed).toMatchObject({
        failures: 2,
        lastError: 'timeout',
        cursor: base.cursor,
        leaseOwner: null,
      });

      await leaseDueVehicles(db, 'w', T0, LEASE_MS, 100);
      await recordSyncFailure(db, 'w', { ...key, error: leakyError, nextSyncAt: T0 });
      const leaky = await getSyncState(db, vehicleId, 'psa-v4');
      expect(leaky?.lastError).toBe(
        'GET https://api.example.com/connectedcar/v1/vehicles failed: 401 Bearer <redacted>',
      );
      expect(leaky?.failures).toBe(3);

      // An older measurement time never moves the stored one back; a success resets failures.
      await leaseDueVehicles(db, 'w', T0, LEASE_MS, 100);
      await recordSyncResult(db, 'w', { ...base, lastMeasuredAt: T0 + 10, nextSyncAt: T0, now: T0 + 1 });
      expect(await getSyncState(db, vehicleId, 'psa-v4')).toMatchObject({
        lastMeasuredAt: T0 + 50,
        failures: 0,
        lastError: null,
      });
      await leaseDueVehicles(db, 'w', T0, LEASE_MS, 100);
      await recordSyncResult(db, 'w', { ...base, lastMeasuredAt: null, nextSyncAt: T0, now: T0 + 2 });
      expect((await getSyncState(db, vehicleId, 'psa-v4'))?.lastMeasuredAt).toBe(T0 + 50);
      await leaseDueVehicles(db, 'w', T0, LEASE_MS, 100);
      await recordSyncResult(db, 'w', { ...base, lastMeasuredAt: T0 + 99, nextSyncAt: T0, now: T0 + 3 });
      expect((await getSyncState(db, vehicleId, 'psa-v4'))?.lastMeasuredAt).toBe(T0 + 99);
      await deleteUser(db, owner.id);
    });

    it('upsertSyncState reschedules without touching the cursor or the lease', async () => {
      const { db } = database();
      const { owner, vehicleIds } = await dueCars(1);
      const [vehicleId] = vehicleIds as [string];
      await leaseDueVehicles(db, 'w', T0, LEASE_MS, 100);
      await recordSyncResult(db, 'w', {
        vehicleId,
        provider: 'psa-v4',
        cursor: { at: 1 },
        activity: 'asleep',
        lastMeasuredAt: null,
        nextSyncAt: T0 + 3_600_000,
        now: T0,
      });
      await leaseDueVehicles(db, 'w2', T0 + 3_600_000, LEASE_MS, 100);
      await upsertSyncState(db, { vehicleId, provider: 'psa-v4', nextSyncAt: T0 + 5 });
      expect(await getSyncState(db, vehicleId, 'psa-v4')).toMatchObject({
        cursor: { at: 1 },
        nextSyncAt: T0 + 5,
        leaseOwner: 'w2',
      });
      await deleteUser(db, owner.id);
    });

    it('property: concurrent workers on two connections never lease the same car twice', async () => {
      const { db } = database();
      const other = secondHandle();
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 25 }),
            fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 2, maxLength: 8 }),
            async (cars, limits) => {
              const { owner, vehicleIds } = await dueCars(cars);
              const ours = new Set(vehicleIds);
              // Every worker asks at the same moment, half of them through the other connection.
              const leases = await Promise.all(
                limits.map((limit, i) =>
                  leaseDueVehicles(i % 2 === 0 ? db : other.db, `worker-${i}`, T0, LEASE_MS, limit),
                ),
              );
              const handed = leases.flat().filter((row) => ours.has(row.vehicleId));
              const ids = handed.map((row) => row.vehicleId);
              expect(new Set(ids).size).toBe(ids.length);
              // Nothing lost either: with enough capacity every due car was handed out.
              const capacity = limits.reduce((sum, limit) => sum + limit, 0);
              if (capacity >= cars) expect(ids.length).toBe(cars);
              expect(ids.length).toBeLessThanOrEqual(Math.min(cars, capacity));
              // Each handed car is held, in the database, by the worker it was handed to.
              const held = await db
                .selectFrom('sync_state')
                .select(['vehicle_id', 'lease_owner'])
                .where('vehicle_id', 'in', [...ours])
                .execute();
              for (const lease of leases.flatMap((rows, i) =>
                rows.map((row) => ({ ...row, worker: `worker-${i}` })),
              )) {
                if (!ours.has(lease.vehicleId)) continue;
                expect(held.find((row) => row.vehicle_id === lease.vehicleId)?.lease_owner).toBe(
                  lease.worker,
                );
              }
              await deleteUser(db, owner.id);
            },
          ),
          { numRuns: engine === 'sqlite' ? 30 : 40 },
        );
      } finally {
        await other.close();
      }
    });

    it('two workers leasing in rounds sync every car exactly once per round', async () => {
      const { db } = database();
      const other = secondHandle();
      try {
        const { owner, vehicleIds } = await dueCars(40);
        const ours = new Set(vehicleIds);
        const synced: string[] = [];
        const work = async (handle: { db: Kysely<Database> }, worker: string) => {
          for (;;) {
            const leased = (await leaseDueVehicles(handle.db, worker, T0, LEASE_MS, 3)).filter((row) =>
              ours.has(row.vehicleId),
            );
            if (leased.length === 0) return;
            for (const row of leased) {
              synced.push(row.vehicleId);
              const done = await recordSyncResult(handle.db, worker, {
                vehicleId: row.vehicleId,
                provider: row.provider,
                cursor: { by: worker },
                activity: 'parked',
                lastMeasuredAt: null,
                nextSyncAt: T0 + 600_000,
                now: T0,
              });
              expect(done).toBe(true);
            }
          }
        };
        await Promise.all([work(database(), 'a'), work(other, 'b'), work(database(), 'c'), work(other, 'd')]);
        expect(synced.sort()).toEqual([...ours].sort());
        await deleteUser(db, owner.id);
      } finally {
        await other.close();
      }
    });
  });
});

describe('sanitizeSyncError', () => {
  it('cuts URLs to origin and path', () => {
    expect(sanitizeSyncError('failed https://user:pw@api.example.com/v1/cars?api_key=abc#frag now')).toBe(
      'failed https://api.example.com/v1/cars now',
    );
  });

  it('removes credentials and secret-looking parameters', () => {
    expect(sanitizeSyncError('Authorization: Bearer abc.def')).toBe('Authorization: Bearer <redacted>');
    expect(sanitizeSyncError('basic Zm9vOmJhcg==, retry')).toBe('basic <redacted>, retry');
    expect(sanitizeSyncError('body refresh_token=rt1&grant_type=refresh_token')).toBe(
      'body refresh_token=<redacted>&grant_type=refresh_token',
    );
  });

  it('removes long opaque strings and caps the length', () => {
    const token = 'a1B2'.repeat(10);
    expect(sanitizeSyncError(`got ${token} back`)).toBe('got <redacted> back');
    expect(sanitizeSyncError('x '.repeat(400))).toHaveLength(500);
  });

  it('property: a token embedded anywhere never survives', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 32, maxLength: 64, unit: fc.constantFrom(...'abcdefXYZ0123456789-_') }),
        fc.constantFrom('Bearer %', 'https://h.example/p?access_token=%', 'token=%', 'x % y', '%'),
        fc.string({ maxLength: 40 }),
        (token, template, noise) => {
          const message = `${noise} ${template.replace('%', token)}`;
          expect(sanitizeSyncError(message)).not.toContain(token);
        },
      ),
    );
  });
});
