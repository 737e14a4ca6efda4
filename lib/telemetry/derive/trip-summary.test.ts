import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Sample, tripSchema } from '../model';
import { iso, readings, SOURCE, T0 } from './samples-for-tests';
import { summarizeTrip, tripRecord, tripSummaryToJson } from './trip-summary';

/** 1 Hz for 10 minutes at a constant 60 km/h: 601 readings, 600 s, 10 km. */
const cruise = (extra: (t: number) => Partial<Sample> = () => ({})) =>
  readings(0, 600, 1, (t) => ({ speedKmh: 60, ...extra(t) }));

describe('summarizeTrip: distance, time and speed', () => {
  it('1 Hz at 60 km/h for 10 minutes: 10 km, 600 s moving, no idling, 60 km/h average and max', () => {
    const summary = summarizeTrip(cruise());
    expect(summary.durationS).toBe(600);
    expect(summary.distanceKm).toBeCloseTo(10, 9);
    expect(summary.distanceSource).toBe('speed');
    expect(summary.movingS).toBe(600);
    expect(summary.idleS).toBe(0);
    expect(summary.avgSpeedKmh).toBeCloseTo(60, 9);
    expect(summary.maxSpeedKmh).toBeCloseTo(60, 9);
    expect(summary.events).toEqual([]);
    expect(summary.fuelUsedL).toBeNull();
    expect(summary.energyUsedKwh).toBeNull();
    expect(summary.avgConsumption).toBeNull();
    expect(summary.rpmBands).toBeNull();
  });

  it('takes the odometer when it agrees with the integrated speed', () => {
    // 10.4 km on the odometer against 10 km of speed: within 1 km + 10 %.
    const summary = summarizeTrip(cruise((t) => ({ odometerKm: 12_000 + (t / 600) * 10.4 })));
    expect(summary.distanceSource).toBe('odometer');
    expect(summary.distanceKm).toBeCloseTo(10.4, 9);
    expect(summary.startOdometerKm).toBe(12_000);
    expect(summary.endOdometerKm).toBeCloseTo(12_010.4, 9);
  });

  it('falls back to integrated speed when the odometer is stale, goes down, or counts whole km on a short trip', () => {
    const stale = summarizeTrip(cruise(() => ({ odometerKm: 12_000.3 })));
    expect(stale.distanceSource).toBe('speed');
    expect(stale.distanceKm).toBeCloseTo(10, 9);
    const down = summarizeTrip(cruise((t) => ({ odometerKm: t === 300 ? 11_000 : 12_000 + t / 60 })));
    expect(down.distanceSource).toBe('speed');
    const whole = summarizeTrip(cruise((t) => ({ odometerKm: 12_000 + Math.floor(t / 60) })));
    expect(whole.distanceSource).toBe('speed');
  });

  it('uses the odometer alone when there is no speed, and says nothing without either', () => {
    const odometerOnly = readings(0, 600, 60, (t) => ({ odometerKm: 500 + t / 60 }));
    const summary = summarizeTrip(odometerOnly);
    expect(summary.distanceKm).toBeCloseTo(10, 9);
    expect(summary.distanceSource).toBe('odometer');
    expect(summary.movingS).toBeNull();
    expect(summary.maxSpeedKmh).toBeNull();
    const nothing = summarizeTrip(readings(0, 600, 1, () => ({ coolantC: 90 })));
    expect(nothing.distanceKm).toBeNull();
    expect(nothing.avgSpeedKmh).toBeNull();
  });

  it('splits a stop into moving and idle time exactly (ignition on)', () => {
    // 60 km/h 0–60 s, 0 km/h 61–180 s, 60 km/h 181–240 s. Each 60↔0 second is below 2 km/h for
    // 2/60 of it. Moving: 60 + 59 + 2 × 29/30 s; idle: 119 + 2 × 1/30 s.
    const samples = readings(0, 240, 1, (t) => ({ speedKmh: t > 60 && t <= 180 ? 0 : 60, ignition: true }));
    const summary = summarizeTrip(samples);
    expect(summary.movingS).toBeCloseTo(119 + 58 / 30, 9);
    expect(summary.idleS).toBeCloseTo(119 + 2 / 30, 9);
    expect(summary.durationS).toBe(240);
  });

  it('does not count a start-stop engine at 0 rpm as idling', () => {
    // As above, 2000 rpm while moving and 0 rpm while stopped: only the halves of the two
    // transition seconds that belong to a running reading idle: 2 × (1/30) / 2 s.
    const samples = readings(0, 240, 1, (t) => {
      const stopped = t > 60 && t <= 180;
      return { speedKmh: stopped ? 0 : 60, engineRpm: stopped ? 0 : 2000 };
    });
    expect(summarizeTrip(samples).idleS).toBeCloseTo(1 / 30, 9);
  });

  it('counts neither moving nor idle time across a gap of more than 10 s, but the duration does', () => {
    const samples = [
      ...readings(0, 100, 1, () => ({ speedKmh: 36 })),
      ...readings(160, 260, 1, () => ({ speedKmh: 36 })),
    ];
    const summary = summarizeTrip(samples);
    expect(summary.durationS).toBe(260);
    expect(summary.movingS).toBe(200);
    expect(summary.distanceKm).toBeCloseTo(2, 9); // 200 s at 10 m/s
    expect(summary.avgSpeedKmh).toBeCloseTo(2 / (260 / 3600), 9);
  });

  it('ignores readings outside the given bounds', () => {
    const summary = summarizeTrip(cruise(), { startedAt: T0 + 60_000, endedAt: T0 + 360_000 });
    expect(summary.durationS).toBe(300);
    expect(summary.distanceKm).toBeCloseTo(5, 9);
  });

  it('max speed ignores a one-reading glitch', () => {
    const samples = cruise((t) => (t === 300 ? { speedKmh: 200 } : {}));
    expect(summarizeTrip(samples).maxSpeedKmh).toBeCloseTo(60, 9);
  });

  it('reports a hard stop as a harsh braking event', () => {
    // 10 Hz: 60 km/h for 20 s, then −4.5 m/s² (16.2 km/h per s) for 3 s, then steady.
    const samples = readings(0, 40, 0.1, (t) => ({
      speedKmh: 60 - 16.2 * Math.min(Math.max(t - 20, 0), 3),
    }));
    const { events } = summarizeTrip(samples);
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe('harsh_braking');
    expect(events[0]?.severity).toBe('severe');
    expect(events[0]?.value).toBeCloseTo(-4.5, 1);
  });
});

describe('summarizeTrip: fuel, energy, consumption and engine speed', () => {
  it('integrates a fuel rate: 6 L/h for 10 minutes is 1 L, 10 L/100 km over 10 km', () => {
    const summary = summarizeTrip(
      cruise(() => ({ fuelRateLph: 6 })),
      { powertrain: 'petrol' },
    );
    expect(summary.fuelSource).toBe('fuel-rate');
    expect(summary.fuelUsedL).toBeCloseTo(1, 9);
    expect(summary.avgConsumption?.unit).toBe('L/100km');
    expect(summary.avgConsumption?.value).toBeCloseTo(10, 9);
  });

  it('integrates instantaneous consumption over distance: 5 L/100 km over 10 km is 0.5 L', () => {
    const summary = summarizeTrip(cruise(() => ({ fuelConsumptionLPer100km: 5 })));
    expect(summary.fuelSource).toBe('consumption');
    expect(summary.fuelUsedL).toBeCloseTo(0.5, 9);
  });

  it('uses the tank level drop when the capacity is known, and nothing when the level rises', () => {
    const falling = cruise((t) => ({ fuelLevelPct: 40 - (2 * t) / 600 }));
    const summary = summarizeTrip(falling, { fuelTankL: 50 });
    expect(summary.fuelSource).toBe('tank-level');
    expect(summary.fuelUsedL).toBeCloseTo(1, 9); // 2 % of 50 L
    expect(summarizeTrip(falling).fuelUsedL).toBeNull();
    const rising = cruise((t) => ({ fuelLevelPct: 40 + t / 600 }));
    expect(summarizeTrip(rising, { fuelTankL: 50 }).fuelUsedL).toBeNull();
  });

  it('prefers the fuel rate when it covers the trip, and skips it when it covers less than 90 %', () => {
    const both = cruise((t) => ({ fuelConsumptionLPer100km: 5, ...(t <= 500 ? { fuelRateLph: 6 } : {}) }));
    expect(summarizeTrip(both).fuelSource).toBe('consumption'); // rate spans 500 of 600 s
    const full = cruise(() => ({ fuelConsumptionLPer100km: 5, fuelRateLph: 6 }));
    expect(summarizeTrip(full).fuelSource).toBe('fuel-rate');
  });

  it('electric: battery 80 % → 76 % of 50 kWh is 2 kWh, 20 kWh/100 km over 10 km', () => {
    const samples = cruise((t) => ({ batteryLevelPct: 80 - (4 * t) / 600 }));
    const summary = summarizeTrip(samples, { powertrain: 'electric', usableBatteryKwh: 50 });
    expect(summary.energySource).toBe('battery-level');
    expect(summary.energyUsedKwh).toBeCloseTo(2, 9);
    expect(summary.fuelUsedL).toBeNull();
    expect(summary.avgConsumption?.unit).toBe('kWh/100km');
    expect(summary.avgConsumption?.value).toBeCloseTo(20, 9);
    const measured = summarizeTrip(
      cruise(() => ({ energyConsumptionKwhPer100km: 15 })),
      { powertrain: 'electric' },
    );
    expect(measured.energySource).toBe('consumption');
    expect(measured.energyUsedKwh).toBeCloseTo(1.5, 9);
  });

  it('gives no average consumption under 0.5 km', () => {
    const short = readings(0, 20, 1, () => ({ speedKmh: 36, fuelRateLph: 6 })); // 200 m
    expect(summarizeTrip(short).fuelUsedL).toBeCloseTo(6 * (20 / 3600), 9);
    expect(summarizeTrip(short).avgConsumption).toBeNull();
  });

  it('bands engine speed by time, half an interval per reading, leaving out 0 rpm', () => {
    // 2000 rpm for 0–300 s, 3000 rpm for 301–600 s: the 300→301 s second is split in two.
    const summary = summarizeTrip(cruise((t) => ({ engineRpm: t <= 300 ? 2000 : 3000 })));
    const seconds = Object.fromEntries((summary.rpmBands ?? []).map((band) => [band.fromRpm, band.seconds]));
    expect(seconds).toEqual({ 0: 0, 1500: 0, 2000: 300.5, 2500: 0, 3000: 299.5, 3500: 0 });
    expect(summary.rpmBands?.at(-1)?.toRpm).toBeNull();
    const withStops = summarizeTrip(readings(0, 10, 1, (t) => ({ speedKmh: 0, engineRpm: t < 5 ? 800 : 0 })));
    // 800 rpm readings at 0–4 s: 4 whole seconds plus half of the 4→5 s second.
    expect(withStops.rpmBands?.[0]?.seconds).toBe(4.5);
  });
});

describe('summarizeTrip: outputs', () => {
  it('fills the `trips --json` item of interfaces.md', () => {
    const summary = summarizeTrip(
      cruise(() => ({ fuelRateLph: 6 })),
      { powertrain: 'diesel' },
    );
    const json = tripSummaryToJson({ id: 't1', vehicleId: 'v1' }, summary);
    expect(json).toEqual({
      id: 't1',
      vehicleId: 'v1',
      startedAt: iso(0),
      endedAt: iso(600),
      distanceKm: 10,
      durationS: 600,
      movingS: 600,
      idleS: 0,
      avgSpeedKmh: 60,
      maxSpeedKmh: 60,
      fuelUsedL: 1,
      energyUsedKwh: null,
      avgConsumption: { value: 10, unit: 'L/100km' },
      events: [],
    });
  });

  it('makes a trip record the model accepts, without the values the data cannot give', () => {
    const summary = summarizeTrip(cruise((t) => ({ latitude: 48.85, longitude: 2.35 + t / 10_000 })));
    const trip = tripRecord('derived-x', summary, { provider: 'obd-import', ref: 'derived: segmentation' });
    expect(tripSchema.safeParse(trip).success).toBe(true);
    expect(trip.startPosition).toEqual({ latitude: 48.85, longitude: 2.35 });
    expect(trip.endPosition?.latitude).toBe(48.85);
    expect(trip.endPosition?.longitude).toBeCloseTo(2.41, 9);
    expect('fuelUsedL' in trip).toBe(false);
  });

  it('treats (0, 0) as no position', () => {
    const samples = cruise((t) => (t < 10 ? { latitude: 0, longitude: 0 } : { latitude: 45, longitude: 5 }));
    expect(summarizeTrip(samples).startPosition).toEqual({ latitude: 45, longitude: 5 });
  });
});

describe('summarizeTrip: properties', () => {
  const trip = fc
    .array(
      fc.record({
        dtMs: fc.integer({ min: 50, max: 15_000 }),
        speedKmh: fc.option(fc.double({ min: 0, max: 150, noNaN: true }), { nil: undefined, freq: 5 }),
        engineRpm: fc.option(fc.integer({ min: 0, max: 6000 }), { nil: undefined }),
        fuelRateLph: fc.option(fc.double({ min: 0, max: 40, noNaN: true }), { nil: undefined }),
        odometerKm: fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: undefined, freq: 4 }),
        ignition: fc.option(fc.boolean(), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 200 },
    )
    .map((steps) => {
      let at = T0;
      let odometer = 1000;
      return steps.map(({ dtMs, odometerKm, ...fields }) => {
        at += dtMs;
        const sample: Sample = { at, source: SOURCE };
        if (odometerKm !== undefined) {
          odometer += odometerKm / 100;
          sample.odometerKm = odometer;
        }
        for (const [key, value] of Object.entries(fields))
          if (value !== undefined) Object.assign(sample, { [key]: value });
        return sample;
      });
    });

  it('does not depend on the order of the readings or on repeated readings', () => {
    fc.assert(
      fc.property(trip, fc.array(fc.nat()), (samples, picks) => {
        const repeated = picks.map((pick) => samples[pick % samples.length] as Sample);
        const shuffled = [...samples, ...repeated].reverse();
        expect(summarizeTrip(shuffled, { fuelTankL: 50 })).toEqual(summarizeTrip(samples, { fuelTankL: 50 }));
      }),
      { numRuns: 50 },
    );
  });

  it('moving + idle never exceed the duration, and max speed never exceeds the highest reading', () => {
    fc.assert(
      fc.property(trip, (samples) => {
        const summary = summarizeTrip(samples);
        expect((summary.movingS ?? 0) + (summary.idleS ?? 0)).toBeLessThanOrEqual(summary.durationS + 1e-6);
        const top = Math.max(...samples.map((s) => s.speedKmh ?? 0));
        if (summary.maxSpeedKmh !== null) expect(summary.maxSpeedKmh).toBeLessThanOrEqual(top + 1e-9);
      }),
      { numRuns: 50 },
    );
  });
});
