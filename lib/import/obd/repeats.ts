import 'server-only';
import { setNewest } from '../../bounded-map';

// Rows a log writes twice (Torque repeats a row when no PID changed in time, files get appended
// twice…): the same instant with the same values counts once. The same instant with different
// values is a conflict — one of them is wrong, and a natural key (vehicle + time) can hold only one.
//
// Memory stays bounded: only the most recent MAX_REMEMBERED instants are remembered (at 10 Hz,
// about 2.8 hours of driving). A repeat further apart than that reaches storage as an ordinary
// row, where the database's natural key counts it as a duplicate anyway.

export const MAX_REMEMBERED = 100_000;

export type RepeatCheck =
  | { kind: 'new' }
  | { kind: 'repeat'; of: number }
  | { kind: 'conflict'; with: number };

export class RepeatDetector {
  private readonly seen = new Map<number, { hash: number; row: number }>();

  constructor(private readonly capacity = MAX_REMEMBERED) {}

  check(at: number, fingerprint: string, row: number): RepeatCheck {
    const hash = hashString(fingerprint);
    const earlier = this.seen.get(at);
    if (earlier)
      return earlier.hash === hash
        ? { kind: 'repeat', of: earlier.row }
        : { kind: 'conflict', with: earlier.row };
    setNewest(this.seen, at, { hash, row }, this.capacity);
    return { kind: 'new' };
  }
}

/**
 * cyrb53 (public domain, bryc): a fast 53-bit string hash. Two different rows at the same instant
 * colliding is a 1 in 2⁵³ event, against storing every fingerprint in full.
 */
export function hashString(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
