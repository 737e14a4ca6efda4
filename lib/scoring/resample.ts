// Speed in, acceleration out: the signal-processing half of the driving-event rules. The rules in
// plain words (what the /methodology page quotes) are at the top of events.ts; the constants below
// are the same rules in numbers — change both together.
//
// No `import 'server-only'`: this is pure, isomorphic code (docs/style.md lists lib/scoring as
// "pure, isomorphic"). It does no I/O, reads no secrets, and a client chart may import it later to
// mark events on a speed curve. It must not import lib/telemetry/model.ts, which is server-only,
// so `SpeedPoint` is declared structurally: a normalised `Sample` satisfies it as it is.
//
// Every step here is positively homogeneous in speed (ordering tests, medians, linear
// interpolation, averages, differences): scaling all speeds by k ≥ 0 scales the acceleration by k.
// The event rules rely on that so that slower driving can never produce more events.

/** One speed reading as real data gives it: irregular, maybe repeated, maybe missing speed. */
export type SpeedPoint = { at: number; speedKmh?: number | undefined };

/** The regular grid speed is resampled onto: 10 Hz, the fastest rate the sources deliver. */
export const RESAMPLE_STEP_MS = 100;
/** Readings further apart than this are not joined: the speed between them is unknown. */
export const MAX_GAP_MS = 10_000;
/** A stretch between gaps needs this many readings before anything is read from it. */
export const MIN_STRETCH_SAMPLES = 3;
/** Running-median half-width (multi-sample glitches and noise at high sampling rates). */
export const MEDIAN_HALF_WINDOW_MS = 500;
/** Cap on the running median's neighbours per side, so 100 Hz input cannot make it quadratic. */
export const MEDIAN_MAX_NEIGHBOURS = 10;
/** Moving-average width on the grid: 5 points = 0.5 s. */
export const SMOOTHING_POINTS = 5;

const KMH_PER_MS = 3.6;
const HALF_SMOOTHING = (SMOOTHING_POINTS - 1) / 2;
/** Grid points lost at each end: the moving average and the central difference need neighbours. */
const EDGE_POINTS = HALF_SMOOTHING + 1;

/**
 * One gap-free stretch of driving on the regular grid. Point i is at `startAt + i × RESAMPLE_STEP_MS`
 * (epoch ms, multiples of 100 ms, so two analyses of overlapping data share their grid).
 */
export type MotionSegment = {
  startAt: number;
  /** Smoothed speed, km/h. */
  speedKmh: Float64Array;
  /** Longitudinal acceleration from the smoothed speed, m/s² (negative while slowing down). */
  accelerationMs2: Float64Array;
};

type Series = { times: number[]; speeds: number[] };

/**
 * Valid readings, sorted, one per instant. Identical readings count once; different speeds
 * reported for the same instant are replaced by their median. Both rules make the result
 * independent of the input's order and of repeated rows.
 */
export function canonicalSpeeds(points: readonly SpeedPoint[]): Series {
  const ats: number[] = [];
  const values: number[] = [];
  let inOrder = true;
  for (const point of points) {
    const speed = point.speedKmh;
    if (!Number.isFinite(point.at) || speed === undefined || !Number.isFinite(speed) || speed < 0) continue;
    if (ats.length > 0 && point.at < (ats[ats.length - 1] as number)) inOrder = false;
    ats.push(point.at);
    values.push(speed === 0 ? 0 : speed);
  }
  // Real data nearly always arrives in time order: sort only when it did not.
  const order = ats.map((_, i) => i);
  if (!inOrder) order.sort((i, j) => (ats[i] as number) - (ats[j] as number));

  const times: number[] = [];
  const speeds: number[] = [];
  const group: number[] = [];
  for (let k = 0; k < order.length; ) {
    const at = ats[order[k] as number] as number;
    group.length = 0;
    for (; k < order.length && ats[order[k] as number] === at; k++)
      group.push(values[order[k] as number] as number);
    times.push(at);
    if (group.length === 1) {
      speeds.push(group[0] as number);
      continue;
    }
    group.sort((x, y) => x - y);
    speeds.push(medianOfSorted(group.filter((speed, i) => i === 0 || speed !== group[i - 1])));
  }
  return { times, speeds };
}

function medianOfSorted(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** [from, to) index ranges of the stretches between gaps longer than MAX_GAP_MS. */
export function splitAtGaps(times: readonly number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let from = 0;
  for (let i = 1; i <= times.length; i++) {
    if (i === times.length || (times[i] as number) - (times[i - 1] as number) > MAX_GAP_MS) {
      if (i > from) ranges.push([from, i]);
      from = i;
    }
  }
  return ranges;
}

const sticksOut = (value: number, a: number, b: number) =>
  (value > a && value > b) || (value < a && value < b);

/**
 * Drops lone samples: a reading strictly above both neighbours or strictly below both. At the ends
 * of a stretch the two nearest readings on the one side stand in for the neighbours. Only ordering
 * is compared, so the rule has no threshold to tune and does not depend on the speed scale. The
 * readings kept are untouched: a glitch on a steady acceleration leaves a straight line between
 * true readings instead of a shifted value.
 */
function dropLoneSamples(series: Series, from: number, to: number): Series {
  const { times, speeds } = series;
  const kept: Series = { times: [], speeds: [] };
  if (to - from < MIN_STRETCH_SAMPLES) return kept;
  const v = (i: number) => speeds[i] as number;
  for (let i = from; i < to; i++) {
    const [a, b] = i === from ? [i + 1, i + 2] : i === to - 1 ? [i - 1, i - 2] : [i - 1, i + 1];
    if (sticksOut(v(i), v(a), v(b))) continue;
    kept.times.push(times[i] as number);
    kept.speeds.push(v(i));
  }
  return kept;
}

/**
 * Running median over the readings within MEDIAN_HALF_WINDOW_MS on both sides, the same number on
 * each side (so a steadily rising or falling speed passes unchanged, however irregular the
 * timestamps). At 1 Hz or slower there are no such neighbours and the speed passes as it is.
 */
function runningMedian(series: Series): Series {
  const { times, speeds } = series;
  const n = times.length;
  const out: number[] = new Array(n);
  let left = 0;
  let right = 0;
  const window = new Float64Array(2 * MEDIAN_MAX_NEIGHBOURS + 1);
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    while (t - (times[left] as number) > MEDIAN_HALF_WINDOW_MS) left++;
    if (right < i) right = i;
    while (right + 1 < n && (times[right + 1] as number) - t <= MEDIAN_HALF_WINDOW_MS) right++;
    const m = Math.min(i - left, right - i, MEDIAN_MAX_NEIGHBOURS);
    if (m === 0) {
      out[i] = speeds[i] as number;
      continue;
    }
    // Insertion sort: the window holds at most 21 values.
    const size = 2 * m + 1;
    for (let w = 0; w < size; w++) {
      const value = speeds[i - m + w] as number;
      let slot = w;
      while (slot > 0 && (window[slot - 1] as number) > value) {
        window[slot] = window[slot - 1] as number;
        slot--;
      }
      window[slot] = value;
    }
    out[i] = window[m] as number;
  }
  return { times, speeds: out };
}

/** Speed at each grid time by linear interpolation between the surrounding readings. */
function onGrid(series: Series, firstAt: number, count: number): Float64Array {
  const { times, speeds } = series;
  const grid = new Float64Array(count);
  let j = 0;
  for (let k = 0; k < count; k++) {
    const t = firstAt + k * RESAMPLE_STEP_MS;
    while (j + 2 < times.length && (times[j + 1] as number) < t) j++;
    const t0 = times[j] as number;
    const t1 = times[j + 1] as number;
    const v0 = speeds[j] as number;
    const v1 = speeds[j + 1] as number;
    grid[k] = t <= t0 ? v0 : t >= t1 ? v1 : v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
  }
  return grid;
}

/**
 * The one pass from raw readings to the smoothed speed and acceleration on a regular grid, per
 * gap-free stretch, in time order. Stretches too short to give one acceleration value are left out.
 */
export function motionSegments(points: readonly SpeedPoint[]): MotionSegment[] {
  const series = canonicalSpeeds(points);
  const segments: MotionSegment[] = [];
  for (const [from, to] of splitAtGaps(series.times)) {
    const cleaned = runningMedian(dropLoneSamples(series, from, to));
    if (cleaned.times.length < 2) continue;
    const firstAt = Math.ceil((cleaned.times[0] as number) / RESAMPLE_STEP_MS) * RESAMPLE_STEP_MS;
    const lastAt =
      Math.floor((cleaned.times[cleaned.times.length - 1] as number) / RESAMPLE_STEP_MS) * RESAMPLE_STEP_MS;
    const count = Math.round((lastAt - firstAt) / RESAMPLE_STEP_MS) + 1;
    if (count < 2 * EDGE_POINTS + 1) continue;
    const speed = onGrid(cleaned, firstAt, count);

    const length = count - 2 * EDGE_POINTS;
    const speedKmh = new Float64Array(length);
    const accelerationMs2 = new Float64Array(length);
    const stepS = RESAMPLE_STEP_MS / 1000;
    for (let i = 0; i < length; i++) {
      const k = i + EDGE_POINTS;
      let sum = 0;
      for (let d = -HALF_SMOOTHING; d <= HALF_SMOOTHING; d++) sum += speed[k + d] as number;
      speedKmh[i] = sum / SMOOTHING_POINTS;
      // Central difference of the moving average, written out so that a constant speed gives an
      // exact zero: (avg[k+1] − avg[k−1]) / 2 steps, and avg[k+1] − avg[k−1] only keeps the two
      // end points of each window.
      const ahead = (speed[k + EDGE_POINTS] as number) + (speed[k + EDGE_POINTS - 1] as number);
      const behind = (speed[k - EDGE_POINTS] as number) + (speed[k - EDGE_POINTS + 1] as number);
      accelerationMs2[i] = (ahead - behind) / SMOOTHING_POINTS / (2 * stepS) / KMH_PER_MS;
    }
    segments.push({ startAt: firstAt + EDGE_POINTS * RESAMPLE_STEP_MS, speedKmh, accelerationMs2 });
  }
  return segments;
}
