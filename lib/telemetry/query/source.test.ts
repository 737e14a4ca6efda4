import { describe, expect, it } from 'vitest';
import { chooseSource, rawRowLimit, resolutionOf, rowCap } from './source';

// The source rule (source.ts), case by case, worked by hand: the coarsest level no coarser than a
// pixel column ((to − from) / width), then coarser while the level's worst-case rows (the range in
// seconds for raw, in buckets for rollups) exceed 16 × width.

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;
const T0 = Date.UTC(2026, 0, 1);

const pick = (rangeMs: number, width: number, options?: { raw?: boolean }) =>
  resolutionOf(chooseSource(T0, T0 + rangeMs, width, options));

describe('chooseSource', () => {
  it('reads raw rows for live and trip ranges', () => {
    expect(pick(15 * MIN, 400)).toBe('raw'); // column 2.25 s; 900 rows ≤ 6,400
    expect(pick(H, 400)).toBe('raw'); // column 9 s; 3,600 rows ≤ 6,400
    expect(pick(H, 1600)).toBe('raw');
    expect(pick(0, 400)).toBe('raw');
  });

  it('reads minutes for a day, raw rows being too many even where a column is under a minute', () => {
    expect(pick(D, 400)).toBe('PT1M'); // column 216 s → minute; 1,440 buckets
    expect(pick(D, 1600)).toBe('PT1M'); // column 54 s → raw, but 86,400 rows > 25,600
    expect(pick(D, 4000)).toBe('PT1M'); // column 21.6 s → raw, but 86,400 > 64,000
    expect(pick(2 * H, 4000)).toBe('raw'); // 7,200 rows ≤ 64,000
  });

  it('reads hours or minutes for a week and a month, by width', () => {
    expect(pick(7 * D, 400)).toBe('PT1H'); // column 25.2 min → minute, but 10,080 > 6,400
    expect(pick(7 * D, 1600)).toBe('PT1M'); // 10,080 ≤ 25,600
    expect(pick(30 * D, 400)).toBe('PT1H'); // column 1.8 h → hour; 720 buckets
    expect(pick(30 * D, 1600)).toBe('PT1H'); // column 27 min → minute, but 43,200 > 25,600
  });

  it('reads days or hours for a year, and days for anything a pixel cannot tell apart', () => {
    expect(pick(365 * D, 400)).toBe('P1D'); // column 21.9 h → hour, but 8,760 > 6,400
    expect(pick(365 * D, 1600)).toBe('PT1H'); // 8,760 ≤ 25,600
    expect(pick(5 * 366 * D, 4000)).toBe('PT1H'); // column 11 h → hour; 43,920 ≤ 64,000
    expect(pick(5 * 366 * D, 1)).toBe('P1D'); // nothing fits 16 rows: the coarsest level
    expect(pick(H, 1)).toBe('PT1H'); // one column of an hour: one bucket
  });

  it('skips raw rows when told to (a raw read that overflowed)', () => {
    expect(pick(H, 400, { raw: false })).toBe('PT1M');
    expect(pick(365 * D, 400, { raw: false })).toBe('P1D');
  });

  it('caps reads at 16 rows per pixel, raw reads at twice that', () => {
    expect(rowCap(400)).toBe(6400);
    expect(rawRowLimit(400)).toBe(12_800);
  });
});
