import 'server-only';
import { MAX_GAP_MS } from '../../scoring/resample';
import type { Sample, SampleField, Source } from '../model';

// What every derivation in this folder does first: put the readings in one canonical form, so
// that the results never depend on the order rows arrive in or on rows delivered twice.
//
//  - Readings are sorted by the instant the car measured them.
//  - Several readings of one instant become one: identical readings count once; where they
//    differ, a number takes the lower median of the distinct values (always a real reading; the
//    median is the rule events.ts applies to speed), `ignition` is on when any reading says so,
//    and `charging` and `source` take the value that sorts first — arbitrary but independent of
//    order. The store keeps one sample per vehicle and instant anyway, so this only matters for
//    unsaved batches.
//  - Two readings more than MAX_GAP_MS (10 s, the events rule) apart are not joined: nothing is
//    assumed about what happened in between, so no time, distance or fuel is counted there.

/** Readings further apart than this are not joined (the same gap rule as lib/scoring). */
export const JOIN_GAP_MS = MAX_GAP_MS;

type NumericField = {
  [K in SampleField]-?: NonNullable<Sample[K]> extends number ? K : never;
}[SampleField];

export const NUMERIC_FIELDS = [
  'speedKmh',
  'engineRpm',
  'fuelConsumptionLPer100km',
  'energyConsumptionKwhPer100km',
  'fuelRateLph',
  'accelerationMs2',
  'latitude',
  'longitude',
  'altitudeM',
  'headingDeg',
  'odometerKm',
  'fuelLevelPct',
  'batteryLevelPct',
  'gear',
  'throttlePct',
  'coolantC',
  'outsideTempC',
] as const satisfies readonly NumericField[];
export type SampleNumericField = (typeof NUMERIC_FIELDS)[number];

const sourceKey = (source: Source) => `${source.provider}\u0000${source.ref}`;

function lowerMedianOfDistinct(values: number[]): number {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return distinct[(distinct.length - 1) >> 1] as number;
}

function mergeSameInstant(group: readonly Sample[]): Sample {
  const first = group[0] as Sample;
  let source = first.source;
  for (const sample of group) if (sourceKey(sample.source) < sourceKey(source)) source = sample.source;
  const merged: Sample = { at: first.at, source };
  for (const field of NUMERIC_FIELDS) {
    const values: number[] = [];
    for (const sample of group) {
      const value = sample[field];
      if (value !== undefined) values.push(value);
    }
    if (values.length > 0) merged[field] = lowerMedianOfDistinct(values);
  }
  const ignitions = group.flatMap((sample) => (sample.ignition === undefined ? [] : [sample.ignition]));
  if (ignitions.length > 0) merged.ignition = ignitions.includes(true);
  const states = group.flatMap((sample) => (sample.charging === undefined ? [] : [sample.charging])).sort();
  if (states[0] !== undefined) merged.charging = states[0];
  return merged;
}

/** Sorted by `at`, one sample per instant (see the rules above). Does not modify its input. */
export function canonicalSamples(samples: readonly Sample[]): Sample[] {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const out: Sample[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && (sorted[j] as Sample).at === (sorted[i] as Sample).at) j++;
    out.push(j - i === 1 ? (sorted[i] as Sample) : mergeSameInstant(sorted.slice(i, j)));
    i = j;
  }
  return out;
}

/** One pair of consecutive readings of a field, no more than JOIN_GAP_MS apart. */
export type Interval = { from: Sample; to: Sample; dtMs: number };

/**
 * Consecutive pairs among the samples carrying every one of `fields`, joined only across
 * JOIN_GAP_MS or less. Samples must be canonical (sorted, one per instant).
 */
export function intervalsWith(samples: readonly Sample[], fields: readonly SampleNumericField[]): Interval[] {
  const intervals: Interval[] = [];
  let previous: Sample | undefined;
  for (const sample of samples) {
    if (fields.some((field) => sample[field] === undefined)) continue;
    if (previous !== undefined && sample.at - previous.at <= JOIN_GAP_MS)
      intervals.push({ from: previous, to: sample, dtMs: sample.at - previous.at });
    previous = sample;
  }
  return intervals;
}

/** Total time of the intervals, ms. */
export const coveredMs = (intervals: readonly Interval[]) =>
  intervals.reduce((sum, interval) => sum + interval.dtMs, 0);
