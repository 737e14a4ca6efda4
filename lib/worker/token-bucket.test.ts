import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './token-bucket';

/** A manual clock: sleep advances time at once. */
function manualClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('token bucket', () => {
  it('hands out the burst at once, then one token per 1/rate s', async () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ perSecond: 10, burst: 3 }, clock);
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(clock.now()).toBe(0);
    await bucket.take();
    await bucket.take();
    // Two more tokens at 10/s: 100 ms each.
    expect(clock.now()).toBe(200);
  });

  it('refills up to the burst only', async () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ perSecond: 10, burst: 2 }, clock);
    await bucket.take();
    await bucket.take();
    await clock.sleep(10_000);
    expect(bucket.available()).toBe(2);
  });

  it('serves concurrent takers in order without over-spending', async () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ perSecond: 5, burst: 1 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    // One at once, three more at 5/s: 600 ms.
    expect(clock.now()).toBe(600);
  });
});
