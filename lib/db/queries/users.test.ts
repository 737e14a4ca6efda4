import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { isUniqueViolation } from '../errors';
import {
  createUser,
  deleteUser,
  getUserByEmail,
  getUserById,
  isEmailTaken,
  normalizeEmail,
  setPasswordHash,
  setUserDisabled,
} from './users';

// A time past 2^31 ms (and past 2^32 s): proves the bigint columns round-trip as exact JS numbers.
const LATE = 4_102_444_800_123; // 2100-01-01T00:00:00.123Z

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Alice.Smith@Example.COM \n')).toBe('alice.smith@example.com');
    expect(normalizeEmail('bob@example.com')).toBe('bob@example.com');
  });
});

describe.each(ENGINES)('users on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('stores the address normalised and finds it whatever the case or surrounding space', async () => {
    const created = await createUser(database().db, {
      email: '  Ada@Example.ORG ',
      name: 'Ada',
      passwordHash: 'h',
    });
    expect(created.email).toBe('ada@example.org');

    const stored = await getUserById(database().db, created.id);
    expect(stored?.email).toBe('ada@example.org');
    expect((await getUserByEmail(database().db, 'ADA@EXAMPLE.ORG'))?.id).toBe(created.id);
    expect((await getUserByEmail(database().db, ' ada@example.org  '))?.id).toBe(created.id);
    expect(await isEmailTaken(database().db, 'Ada@example.org')).toBe(true);
    expect(await isEmailTaken(database().db, 'ada2@example.org')).toBe(false);
    expect(await getUserByEmail(database().db, 'nobody@example.org')).toBeNull();
    expect(await getUserById(database().db, 'no-such-id')).toBeNull();
  });

  it('refuses a second account for the same address in another case, as a unique violation', async () => {
    await createUser(database().db, { email: 'grace@example.com', passwordHash: 'h' });
    const error = await createUser(database().db, { email: 'GRACE@example.COM', passwordHash: 'h' }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).not.toBeNull();
    expect(isUniqueViolation(error)).toBe(true);
    const rows = await database()
      .db.selectFrom('users')
      .select('id')
      .where('email', '=', 'grace@example.com')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('returns epoch-millisecond columns as exact JS numbers', async () => {
    const created = await createUser(database().db, {
      email: 'time@example.com',
      passwordHash: null,
      now: LATE,
    });
    const stored = await getUserById(database().db, created.id);
    expect(typeof stored?.created_at).toBe('number');
    expect(stored?.created_at).toBe(LATE);
    expect(stored?.updated_at).toBe(LATE);
    expect(stored?.disabled_at).toBeNull();
    expect(typeof stored?.is_demo).toBe('number');
    expect(stored?.is_demo).toBe(0);
  });

  it('defaults: no name, no time zone, not a demo account unless asked', async () => {
    const plain = await createUser(database().db, { email: 'plain@example.com', passwordHash: 'h' });
    const demo = await createUser(database().db, {
      email: 'demo-like@example.com',
      passwordHash: null,
      isDemo: true,
    });
    expect(await getUserById(database().db, plain.id)).toMatchObject({
      name: null,
      time_zone: null,
      is_demo: 0,
    });
    expect(await getUserById(database().db, demo.id)).toMatchObject({ password_hash: null, is_demo: 1 });
  });

  it('sets a password hash and disables/re-enables an account', async () => {
    const user = await createUser(database().db, {
      email: 'ops@example.com',
      passwordHash: 'old',
      now: 1000,
    });
    await setPasswordHash(database().db, user.id, 'new');
    const afterPassword = await getUserById(database().db, user.id);
    expect(afterPassword?.password_hash).toBe('new');
    expect(afterPassword?.updated_at).toBeGreaterThan(1000);

    await setUserDisabled(database().db, user.id, true);
    const disabled = await getUserById(database().db, user.id);
    expect(typeof disabled?.disabled_at).toBe('number');
    expect(disabled?.disabled_at).toBeGreaterThan(1000);

    await setUserDisabled(database().db, user.id, false);
    expect((await getUserById(database().db, user.id))?.disabled_at).toBeNull();
  });

  it('deletes an account', async () => {
    const user = await createUser(database().db, { email: 'gone@example.com', passwordHash: 'h' });
    await deleteUser(database().db, user.id);
    expect(await getUserById(database().db, user.id)).toBeNull();
    expect(await isEmailTaken(database().db, 'gone@example.com')).toBe(false);
  });
});
