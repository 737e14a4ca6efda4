import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser, getUserByEmail, setUserDisabled } from '../db/queries/users';
import { registerUser, signUpSchema, verifyCredentials } from './accounts';
import { clientAddress } from './client-address';
import { SIGN_IN_LIMITS, SIGN_UP_LIMIT } from './throttle';

// The throttle counts in fixed windows aligned to the minute (sign-in) and the hour (sign-up) of
// Date.now(). The clock is pinned 30 s into both, so a window never rolls over in the middle of a
// test; tests that need a new window move the clock on explicitly.
const PINNED = Date.UTC(2031, 4, 6, 10, 0, 30);
const PASSWORD = 'correct horse battery staple';

let sequence = 0;
/** A fresh documentation-range address per call, so tests never share an IP counter. */
function nextIp(): string {
  sequence += 1;
  return `198.51.${Math.floor(sequence / 250)}.${(sequence % 250) + 1}`;
}
function nextEmail(label: string): string {
  sequence += 1;
  return `${label}-${sequence}@example.com`;
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(PINNED);
});

afterAll(() => {
  vi.useRealTimers();
});

describe.each(ENGINES)('accounts on %s', (engine) => {
  const database = useTestDatabase(engine);

  async function userCount(): Promise<number> {
    const row = await database()
      .db.selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function registered(password = PASSWORD, email = nextEmail('user')) {
    const result = await registerUser(database().db, { email, password, name: 'Test' }, null);
    if (!result.ok) throw new Error(`registration failed: ${JSON.stringify(result)}`);
    return result.user;
  }

  describe('registerUser', () => {
    it('creates an account with a normalised address and a hashed password', async () => {
      const { db } = database();
      const email = nextEmail('New');
      const result = await registerUser(
        db,
        { email: `  ${email.toUpperCase()} `, password: PASSWORD },
        nextIp(),
      );
      expect(result).toEqual({
        ok: true,
        user: { id: expect.any(String), email: email.toLowerCase(), name: null },
      });
      const row = await getUserByEmail(db, email);
      expect(row?.password_hash).toMatch(/^\$argon2id\$/);
      expect(row?.password_hash).not.toContain(PASSWORD);
    });

    it.each([
      [
        'an invalid e-mail',
        { email: 'not-an-address', password: PASSWORD },
        'email',
        'Enter a valid e-mail address.',
      ],
      ['a missing e-mail', { password: PASSWORD }, 'email', 'Enter your e-mail address.'],
      [
        'a password of 11 characters',
        { email: 'short@example.com', password: 'a'.repeat(11) },
        'password',
        'Use at least 12 characters.',
      ],
      [
        'a password of 129 characters',
        { email: 'long@example.com', password: 'a'.repeat(129) },
        'password',
        'Use at most 128 characters.',
      ],
      // 11 emoji are 22 UTF-16 units but 11 characters: still too short.
      [
        '11 emoji',
        { email: 'emoji11@example.com', password: '🔑'.repeat(11) },
        'password',
        'Use at least 12 characters.',
      ],
      ['a missing password', { email: 'nopass@example.com' }, 'password', 'Enter a password.'],
      // NIST 800-63B: a password from the common-password list is refused, in any letter case.
      [
        'a common password',
        { email: 'common@example.com', password: 'qwerty123456' },
        'password',
        'This password is one of the most common ones: choose another.',
      ],
      [
        'a common password in other letter cases',
        { email: 'common2@example.com', password: '1QAZ2wsx3EDC' },
        'password',
        'This password is one of the most common ones: choose another.',
      ],
      [
        'a name over 80 characters',
        { email: 'name@example.com', password: PASSWORD, name: 'n'.repeat(81) },
        'name',
        'Use at most 80 characters.',
      ],
    ])(
      'refuses %s with a message for that field and creates nothing',
      async (_case, input, field, message) => {
        const before = await userCount();
        const result = await registerUser(database().db, input, nextIp());
        expect(result).toEqual({ ok: false, reason: 'invalid', fieldErrors: { [field]: message } });
        expect(await userCount()).toBe(before);
      },
    );

    it('refuses input that is not an object', async () => {
      const before = await userCount();
      for (const input of [null, 'x', 42, []]) {
        const result = await registerUser(database().db, input, nextIp());
        expect(result).toMatchObject({ ok: false, reason: 'invalid' });
      }
      expect(await userCount()).toBe(before);
    });

    it('counts password length in characters: 12 emoji are enough, 128 emoji are not too many', async () => {
      const twelve = await registerUser(
        database().db,
        { email: nextEmail('emoji'), password: '🔑'.repeat(12) },
        nextIp(),
      );
      expect(twelve.ok).toBe(true);
      const many = await registerUser(
        database().db,
        { email: nextEmail('emoji'), password: '🚗'.repeat(128) },
        nextIp(),
      );
      expect(many.ok).toBe(true);
    });

    it('refuses an address that is taken, also in another case, without a second row', async () => {
      const email = nextEmail('taken');
      await registered(PASSWORD, email);
      const before = await userCount();
      expect(await registerUser(database().db, { email, password: PASSWORD }, nextIp())).toEqual({
        ok: false,
        reason: 'taken',
      });
      expect(
        await registerUser(
          database().db,
          { email: email.toUpperCase(), password: 'another password!' },
          nextIp(),
        ),
      ).toEqual({ ok: false, reason: 'taken' });
      expect(await userCount()).toBe(before);
    });

    it(`allows ${SIGN_UP_LIMIT.max} sign-ups from one address per hour; the next is rate limited`, async () => {
      const ip = nextIp();
      for (let i = 0; i < SIGN_UP_LIMIT.max; i++) {
        const result = await registerUser(
          database().db,
          { email: nextEmail('burst'), password: PASSWORD },
          ip,
        );
        expect(result.ok).toBe(true);
      }
      const before = await userCount();
      const blockedEmail = nextEmail('burst');
      const blocked = await registerUser(database().db, { email: blockedEmail, password: PASSWORD }, ip);
      expect(blocked).toEqual({ ok: false, reason: 'rate_limited', retryAfterS: expect.any(Number) });
      if (blocked.ok || blocked.reason !== 'rate_limited') throw new Error('expected rate_limited');
      expect(blocked.retryAfterS).toBeGreaterThan(0);
      expect(blocked.retryAfterS).toBeLessThanOrEqual(3600);
      expect(await userCount()).toBe(before);
      expect(await getUserByEmail(database().db, blockedEmail)).toBeNull();

      // Another address is not affected.
      expect(
        (await registerUser(database().db, { email: blockedEmail, password: PASSWORD }, nextIp())).ok,
      ).toBe(true);
    });
  });

  describe('verifyCredentials', () => {
    it('accepts the right password and returns the account', async () => {
      const user = await registered();
      expect(
        await verifyCredentials(database().db, { email: user.email, password: PASSWORD }, nextIp()),
      ).toEqual({
        ok: true,
        user,
      });
      // The address is matched whatever its case.
      const upper = await verifyCredentials(
        database().db,
        { email: user.email.toUpperCase(), password: PASSWORD },
        nextIp(),
      );
      expect(upper.ok).toBe(true);
    });

    it('answers a wrong password and an unknown address identically', async () => {
      const user = await registered();
      const wrong = await verifyCredentials(
        database().db,
        { email: user.email, password: `${PASSWORD}!` },
        nextIp(),
      );
      const unknown = await verifyCredentials(
        database().db,
        { email: nextEmail('nobody'), password: PASSWORD },
        nextIp(),
      );
      expect(wrong).toEqual({ ok: false, reason: 'invalid' });
      expect(unknown).toStrictEqual(wrong);
      expect(Object.keys(unknown)).toEqual(Object.keys(wrong));
      expect(JSON.stringify(unknown)).toBe(JSON.stringify(wrong));
    });

    it('answers malformed input as invalid', async () => {
      for (const input of [null, {}, { email: 1, password: 2 }, { email: 'a@b.c' }, 'x']) {
        expect(await verifyCredentials(database().db, input, nextIp())).toEqual({
          ok: false,
          reason: 'invalid',
        });
      }
    });

    it('refuses a disabled account even with the right password', async () => {
      const user = await registered();
      await setUserDisabled(database().db, user.id, true);
      expect(
        await verifyCredentials(database().db, { email: user.email, password: PASSWORD }, nextIp()),
      ).toEqual({
        ok: false,
        reason: 'invalid',
      });
    });

    it('refuses an account without a password (the demo owner)', async () => {
      const { db } = database();
      const email = nextEmail('nopassword');
      await createUser(db, { email, passwordHash: null });
      expect(await verifyCredentials(db, { email, password: '' }, nextIp())).toEqual({
        ok: false,
        reason: 'invalid',
      });
      expect(await verifyCredentials(db, { email, password: PASSWORD }, nextIp())).toEqual({
        ok: false,
        reason: 'invalid',
      });
    });

    it('never trims or case-folds the password', async () => {
      const user = await registered('Case Sensitive Secret');
      const ip = nextIp();
      for (const attempt of [
        'Case Sensitive Secret ',
        ' Case Sensitive Secret',
        'case sensitive secret',
        'CASE SENSITIVE SECRET',
      ]) {
        expect(await verifyCredentials(database().db, { email: user.email, password: attempt }, ip)).toEqual({
          ok: false,
          reason: 'invalid',
        });
      }
      expect(
        (await verifyCredentials(database().db, { email: user.email, password: 'Case Sensitive Secret' }, ip))
          .ok,
      ).toBe(true);
    });

    it('accepts 64- and 128-character passwords, and refuses them one character short', async () => {
      for (const length of [64, 128]) {
        const password = Array.from({ length }, (_, i) => String.fromCharCode(33 + ((i * 7) % 90))).join('');
        expect([...password]).toHaveLength(length);
        const user = await registered(password);
        expect((await verifyCredentials(database().db, { email: user.email, password }, nextIp())).ok).toBe(
          true,
        );
        expect(
          await verifyCredentials(
            database().db,
            { email: user.email, password: password.slice(0, -1) },
            nextIp(),
          ),
        ).toEqual({ ok: false, reason: 'invalid' });
      }
    });

    it(`throttles one account after ${SIGN_IN_LIMITS.perAccount.max} failures, even with the right password and from another address`, async () => {
      const { db } = database();
      const user = await registered();
      const ip = nextIp();
      for (let i = 0; i < SIGN_IN_LIMITS.perAccount.max; i++) {
        expect(
          await verifyCredentials(db, { email: user.email, password: `wrong ${i} password` }, ip),
        ).toEqual({
          ok: false,
          reason: 'invalid',
        });
      }
      const sixth = await verifyCredentials(db, { email: user.email, password: PASSWORD }, ip);
      expect(sixth).toEqual({ ok: false, reason: 'rate_limited', retryAfterS: expect.any(Number) });
      if (sixth.ok || sixth.reason !== 'rate_limited') throw new Error('expected rate_limited');
      expect(sixth.retryAfterS).toBeGreaterThan(0);
      expect(sixth.retryAfterS).toBeLessThanOrEqual(60);

      // A fresh address does not get around the per-account limit, nor does another spelling.
      expect(await verifyCredentials(db, { email: user.email, password: PASSWORD }, nextIp())).toMatchObject({
        ok: false,
        reason: 'rate_limited',
      });
      expect(
        await verifyCredentials(db, { email: ` ${user.email.toUpperCase()}`, password: PASSWORD }, nextIp()),
      ).toMatchObject({ ok: false, reason: 'rate_limited' });

      // Once the window has passed, the right password works again.
      vi.setSystemTime(PINNED + SIGN_IN_LIMITS.perAccount.windowMs);
      try {
        expect((await verifyCredentials(db, { email: user.email, password: PASSWORD }, nextIp())).ok).toBe(
          true,
        );
      } finally {
        vi.setSystemTime(PINNED);
      }
    });

    it('throttles unknown addresses per account too, so the limit does not reveal which accounts exist', async () => {
      const { db } = database();
      const email = nextEmail('ghost');
      const ip = nextIp();
      for (let i = 0; i < SIGN_IN_LIMITS.perAccount.max; i++) {
        expect(await verifyCredentials(db, { email, password: PASSWORD }, ip)).toEqual({
          ok: false,
          reason: 'invalid',
        });
      }
      expect(await verifyCredentials(db, { email, password: PASSWORD }, ip)).toMatchObject({
        ok: false,
        reason: 'rate_limited',
      });
    });

    it(`blocks an address after ${SIGN_IN_LIMITS.perAddress.max} failures across different accounts`, async () => {
      const { db } = database();
      const victim = await registered();
      const ip = nextIp();
      for (let i = 0; i < SIGN_IN_LIMITS.perAddress.max; i++) {
        // One failure per account, so no per-account limit is reached.
        expect(await verifyCredentials(db, { email: nextEmail('spray'), password: PASSWORD }, ip)).toEqual({
          ok: false,
          reason: 'invalid',
        });
      }
      const blocked = await verifyCredentials(db, { email: victim.email, password: PASSWORD }, ip);
      expect(blocked).toEqual({ ok: false, reason: 'rate_limited', retryAfterS: expect.any(Number) });
      if (blocked.ok || blocked.reason !== 'rate_limited') throw new Error('expected rate_limited');
      expect(blocked.retryAfterS).toBeGreaterThan(0);

      // The account itself is not locked: from another address the owner still gets in.
      expect((await verifyCredentials(db, { email: victim.email, password: PASSWORD }, nextIp())).ok).toBe(
        true,
      );
    });

    it('a client rotating the X-Forwarded-For it writes stays one address behind a proxy that appends', async () => {
      // docs/deploy.md: the proxy in front appends the address it saw, so the header reaches Next as
      // "<whatever the client wrote>, <the client's real address>". Only the last hop counts; what
      // the client wrote changes nothing, however it rotates it (a fresh account per guess, so only
      // the per-address limit can stop the spray).
      const { db } = database();
      const victim = await registered();
      const real = nextIp();
      const behindProxy = (written: string) =>
        clientAddress(new Headers({ 'x-forwarded-for': `${written}, ${real}` }));
      for (let i = 0; i < SIGN_IN_LIMITS.perAddress.max; i++) {
        const ip = behindProxy(`10.${i}.${i}.1, 172.16.0.${i + 1}`);
        expect(ip).toBe(real);
        expect(await verifyCredentials(db, { email: nextEmail('rotate'), password: PASSWORD }, ip)).toEqual({
          ok: false,
          reason: 'invalid',
        });
      }
      const blocked = await verifyCredentials(
        db,
        { email: victim.email, password: PASSWORD },
        behindProxy('203.0.113.250'),
      );
      expect(blocked).toMatchObject({ ok: false, reason: 'rate_limited' });
      // Another real client behind the same proxy is not affected.
      const other = clientAddress(new Headers({ 'x-forwarded-for': `10.0.0.1, ${nextIp()}` }));
      expect((await verifyCredentials(db, { email: victim.email, password: PASSWORD }, other)).ok).toBe(true);
    });

    it('a burst of parallel guesses cannot get past the per-account limit', async () => {
      const { db } = database();
      const user = await registered();
      const burst = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          verifyCredentials(db, { email: user.email, password: `parallel guess ${i}` }, nextIp()),
        ),
      );
      // Attempts are counted before the password is checked, so at most `max` are even tried.
      expect(burst.filter((result) => !result.ok && result.reason === 'invalid')).toHaveLength(
        SIGN_IN_LIMITS.perAccount.max,
      );
      expect(burst.filter((result) => !result.ok && result.reason === 'rate_limited')).toHaveLength(
        12 - SIGN_IN_LIMITS.perAccount.max,
      );
    });

    it('a successful sign-in clears the account counter', async () => {
      const { db } = database();
      const user = await registered();
      const below = SIGN_IN_LIMITS.perAccount.max - 1;
      const fail = async () => {
        for (let i = 0; i < below; i++) {
          expect(
            await verifyCredentials(db, { email: user.email, password: 'wrong password!!' }, nextIp()),
          ).toEqual({
            ok: false,
            reason: 'invalid',
          });
        }
      };
      await fail();
      expect((await verifyCredentials(db, { email: user.email, password: PASSWORD }, nextIp())).ok).toBe(
        true,
      );
      // Without the reset these would make 2 × (max − 1) failures in one window, over the limit.
      await fail();
      expect((await verifyCredentials(db, { email: user.email, password: PASSWORD }, nextIp())).ok).toBe(
        true,
      );
    });
  });
});

describe('reserved addresses', () => {
  it('the simulated peers’ domain cannot be signed up for, in any letter case', () => {
    for (const email of ['peer-x@peers.kinetic.local', 'Someone@PEERS.Kinetic.Local']) {
      const parsed = signUpSchema.safeParse({ email, password: PASSWORD });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/reserved/);
    }
    expect(signUpSchema.safeParse({ email: 'peer@kinetic.local', password: PASSWORD }).success).toBe(true);
  });
});
