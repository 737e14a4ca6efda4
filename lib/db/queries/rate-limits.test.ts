import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { clearRateLimit, hitRateLimit, peekRateLimit } from './rate-limits';

const WINDOW = 60_000;
const T0 = 1_900_000_020_000;

describe.each(ENGINES)('rate limits on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('opens a window at the first hit, counts within it and says when it ends', async () => {
    const { db } = database();
    expect(await hitRateLimit(db, 'count', WINDOW, T0)).toEqual({ count: 1, retryAfterS: 60 });
    expect(await hitRateLimit(db, 'count', WINDOW, T0 + 20_000)).toEqual({ count: 2, retryAfterS: 40 });
    expect(await hitRateLimit(db, 'count', WINDOW, T0 + 59_500)).toEqual({ count: 3, retryAfterS: 1 });
  });

  it('does not split a burst at a clock boundary', async () => {
    const { db } = database();
    // A burst that starts 2 s before a whole minute still counts as one window.
    const start = T0 + 58_000;
    for (let i = 1; i <= 5; i += 1) {
      expect((await hitRateLimit(db, 'burst', WINDOW, start + i * 1_000)).count).toBe(i);
    }
  });

  it('starts again at 1 once the window has passed', async () => {
    const { db } = database();
    for (let i = 0; i < 4; i++) await hitRateLimit(db, 'reset', WINDOW, T0 + 10_000);
    expect((await peekRateLimit(db, 'reset', WINDOW, T0 + 10_000)).count).toBe(4);

    expect(await hitRateLimit(db, 'reset', WINDOW, T0 + 10_000 + WINDOW)).toEqual({
      count: 1,
      retryAfterS: 60,
    });
    expect(await hitRateLimit(db, 'reset', WINDOW, T0 + 10_001 + WINDOW)).toMatchObject({ count: 2 });
    // Much later also restarts.
    expect(await hitRateLimit(db, 'reset', WINDOW, T0 + 50 * WINDOW)).toMatchObject({ count: 1 });
  });

  it('peek reads the count without adding to it', async () => {
    const { db } = database();
    expect(await peekRateLimit(db, 'peek', WINDOW, T0)).toEqual({ count: 0, retryAfterS: 0 });
    await hitRateLimit(db, 'peek', WINDOW, T0);
    await hitRateLimit(db, 'peek', WINDOW, T0 + 1_000);
    for (let i = 0; i < 3; i++) {
      expect(await peekRateLimit(db, 'peek', WINDOW, T0 + 30_000)).toEqual({ count: 2, retryAfterS: 30 });
    }
    expect((await hitRateLimit(db, 'peek', WINDOW, T0 + 31_000)).count).toBe(3);
    // The window has passed: nothing counts any more.
    expect(await peekRateLimit(db, 'peek', WINDOW, T0 + WINDOW)).toEqual({ count: 0, retryAfterS: 0 });
  });

  it('keys are counted independently, and clearing one leaves the others', async () => {
    const { db } = database();
    await hitRateLimit(db, 'key-a', WINDOW, T0);
    await hitRateLimit(db, 'key-a', WINDOW, T0);
    await hitRateLimit(db, 'key-b', WINDOW, T0);
    expect((await peekRateLimit(db, 'key-a', WINDOW, T0)).count).toBe(2);
    expect((await peekRateLimit(db, 'key-b', WINDOW, T0)).count).toBe(1);

    await clearRateLimit(db, 'key-a');
    expect((await peekRateLimit(db, 'key-a', WINDOW, T0)).count).toBe(0);
    expect((await peekRateLimit(db, 'key-b', WINDOW, T0)).count).toBe(1);
    expect((await hitRateLimit(db, 'key-a', WINDOW, T0)).count).toBe(1);
  });

  it('counts every one of many concurrent hits', async () => {
    const { db } = database();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => hitRateLimit(db, 'concurrent', WINDOW, T0 + 1)),
    );
    expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });
});
