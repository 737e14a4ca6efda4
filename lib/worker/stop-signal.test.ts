import { describe, expect, it } from 'vitest';
import { createStopSignal } from './stop-signal';

describe('createStopSignal', () => {
  it('wakes every pending sleep at stop(), not only the latest', async () => {
    const signal = createStopSignal();
    const woken: string[] = [];
    const sleeps = ['demo watch', 'link retry', 'retention'].map((name) =>
      signal.sleep(3_600_000).then(() => woken.push(name)),
    );
    signal.stop();
    await Promise.all(sleeps);
    expect(woken.sort()).toEqual(['demo watch', 'link retry', 'retention']);
    expect(signal.stopped).toBe(true);
  });

  it('ends a sleep by itself when not stopped; once stopped, a new sleep returns at once', async () => {
    const signal = createStopSignal();
    await signal.sleep(5);
    expect(signal.stopped).toBe(false);
    signal.stop();
    // An hour: only an immediate return lets this test end within its timeout.
    await signal.sleep(3_600_000);
    expect(signal.stopped).toBe(true);
  });
});
