import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, CsvSplitter, csvRecords, detectSeparator } from './csv-records';

function split(text: string, separator: ',' | ';' | '\t', cuts: number[] = []): CsvRecord[] {
  const splitter = new CsvSplitter(separator);
  const out: CsvRecord[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    splitter.push(text.slice(from, cut), out);
    from = cut;
  }
  splitter.push(text.slice(from), out);
  splitter.end(out);
  return out;
}

/** RFC 4180 writing, independent of the splitter: quote a field when it needs it. */
function writeField(field: string, separator: string): string {
  return /["\r\n]/.test(field) || field.includes(separator) || field.startsWith('"')
    ? `"${field.replaceAll('"', '""')}"`
    : field;
}

describe('detectSeparator', () => {
  it('picks the separator the header uses most, outside quotes', () => {
    expect(detectSeparator('time,speed,rpm')).toBe(',');
    expect(detectSeparator('time;speed (km/h);rpm')).toBe(';');
    expect(detectSeparator('time\tspeed\trpm')).toBe('\t');
    expect(detectSeparator('"a;b;c",d,e')).toBe(',');
    expect(detectSeparator('"Speed (OBD)(km/h)";"x,y"')).toBe(';');
    expect(detectSeparator('single')).toBe(',');
  });
});

describe('CsvSplitter', () => {
  it('splits quoted fields, escaped quotes and line breaks inside quotes', () => {
    const text = 'a,"b,c","say ""hi""","two\nlines"\r\n1,2,3,4\rx,,"",\n';
    expect(split(text, ',')).toEqual([
      { row: 1, fields: ['a', 'b,c', 'say "hi"', 'two\nlines'] },
      { row: 3, fields: ['1', '2', '3', '4'] },
      { row: 4, fields: ['x', '', '', ''] },
    ]);
  });

  it('keeps a stray quote inside an unquoted field and reads the last line without a break', () => {
    expect(split('5" tyre;48\nlast;1', ';')).toEqual([
      { row: 1, fields: ['5" tyre', '48'] },
      { row: 2, fields: ['last', '1'] },
    ]);
  });

  it('gives the same records however the text is cut into chunks (property)', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', '1', ',', ';', '"', '\n', '\r', ' ', 'é', '°'),
      maxLength: 6,
    });
    const separator = fc.constantFrom<',' | ';' | '\t'>(',', ';', '\t');
    fc.assert(
      fc.property(
        separator,
        fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        (sep, records, cutSeeds, lineBreak) => {
          const text = records
            .map((fields) => fields.map((f) => writeField(f, sep)).join(sep))
            .join(lineBreak);
          const cuts = cutSeeds.map((seed) => seed % (text.length + 1));
          const got = split(text, sep, cuts);
          expect(got.map((record) => record.fields)).toEqual(records);
          expect(split(`${text}${lineBreak}`, sep, cuts).map((record) => record.fields)).toEqual(records);
        },
      ),
    );
  });
});

describe('csvRecords', () => {
  it('detects the separator after blank lines and a byte-order mark, decoding UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('\uFEFF\n\nTemp (°C);Zeit\n21,5;10:00\n');
    async function* oneByteAtATime() {
      for (const byte of bytes) yield new Uint8Array([byte]);
    }
    const progress = { bytesRead: 0, separator: undefined };
    const records: CsvRecord[] = [];
    for await (const batch of csvRecords(oneByteAtATime(), progress)) records.push(...batch);
    expect(records.filter((record) => record.fields.some((field) => field !== ''))).toEqual([
      { row: 3, fields: ['Temp (°C)', 'Zeit'] },
      { row: 4, fields: ['21,5', '10:00'] },
    ]);
    expect(progress).toEqual({ bytesRead: bytes.length, separator: ';' });
  });
});
