import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ObdImportError } from './errors';
import { type ParseObdOptions, readObdFile } from './parse-obd-file';

// Hand-written files, one per quirk of real OBD logs. Every expected figure below is worked out by
// hand from the fixture's text (and the unit definitions: 1 mi = 1.609344 km, 1 US gal =
// 3.785411784 L), never copied from the parser's output. The files are read in 16-byte chunks so
// that rows, quoted fields and the two bytes of `°` are split across chunks.

const FIXTURES = fileURLToPath(new URL('./__fixtures__/', import.meta.url));

function fixture(name: string, options: Partial<ParseObdOptions> = {}) {
  const stream = createReadStream(`${FIXTURES}${name}`, { highWaterMark: 16 });
  return readObdFile(stream, { fileName: name, ...options });
}

function text(csv: string, options: Partial<ParseObdOptions> = {}) {
  async function* chunks() {
    yield csv;
  }
  return readObdFile(chunks(), { fileName: 'inline.csv', ...options });
}

const ref = (file: string, row: number) => ({ provider: 'obd-import', ref: `${file}#row ${row}` });
const MILE = 1.609344;
const US_GALLON = 3.785411784;

async function problemOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ObdImportError) return error.problem;
    throw error;
  }
  return 'none';
}

describe('Torque Pro track log', () => {
  it('reads units from the column names, prefers OBD speed, derives consumption from fuel rate', async () => {
    const file = 'torque-track-log.csv';
    const result = await fixture(file, { timeZone: 'Europe/Berlin' });
    // Device Time is local (Berlin, CEST = UTC+2 in August).
    expect(result.samples).toEqual([
      {
        at: Date.parse('2017-08-07T08:26:46.925Z'),
        speedKmh: 0,
        engineRpm: 812,
        fuelRateLph: 0.71,
        latitude: 52.520008,
        longitude: 13.404954,
        altitudeM: 34,
        coolantC: 78,
        throttlePct: 14.5,
        source: ref(file, 2),
      },
      {
        at: Date.parse('2017-08-07T08:26:47.925Z'),
        speedKmh: 9,
        engineRpm: 1450,
        fuelRateLph: 1.8,
        fuelConsumptionLPer100km: expect.closeTo(20, 9), // 1.8 L/h ÷ 9 km/h × 100
        latitude: 52.52005,
        longitude: 13.40499,
        altitudeM: 34.5,
        coolantC: 78,
        throttlePct: 18,
        source: ref(file, 3),
      },
      {
        at: Date.parse('2017-08-07T08:26:48.925Z'),
        speedKmh: 20,
        engineRpm: 2124,
        fuelRateLph: 3,
        fuelConsumptionLPer100km: expect.closeTo(15, 9),
        coolantC: 79,
        throttlePct: 22,
        source: ref(file, 4),
      },
      {
        // OBD speed is `-`: GPS speed 12.5 m/s = 45 km/h takes its place.
        at: Date.parse('2017-08-07T08:26:49.925Z'),
        speedKmh: 45,
        engineRpm: 2300,
        fuelRateLph: 4.5,
        fuelConsumptionLPer100km: expect.closeTo(10, 9),
        latitude: 52.52021,
        longitude: 13.40512,
        altitudeM: 35,
        coolantC: 80,
        throttlePct: 25,
        source: ref(file, 5),
      },
      {
        // Row 6 repeats the header (Torque appends a new log); 0,0 is "no fix".
        at: Date.parse('2017-08-07T08:26:50.925Z'),
        speedKmh: 52,
        engineRpm: 2400,
        fuelRateLph: 5.2,
        fuelConsumptionLPer100km: expect.closeTo(10, 9),
        coolantC: 80,
        throttlePct: 26,
        source: ref(file, 7),
      },
    ]);
    const { report } = result;
    expect(report).toMatchObject({
      done: true,
      format: 'torque',
      separator: ',',
      rowsRead: 5,
      rowsParsed: 5,
      rowsRejected: 0,
      rowsRepeated: 0,
      headerRows: 2,
      positions: { zeroDropped: 1, incompleteDropped: 0 },
      time: { zone: 'Europe/Berlin', zoneSource: 'option', fromElapsed: 0 },
      consumption: { method: 'fuel_rate', rows: { column: 0, fuel_rate: 4, maf: 0 } },
    });
    // The phone's battery, trip distance and long-term averages are not the car's instant readings.
    expect(report.ignoredColumns).toEqual(
      expect.arrayContaining([
        'Android device Battery Level(%)',
        'Trip Distance(km)',
        'Litres Per 100 Kilometer(Long Term Average)(l/100km)',
      ]),
    );
    expect(report.bytesRead).toBe(1483);
  });

  it('converts an imperial Torque log (mph, °F, US gal/hr, mpg)', async () => {
    const file = 'torque-imperial-mph.csv';
    const { samples, report } = await fixture(file);
    expect(samples).toEqual([
      {
        at: Date.parse('2017-08-07T10:26:46.925Z'), // no --tz, no owner zone: UTC
        speedKmh: expect.closeTo(30 * MILE, 9),
        coolantC: expect.closeTo(100, 9),
        fuelRateLph: expect.closeTo(0.5 * US_GALLON, 9),
        fuelConsumptionLPer100km: expect.closeTo((100 * US_GALLON) / MILE / 40, 9),
        source: ref(file, 2),
      },
      {
        // 0 mpg is "no figure": consumption falls back to fuel rate ÷ speed.
        at: Date.parse('2017-08-07T10:26:47.925Z'),
        speedKmh: expect.closeTo(45 * MILE, 9),
        coolantC: expect.closeTo(90, 9),
        fuelRateLph: expect.closeTo(1.2 * US_GALLON, 9),
        fuelConsumptionLPer100km: expect.closeTo(((1.2 * US_GALLON) / (45 * MILE)) * 100, 9),
        source: ref(file, 3),
      },
    ]);
    expect(report.time.zoneSource).toBe('default');
    expect(report.consumption).toMatchObject({ method: 'column', rows: { column: 1, fuel_rate: 1, maf: 0 } });
  });
});

describe('messy generic CSV', () => {
  it('reads `;` separators, quoted headers, decimal commas and CRLF', async () => {
    const file = 'semicolon-decimal-comma.csv';
    const { samples, report } = await fixture(file);
    expect(report.separator).toBe(';');
    expect(report.format).toBe('csv');
    expect(samples).toEqual([
      {
        at: Date.parse('2021-03-14T09:00:00Z'),
        speedKmh: 48.5,
        engineRpm: 2124,
        fuelRateLph: 5.82,
        fuelConsumptionLPer100km: expect.closeTo(12, 9),
        latitude: 48.856614,
        longitude: 2.352222,
        coolantC: 88.5,
        source: ref(file, 2),
      },
      {
        at: Date.parse('2021-03-14T09:00:00.500Z'),
        speedKmh: 49.25,
        engineRpm: 2130,
        fuelRateLph: 6,
        fuelConsumptionLPer100km: expect.closeTo((6 / 49.25) * 100, 9),
        latitude: 48.85665,
        longitude: 2.35229,
        coolantC: 88.5,
        source: ref(file, 3),
      },
      { at: Date.parse('2021-03-14T09:00:01Z'), latitude: 48.8567, longitude: 2.35235, source: ref(file, 4) },
    ]);
  });

  it('reads units glued to values and derives consumption from MAF for a known fuel', async () => {
    const file = 'units-glued.csv';
    const { samples, report } = await fixture(file, { fuel: 'petrol' });
    // Petrol: 14.7 g of air per g of fuel, 745 g per litre.
    const rate = (maf: number) => (maf / 14.7) * (3600 / 745);
    expect(samples).toEqual([
      {
        at: 1502094406000,
        speedKmh: 48,
        engineRpm: 2124,
        fuelRateLph: expect.closeTo(rate(24.77), 9),
        fuelConsumptionLPer100km: expect.closeTo((rate(24.77) / 48) * 100, 9),
        coolantC: 81,
        odometerKm: 12345.6,
        source: ref(file, 2),
      },
      {
        at: 1502094407000,
        speedKmh: 50,
        engineRpm: 2200,
        fuelRateLph: expect.closeTo(rate(25.1), 9),
        fuelConsumptionLPer100km: expect.closeTo((rate(25.1) / 50) * 100, 9),
        coolantC: 82,
        odometerKm: 12345.61,
        source: ref(file, 3),
      },
      {
        at: 1502094408000,
        speedKmh: expect.closeTo(31 * MILE, 9),
        engineRpm: 1900,
        fuelRateLph: expect.closeTo(rate(20), 9),
        fuelConsumptionLPer100km: expect.closeTo((rate(20) / (31 * MILE)) * 100, 9),
        coolantC: expect.closeTo(((180 - 32) * 5) / 9, 9),
        odometerKm: expect.closeTo(7671 * MILE, 9),
        source: ref(file, 4),
      },
    ]);
    expect(report.rejections).toEqual([
      { row: 5, reason: expect.stringContaining('unknown unit "furlongs"') },
    ]);
    expect(report.consumption).toMatchObject({ method: 'maf', rows: { maf: 3 }, fuelRateFromMaf: 3 });
  });

  it('says why consumption cannot be derived from MAF without a fuel type', async () => {
    const { samples, report } = await fixture('units-glued.csv');
    expect(samples.every((sample) => sample.fuelConsumptionLPer100km === undefined)).toBe(true);
    expect(samples.every((sample) => sample.fuelRateLph === undefined)).toBe(true);
    expect(report.consumption.method).toBe('none');
    expect(report.consumption.reason).toMatch(/--fuel/);
  });

  it('reads epoch seconds (with fractions) and epoch milliseconds', async () => {
    const seconds = await fixture('epoch-seconds.csv');
    expect(seconds.samples.map((sample) => sample.at)).toEqual([1502094406000, 1502094406500, 1502094407000]);
    const millis = await fixture('epoch-millis.csv');
    expect(millis.samples.map((sample) => sample.at)).toEqual([1502094406000, 1502094406200, 1502094406400]);
    expect(millis.samples[1]).toEqual({
      at: 1502094406200,
      speedKmh: 51,
      engineRpm: 2010,
      source: ref('epoch-millis.csv', 3),
    });
  });

  it('speed_mph, miles and feet from generic column names', async () => {
    const { samples } = await fixture('generic-mph.csv');
    expect(samples).toEqual([
      {
        at: Date.parse('2022-05-01T10:00:00Z'),
        speedKmh: expect.closeTo(60 * MILE, 9),
        odometerKm: expect.closeTo(10000 * MILE, 6),
        altitudeM: expect.closeTo(304.8, 9),
        source: ref('generic-mph.csv', 2),
      },
    ]);
  });
});

describe('times', () => {
  it('takes the date of clock times from the file name and crosses midnight', async () => {
    const file = '2017-08-07_Seat_Leon_clock-times.csv';
    const { samples, report } = await fixture(file, { timeZone: 'Europe/Berlin' });
    expect(samples.map((sample) => new Date(sample.at).toISOString())).toEqual([
      '2017-08-07T21:59:58.500Z',
      '2017-08-07T21:59:59.500Z',
      '2017-08-07T22:00:00.500Z', // 00:00:00.5 on the 8th in Berlin
      '2017-08-07T22:00:01.500Z',
    ]);
    expect(samples[0]).toMatchObject({ engineRpm: 1500, speedKmh: 30, coolantC: 85 });
    expect(report.time).toMatchObject({ date: '2017-08-07', dateSource: 'file-name' });
  });

  it('refuses clock times without a date, and takes --date when given', async () => {
    expect(await problemOf(fixture('clock-times-undated.csv'))).toBe('date_needed');
    const { samples, report } = await fixture('clock-times-undated.csv', { date: '2020-02-29' });
    expect(samples[0]?.at).toBe(Date.parse('2020-02-29T23:59:58.500Z'));
    expect(samples[3]?.at).toBe(Date.parse('2020-03-01T00:00:01.500Z'));
    expect(report.time).toMatchObject({ date: '2020-02-29', dateSource: 'option', zone: 'UTC' });
  });

  it("uses the owner's zone when --tz is absent", async () => {
    const { samples, report } = await fixture('clock-times-undated.csv', {
      date: '2021-01-15',
      ownerTimeZone: 'America/New_York',
    });
    expect(samples[0]?.at).toBe(Date.parse('2021-01-16T04:59:58.500Z')); // EST = UTC−5
    expect(report.time.zoneSource).toBe('owner');
  });

  it('falls back to the elapsed column when a spreadsheet rounded the times', async () => {
    const { samples, report } = await fixture('exponent-times-elapsed.csv');
    expect(samples.map((sample) => sample.at)).toEqual([
      1502090000000, 1502090000500, 1502090001000, 1502090001500,
    ]);
    expect(samples.map((sample) => sample.speedKmh)).toEqual([10, 11, 12, 13]);
    expect(report.time.fromElapsed).toBe(4);
  });

  it('rejects rounded times when there is no elapsed column, keeping precise rows', async () => {
    const { samples, report } = await fixture('exponent-times-no-elapsed.csv');
    expect(samples.map((sample) => sample.at)).toEqual([1502090000500]);
    expect(report.rejections).toEqual([{ row: 2, reason: expect.stringMatching(/exponent form.*elapsed/) }]);
  });
});

describe('positions, repeats and impossible values', () => {
  it('drops 0,0 and half positions, keeps the equator', async () => {
    const { samples, report } = await fixture('zero-gps.csv');
    expect(samples.map(({ latitude, longitude }) => [latitude, longitude])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
      [45.764043, 4.835659],
      [undefined, undefined],
      [0, 4.8357],
      [undefined, undefined],
    ]);
    expect(report.positions).toEqual({ zeroDropped: 2, incompleteDropped: 1 });
  });

  it('counts a repeated row once and rejects a different row at the same time', async () => {
    const { samples, repeats, rejections, report } = await fixture('repeated-rows.csv');
    expect(samples.map((sample) => sample.source.ref)).toEqual([
      'repeated-rows.csv#row 2',
      'repeated-rows.csv#row 3',
      'repeated-rows.csv#row 5',
    ]);
    expect(repeats).toEqual([
      { row: 4, of: 3 },
      { row: 6, of: 3 }, // `31.0` is the same value as `31`
      { row: 8, of: 2 },
    ]);
    expect(rejections).toEqual([{ row: 7, reason: 'row 5 has the same time with different readings' }]);
    expect(report).toMatchObject({ rowsRead: 7, rowsParsed: 3, rowsRepeated: 3, rowsRejected: 1 });
  });

  it('rejects each impossible or unreadable row with its reason and keeps the rest', async () => {
    const { samples, rejections, report } = await fixture('impossible-values.csv');
    expect(samples.map((sample) => sample.source.ref)).toEqual([
      'impossible-values.csv#row 2',
      'impossible-values.csv#row 11',
    ]);
    const reasons = new Map(rejections.map(({ row, reason }) => [row, reason]));
    expect([...reasons.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(reasons.get(3)).toMatch(/speed_kmh "512" → speedKmh: .*400/);
    expect(reasons.get(4)).toBe('speed_kmh "fast" is not a number');
    expect(reasons.get(5)).toMatch(/3 cells but the header names 4 columns/);
    expect(reasons.get(6)).toMatch(/5 cells but the header names 4 columns/);
    expect(reasons.get(7)).toMatch(/time "yesterday" is not a date/);
    expect(reasons.get(8)).toMatch(/^at: /);
    expect(reasons.get(9)).toMatch(/throttle_pct "120" → throttlePct: .*100/);
    expect(reasons.get(10)).toMatch(/no reading/);
    expect(report).toMatchObject({ rowsRead: 10, rowsParsed: 2, rowsRejected: 8, rowsRepeated: 0 });
  });
});

describe('options and refusals', () => {
  it('maps columns with --map, overriding recognition', async () => {
    const csv = 'Zeit;Tempo;Drehzahl;Speed\n07.08.2017 10:26:46;30;2124;99\n';
    const { samples } = await text(csv, {
      map: 'Zeit=time, Tempo=speed_mph ,Drehzahl=rpm',
      timeZone: 'Europe/Berlin',
    });
    expect(samples).toEqual([
      {
        at: Date.parse('2017-08-07T08:26:46Z'),
        speedKmh: expect.closeTo(30 * MILE, 9),
        engineRpm: 2124,
        source: ref('inline.csv', 2),
      },
    ]);
  });

  it('refuses bad options before reading', async () => {
    const csv = 'time,speed\n2022-05-01T10:00:00Z,3\n';
    expect(await problemOf(text(csv, { map: 'speed=velocity' }))).toBe('bad_option');
    expect(await problemOf(text(csv, { map: 'nope=speed_kmh' }))).toBe('bad_option');
    expect(await problemOf(text(csv, { map: 'speed' }))).toBe('bad_option');
    expect(await problemOf(text(csv, { timeZone: 'Mars/Olympus_Mons' }))).toBe('bad_option');
    expect(await problemOf(text(csv, { date: '2021-02-30' }))).toBe('bad_option');
  });

  it('refuses files it cannot place in time or read at all', async () => {
    expect(await problemOf(text(''))).toBe('no_header');
    expect(await problemOf(text('\n\n  \n'))).toBe('no_header');
    expect(await problemOf(text('speed,rpm\n3,4\n'))).toBe('no_time_column');
    expect(await problemOf(text('elapsed (s),speed\n0,4\n'))).toBe('no_time_column');
    expect(await problemOf(text('"SECONDS";"PID";"VALUE";"UNITS";\n1;0D;48;km/h;\n'))).toBe(
      'unsupported_layout',
    );
    expect(await problemOf(text(`time,speed\n"${'x'.repeat(1_100_000)}`))).toBe('row_too_long');
  });

  it('re-reads a new header part-way through, and rejects a header-like row with no time', async () => {
    const csv = [
      'Device Time,Speed (OBD)(km/h)',
      '07-Aug-2017 10:00:00.000,50',
      'Device Time,Engine RPM(rpm),Speed (OBD)(mph)',
      '07-Aug-2017 10:05:00.000,2000,10',
      'Engine RPM(rpm),Speed (OBD)(mph)',
      '07-Aug-2017 10:05:01.000,2100,11',
    ].join('\n');
    const { samples, rejections, report } = await text(csv);
    expect(samples).toEqual([
      { at: Date.parse('2017-08-07T10:00:00Z'), speedKmh: 50, source: ref('inline.csv', 2) },
      {
        at: Date.parse('2017-08-07T10:05:00Z'),
        engineRpm: 2000,
        speedKmh: expect.closeTo(10 * MILE, 9),
        source: ref('inline.csv', 4),
      },
      {
        at: Date.parse('2017-08-07T10:05:01Z'),
        engineRpm: 2100,
        speedKmh: expect.closeTo(11 * MILE, 9),
        source: ref('inline.csv', 6),
      },
    ]);
    expect(rejections).toEqual([{ row: 5, reason: 'the row looks like a header but names no time column' }]);
    expect(report).toMatchObject({ headerRows: 2, rowsRead: 4 });
  });

  it('reads only the Torque names with --format torque', async () => {
    const csv = 'Device Time,speed_kmh,Engine RPM(rpm)\n07-Aug-2017 10:26:46.925,50,900\n';
    const torque = await text(csv, { format: 'torque' });
    expect(torque.samples).toEqual([
      { at: Date.parse('2017-08-07T10:26:46.925Z'), engineRpm: 900, source: ref('inline.csv', 2) },
    ]);
    expect(torque.report.ignoredColumns).toEqual(['speed_kmh']);
    const auto = await text(csv);
    expect(auto.samples[0]?.speedKmh).toBe(50);
  });
});
