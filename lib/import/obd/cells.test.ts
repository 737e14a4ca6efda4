import { describe, expect, it } from 'vitest';
import { parseNumberCell } from './cells';

const number = (value: number, unit = '', extra: { resolution?: number; exponent?: boolean } = {}) => ({
  kind: 'number',
  value,
  unit,
  resolution: expect.any(Number),
  exponent: false,
  ...extra,
});

describe('parseNumberCell', () => {
  it.each([
    ['48', number(48)],
    [' 48.5 ', number(48.5)],
    ['48,5', number(48.5)],
    ['-12,25', number(-12.25)],
    ['.5', number(0.5)],
    ['1.234,5', number(1234.5)],
    ['1,234.5', number(1234.5)],
    ['1,234,567', number(1234567)],
    ['48km/h', number(48, 'km/h')],
    ['2124RPM', number(2124, 'RPM')],
    ['24,77g/s', number(24.77, 'g/s')],
    ['50 km/h', number(50, 'km/h')],
    ['81°C', number(81, '°C')],
    ['12345,6km', number(12345.6, 'km')],
  ])('%j reads as a number', (raw, expected) => {
    expect(parseNumberCell(raw)).toEqual(expected);
  });

  it.each(['', '-', ' - ', '--', 'N/A', 'NaN', 'null'])('%j is no reading', (raw) => {
    expect(parseNumberCell(raw)).toEqual({ kind: 'absent' });
  });

  it.each(['fast', '1.2.3', '1,2,3', '12 34', 'km/h', '1,23.4', 'Infinity', '1e999'])(
    '%j is not a number',
    (raw) => {
      expect(parseNumberCell(raw)).toEqual({ kind: 'invalid' });
    },
  );

  it('knows how precise a value is, including a spreadsheet exponent', () => {
    expect(parseNumberCell('1.50201E+12')).toEqual(
      number(1.50201e12, '', { resolution: 1e7, exponent: true }),
    );
    expect(parseNumberCell('2124')).toMatchObject({ resolution: 1, exponent: false });
    expect(parseNumberCell('24,77')).toMatchObject({ resolution: 0.01 });
    expect(parseNumberCell('1502012345678')).toMatchObject({ resolution: 1, exponent: false });
  });
});
