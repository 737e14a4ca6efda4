import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertSeverityOf } from './alert-severity';
import {
  alertCodeIndex,
  collectLastPosition,
  collectRunningData,
  normalizeAlert,
  normalizeEcoDay,
  normalizeEcoMonth,
  normalizeEcoTrip,
  normalizeTrip,
  SampleCollector,
  secondAt,
  tripPositionFixes,
  UNMAPPED_ALERT_PREFIX,
} from './normalize';
import {
  psaV1EcoDayEvaluationSchema,
  psaV1EcoMonthEvaluationSchema,
  psaV1EcoTripEvaluationSchema,
  psaV1MaintenanceAlertSchema,
  psaV1PositionSchema,
  psaV1RunningDataSchema,
  psaV1TripSchema,
} from './schema';
import { parsePsaV1Instant } from './time';

// Hand-computed cases for the v1 normalisation: inputs are written as the wire carries them and
// parsed with Kinetic's schemas first (string numbers included); every expectation is worked out
// here from the rules in normalize.ts's header, not taken from its output.

const VIN = 'VF3AAAAAAAA000001';
const END = Date.parse('2026-03-01T08:00:00Z');
const S = 1000;

describe('time', () => {
  it('reads the compact form as UTC and RFC 3339 as written', () => {
    expect(parsePsaV1Instant('20160803083640')).toBe(Date.UTC(2016, 7, 3, 8, 36, 40));
    expect(parsePsaV1Instant('2026-03-01T09:00:00+01:00')).toBe(END);
  });

  it('second s of a minute ending at E is E − 60 s + s', () => {
    expect(new Date(secondAt(END, 1)).toISOString()).toBe('2026-03-01T07:59:01.000Z');
    expect(secondAt(END, 60)).toBe(END);
  });
});

describe('running data', () => {
  const running = psaV1RunningDataSchema.parse({
    accelerationVeh: { '1': 0.5, '60': -1.2 },
    modeBV: { '10': 3 },
    engineSpeed: { '10': 1500 },
    instFuelConsumption: { '10': '6.4' },
    fuelLevel: '42.5',
    gmpState: 3,
    vin: VIN,
  });

  it('puts each map value at its second and the fuel level at the minute’s end', () => {
    const samples = new SampleCollector();
    collectRunningData(samples, running, END, { hasTank: true }, 'running/data');
    const out = samples.samples();
    expect(out.map((sample) => sample.at)).toEqual([END - 59 * S, END - 50 * S, END]);
    expect(out[0]).toMatchObject({ accelerationMs2: 0.5 });
    expect(out[1]).toMatchObject({ gear: 3, engineRpm: 1500, fuelConsumptionLPer100km: 6.4 });
    expect(out[2]).toMatchObject({ accelerationMs2: -1.2, fuelLevelPct: 42.5 });
    expect(out[2]?.source).toEqual({ provider: 'psa-v1', ref: 'running/data' });
  });

  it('keeps no engine rpm or fuel reading for a car without a tank', () => {
    const samples = new SampleCollector();
    collectRunningData(samples, running, END, { hasTank: false });
    const at50 = samples.samples().find((sample) => sample.at === END - 50 * S);
    expect(at50).toEqual({ at: END - 50 * S, gear: 3, source: { provider: 'psa-v1', ref: 'running/data' } });
  });
});

describe('positions', () => {
  it('skips a second without a fix and keeps a position without altitude', () => {
    const block = psaV1PositionSchema.parse({
      latitude: { '6': null, '12': '48.853000', '18': '48.853100' },
      longitude: { '6': '2.349000', '12': '2.349900', '18': '2.350000' },
      altitude: { '12': '35', '18': null },
      vin: VIN,
      lastUpdate: '2026-03-01T08:00:00Z',
    });
    const samples = new SampleCollector();
    collectLastPosition(samples, block, END);
    expect(samples.samples().map(({ source: _source, ...rest }) => rest)).toEqual([
      { at: END - 48 * S, latitude: 48.853, longitude: 2.3499, altitudeM: 35 },
      { at: END - 42 * S, latitude: 48.8531, longitude: 2.35 },
    ]);
  });

  it('places a trip’s last, shorter block after the previous minute, and a short trip from its start', () => {
    const start = Date.parse('2026-03-01T07:00:00Z');
    const block = (lastUpdate: string, seconds: number[]) =>
      psaV1PositionSchema.parse({
        latitude: Object.fromEntries(seconds.map((s) => [String(s), `48.${s}`])),
        longitude: Object.fromEntries(seconds.map((s) => [String(s), `2.${s}`])),
        vin: VIN,
        lastUpdate,
      });
    const fixes = tripPositionFixes(
      [block('2026-03-01T07:01:20Z', [6, 12, 18]), block('2026-03-01T07:01:00Z', [6, 60])],
      start,
    );
    expect(fixes.map((fix) => (fix.at - start) / S)).toEqual([6, 60, 66, 72, 78]);

    const short = tripPositionFixes([block('2026-03-01T07:00:40Z', [6, 36])], start);
    expect(short.map((fix) => (fix.at - start) / S)).toEqual([6, 36]);
  });
});

describe('trips', () => {
  const raw = {
    tripId: 20_500_003,
    dateTripBegin: '2026-02-28T17:30:00Z',
    tripDuration: 1800,
    dateUpdate: '2026-02-28T18:00:00Z',
    tripMileage: 20.5,
    totMileage: 12_345.6,
    avgSpeed: 41,
    tripFuelConsumption: 1.4,
    geoLocalisation: { latitude: '48.1', longitude: '2.2' },
    vin: VIN,
  };

  it('maps ids, times, distances, odometer, fuel and where it ended', () => {
    const begin = Date.parse('2026-02-28T17:30:00Z');
    expect(normalizeTrip(psaV1TripSchema.parse(raw))).toEqual({
      providerTripId: '20500003',
      startedAt: begin,
      endedAt: begin + 1_800_000,
      distanceKm: 20.5,
      durationS: 1800,
      startOdometerKm: 12_325.1,
      endOdometerKm: 12_345.6,
      avgSpeedKmh: 41,
      fuelUsedL: 1.4,
      endPosition: { latitude: 48.1, longitude: 2.2 },
      source: { provider: 'psa-v1', ref: `trip/id/${VIN}/20500003` },
    });
  });

  it('records no fuel for an electric car, and takes positions from the trip’s fixes', () => {
    const fixes = [
      { at: 1, latitude: 47, longitude: 1 },
      { at: 2, latitude: 47.5, longitude: 1.5 },
    ];
    const trip = normalizeTrip(psaV1TripSchema.parse(raw), { hasTank: false }, fixes);
    expect(trip?.fuelUsedL).toBeUndefined();
    expect(trip?.startPosition).toEqual({ latitude: 47, longitude: 1 });
    expect(trip?.endPosition).toEqual({ latitude: 47.5, longitude: 1.5 });
  });
});

describe('alerts', () => {
  const referential = [
    { indicatorCode: 'FuelLevelLow', indicatorLabel: 'Low fuel level', rgrpCode: 'fuel', rgrpLabel: 'Fuel' },
    {
      indicatorCode: 'LeftFrontDoorOpen',
      indicatorLabel: 'Door open',
      rgrpCode: 'openings',
      rgrpLabel: 'Doors',
    },
    { indicatorCode: 'TrunkOrHoodOpen', indicatorLabel: 'Door open', rgrpCode: 'other', rgrpLabel: 'Other' },
  ];
  const index = alertCodeIndex(referential);

  it('maps a title (with its group, or alone when unique) back to its code', () => {
    expect(index.codeOf('  low fuel  LEVEL', undefined)).toBe('FuelLevelLow');
    expect(index.codeOf('Door open', 'Doors')).toBe('LeftFrontDoorOpen');
    expect(index.codeOf('Door open', 'Other')).toBe('TrunkOrHoodOpen');
    expect(index.codeOf('Door open', undefined)).toBeNull();
    expect(index.codeOf('Something else', 'Fuel')).toBeNull();
  });

  it('turns an item into an Alert: code, severity, state and dates', () => {
    const ended = psaV1MaintenanceAlertSchema.parse({
      idAlert: 'a1',
      dateUpdate: '20240402093000',
      dateAlertBegin: '20240401181522',
      dateAlertEnd: '20240402093000',
      alertState: 0,
      alert: 'Low fuel level',
      category: 'Fuel',
    });
    expect(normalizeAlert(ended, VIN, index)).toEqual({
      providerAlertId: 'a1',
      type: 'FuelLevelLow',
      severity: 'warning',
      active: false,
      startedAt: Date.UTC(2024, 3, 1, 18, 15, 22),
      endedAt: Date.UTC(2024, 3, 2, 9, 30, 0),
      source: { provider: 'psa-v1', ref: `maintenance/alert/${VIN}` },
    });
    const unknown = psaV1MaintenanceAlertSchema.parse({
      idAlert: 'a2',
      dateAlertBegin: '2024-04-01T18:15:22Z',
      dateAlertEnd: '',
      alertState: 1,
      alert: 'Strange noise',
    });
    const alert = normalizeAlert(unknown, VIN, index);
    expect(alert?.type).toBe(`${UNMAPPED_ALERT_PREFIX}Strange noise`);
    expect(alert?.active).toBe(true);
    expect(alert?.endedAt).toBeUndefined();
  });

  it('decides severity from the code by the documented table', () => {
    expect(alertSeverityOf('LeftRearTirePuncture')).toBe('critical');
    expect(alertSeverityOf('EngineOilPressureFailure')).toBe('critical');
    expect(alertSeverityOf('RiskOfIce')).toBe('information');
    expect(alertSeverityOf('RightRearDoorOpen')).toBe('information');
    expect(alertSeverityOf('RightRearDoorOpenLowSpeed')).toBe('warning');
    expect(alertSeverityOf('OilLevelLow')).toBe('warning');
    expect(alertSeverityOf(null)).toBe('warning');
  });
});

describe('eco-driving evaluations', () => {
  const label = { evaluation: 'Good', advice: '', category: 'c', label: 'l' };
  const detailed = {
    acceleration: 8.1,
    braking: 7.4,
    engineSpeed: 9,
    stopAndStart: 6,
    speed: 10,
    slope: 5.5,
    coldTrips: 4,
    accelerationLabel: label,
  };

  it('reads a trip’s marks on a 0–10 scale, attitude and road profile left out', () => {
    const evaluation = psaV1EcoTripEvaluationSchema.parse({
      tripId: 20_500_003,
      globalEvaluation: { duration: 1800, drivingMark: 7.2, drivingAttitude: 2, roadProfile: 3 },
      detailedEvaluation: detailed,
      vin: VIN,
      lastUpdate: '2026-02-28T18:00:00Z',
    });
    expect(normalizeEcoTrip(evaluation)).toEqual({
      at: Date.parse('2026-02-28T18:00:00Z'),
      scope: { kind: 'trip', providerTripId: '20500003' },
      mark: 7.2,
      scaleMax: 10,
      criteria: {
        acceleration: 8.1,
        braking: 7.4,
        engineSpeed: 9,
        stopAndStart: 6,
        speed: 10,
        slope: 5.5,
        coldTrips: 4,
      },
      source: { provider: 'psa-v1', ref: `ecodriving/evaluation/pertrip/${VIN}/20500003` },
    });
    const electric = normalizeEcoTrip(evaluation, { hasTank: false });
    expect(Object.keys(electric?.criteria ?? {}).sort()).toEqual([
      'acceleration',
      'braking',
      'slope',
      'speed',
    ]);
  });

  it('a mark above 10 means another scale: 100', () => {
    const evaluation = psaV1EcoTripEvaluationSchema.parse({
      tripId: 1,
      globalEvaluation: { drivingMark: 72 },
      vin: VIN,
      lastUpdate: '2026-02-28T18:00:00Z',
    });
    expect(normalizeEcoTrip(evaluation)?.scaleMax).toBe(100);
  });

  it('dates day and month aggregates by their dateAggr', () => {
    const day = psaV1EcoDayEvaluationSchema.parse({
      globalEvaluation: { dateAggr: 20_260_301, drivingMark: 6 },
      vin: VIN,
    });
    expect(normalizeEcoDay(day)).toMatchObject({
      at: Date.parse('2026-03-01T23:59:59Z'),
      scope: { kind: 'day', day: '2026-03-01' },
      mark: 6,
    });
    const month = psaV1EcoMonthEvaluationSchema.parse({
      globalEvaluation: { dateAggr: 202_602, drivingMark: 6 },
      vin: VIN,
    });
    expect(normalizeEcoMonth(month)).toMatchObject({
      at: Date.parse('2026-02-28T23:59:59Z'),
      scope: { kind: 'month', month: '2026-02' },
    });
  });
});

describe('SampleCollector (properties)', () => {
  const puts = fc.array(
    fc.record({
      second: fc.integer({ min: 1, max: 60 }),
      value: fc.double({ min: -5, max: 5, noNaN: true }),
    }),
    { maxLength: 80 },
  );

  it('one sample per instant, in time order, all inside the minute', () => {
    fc.assert(
      fc.property(puts, (entries) => {
        const samples = new SampleCollector();
        for (const { second, value } of entries)
          samples.put(secondAt(END, second), { accelerationMs2: value }, 'r');
        const out = samples.samples();
        expect(out).toHaveLength(new Set(entries.map((entry) => entry.second)).size);
        for (let k = 1; k < out.length; k++) expect((out[k]?.at ?? 0) > (out[k - 1]?.at ?? 0)).toBe(true);
        for (const sample of out) expect(sample.at > END - 60 * S && sample.at <= END).toBe(true);
      }),
    );
  });

  it('the same readings put twice, in any order, give the same samples', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 60 }),
        fc.infiniteStream(fc.integer()),
        (seconds, noise) => {
          const once = new SampleCollector();
          for (const second of seconds) once.put(secondAt(END, second), { gear: second % 7 }, 'r');
          const shuffled = [...seconds, ...seconds]
            .map((second) => ({ second, key: noise.next().value as number }))
            .sort((a, b) => a.key - b.key);
          const twice = new SampleCollector();
          for (const { second } of shuffled) twice.put(secondAt(END, second), { gear: second % 7 }, 'r');
          expect(twice.samples()).toEqual(once.samples());
        },
      ),
    );
  });
});
