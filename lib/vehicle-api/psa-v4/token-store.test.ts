import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import {
  type AccountTokens,
  createTokenCipher,
  openAccountTokens,
  TokenDecryptionError,
} from '../../crypto/token-cipher';
import {
  connectCarAccount,
  disconnectCarAccount,
  getCarAccount,
  readSealedTokens,
} from '../../db/queries/car-accounts';
import { createUser } from '../../db/queries/users';
import { ReauthorizationNeededError } from '../provider';
import { carAccountTokenStore } from './token-store';
import {
  createTokenManager,
  type StoredTokens,
  type TokenEndpoint,
  TokenRefreshRefusedError,
} from './tokens';

const T0 = 1_900_000_000_000;

function tokensAt(label: string, expiresAt = T0 + 3_599_000): StoredTokens {
  return {
    accessToken: `AT-${label}-${randomBytes(8).toString('hex')}`,
    refreshToken: `RT-${label}-${randomBytes(8).toString('hex')}`,
    expiresAt,
  };
}

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

describe.each(ENGINES)('car account token store on %s', (engine) => {
  const database = useTestDatabase(engine);
  const cipher = createTokenCipher(randomBytes(32));
  let counter = 0;

  async function account() {
    counter += 1;
    const { db } = database();
    const owner = await createUser(db, { email: `ts${counter}@example.com`, passwordHash: null, now: T0 });
    const initial: AccountTokens = { ...tokensAt('initial'), scopes: ['openid', 'profile'] };
    const { account } = await connectCarAccount(db, cipher, {
      ownerId: owner.id,
      provider: 'psa-v4',
      brand: 'peugeot',
      makerSubject: `sub-ts-${counter}`,
      tokens: initial,
      now: T0,
    });
    return { owner, account, initial };
  }

  const store = (accountId: string, options: { key?: typeof cipher } = {}) =>
    carAccountTokenStore({ db: database().db, cipher: options.key ?? cipher, accountId, now: () => T0 });

  async function storedTokens(accountId: string) {
    const row = await readSealedTokens(database().db, accountId);
    return row?.sealed ? openAccountTokens(cipher, accountId, row.sealed) : null;
  }

  it('loads what the sign-in stored, and saves what a refresh brings, keeping the granted scopes', async () => {
    const { account: linked, initial } = await account();
    const tokenStore = store(linked.id);
    expect(await tokenStore.load()).toEqual({
      accessToken: initial.accessToken,
      refreshToken: initial.refreshToken,
      expiresAt: initial.expiresAt,
    });

    const refreshed = tokensAt('refreshed');
    await tokenStore.save(refreshed);
    // A fresh store (another process) reads the new tokens back.
    expect(await store(linked.id).load()).toEqual(refreshed);
    expect(await storedTokens(linked.id)).toEqual({ ...refreshed, scopes: ['openid', 'profile'] });

    // The row holds no plaintext of either generation.
    const row = await database()
      .db.selectFrom('car_accounts')
      .selectAll()
      .where('id', '=', linked.id)
      .execute();
    const text = JSON.stringify(row);
    for (const secret of [
      initial.accessToken,
      initial.refreshToken,
      refreshed.accessToken,
      refreshed.refreshToken,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('two writers racing from the same version: one wins, the other keeps and answers the winner’s tokens', async () => {
    const { account: linked } = await account();
    const a = store(linked.id);
    const b = store(linked.id);
    await a.load();
    await b.load();
    const fromA = tokensAt('a');
    const fromB = tokensAt('b');

    const [savedA, savedB] = await Promise.all([a.saveOrKeepNewer(fromA), b.saveOrKeepNewer(fromB)]);
    const inDb = await store(linked.id).load();
    // Exactly one write landed, and both writers now hold what the database holds.
    expect([fromA, fromB]).toContainEqual(inDb);
    expect(savedA).toEqual(inDb);
    expect(savedB).toEqual(inDb);
    expect((await readSealedTokens(database().db, linked.id))?.version).toBe(2);
  });

  it('a stale writer never overwrites newer tokens', async () => {
    const { account: linked } = await account();
    const stale = store(linked.id);
    const busy = store(linked.id);
    await stale.load();
    await busy.load();
    await busy.save(tokensAt('second'));
    const newest = tokensAt('third');
    await busy.save(newest);

    // The stale writer started from version 1; the account is at 3.
    expect(await stale.saveOrKeepNewer(tokensAt('stale'))).toEqual(newest);
    expect(await store(linked.id).load()).toEqual(newest);
    expect((await readSealedTokens(database().db, linked.id))?.version).toBe(3);

    // Having caught up, the stale writer's next save lands.
    const after = tokensAt('after');
    expect(await stale.saveOrKeepNewer(after)).toEqual(after);
    expect(await store(linked.id).load()).toEqual(after);
  });

  it('property: however writers interleave, the database ends with the last landed save, each landing once', async () => {
    const script = fc.array(fc.tuple(fc.nat({ max: 3 }), fc.constantFrom('load', 'save', 'race')), {
      minLength: 1,
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(script, async (steps) => {
        const { account: linked, initial } = await account();
        const writers = Array.from({ length: 4 }, () => store(linked.id));
        // Every writer starts from what it read, as the token manager does (load before save).
        for (const writer of writers) await writer.load();
        let expected: StoredTokens = {
          accessToken: initial.accessToken,
          refreshToken: initial.refreshToken,
          expiresAt: initial.expiresAt,
        };
        let landed = 0;
        for (const [index, action] of steps) {
          const writer = writers[index] as (typeof writers)[number];
          if (action === 'load') {
            expect(await writer.load()).toEqual(expected);
            continue;
          }
          const racers = action === 'race' ? writers : [writer];
          const offered = racers.map((_, i) => tokensAt(`w${i}`));
          const answers = await Promise.all(
            racers.map((racer, i) => racer.saveOrKeepNewer(offered[i] as StoredTokens)),
          );
          const current = (await store(linked.id).load()) as StoredTokens;
          const winners = offered.filter((tokens) => tokens.accessToken === current.accessToken);
          // Either one of this step's saves landed, or none did and the old tokens stand.
          if (winners.length === 1) landed += 1;
          else expect(current).toEqual(expected);
          // A loser answers the newest tokens at the moment it lost: those from before this step,
          // or the step's winner's — never its own offer, never anything older.
          for (const answer of answers) expect([expected, current]).toContainEqual(answer);
          expected = current;
        }
        expect((await readSealedTokens(database().db, linked.id))?.version).toBe(1 + landed);
      }),
      { numRuns: 20 },
    );
  });

  it('marks re-authorisation needed, after which it loads nothing', async () => {
    const { account: linked, owner } = await account();
    const tokenStore = store(linked.id);
    await tokenStore.load();
    await tokenStore.markReauthorizationNeeded('grant_refused');
    expect(await getCarAccount(database().db, owner.id, linked.id)).toMatchObject({
      status: 'reauthorization_needed',
      statusReason: 'grant_refused',
    });
    expect(await store(linked.id).load()).toBeNull();
  });

  it('does not mark the account when another writer has saved newer tokens since it loaded', async () => {
    const { account: linked, owner } = await account();
    const refused = store(linked.id);
    await refused.load();
    // Another worker refreshed meanwhile (rotating the refresh token the first one then used).
    await store(linked.id).save(tokensAt('rotated'));
    await refused.markReauthorizationNeeded('grant_refused');
    expect((await getCarAccount(database().db, owner.id, linked.id))?.status).toBe('active');
  });

  it('a save after the owner disconnected writes nothing back and says re-authorisation is needed', async () => {
    const { account: linked, owner } = await account();
    const tokenStore = store(linked.id);
    await tokenStore.load();
    await disconnectCarAccount(database().db, owner.id, linked.id, { deleteData: false });
    const late = tokensAt('late');
    const outcome = await settle(tokenStore.save(late));
    expect(outcome.error).toBeInstanceOf(ReauthorizationNeededError);
    expect(String((outcome.error as Error).message)).not.toContain(late.accessToken);
    expect((await readSealedTokens(database().db, linked.id))?.sealed).toBeNull();
    expect(await store(linked.id).load()).toBeNull();
  });

  it('refuses tokens sealed with another key, or moved from another account, without quoting them', async () => {
    const { account: one, initial } = await account();
    const { account: two } = await account();
    const wrongKey = await settle(store(one.id, { key: createTokenCipher(randomBytes(32)) }).load());
    expect(wrongKey.error).toBeInstanceOf(TokenDecryptionError);

    // Copy account one's blob into account two's row.
    const { db } = database();
    const blob = (await readSealedTokens(db, one.id))?.sealed ?? null;
    await db.updateTable('car_accounts').set({ tokens: blob }).where('id', '=', two.id).execute();
    const moved = await settle(store(two.id).load());
    expect(moved.error).toBeInstanceOf(TokenDecryptionError);
    const said = `${(moved.error as Error).message} ${(wrongKey.error as Error).message}`;
    expect(said).not.toContain(initial.accessToken);
    expect(said).not.toContain(initial.refreshToken);
  });

  it('serves the token manager: an expired token is refreshed once and persisted; a refused grant marks the account', async () => {
    const { account: linked, owner } = await account();
    // Expire the stored token so the manager must refresh.
    await store(linked.id).save(tokensAt('expired', T0 - 1));
    let calls = 0;
    const endpoint: TokenEndpoint = {
      async refresh() {
        calls += 1;
        return { accessToken: 'AT-from-idp', refreshToken: 'RT-from-idp', expiresInS: 3600 };
      },
    };
    const manager = createTokenManager({ store: store(linked.id), endpoint, now: () => T0 });
    // Concurrent first calls: one load of the store, one refresh.
    const tokens = await Promise.all(Array.from({ length: 6 }, () => manager.accessToken()));
    expect(tokens).toEqual(Array(6).fill('AT-from-idp'));
    expect(calls).toBe(1);
    expect(await store(linked.id).load()).toEqual({
      accessToken: 'AT-from-idp',
      refreshToken: 'RT-from-idp',
      expiresAt: T0 + 3_600_000,
    });

    await store(linked.id).save(tokensAt('expired-again', T0 - 1));
    const refusing = createTokenManager({
      store: store(linked.id),
      endpoint: {
        async refresh() {
          throw new TokenRefreshRefusedError('grant_refused', 'refused');
        },
      },
      now: () => T0,
    });
    expect((await settle(refusing.accessToken())).error).toBeInstanceOf(ReauthorizationNeededError);
    expect(await getCarAccount(database().db, owner.id, linked.id)).toMatchObject({
      status: 'reauthorization_needed',
      statusReason: 'grant_refused',
    });
  });
});
