import 'server-only';
import { POINTS_PER_PIXEL, type TelemetryResolution } from '../../schemas/telemetry';
import { RESOLUTIONS, type Resolution } from '../derive/rollups';

// Which rows a chart of [from, to] at `width` CSS pixels reads (docs/performance.md §2.3, T8:
// reading rows is the expensive part, downsampling is cheap). The rule, in plain words:
//
//  1. Levels, finest first: raw samples (counted as one a second, the fastest cadence our sources
//     keep), then the minute, hour and day rollups.
//  2. Detail: a pixel column spans (to − from) / width. A level finer than a column adds nothing
//     the chart can show, so take the coarsest level whose step is no longer than a column.
//  3. Cost: a level may read at most READ_FACTOR × the point budget (4 × width) rows in the worst
//     case — every second or every bucket of the range filled. If the level of rule 2 could read
//     more, take the next coarser one that cannot (the day level always serves: 5 years are 1,827
//     buckets). A 1 h range is raw at any width; a day is minutes at 400 and 1,600 px; a year is
//     hours at 1,600 px and days at 400 px.
//  4. Raw rows are read with a hard limit (RAW_ROW_LIMIT): a source faster than 1 Hz (a 10 Hz OBD
//     log) that overflows it is read again from the next level up instead.

export const READ_FACTOR = 4;

const RAW_STEP_MS = 1000;

export type Source = { kind: 'raw' } | { kind: 'rollup'; resolution: Resolution };

type Level = { source: Source; stepMs: number };

const LEVELS: readonly Level[] = [
  { source: { kind: 'raw' }, stepMs: RAW_STEP_MS },
  { source: { kind: 'rollup', resolution: 'minute' }, stepMs: RESOLUTIONS.minute },
  { source: { kind: 'rollup', resolution: 'hour' }, stepMs: RESOLUTIONS.hour },
  { source: { kind: 'rollup', resolution: 'day' }, stepMs: RESOLUTIONS.day },
];

/** The most rows a level may read for a chart this wide (rule 3). */
export const rowCap = (width: number) => READ_FACTOR * POINTS_PER_PIXEL * width;

/** Rule 4: twice the cap, room for two providers reporting the same seconds. */
export const rawRowLimit = (width: number) => 2 * rowCap(width);

/** Rules 2 and 3; `raw: false` leaves raw rows out (rule 4's second read). */
export function chooseSource(
  fromMs: number,
  toMs: number,
  width: number,
  options: { raw?: boolean } = {},
): Source {
  const rangeMs = Math.max(0, toMs - fromMs);
  const columnMs = rangeMs / width;
  const levels = options.raw === false ? LEVELS.slice(1) : LEVELS;
  let index = 0;
  for (const [i, level] of levels.entries()) if (level.stepMs <= columnMs) index = i;
  const rows = (i: number) => rangeMs / (levels[i] as Level).stepMs;
  while (index < levels.length - 1 && rows(index) > rowCap(width)) index++;
  return (levels[index] as Level).source;
}

export const RESOLUTION_NAMES: Record<Resolution, TelemetryResolution> = {
  minute: 'PT1M',
  hour: 'PT1H',
  day: 'P1D',
};

export const resolutionOf = (source: Source): TelemetryResolution =>
  source.kind === 'raw' ? 'raw' : RESOLUTION_NAMES[source.resolution];
