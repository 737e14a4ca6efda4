import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsForUser,
  getActiveSession,
  listSessions,
  SESSION_IDLE_MS,
  SESSION_MAX_AGE_MS,
} from './sessions';
import { createUser, setUserDisabled } from './users';

const T0 = 1_900_000_000_000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.each(ENGINES)('sessions on %s', (engine) => {
  const database = useTestDatabase(engine);
  let counter = 0;

  async function newUser(name: string | null = null) {
    counter += 1;
    return createUser(database().db, {
      email: `driver${counter}@example.com`,
      name,
      passwordHash: 'h',
      now: T0,
    });
  }

  async function sessionRow(id: string) {
    return (
      (await database().db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    );
  }

  it('creates a session that is active for the owner until it expires', async () => {
    const user = await newUser('Lin');
    const id = await createSession(database().db, {
      userId: user.id,
      userAgent: 'UA',
      ip: '203.0.113.9',
      now: T0,
    });
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url

    const row = await sessionRow(id);
    expect(row).toMatchObject({
      user_id: user.id,
      created_at: T0,
      last_seen_at: T0,
      expires_at: T0 + SESSION_MAX_AGE_MS,
      user_agent: 'UA',
      ip: '203.0.113.9',
    });
    expect(typeof row?.expires_at).toBe('number');

    expect(await getActiveSession(database().db, id, T0 + 1)).toEqual({
      sessionId: id,
      userId: user.id,
      email: user.email,
      name: 'Lin',
      isDemo: false,
      timeZone: null,
    });
    // Used every day (so never idle), it still ends at the absolute limit.
    for (let day = 1; day < 30; day++)
      expect(await getActiveSession(database().db, id, T0 + day * DAY)).not.toBeNull();
    expect(await getActiveSession(database().db, id, T0 + SESSION_MAX_AGE_MS - 1)).not.toBeNull();
    expect(await getActiveSession(database().db, id, T0 + SESSION_MAX_AGE_MS)).toBeNull();
  });

  it('ends a session left unused for 7 days (idle limit), however young it is', async () => {
    expect(SESSION_IDLE_MS).toBe(7 * DAY);
    const user = await newUser();
    const id = await createSession(database().db, { userId: user.id, now: T0 });
    // Used on day 3: the idle clock restarts from there.
    expect(await getActiveSession(database().db, id, T0 + 3 * DAY)).not.toBeNull();
    expect(await getActiveSession(database().db, id, T0 + 3 * DAY + SESSION_IDLE_MS - 1)).not.toBeNull();
    // …which moved last_seen_at again; then 7 idle days end it, and nothing brings it back.
    const lastUse = T0 + 3 * DAY + SESSION_IDLE_MS - 1;
    expect(await getActiveSession(database().db, id, lastUse + SESSION_IDLE_MS)).toBeNull();
    expect((await sessionRow(id))?.last_seen_at).toBe(lastUse);
    expect(await getActiveSession(database().db, id, lastUse + SESSION_IDLE_MS - 1)).not.toBeNull();
    // Another session of the owner, idle from its start, ends 7 days after it began.
    const idle = await createSession(database().db, { userId: user.id, now: T0 });
    expect(await getActiveSession(database().db, idle, T0 + SESSION_IDLE_MS)).toBeNull();
    expect(await listSessions(database().db, user.id, T0 + SESSION_IDLE_MS)).toEqual([
      expect.objectContaining({ id }),
    ]);
  });

  it('ids are unguessable and distinct', async () => {
    const user = await newUser();
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add(await createSession(database().db, { userId: user.id, now: T0 }));
    expect(ids.size).toBe(20);
  });

  it('truncates an oversized user agent and address instead of failing', async () => {
    const user = await newUser();
    const id = await createSession(database().db, {
      userId: user.id,
      userAgent: 'u'.repeat(5000),
      ip: 'i'.repeat(500),
    });
    const row = await sessionRow(id);
    expect(row?.user_agent).toHaveLength(256);
    expect(row?.ip).toHaveLength(64);
  });

  it('an unknown or deleted session is not active', async () => {
    const user = await newUser();
    const id = await createSession(database().db, { userId: user.id, now: T0 });
    expect(await getActiveSession(database().db, 'no-such-session', T0)).toBeNull();
    await deleteSession(database().db, id);
    expect(await getActiveSession(database().db, id, T0)).toBeNull();
    expect(await sessionRow(id)).toBeNull();
  });

  it("a disabled account's session is not active, and is again once re-enabled", async () => {
    const user = await newUser();
    const id = await createSession(database().db, { userId: user.id, now: T0 });
    await setUserDisabled(database().db, user.id, true);
    expect(await getActiveSession(database().db, id, T0 + 1)).toBeNull();
    await setUserDisabled(database().db, user.id, false);
    expect(await getActiveSession(database().db, id, T0 + 1)).not.toBeNull();
  });

  it('deleteSessionsForUser ends every session of that user and no one else', async () => {
    const user = await newUser();
    const other = await newUser();
    const a = await createSession(database().db, { userId: user.id, now: T0 });
    const b = await createSession(database().db, { userId: user.id, now: T0 });
    const keep = await createSession(database().db, { userId: other.id, now: T0 });

    expect(await deleteSessionsForUser(database().db, user.id)).toBe(2);
    expect(await getActiveSession(database().db, a, T0)).toBeNull();
    expect(await getActiveSession(database().db, b, T0)).toBeNull();
    expect(await getActiveSession(database().db, keep, T0)).not.toBeNull();
    expect(await deleteSessionsForUser(database().db, user.id)).toBe(0);
  });

  it('touches last_seen_at at most once a minute', async () => {
    const user = await newUser();
    const id = await createSession(database().db, { userId: user.id, now: T0 });

    await getActiveSession(database().db, id, T0 + 30_000);
    expect((await sessionRow(id))?.last_seen_at).toBe(T0);

    await getActiveSession(database().db, id, T0 + 2 * MINUTE);
    expect((await sessionRow(id))?.last_seen_at).toBe(T0 + 2 * MINUTE);

    await getActiveSession(database().db, id, T0 + 2 * MINUTE + 59_000);
    expect((await sessionRow(id))?.last_seen_at).toBe(T0 + 2 * MINUTE);

    // An expired session is never touched back to life.
    await getActiveSession(database().db, id, T0 + SESSION_MAX_AGE_MS + MINUTE);
    expect((await sessionRow(id))?.last_seen_at).toBe(T0 + 2 * MINUTE);
  });

  it("lists a user's unexpired sessions, most recently seen first", async () => {
    const user = await newUser();
    const older = await createSession(database().db, { userId: user.id, now: T0 });
    const newer = await createSession(database().db, { userId: user.id, now: T0 + 5 * MINUTE });
    const expired = await createSession(database().db, { userId: user.id, now: T0 - SESSION_MAX_AGE_MS });
    const listed = await listSessions(database().db, user.id, T0 + 10 * MINUTE);
    expect(listed.map((session) => session.id)).toEqual([newer, older]);
    expect(listed.map((session) => session.id)).not.toContain(expired);
  });

  it('deleteExpiredSessions removes only expired and idle rows', async () => {
    const user = await newUser();
    const live = await createSession(database().db, { userId: user.id, now: T0 });
    const dead = await createSession(database().db, { userId: user.id, now: T0 - SESSION_MAX_AGE_MS - 1 });
    const idle = await createSession(database().db, { userId: user.id, now: T0 - SESSION_IDLE_MS });
    const recent = await createSession(database().db, { userId: user.id, now: T0 - SESSION_IDLE_MS + 1 });
    const removed = await deleteExpiredSessions(database().db, T0);
    expect(removed).toBeGreaterThanOrEqual(2);
    expect(await sessionRow(dead)).toBeNull();
    expect(await sessionRow(idle)).toBeNull();
    expect(await sessionRow(live)).not.toBeNull();
    expect(await sessionRow(recent)).not.toBeNull();
  });
});
