import { describe, expect, it } from 'vitest';
import { csvLine, csvNumber, csvText } from './csv';

// CSV cells by hand: RFC 4180 quoting and the formula-injection guard.

describe('csvText', () => {
  it('leaves plain text alone', () => {
    expect(csvText('Daily car')).toBe('Daily car');
    expect(csvText('')).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText('cr\rlf')).toBe('"cr\rlf"');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('+33 6')).toBe("'+33 6");
    expect(csvText('-2')).toBe("'-2");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('\tx')).toBe("'\tx");
    // Guarded first, then quoted: the apostrophe sits inside the quotes.
    expect(csvText('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    // Only the first character matters.
    expect(csvText('a=b')).toBe('a=b');
  });
});

describe('csvNumber and csvLine', () => {
  it('rounds numbers, leaves unknowns empty, ends lines with CRLF', () => {
    expect(csvNumber(12.3456, 2)).toBe('12.35');
    expect(csvNumber(-1.25, 1)).toBe('-1.2');
    expect(csvNumber(null, 2)).toBe('');
    expect(csvNumber(Number.NaN, 2)).toBe('');
    expect(csvLine(['a', '', '1'])).toBe('a,,1\r\n');
  });
});
