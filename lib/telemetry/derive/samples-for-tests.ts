import 'server-only';
import type { Sample } from '../model';

// Builders for the derive tests: readings at a fixed rate whose values are given as functions of
// the elapsed time, so every expectation can be worked out by hand from the same functions.

export const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);
export const SOURCE = { provider: 'obd-import', ref: 'test.csv' } as const;

type Fields = Omit<Sample, 'at' | 'source'>;

/** Readings every `stepS` seconds from `fromS` to `toS` (inclusive) after T0. */
export function readings(fromS: number, toS: number, stepS: number, fields: (t: number) => Fields): Sample[] {
  const out: Sample[] = [];
  const count = Math.round((toS - fromS) / stepS);
  for (let k = 0; k <= count; k++) {
    const t = fromS + k * stepS;
    out.push({ at: T0 + Math.round(t * 1000), source: { ...SOURCE }, ...fields(t) });
  }
  return out;
}

export const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
