import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { verifyCredentials } from '../auth/accounts';
import { createSession, getActiveSession } from '../db/queries/sessions';
import { getUserByEmail } from '../db/queries/users';
import { createVehicle, getVehicle } from '../db/queries/vehicles';
import { DEMO_EMAIL, DEMO_NAME } from '../demo/demo-owner';
import { type CliRun, runCliCaptured } from './cli-for-tests';
import { USAGE } from './main';

const PASSWORD = 'a sturdy cli password';
const NEW_PASSWORD = 'an even sturdier password';

type Run = CliRun;

describe.each(ENGINES)('kinetic CLI on %s', (engine) => {
  const database = useTestDatabase(engine);
  let sequence = 0;

  function nextEmail(label: string): string {
    sequence += 1;
    return `${label}-${sequence}@example.com`;
  }
  function nextIp(): string {
    sequence += 1;
    return `192.0.2.${sequence % 250}`;
  }

  /** Runs the CLI against the same database the test reads, through its own connection. */
  const cli = (...argv: string[]): Promise<Run> => runCliCaptured(argv, database().env);

  /** stdout under --json: exactly one JSON document (one line), nothing else. */
  function onlyJson(run: Run): unknown {
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    return JSON.parse(run.stdout);
  }

  async function createAccount(email: string, password = PASSWORD) {
    const run = await cli('user', 'create', '--email', email, '--password', password, '--json');
    expect(run.code).toBe(0);
    const user = await getUserByEmail(database().db, email);
    if (!user) throw new Error(`user create did not create ${email}`);
    return user;
  }

  describe('user create', () => {
    it('creates the account and prints exactly one JSON document with it', async () => {
      const email = nextEmail('Created');
      const run = await cli(
        'user',
        'create',
        '--email',
        email,
        '--password',
        PASSWORD,
        '--name',
        'Cli User',
        '--json',
      );
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      const stored = await getUserByEmail(database().db, email);
      expect(onlyJson(run)).toEqual({
        user: { id: stored?.id, email: email.toLowerCase(), name: 'Cli User' },
      });
      expect(stored?.password_hash).toMatch(/^\$argon2id\$/);
      const signIn = await verifyCredentials(database().db, { email, password: PASSWORD }, nextIp());
      expect(signIn).toEqual({
        ok: true,
        user: { id: stored?.id, email: email.toLowerCase(), name: 'Cli User' },
      });
    });

    it('prints a sentence without --json', async () => {
      const email = nextEmail('plain');
      const run = await cli('user', 'create', '--email', email, '--password', PASSWORD);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`Created the account ${email}.\n`);
    });

    it('refuses an address already in use (any case): exit 1 and a conflict error', async () => {
      const email = nextEmail('twice');
      const first = await createAccount(email);
      const run = await cli(
        'user',
        'create',
        '--email',
        email.toUpperCase(),
        '--password',
        NEW_PASSWORD,
        '--json',
      );
      expect(run.code).toBe(1);
      expect(onlyJson(run)).toEqual({
        error: { code: 'conflict', message: expect.stringContaining('already uses') },
      });
      // The first account is untouched.
      expect((await getUserByEmail(database().db, email))?.password_hash).toBe(first.password_hash);
    });

    it('reports a failure on stderr without --json, stdout stays empty', async () => {
      const email = nextEmail('twice-text');
      await createAccount(email);
      const run = await cli('user', 'create', '--email', email, '--password', PASSWORD);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`An account already uses ${email}.`);
    });

    it.each([
      ['a short password', ['--password', 'short']],
      ['a password over 128 characters', ['--password', 'p'.repeat(129)]],
      ['no password', []],
    ])('refuses %s as bad usage (exit 2) and creates nothing', async (_case, passwordArgs) => {
      const email = nextEmail('usage');
      const run = await cli('user', 'create', '--email', email, ...passwordArgs, '--json');
      expect(run.code).toBe(2);
      expect(onlyJson(run)).toEqual({
        error: { code: 'bad_usage', message: expect.stringMatching(/^password: /) },
      });
      expect(run.stderr).toMatch(/^password: /);
      expect(run.stderr).toContain(USAGE);
      expect(await getUserByEmail(database().db, email)).toBeNull();
    });

    it('refuses an invalid e-mail as bad usage', async () => {
      const run = await cli('user', 'create', '--email', 'not-an-email', '--password', PASSWORD, '--json');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^email: Enter a valid e-mail address\./);
    });
  });

  describe('user reset-password', () => {
    it('sets the new password and signs out every session', async () => {
      const { db } = database();
      const email = nextEmail('reset');
      const user = await createAccount(email);
      const sessions = [
        await createSession(db, { userId: user.id }),
        await createSession(db, { userId: user.id }),
      ];

      const run = await cli('user', 'reset-password', '--email', email, '--password', NEW_PASSWORD, '--json');
      expect(run.code).toBe(0);
      expect(onlyJson(run)).toEqual({ ok: true, email, sessionsEnded: 2 });

      for (const session of sessions) expect(await getActiveSession(db, session)).toBeNull();
      expect(await verifyCredentials(db, { email, password: PASSWORD }, nextIp())).toEqual({
        ok: false,
        reason: 'invalid',
      });
      expect((await verifyCredentials(db, { email, password: NEW_PASSWORD }, nextIp())).ok).toBe(true);
    });

    it('refuses a short new password as bad usage and keeps the old one', async () => {
      const { db } = database();
      const email = nextEmail('reset-short');
      await createAccount(email);
      const run = await cli('user', 'reset-password', '--email', email, '--password', 'short', '--json');
      expect(run.code).toBe(2);
      expect((await verifyCredentials(db, { email, password: PASSWORD }, nextIp())).ok).toBe(true);
    });

    it('answers not_found (exit 1) for an unknown account', async () => {
      const run = await cli(
        'user',
        'reset-password',
        '--email',
        nextEmail('ghost'),
        '--password',
        NEW_PASSWORD,
        '--json',
      );
      expect(run.code).toBe(1);
      expect(onlyJson(run)).toEqual({
        error: { code: 'not_found', message: expect.stringContaining('No account uses') },
      });
    });
  });

  describe('user disable', () => {
    it('blocks sign-in and signs out every session', async () => {
      const { db } = database();
      const email = nextEmail('disable');
      const user = await createAccount(email);
      const session = await createSession(db, { userId: user.id });
      expect(await getActiveSession(db, session)).not.toBeNull();

      const run = await cli('user', 'disable', '--email', email, '--json');
      expect(run.code).toBe(0);
      expect(onlyJson(run)).toEqual({ ok: true, email, sessionsEnded: 1 });

      expect(await getActiveSession(db, session)).toBeNull();
      expect(await verifyCredentials(db, { email, password: PASSWORD }, nextIp())).toEqual({
        ok: false,
        reason: 'invalid',
      });
      expect((await getUserByEmail(db, email))?.disabled_at).toEqual(expect.any(Number));
    });

    it('answers not_found (exit 1) for an unknown account', async () => {
      const run = await cli('user', 'disable', '--email', nextEmail('ghost'), '--json');
      expect(run.code).toBe(1);
      expect(onlyJson(run)).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    });
  });

  describe('demo reset', () => {
    it('recreates the demo owner; what the old one owned is gone', async () => {
      const { db } = database();
      const first = await cli('demo', 'reset', '--json');
      expect(first.code).toBe(0);
      expect(onlyJson(first)).toEqual({ ok: true, owner: DEMO_EMAIL });
      const oldOwner = await getUserByEmail(db, DEMO_EMAIL);
      if (!oldOwner) throw new Error('demo reset did not create the demo owner');
      expect(oldOwner).toMatchObject({ name: DEMO_NAME, is_demo: 1, password_hash: null });

      const vehicle = await createVehicle(db, oldOwner.id, {
        label: 'Demo car',
        brand: 'Kia',
        model: 'EV6',
        powertrain: 'electric',
        vin: 'KNDC000000DEMO001',
      });
      const session = await createSession(db, { userId: oldOwner.id });

      const second = await cli('demo', 'reset', '--json');
      expect(second.code).toBe(0);
      expect(onlyJson(second)).toEqual({ ok: true, owner: DEMO_EMAIL });

      const newOwner = await getUserByEmail(db, DEMO_EMAIL);
      expect(newOwner?.id).toBeDefined();
      expect(newOwner?.id).not.toBe(oldOwner.id);
      expect(await getActiveSession(db, session)).toBeNull();
      expect(await getVehicle(db, oldOwner.id, vehicle.id)).toBeNull();
      expect(await db.selectFrom('vehicles').select('id').where('id', '=', vehicle.id).execute()).toEqual([]);
    });

    it('leaves other accounts alone', async () => {
      const email = nextEmail('bystander');
      const user = await createAccount(email);
      expect((await cli('demo', 'reset', '--json')).code).toBe(0);
      expect((await getUserByEmail(database().db, email))?.id).toBe(user.id);
    });
  });

  describe('usage', () => {
    it.each([
      ['an unknown command', ['user', 'frobnicate', '--json'], /^Unknown command: user frobnicate/],
      ['an unknown top-level command', ['vehicles', '--json'], /^Unknown command: vehicles/],
      ['an unknown option', ['user', 'create', '--emial', 'x@example.com'], /--emial/],
      ['an option without its value', ['user', 'disable', '--email'], /--email/],
    ])(
      'exits 2 for %s, with the usage on stderr (and with --json, one error document)',
      async (_case, argv, message) => {
        const run = await cli(...argv);
        expect(run.code).toBe(2);
        if (argv.includes('--json')) expect(onlyJson(run)).toMatchObject({ error: { code: 'bad_usage' } });
        else expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(message);
        expect(run.stderr).toContain(USAGE);
      },
    );

    it('exits 2 without a command', async () => {
      const run = await cli();
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(USAGE);
    });

    it('prints the usage on stdout for --help and exits 0', async () => {
      const run = await cli('--help');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(USAGE);
    });
  });
});
