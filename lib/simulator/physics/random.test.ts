import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './random';

const draw = (seed: number | string, count: number) => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
};

describe('createRng', () => {
  it('replays the same stream for the same seed, numeric or text', () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
    expect(draw('fleet-a', 100)).toEqual(draw('fleet-a', 100));
  });

  it('gives different streams for different seeds', () => {
    expect(draw(1, 20)).not.toEqual(draw(2, 20));
    expect(draw('a', 20)).not.toEqual(draw('b', 20));
  });

  it('keeps its output stable across releases (persisted fleets depend on it)', () => {
    expect(draw(42, 3)).toEqual([0.23955312534235418, 0.5859209857881069, 0.09323416277766228]);
    expect(createRng('fleet').seed).toBe(deriveSeed('fleet'));
  });

  it('draws within the documented ranges', () => {
    const rng = createRng(7);
    const ints = new Set<number>();
    let [uMin, uMax, rMin, rMax, eMin] = [1, 0, 5, -3, 1];
    for (let i = 0; i < 5000; i++) {
      const u = rng.next();
      const r = rng.range(-3, 5);
      const n = rng.int(1, 6);
      ints.add(n);
      [uMin, uMax, rMin, rMax] = [Math.min(uMin, u), Math.max(uMax, u), Math.min(rMin, r), Math.max(rMax, r)];
      eMin = Math.min(eMin, rng.exponential(2));
    }
    expect(uMin).toBeGreaterThanOrEqual(0);
    expect(uMax).toBeLessThan(1);
    expect(rMin).toBeGreaterThanOrEqual(-3);
    expect(rMax).toBeLessThan(5);
    expect(eMin).toBeGreaterThanOrEqual(0);
    expect([...ints].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('has roughly the right moments for uniform and normal draws', () => {
    const rng = createRng(11);
    let sum = 0;
    let sumSq = 0;
    let uniform = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal(10, 2);
      sum += x;
      sumSq += x * x;
      uniform += rng.next();
    }
    const mean = sum / n;
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(sumSq / n - mean * mean)).toBeCloseTo(2, 1);
    expect(uniform / n).toBeCloseTo(0.5, 1);
  });

  it('picks every element of a list and refuses an empty one', () => {
    const rng = createRng(3);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(rng.pick(['a', 'b', 'c']));
    expect(seen).toEqual(new Set(['a', 'b', 'c']));
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});

describe('deriveSeed', () => {
  it('is stable (hard-coded values guard against accidental changes)', () => {
    expect(deriveSeed('kinetic', 'vehicle-1', 0)).toBe(4006447025);
    expect(deriveSeed(42)).toBe(686566589);
    expect(deriveSeed('')).toBe(2872998923);
    expect(deriveSeed('é')).toBe(3136788073);
  });

  it('separates parts, so shifting characters between them changes the seed', () => {
    expect(deriveSeed('ab', 'c')).not.toBe(deriveSeed('a', 'bc'));
    expect(deriveSeed('a', 'b')).not.toBe(deriveSeed('ab'));
  });

  it('gives each day of each vehicle its own stream without generating earlier days', () => {
    const seeds = new Set<number>();
    for (const vehicle of ['v1', 'v2', 'v3']) {
      for (let day = 0; day < 365; day++) seeds.add(deriveSeed('fleet', vehicle, day));
    }
    expect(seeds.size).toBe(3 * 365);
    // Day 200 is the same whether or not days 0–199 were ever derived.
    expect(deriveSeed('fleet', 'v2', 200)).toBe(deriveSeed('fleet', 'v2', 200));
    expect(draw(deriveSeed('fleet', 'v2', 200), 5)).toEqual(draw(deriveSeed('fleet', 'v2', 200), 5));
  });
});
