import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPostgres } from '@/lib/db/client';
import { createUser } from '@/lib/db/queries/users';
import { DEMO_EMAIL } from '@/lib/demo/demo-owner';
import { useTestDatabase } from '@/test/db-harness';
import { watchDemoOwner } from './run-worker';
import { createStopSignal } from './stop-signal';

// The worker's demo watch re-links the demo owner after `kinetic demo reset`. Its check used to
// reject when the database was away (PostgreSQL restarting) and nothing caught it: an unhandled
// rejection, which ends a Node process — the worker died with the database's restart.

afterEach(() => {
  vi.restoreAllMocks();
});

describe('watchDemoOwner', () => {
  const testDb = useTestDatabase('sqlite');

  it('links the demo owner again when a check finds it without a linked account', async () => {
    const { db } = testDb();
    await createUser(db, { email: DEMO_EMAIL, passwordHash: null });
    const signal = createStopSignal();
    const link = vi.fn(async () => signal.stop());
    await watchDemoOwner({ db, signal, everyMs: 1, link });
    expect(link).toHaveBeenCalledTimes(1);
  });

  it('logs a check the database could not answer and keeps watching', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Nothing listens on port 1: every query is refused at once, as while PostgreSQL is down.
    const away = openPostgres('postgres://kinetic@127.0.0.1:1/kinetic');
    const signal = createStopSignal();
    const link = vi.fn(async () => {});
    try {
      const watching = watchDemoOwner({ db: away.db, signal, everyMs: 1, link });
      await vi.waitFor(() => expect(logged.mock.calls.length).toBeGreaterThanOrEqual(3));
      signal.stop();
      await expect(watching).resolves.toBeUndefined();
    } finally {
      await away.close();
    }
    expect(link).not.toHaveBeenCalled();
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/^\[worker\] demo check failed: .*ECONNREFUSED/);
  });
});
