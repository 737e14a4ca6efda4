/**
 * Seeded randomness for the simulator. Every stream is addressed by a seed derived from what it
 * describes (fleet seed, vehicle, day…), so any day of any car can be generated on demand without
 * replaying the days before it.
 */

export type Rng = {
  /** The 32-bit seed this stream started from (after hashing a string seed). */
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** One element, uniformly; throws on an empty list (a silent `undefined` would hide a planning bug). */
  pick<T>(items: readonly T[]): T;
  /** Gaussian via Box–Muller. */
  normal(mean?: number, sd?: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Exponential with the given mean (waiting times, idle durations). */
  exponential(mean: number): number;
};

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Unit separator between parts so that ('ab', 'c') and ('a', 'bc') hash differently.
const SEPARATOR = 0x1f;

/** murmur3's finaliser: FNV-1a alone avalanches poorly on short, similar inputs like day numbers. */
function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A stable 32-bit seed for a tuple of parts, e.g. `deriveSeed(fleetSeed, vehicleId, '2025-03-14')`.
 * Numbers are hashed through their decimal text, so `1` and `'1'` give the same seed.
 */
export function deriveSeed(...parts: (string | number)[]): number {
  let h = FNV_OFFSET;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) h = Math.imul(h ^ SEPARATOR, FNV_PRIME);
    const text = String(parts[p]);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      // Both bytes of the UTF-16 unit, so non-ASCII names hash without collisions on the low byte.
      h = Math.imul(h ^ (code & 0xff), FNV_PRIME);
      if (code > 0xff) h = Math.imul(h ^ (code >>> 8), FNV_PRIME);
    }
  }
  return fmix32(h);
}

/** splitmix32: spreads one 32-bit seed over sfc32's four state words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * sfc32 generator: fast in plain JS (32-bit integer ops only), passes PractRand, and a period far
 * beyond the few million draws a year of 1 Hz telemetry needs.
 */
export function createRng(seed: number | string): Rng {
  const start = typeof seed === 'number' && Number.isInteger(seed) ? seed >>> 0 : deriveSeed(seed);
  const mix = { s: start };
  let a = splitmix32(mix);
  let b = splitmix32(mix);
  let c = splitmix32(mix);
  let d = splitmix32(mix) | 1;
  let spare: number | null = null;

  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: sfc32 is weakly mixed right after seeding.
  for (let i = 0; i < 12; i++) next();

  const rng: Rng = {
    seed: start,
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => {
      const lo = Math.ceil(min);
      const hi = Math.floor(max);
      return lo + Math.floor(next() * (hi - lo + 1));
    },
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    normal: (mean = 0, sd = 1) => {
      if (spare !== null) {
        const value = spare;
        spare = null;
        return mean + sd * value;
      }
      let u = next();
      while (u === 0) u = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      const angle = 2 * Math.PI * next();
      spare = radius * Math.sin(angle);
      return mean + sd * radius * Math.cos(angle);
    },
    chance: (p) => next() < p,
    exponential: (mean) => -mean * Math.log(1 - next()),
  };
  return rng;
}
