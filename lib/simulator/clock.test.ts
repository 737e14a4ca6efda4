import { describe, expect, it } from 'vitest';
import { SimClock } from './clock';

function fakeRealTime(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('SimClock', () => {
  it('follows real time by default', () => {
    const real = fakeRealTime(1_000_000);
    const clock = new SimClock({}, real.now);
    real.advance(5000);
    expect(clock.now()).toBe(1_005_000);
  });

  it('freezes, fast-forwards without jumping, and can be set', () => {
    const real = fakeRealTime(0);
    const clock = new SimClock({ now: Date.parse('2026-01-01T00:00:00Z') }, real.now);
    clock.set({ frozen: true });
    real.advance(60_000);
    expect(clock.state()).toEqual({ now: '2026-01-01T00:00:00.000Z', rate: 1, frozen: true });

    clock.set({ frozen: false, rate: 3600 });
    real.advance(1000);
    expect(clock.state().now).toBe('2026-01-01T01:00:00.000Z');

    clock.set({ now: Date.parse('2025-06-01T12:00:00Z'), rate: 1 });
    real.advance(2000);
    expect(clock.state().now).toBe('2025-06-01T12:00:02.000Z');
  });
});
