import { describe, expect, it } from 'vitest';
import { dateFromFileName, parseTimeCell, zonedToUtc } from './times';

const instant = (iso: string) => ({ kind: 'instant', at: Date.parse(iso) });

describe('parseTimeCell', () => {
  it.each([
    ['2017-08-07T10:26:46Z', 'Europe/Paris', instant('2017-08-07T10:26:46Z')],
    ['2017-08-07 10:26:46.925+02:00', 'UTC', instant('2017-08-07T08:26:46.925Z')],
    ['2017-08-07T10:26:46', 'Europe/Paris', instant('2017-08-07T08:26:46Z')],
    ['2017-01-07T10:26:46', 'Europe/Paris', instant('2017-01-07T09:26:46Z')],
    ['Mon Aug 07 10:26:46 GMT+02:00 2017', 'UTC', instant('2017-08-07T08:26:46Z')],
    ['Mon Sep 22 10:30:00 +0300 2019', 'UTC', instant('2019-09-22T07:30:00Z')],
    ['Mon Aug 07 10:26:46 GMT 2017', 'Europe/Paris', instant('2017-08-07T10:26:46Z')],
    // A zone abbreviation is ambiguous: the import's zone applies.
    ['Mon Aug 07 10:26:46 CEST 2017', 'Europe/Berlin', instant('2017-08-07T08:26:46Z')],
    ['07-Aug-2017 10:26:46.925', 'America/New_York', instant('2017-08-07T14:26:46.925Z')],
    ['07.08.2017 10:26:46', 'UTC', instant('2017-08-07T10:26:46Z')],
    ['1502094406', 'Europe/Paris', instant('2017-08-07T08:26:46Z')],
    ['1502094406,5', 'UTC', instant('2017-08-07T08:26:46.500Z')],
    ['1502094406925', 'UTC', instant('2017-08-07T08:26:46.925Z')],
    ['1.502094406925E+12', 'UTC', instant('2017-08-07T08:26:46.925Z')],
    ['10:26:46.5', 'UTC', { kind: 'clock', msOfDay: ((10 * 60 + 26) * 60 + 46) * 1000 + 500 }],
    ['-', 'UTC', { kind: 'absent' }],
  ])('%j in %s', (raw, zone, expected) => {
    expect(parseTimeCell(raw, zone)).toEqual(expected);
  });

  it('marks an exponent form that lost its precision as coarse', () => {
    expect(parseTimeCell('1.50201E+12', 'UTC')).toEqual({
      kind: 'coarse',
      at: 1_502_010_000_000,
      resolutionMs: 1e7,
    });
    expect(parseTimeCell('1.5021E+9', 'UTC')).toEqual({
      kind: 'coarse',
      at: 1_502_100_000_000,
      resolutionMs: 1e8,
    });
  });

  it.each([
    '2017-02-30T10:00:00Z',
    '25:00:00',
    '12345',
    '9999999999999',
    'yesterday',
    'Mon Foo 07 10:26:46 GMT 2017',
  ])('%j is refused with a reason', (raw) => {
    const cell = parseTimeCell(raw, 'UTC');
    expect(cell.kind).toBe('invalid');
    expect(cell.kind === 'invalid' && cell.reason.length > 0).toBe(true);
  });
});

describe('zonedToUtc', () => {
  const wall = (iso: string) => Date.parse(`${iso}Z`);
  it('places a wall time in its zone across the year', () => {
    expect(zonedToUtc(wall('2021-07-01T12:00:00'), 'Europe/Paris')).toBe(Date.parse('2021-07-01T10:00:00Z'));
    expect(zonedToUtc(wall('2021-12-01T12:00:00'), 'Europe/Paris')).toBe(Date.parse('2021-12-01T11:00:00Z'));
    expect(zonedToUtc(wall('2021-12-01T12:00:00'), 'Asia/Kathmandu')).toBe(
      Date.parse('2021-12-01T06:15:00Z'),
    );
    expect(zonedToUtc(wall('2021-12-01T12:00:00'), 'UTC')).toBe(Date.parse('2021-12-01T12:00:00Z'));
  });

  it('moves a time that never happened (spring forward) forward by the gap', () => {
    // Paris, 28 March 2021: 02:00 CET became 03:00 CEST, so 02:30 is read as 03:30 CEST.
    expect(zonedToUtc(wall('2021-03-28T02:30:00'), 'Europe/Paris')).toBe(Date.parse('2021-03-28T01:30:00Z'));
  });

  it('takes the earlier of a time that happened twice (fall back)', () => {
    // Paris, 31 October 2021: 03:00 CEST became 02:00 CET; 02:30 CEST is 00:30 UTC.
    expect(zonedToUtc(wall('2021-10-31T02:30:00'), 'Europe/Paris')).toBe(Date.parse('2021-10-31T00:30:00Z'));
  });
});

describe('dateFromFileName', () => {
  it.each([
    ['2017-08-07_Seat_Leon_RT_Normal.csv', '2017-08-07'],
    ['/uploads/trip 2017-08-07.csv', '2017-08-07'],
    ['log-2017-08-07-2.csv', '2017-08-07'],
    ['2017-02-30_x.csv', undefined],
    ['trackLog.csv', undefined],
    ['12017-08-07.csv', undefined],
  ])('%s → %s', (name, expected) => {
    expect(dateFromFileName(name)).toBe(expected);
  });
});
