import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sample } from '@/lib/telemetry/model';
import { readObdFile } from './parse-obd-file';

// Properties over generated files. The writer below is the test's own (what a logger would write),
// so a sample survives only if the parser reads back exactly what was measured.

type Measured = Omit<Sample, 'source'>;

/** Columns written, with the sample field each holds (all in the model's own units). */
const COLUMNS = [
  ['speed_kmh', 'speedKmh'],
  ['rpm', 'engineRpm'],
  ['fuel_rate_lph', 'fuelRateLph'],
  ['consumption_l100km', 'fuelConsumptionLPer100km'],
  ['latitude', 'latitude'],
  ['longitude', 'longitude'],
  ['altitude_m', 'altitudeM'],
  ['odometer_km', 'odometerKm'],
  ['fuel_level_pct', 'fuelLevelPct'],
  ['battery_level_pct', 'batteryLevelPct'],
  ['throttle_pct', 'throttlePct'],
  ['coolant_c', 'coolantC'],
] as const;

/** A decimal with `places` digits after the point, in [min, max]. */
const decimal = (min: number, max: number, places: number) =>
  fc
    .integer({ min: Math.round(min * 10 ** places), max: Math.round(max * 10 ** places) })
    .map((n) => n / 10 ** places);

const START = Date.parse('2015-01-01T00:00:00Z');

const measuredArb: fc.Arbitrary<Omit<Measured, 'at'>> = fc
  .record(
    {
      speedKmh: decimal(0, 400, 2),
      engineRpm: decimal(0, 8000, 0),
      // Fuel rate is written only with the consumption beside it, else the parser derives one.
      fuel: fc.record({ fuelRateLph: decimal(0, 150, 3), fuelConsumptionLPer100km: decimal(0, 200, 2) }),
      fuelConsumptionLPer100km: decimal(0, 200, 2),
      position: fc
        .record({ latitude: decimal(-90, 90, 6), longitude: decimal(-180, 180, 6) })
        .filter(({ latitude, longitude }) => latitude !== 0 || longitude !== 0),
      altitudeM: decimal(-500, 9000, 1),
      odometerKm: decimal(0, 3_000_000, 1),
      fuelLevelPct: decimal(0, 100, 1),
      batteryLevelPct: decimal(0, 100, 1),
      throttlePct: decimal(0, 100, 1),
      coolantC: decimal(-60, 150, 1),
    },
    { requiredKeys: [] },
  )
  .map(({ fuel, position, ...rest }) => ({ ...rest, ...fuel, ...position }))
  .filter((values) => Object.keys(values).length > 0);

/** Samples at distinct instants (so no row is a repeat of another), in file order. */
const samplesArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 5 * 365 * 86_400_000 }), { minLength: 1, maxLength: 25 })
  .chain((offsets) =>
    fc
      .tuple(...offsets.map(() => measuredArb))
      .map((values) =>
        values.map((measured, index) => ({ at: START + (offsets[index] ?? 0), ...measured }) as Measured),
      ),
  );

type Style = {
  separator: ',' | ';' | '\t';
  decimal: '.' | ',';
  time: 'iso' | 'epoch_ms' | 'epoch_s';
  absent: '' | '-';
};

const styleArb: fc.Arbitrary<Style> = fc.record({
  separator: fc.constantFrom(',', ';', '\t'),
  decimal: fc.constantFrom('.', ','),
  time: fc.constantFrom('iso', 'epoch_ms', 'epoch_s'),
  absent: fc.constantFrom('', '-'),
});

function writeNumber(value: number, style: Style): string {
  const text = String(value);
  if (style.decimal === '.') return text;
  const comma = text.replace('.', ',');
  // A decimal comma in a comma-separated file must be quoted, as spreadsheets do.
  return style.separator === ',' && comma.includes(',') ? `"${comma}"` : comma;
}

function writeTime(at: number, style: Style): string {
  if (style.time === 'iso') return new Date(at).toISOString();
  if (style.time === 'epoch_ms') return String(at);
  return writeNumber(at / 1000, style);
}

function writeCsv(samples: Measured[], style: Style): string {
  const header = ['time', ...COLUMNS.map(([column]) => column)].join(style.separator);
  const rows = samples.map((sample) =>
    [
      writeTime(sample.at, style),
      ...COLUMNS.map(([, field]) => {
        const value = sample[field];
        return value === undefined ? style.absent : writeNumber(value, style);
      }),
    ].join(style.separator),
  );
  return `${header}\n${rows.join('\n')}\n`;
}

/** The text as a stream cut at the given places (0–1 fractions of its length). */
async function* chunked(text: string, cuts: number[]) {
  const points = [...new Set(cuts.map((cut) => Math.floor(cut * text.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of points) {
    yield text.slice(from, point);
    from = point;
  }
  yield text.slice(from);
}

const withSource = (samples: Measured[], firstRow = 2) =>
  samples.map((sample, index) => ({
    ...sample,
    source: { provider: 'obd-import', ref: `generated.csv#row ${firstRow + index}` },
  }));

const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

describe('parseObdFile properties', () => {
  it('reads back exactly the samples a file was written from, in any separator, decimal mark and time form', async () => {
    await fc.assert(
      fc.asyncProperty(samplesArb, styleArb, cutsArb, async (samples, style, cuts) => {
        const csv = writeCsv(samples, style);
        const result = await readObdFile(chunked(csv, cuts), { fileName: 'generated.csv' });
        // Epoch seconds written with a decimal keep millisecond precision (the generator's instants are whole ms).
        expect(result.samples).toEqual(withSource(samples));
        expect(result.report).toMatchObject({
          rowsRead: samples.length,
          rowsParsed: samples.length,
          rowsRejected: 0,
          rowsRepeated: 0,
        });
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same samples whatever the separator and decimal mark', async () => {
    await fc.assert(
      fc.asyncProperty(samplesArb, styleArb, styleArb, async (samples, a, b) => {
        const first = await readObdFile(chunked(writeCsv(samples, a), []), { fileName: 'generated.csv' });
        const second = await readObdFile(chunked(writeCsv(samples, b), []), { fileName: 'generated.csv' });
        expect(second.samples).toEqual(first.samples);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects random junk rows with a reason, never throws, and keeps every good row', async () => {
    // Junk: random text in every cell, each cell marked with a character no real value or time
    // has (`#`), so that no junk row is by chance a readable one; no quotes or line breaks, which
    // would (rightly) join rows together.
    const junkCell = fc
      .string({ maxLength: 8 })
      .map((text) => `${text.replace(/["\r\n]/g, '')}#`)
      .chain((text) => fc.constantFrom(text, `#${text}`, text.replace('#', '1#')));
    const junkRow = fc.array(junkCell, { minLength: 1, maxLength: 16 });
    await fc.assert(
      fc.asyncProperty(
        samplesArb,
        fc.array(fc.tuple(fc.nat(), junkRow), { minLength: 1, maxLength: 10 }),
        styleArb,
        async (samples, junk, style) => {
          const good = writeCsv(samples, style).replace(/\n$/, '').split('\n');
          const [header = '', ...rows] = good;
          const lines: { text: string; junk: boolean }[] = rows.map((text) => ({ text, junk: false }));
          for (const [position, cells] of junk) {
            lines.splice(position % (lines.length + 1), 0, { text: cells.join(style.separator), junk: true });
          }
          const csv = `${header}\n${lines.map((line) => line.text).join('\n')}\n`;
          const result = await readObdFile(chunked(csv, []), { fileName: 'generated.csv' });

          const junkRows = lines.flatMap((line, index) => (line.junk ? [index + 2] : []));
          expect(result.rejections.map((rejection) => rejection.row)).toEqual(junkRows);
          expect(result.rejections.every((rejection) => rejection.reason.trim().length > 0)).toBe(true);
          const expectedRows = lines.flatMap((line, index) => (line.junk ? [] : [index + 2]));
          expect(result.samples).toEqual(
            samples.map((sample, index) => ({
              ...sample,
              source: { provider: 'obd-import', ref: `generated.csv#row ${expectedRows[index]}` },
            })),
          );
          expect(result.report).toMatchObject({
            rowsRead: lines.length,
            rowsParsed: samples.length,
            rowsRejected: junk.length,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('counts a file written twice over as repeats of its first copy', async () => {
    await fc.assert(
      fc.asyncProperty(samplesArb, styleArb, async (samples, style) => {
        const csv = writeCsv(samples, style);
        const rows = csv.replace(/\n$/, '').split('\n').slice(1);
        const doubled = `${csv}${rows.join('\n')}\n`;
        const result = await readObdFile(chunked(doubled, []), { fileName: 'generated.csv' });
        expect(result.samples).toEqual(withSource(samples));
        expect(result.repeats).toEqual(
          samples.map((_, index) => ({ row: samples.length + 2 + index, of: 2 + index })),
        );
        expect(result.report).toMatchObject({ rowsRead: 2 * samples.length, rowsRepeated: samples.length });
      }),
      { numRuns: 60 },
    );
  });
});
