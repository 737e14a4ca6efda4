import 'server-only';
import type { Sample } from '../model';
import { NUMERIC_FIELDS, type SampleNumericField } from './samples';

// Rollups: per-minute, per-hour and per-day buckets of every numeric sample field, so that a chart
// over any range reads few rows (docs/performance.md §2.5, T8) — the rules, in plain words:
//
//  1. Buckets are aligned on the epoch in UTC: a minute bucket starts at a multiple of 60,000 ms,
//     an hour bucket of 3,600,000 ms, a day bucket at 00:00 UTC (epoch ms have no leap seconds).
//     A day in the owner's time zone is a later concern: it is not a UTC day (and has 23 or 25
//     hours on DST changes), so it must be summed from hour buckets — or, for zones with half-hour
//     offsets, minute buckets — at read time, not stored here.
//  2. Each bucket keeps, per field with at least one reading: count, sum, min and max — all
//     mergeable, and enough for the mean (sum ÷ count) — and the first and last reading with their
//     instants. Min, max, first and last are the four points M4 keeps per chart column
//     (m4.ts; performance.md §2.5: "keep min and max"), so a chart drawn from buckets keeps its
//     peaks and joins buckets where the data does; for the odometer and the fuel and battery
//     levels, last − first is the distance or level change over any bucket range (a sum of
//     levels means nothing). Ties at the same instant (two providers) take the smaller value as
//     first and the larger as last, so the result does not depend on the order of the readings.
//  3. Heading is left out: it is an angle (359° and 1° are 2° apart), so its sum, mean, min and max
//     mislead. Ignition and charging state are not numbers and are not rolled up here.
//  4. Merging. `mergeRollups(rollup(A), rollup(B))` equals `rollup(A ∪ B)` for disjoint batches A
//     and B — counts, minima, maxima, first and last exactly, sums up to floating-point rounding
//     (addition in another order). So rollups are kept current incrementally, batch by batch, at
//     ingest. A reading counted twice is counted twice: the caller rolls up only readings the
//     store newly accepted (the natural key, vehicle + instant, tells which), never a batch
//     as delivered.
//  5. Coarser from finer: `coarsen(rollup(S, minute), 'hour')` equals `rollup(S, 'hour')`, the
//     same way.

export const RESOLUTIONS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type Resolution = keyof typeof RESOLUTIONS;

export const ROLLUP_FIELDS = NUMERIC_FIELDS.filter(
  (field): field is Exclude<SampleNumericField, 'headingDeg'> => field !== 'headingDeg',
);
export type RollupField = (typeof ROLLUP_FIELDS)[number];

export type FieldAggregate = {
  count: number;
  sum: number;
  min: number;
  max: number;
  first: { at: number; value: number };
  last: { at: number; value: number };
};

export type RollupBucket = {
  /** Epoch ms, a multiple of the resolution. */
  start: number;
  fields: Partial<Record<RollupField, FieldAggregate>>;
};

export type Rollup = {
  resolution: Resolution;
  /** Sorted by `start`, one per bucket with at least one reading. */
  buckets: RollupBucket[];
};

export const bucketStart = (at: number, resolution: Resolution) =>
  Math.floor(at / RESOLUTIONS[resolution]) * RESOLUTIONS[resolution];

type Point = { at: number; value: number };
const earlier = (a: Point, b: Point) => a.at < b.at || (a.at === b.at && a.value <= b.value);
const later = (a: Point, b: Point) => a.at > b.at || (a.at === b.at && a.value >= b.value);

function mergeAggregates(a: FieldAggregate, b: FieldAggregate): FieldAggregate {
  return {
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    first: earlier(a.first, b.first) ? a.first : b.first,
    last: later(a.last, b.last) ? a.last : b.last,
  };
}

/** Adds one reading to a bucket this module just created (so updating it in place is safe). */
function addReading(bucket: RollupBucket, field: RollupField, at: number, reading: number) {
  // −0 counts as 0: min and max would otherwise depend on which zero came first, and a rollup
  // built from finer rollups could differ from one built from the samples.
  const value = reading === 0 ? 0 : reading;
  const existing = bucket.fields[field];
  if (!existing) {
    bucket.fields[field] = {
      count: 1,
      sum: value,
      min: value,
      max: value,
      first: { at, value },
      last: { at, value },
    };
    return;
  }
  existing.count++;
  existing.sum += value;
  if (value < existing.min) existing.min = value;
  if (value > existing.max) existing.max = value;
  const point = { at, value };
  if (earlier(point, existing.first)) existing.first = point;
  if (later(point, existing.last)) existing.last = point;
}

export function rollup(samples: readonly Sample[], resolution: Resolution): Rollup {
  const byStart = new Map<number, RollupBucket>();
  for (const sample of samples) {
    const start = bucketStart(sample.at, resolution);
    let bucket = byStart.get(start);
    for (const field of ROLLUP_FIELDS) {
      const value = sample[field];
      if (value === undefined) continue;
      if (!bucket) {
        bucket = { start, fields: {} };
        byStart.set(start, bucket);
      }
      addReading(bucket, field, sample.at, value);
    }
  }
  return { resolution, buckets: [...byStart.values()].sort((a, b) => a.start - b.start) };
}

function mergeBucketInto(target: RollupBucket, source: RollupBucket) {
  for (const field of ROLLUP_FIELDS) {
    const incoming = source.fields[field];
    if (!incoming) continue;
    const existing = target.fields[field];
    target.fields[field] = existing ? mergeAggregates(existing, incoming) : { ...incoming };
  }
}

function rebucket(resolution: Resolution, buckets: Iterable<RollupBucket>): Rollup {
  const byStart = new Map<number, RollupBucket>();
  for (const bucket of buckets) {
    const start = bucketStart(bucket.start, resolution);
    let target = byStart.get(start);
    if (!target) {
      target = { start, fields: {} };
      byStart.set(start, target);
    }
    mergeBucketInto(target, bucket);
  }
  return { resolution, buckets: [...byStart.values()].sort((a, b) => a.start - b.start) };
}

/** The rollup of two disjoint batches from the rollups of each (rule 4). */
export function mergeRollups(a: Rollup, b: Rollup): Rollup {
  if (a.resolution !== b.resolution)
    throw new Error(`cannot merge a ${a.resolution} rollup with a ${b.resolution} rollup`);
  return rebucket(a.resolution, [...a.buckets, ...b.buckets]);
}

/** A coarser rollup from a finer one (rule 5): minute → hour or day, hour → day. */
export function coarsen(finer: Rollup, resolution: Resolution): Rollup {
  if (RESOLUTIONS[resolution] < RESOLUTIONS[finer.resolution])
    throw new Error(`cannot make a ${resolution} rollup from a ${finer.resolution} rollup`);
  return rebucket(resolution, finer.buckets);
}

/** Mean of a field in a bucket, or null without readings. */
export const mean = (aggregate: FieldAggregate | undefined) =>
  aggregate === undefined || aggregate.count === 0 ? null : aggregate.sum / aggregate.count;
