import { describe, expect, it } from 'vitest';
import { V4ApiError } from './errors';
import { inRanges, parseTimestamps } from './timestamps';

const NOW = Date.parse('2026-03-01T08:00:00Z');
const parse = (...values: string[]) => {
  const url = new URL('http://sim.local/x');
  for (const value of values) url.searchParams.append('timestamps', value);
  return parseTimestamps(url, NOW);
};
const at = (iso: string) => Date.parse(iso);

describe('timestamps', () => {
  it('is null when absent', () => {
    expect(parse()).toBeNull();
  });

  it('reads T1/T2, T/D, T/ and /T', () => {
    expect(parse('2026-01-01T00:00:00Z/2026-01-02T00:00:00+01:00')).toEqual([
      { fromMs: at('2026-01-01T00:00:00Z'), toMs: at('2026-01-01T23:00:00Z') },
    ]);
    expect(parse('2018-01-03T12:00:00+01:00/P3Y6M4DT12H30M5S')).toEqual([
      { fromMs: at('2018-01-03T11:00:00Z'), toMs: at('2021-07-07T23:30:05Z') },
    ]);
    expect(parse('2026-02-01T00:00:00Z/')).toEqual([{ fromMs: at('2026-02-01T00:00:00Z'), toMs: NOW }]);
    expect(parse('/2026-02-01T00:00:00Z')).toEqual([
      { fromMs: Number.NEGATIVE_INFINITY, toMs: at('2026-02-01T00:00:00Z') },
    ]);
  });

  it('expands repeating ranges: n windows of d every D, or up to now', () => {
    const windows = parse('R5/2018-01-03T12:00:00Z/P6H/PT2H');
    expect(windows).toHaveLength(5);
    expect(windows?.[1]).toEqual({ fromMs: at('2018-01-03T18:00:00Z'), toMs: at('2018-01-03T20:00:00Z') });
    const daily = parse('R/2026-02-26T00:00:00Z/P1D/PT1H');
    expect(daily).toHaveLength(4);
    expect(inRanges(at('2026-02-28T00:30:00Z'), daily ?? [])).toBe(true);
    expect(inRanges(at('2026-02-28T01:30:00Z'), daily ?? [])).toBe(false);
  });

  it.each([
    ['yesterday/today'],
    ['2026-01-01/2026-01-02'],
    ['2026-01-02T00:00:00Z/2026-01-01T00:00:00Z'],
    ['/'],
    ['2026-01-01T00:00:00Z/P'],
    ['2026-01-01T00:00:00Z/PT'],
    ['R5/2026-01-01T00:00:00Z'],
    ['Rx/2026-01-01T00:00:00Z/P1D'],
    ['R99999/2026-01-01T00:00:00Z/PT1M'],
    ['a/b/c'],
  ])('refuses %s with the API error', (value) => {
    expect(() => parse(value)).toThrow(V4ApiError);
  });

  it('refuses more than ten ranges', () => {
    expect(() => parse(...Array.from({ length: 11 }, () => '2026-01-01T00:00:00Z/'))).toThrow(/at most 10/);
  });
});
