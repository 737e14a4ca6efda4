import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createTokenCipher } from '../crypto/token-cipher';
import { getCarAccountWithVehicles, readSealedTokens } from '../db/queries/car-accounts';
import { createUser } from '../db/queries/users';
import { listVehicles } from '../db/queries/vehicles';
import type { AppError } from '../errors';
import { type PsaConfig, psaConfigFromSimulator } from '../vehicle-api/psa-config';
import { startTestCloud, type TestCloud } from '../worker/cloud-for-tests';
import { type SimOwner, simulatorTestApi } from '../worker/simulated-owners';
import { disconnectOwnerCarAccount } from './disconnect';
import { appProviders, connectMakerAccount, linkMakerVehicles, listMakerVehicles } from './maker-link';

// Linking a maker account's cars and disconnecting it, against the simulated cloud over HTTP and a
// real database: what the Connect-a-car pages and the maker sign-in do once OAuth is done.

const cipher = createTokenCipher(randomBytes(32));
let cloud: TestCloud;
let config: PsaConfig;
let owners: SimOwner[];

beforeAll(async () => {
  cloud = await startTestCloud({ peers: 4, seed: 'maker-link' });
  config = await psaConfigFromSimulator(Number(new URL(cloud.origin).port));
  owners = (await simulatorTestApi(cloud.origin).owners(0, 10)).owners;
});

afterAll(async () => {
  await cloud.close();
});

async function grantFor(owner: SimOwner) {
  const issued = await simulatorTestApi(cloud.origin).tokens(owner);
  const subject = JSON.parse(Buffer.from(issued.id_token?.split('.')[1] ?? '', 'base64url').toString()).sub;
  return {
    brand: owner.brand as 'peugeot',
    makerSubject: String(subject),
    tokens: {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: cloud.clock.now() + issued.expires_in * 1000,
      scopes: issued.scope.split(' '),
    },
  };
}

/** The owner's cars as the simulated world holds them (the test's independent answer). */
const vinsOf = (owner: SimOwner) =>
  (cloud.ctx.world.findOwnerByEmail(owner.email)?.vehicles ?? []).map((vehicle) => vehicle.vin).sort();

const apiAnswers = async (accessToken: string, brand: string) => {
  const app = config.apps.find((candidate) => candidate.brand === brand);
  const response = await fetch(`${config.apiBaseUrl}/user?client_id=${app?.clientId}`, {
    headers: { authorization: `Bearer ${accessToken}`, 'x-introspect-realm': app?.realm ?? '' },
  });
  return response.status;
};

describe.each(ENGINES)('maker accounts on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('lists the account’s cars and links only the picked ones the maker lists', async () => {
    const { db } = database();
    const owner = owners.find((candidate) => vinsOf(candidate).length >= 1);
    if (!owner) throw new Error('no owner');
    const user = await createUser(db, { email: `picker-${engine}@example.test`, passwordHash: null });
    const { account, created } = await connectMakerAccount(db, cipher, {
      ownerId: user.id,
      ...(await grantFor(owner)),
    });
    expect(created).toBe(true);
    const providers = appProviders(db, cipher, config);
    const listed = await listMakerVehicles(providers, account);
    expect(listed.map((car) => car.vin).sort()).toEqual(vinsOf(owner));

    const first = listed[0];
    if (!first) throw new Error('no car listed');
    // A foreign id among the picks is ignored: only what the maker lists can be linked.
    const linked = await linkMakerVehicles(db, providers, user.id, account, [
      first.providerVehicleId,
      'not-theirs',
    ]);
    expect(linked?.map((car) => car.vin)).toEqual([first.vin]);
    expect((await listVehicles(db, user.id)).map((vehicle) => vehicle.vin)).toEqual([first.vin]);
    // Linking is idempotent: everything now, the first car once.
    await linkMakerVehicles(db, providers, user.id, account, 'all');
    expect((await listVehicles(db, user.id)).map((vehicle) => vehicle.vin).sort()).toEqual(
      listed.map((car) => car.vin).sort(),
    );
    // Another owner cannot link into this account.
    const stranger = await createUser(db, { email: `stranger-${engine}@example.test`, passwordHash: null });
    expect(await linkMakerVehicles(db, providers, stranger.id, account, 'all')).toBeNull();
  });

  it('refuses to bind a maker identity another owner holds', async () => {
    const { db } = database();
    const owner = owners[1];
    if (!owner) throw new Error('no owner');
    const first = await createUser(db, { email: `first-${engine}@example.test`, passwordHash: null });
    const second = await createUser(db, { email: `second-${engine}@example.test`, passwordHash: null });
    await connectMakerAccount(db, cipher, { ownerId: first.id, ...(await grantFor(owner)) });
    await expect(
      connectMakerAccount(db, cipher, { ownerId: second.id, ...(await grantFor(owner)) }),
    ).rejects.toMatchObject({ code: 'conflict' } satisfies Partial<AppError>);
  });

  it('disconnecting revokes the grant at the IdP, deletes the tokens and, when asked, the data', async () => {
    const { db } = database();
    const owner = owners[2];
    if (!owner) throw new Error('no owner');
    const user = await createUser(db, { email: `leaver-${engine}@example.test`, passwordHash: null });
    const grant = await grantFor(owner);
    const { account } = await connectMakerAccount(db, cipher, { ownerId: user.id, ...grant });
    await linkMakerVehicles(db, appProviders(db, cipher, config), user.id, account, 'all');
    expect(await apiAnswers(grant.tokens.accessToken, owner.brand)).toBe(200);

    // Another owner's id answers like a missing one, and changes nothing.
    const stranger = await createUser(db, { email: `not-owner-${engine}@example.test`, passwordHash: null });
    for (const id of [account.id, 'missing']) {
      await expect(
        disconnectOwnerCarAccount(db, cipher, config, { userId: stranger.id, isDemo: false }, id, {
          deleteData: true,
        }),
      ).rejects.toMatchObject({ code: 'not_found' });
    }
    // The demo keeps its cars.
    await expect(
      disconnectOwnerCarAccount(db, cipher, config, { userId: user.id, isDemo: true }, account.id, {
        deleteData: true,
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await apiAnswers(grant.tokens.accessToken, owner.brand)).toBe(200);

    const result = await disconnectOwnerCarAccount(
      db,
      cipher,
      config,
      { userId: user.id, isDemo: false },
      account.id,
      {
        deleteData: true,
      },
    );
    expect(result.revoked).toBe(true);
    expect(result.deletedVehicleIds).toHaveLength(vinsOf(owner).length);
    expect(await apiAnswers(grant.tokens.accessToken, owner.brand)).toBe(401);
    expect((await readSealedTokens(db, account.id))?.sealed).toBeNull();
    expect((await getCarAccountWithVehicles(db, user.id, account.id))?.status).toBe('disconnected');
    expect(await listVehicles(db, user.id)).toEqual([]);
  });
});
