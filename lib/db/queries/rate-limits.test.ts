import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { clearRateLimit, hitRateLimit, peekRateLimit } from './rate-limits';

const WINDOW = 60_000;
// A window boundary (a multiple of the window length), so offsets below are positions in a window.
const W0 = 1_900_000_020_000;

describe.each(ENGINES)('rate limits on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('counts hits within one window and says when the window ends', async () => {
    const { db } = database();
    expect(W0 % WINDOW).toBe(0);
    expect(await hitRateLimit(db, 'count', WINDOW, W0 + 1_000)).toEqual({ count: 1, retryAfterS: 59 });
    expect(await hitRateLimit(db, 'count', WINDOW, W0 + 20_000)).toEqual({ count: 2, retryAfterS: 40 });
    expect(await hitRateLimit(db, 'count', WINDOW, W0 + 59_500)).toEqual({ count: 3, retryAfterS: 1 });
  });

  it('starts again at 1 in a new window', async () => {
    const { db } = database();
    for (let i = 0; i < 4; i++) await hitRateLimit(db, 'reset', WINDOW, W0 + 10_000);
    expect((await peekRateLimit(db, 'reset', WINDOW, W0 + 10_000)).count).toBe(4);

    expect(await hitRateLimit(db, 'reset', WINDOW, W0 + WINDOW)).toEqual({ count: 1, retryAfterS: 60 });
    expect(await hitRateLimit(db, 'reset', WINDOW, W0 + WINDOW + 1)).toMatchObject({ count: 2 });
    // A window far later also restarts, not only the next one.
    expect(await hitRateLimit(db, 'reset', WINDOW, W0 + 50 * WINDOW)).toMatchObject({ count: 1 });
  });

  it('peek reads the count without adding to it', async () => {
    const { db } = database();
    expect(await peekRateLimit(db, 'peek', WINDOW, W0)).toEqual({ count: 0, retryAfterS: 0 });
    await hitRateLimit(db, 'peek', WINDOW, W0 + 5_000);
    await hitRateLimit(db, 'peek', WINDOW, W0 + 6_000);
    for (let i = 0; i < 3; i++) {
      expect(await peekRateLimit(db, 'peek', WINDOW, W0 + 30_000)).toEqual({ count: 2, retryAfterS: 30 });
    }
    expect((await hitRateLimit(db, 'peek', WINDOW, W0 + 31_000)).count).toBe(3);
    // The stored row belongs to an older window: nothing counts any more.
    expect(await peekRateLimit(db, 'peek', WINDOW, W0 + WINDOW + 1)).toEqual({ count: 0, retryAfterS: 0 });
  });

  it('keys are counted independently, and clearing one leaves the others', async () => {
    const { db } = database();
    await hitRateLimit(db, 'key-a', WINDOW, W0);
    await hitRateLimit(db, 'key-a', WINDOW, W0);
    await hitRateLimit(db, 'key-b', WINDOW, W0);
    expect((await peekRateLimit(db, 'key-a', WINDOW, W0)).count).toBe(2);
    expect((await peekRateLimit(db, 'key-b', WINDOW, W0)).count).toBe(1);

    await clearRateLimit(db, 'key-a');
    expect((await peekRateLimit(db, 'key-a', WINDOW, W0)).count).toBe(0);
    expect((await peekRateLimit(db, 'key-b', WINDOW, W0)).count).toBe(1);
    expect((await hitRateLimit(db, 'key-a', WINDOW, W0)).count).toBe(1);
  });

  it('counts every one of many concurrent hits', async () => {
    const { db } = database();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => hitRateLimit(db, 'concurrent', WINDOW, W0 + 1)),
    );
    expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });
});
