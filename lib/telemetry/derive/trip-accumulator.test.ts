import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POWERTRAINS, type Sample } from '../model';
import { readings, SOURCE, T0 } from './samples-for-tests';
import { TripAccumulator } from './trip-accumulator';
import { summarizeTrip, type TripSummaryOptions } from './trip-summary';

// The accumulator must give exactly what summarizeTrip gives (less the acceleration
// distribution), whatever the data: summarizeTrip, which reads all the readings at once, is the
// oracle.

function accumulate(samples: readonly Sample[], options: TripSummaryOptions = {}) {
  const accumulator = new TripAccumulator();
  for (const sample of samples) accumulator.add(sample);
  return accumulator.summary(options);
}

function oracle(samples: readonly Sample[], options: TripSummaryOptions = {}) {
  const { acceleration: _acceleration, ...rest } = summarizeTrip(samples, options);
  return rest;
}

/** 1 Hz cruising at 72 km/h with a hard stop (72 → 0 in 4 s, 5 m/s²) starting at `brakeAtS`. */
const withBrake = (fromS: number, toS: number, brakeAtS: number) =>
  readings(fromS, toS, 1, (t) => ({
    speedKmh: t < brakeAtS ? 72 : t <= brakeAtS + 4 ? 72 - 18 * (t - brakeAtS) : 0,
  }));

describe('TripAccumulator: hand-worked cases', () => {
  it('10 minutes at 60 km/h: 10 km, 600 s moving, the same summary as summarizeTrip', () => {
    const samples = readings(0, 600, 1, () => ({ speedKmh: 60, engineRpm: 1800, fuelRateLph: 6 }));
    const summary = accumulate(samples);
    expect(summary.distanceKm).toBeCloseTo(10, 9);
    expect(summary.movingS).toBe(600);
    expect(summary.idleS).toBe(0);
    expect(summary.fuelUsedL).toBeCloseTo(1, 9); // 6 L/h for 1/6 h
    expect(summary.rpmBands?.find((band) => band.fromRpm === 1500)?.seconds).toBe(600);
    expect(summary).toEqual(oracle(samples));
  });

  it('finds hard stops on both sides of a pause longer than the merge window, as summarizeTrip does', () => {
    // Two stops 61 s of silence apart (the events pass runs on each side separately) …
    const apart = [...withBrake(0, 40, 20), ...withBrake(101, 141, 121)];
    const summary = accumulate(apart);
    expect(summary.events.map((event) => event.type)).toEqual(['harsh_braking', 'harsh_braking']);
    expect(summary).toEqual(oracle(apart));
    // … and two stops closer than 60 s in one stretch are one event (events.ts rule 10) either way.
    const close = withBrake(0, 80, 20).map((sample, t) =>
      t >= 50 && t <= 54 ? { ...sample, speedKmh: 72 - 18 * (t - 50) } : sample,
    );
    const braking = accumulate(close).events.filter((event) => event.type === 'harsh_braking');
    expect(braking).toHaveLength(1);
    expect(accumulate(close)).toEqual(oracle(close));
  });

  it('merges hard stops on either side of a 42-second standstill, and cuts only at longer ones', () => {
    // Hard stop at 20 s, standing still 24–66 s, off again to 72 km/h, hard stop at 72 s: the
    // second stop is within 60 s of the first, so the two are one braking event (events.ts rule 10).
    const speedAt = (t: number) => {
      if (t < 20) return 72;
      if (t <= 24) return 72 - 18 * (t - 20);
      if (t <= 66) return 0;
      if (t <= 70) return 18 * (t - 66);
      if (t < 72) return 72;
      return Math.max(72 - 18 * (t - 72), 0);
    };
    const short = readings(0, 100, 1, (t) => ({ speedKmh: speedAt(t) }));
    const braking = (samples: Sample[]) =>
      accumulate(samples).events.filter((event) => event.type === 'harsh_braking');
    expect(braking(short)).toHaveLength(1);
    expect(accumulate(short)).toEqual(oracle(short));
    // Standing 82 s instead: two events, the pass cut in the standstill or not.
    const long = readings(0, 140, 1, (t) => ({
      speedKmh: t <= 66 ? speedAt(t) : t <= 106 ? 0 : speedAt(t - 40),
    }));
    expect(braking(long)).toHaveLength(2);
    expect(accumulate(long)).toEqual(oracle(long));
  });

  it('nothing to sum: no speed, no fuel, no positions', () => {
    const samples = readings(0, 60, 5, () => ({ coolantC: 80 }));
    expect(accumulate(samples)).toEqual(oracle(samples));
    expect(accumulate(samples).movingS).toBeNull();
    expect(accumulate([])).toEqual(oracle([]));
  });

  it('refuses readings out of time order', () => {
    const accumulator = new TripAccumulator();
    accumulator.add({ at: T0, source: SOURCE, speedKmh: 10 });
    expect(() => accumulator.add({ at: T0, source: SOURCE, speedKmh: 10 })).toThrow(/canonical/);
  });
});

// Random trips: irregular steps (10 Hz to gaps of a minute and a half, so the 10 s join and the
// 60 s events chunk are both crossed), speed speeding up and slowing down at rates held for a while, some harsh (events), with jitter, and every
// other figure sometimes there, sometimes not, sometimes implausible (odometer going down, tank
// level rising, 0/0 positions).
const step = fc.record({
  dtMs: fc.oneof(
    { arbitrary: fc.constantFrom(100, 200, 1000, 1000, 5000), weight: 30 },
    { arbitrary: fc.integer({ min: 100, max: 12_000 }), weight: 3 },
    { arbitrary: fc.integer({ min: 55_000, max: 90_000 }), weight: 1 },
  ),
  /** Now and then a new rate of change of speed, km/h per second (15 km/h/s is 4.2 m/s²). */
  newRate: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: fc.constantFrom(-20, -15, -12, -3, 0, 0, 2, 12, 15), weight: 1 },
  ),
  jitter: fc.integer({ min: -2, max: 2 }),
  has: fc.record({
    speed: fc.nat(9),
    rpm: fc.nat(9),
    ignition: fc.nat(9),
    fuelRate: fc.nat(9),
    fuelConsumption: fc.nat(9),
    energy: fc.nat(9),
    odometer: fc.nat(9),
    fuelLevel: fc.nat(9),
    battery: fc.nat(9),
    position: fc.nat(9),
  }),
  odometerStep: fc.oneof(fc.constant(0), fc.double({ min: -0.5, max: 0.6, noNaN: true })),
  levelStep: fc.integer({ min: -2, max: 2 }),
  ignitionOn: fc.boolean(),
  rpm: fc.oneof(fc.constant(0), fc.integer({ min: 600, max: 6000 })),
  zeroPosition: fc.nat(20),
});
const FIELDS = [
  'speed',
  'rpm',
  'ignition',
  'fuelRate',
  'fuelConsumption',
  'energy',
  'odometer',
  'fuelLevel',
  'battery',
  'position',
] as const;
type Field = (typeof FIELDS)[number];
/** Out of 10, per field: how often it is present (0 never, 10 always). */
const density = fc.constantFrom(0, 3, 9, 10, 10);
const profile = fc.record({
  density: fc.record(
    Object.fromEntries(FIELDS.map((field) => [field, density])) as Record<Field, typeof density>,
  ),
  wholeOdometer: fc.boolean(),
  noisy: fc.boolean(),
  /** Standstills (speed exactly 0) around the 70 s a cut of the events pass needs. */
  stops: fc.array(
    fc.record({
      afterStep: fc.nat(400),
      seconds: fc.constantFrom(40, 69, 70, 71, 75, 150),
      stepMs: fc.constantFrom(100, 1000, 5000),
    }),
    { maxLength: 4 },
  ),
});
const trip = fc
  .tuple(fc.array(step, { maxLength: 400, size: 'max' }), profile)
  .map(([steps, { density, wholeOdometer, noisy, stops }]) => {
    const samples: Sample[] = [];
    let at = T0;
    let speed = 30;
    let rate = 0;
    let odometer = 10_000;
    let fuel = 60;
    let battery = 80;
    for (const [k, s] of steps.entries()) {
      at += s.dtMs;
      if (s.newRate !== undefined) rate = s.newRate;
      speed = Math.min(
        Math.max(speed + (rate * Math.min(s.dtMs, 10_000)) / 1000 + (noisy ? s.jitter : 0), 0),
        180,
      );
      odometer += s.odometerStep;
      fuel += s.levelStep;
      battery += s.levelStep;
      const sample: Sample = { at, source: SOURCE };
      const present = (n: number, field: Field) => n < density[field];
      if (present(s.has.speed, 'speed')) sample.speedKmh = speed;
      if (present(s.has.rpm, 'rpm')) sample.engineRpm = s.rpm;
      if (present(s.has.ignition, 'ignition')) sample.ignition = s.ignitionOn;
      if (present(s.has.fuelRate, 'fuelRate')) sample.fuelRateLph = 0.5 + speed / 20;
      if (present(s.has.fuelConsumption, 'fuelConsumption'))
        sample.fuelConsumptionLPer100km = 4 + (speed % 7);
      if (present(s.has.energy, 'energy')) sample.energyConsumptionKwhPer100km = 15 - (speed % 30);
      if (present(s.has.odometer, 'odometer'))
        sample.odometerKm = wholeOdometer ? Math.floor(odometer) : odometer;
      if (present(s.has.fuelLevel, 'fuelLevel')) sample.fuelLevelPct = fuel;
      if (present(s.has.battery, 'battery')) sample.batteryLevelPct = battery;
      if (present(s.has.position, 'position')) {
        const zero = s.zeroPosition === 0;
        sample.latitude = zero ? 0 : 48 + at / 1e13;
        sample.longitude = zero ? 0 : 2 + at / 1e13;
      }
      samples.push(sample);
      for (const stop of stops.filter((stop) => stop.afterStep === k)) {
        speed = 0;
        rate = 0;
        for (let t = stop.stepMs; t <= stop.seconds * 1000; t += stop.stepMs)
          samples.push({ ...sample, at: at + t, speedKmh: 0 });
        at += stop.seconds * 1000;
      }
    }
    return samples;
  });
const summaryOptions = fc.record(
  {
    powertrain: fc.constantFrom(...POWERTRAINS),
    fuelTankL: fc.constantFrom(45, 60),
    usableBatteryKwh: fc.constantFrom(12, 50),
  },
  { requiredKeys: [] },
);

describe('TripAccumulator: the same figures as summarizeTrip', () => {
  it('on random trips, to the last bit', () => {
    fc.assert(
      fc.property(trip, summaryOptions, (samples, options) => {
        expect(accumulate(samples, options)).toEqual(oracle(samples, options));
      }),
      { numRuns: 400 },
    );
  });

  it('the random trips do reach the branches: events, every fuel source, odometer and speed distance', () => {
    // A guard on the generator, so that the property above is not vacuous.
    const seen = new Set<string>();
    for (const samples of fc.sample(trip, { numRuns: 400, seed: 42 })) {
      const summary = oracle(samples, { fuelTankL: 50, usableBatteryKwh: 40 });
      if (summary.events.length > 0) seen.add('events');
      if (summary.fuelSource) seen.add(summary.fuelSource);
      if (summary.energySource) seen.add(`energy-${summary.energySource}`);
      if (summary.distanceSource) seen.add(summary.distanceSource);
      if (summary.idleS !== null && summary.idleS > 0) seen.add('idle');
    }
    expect([...seen].sort()).toEqual(
      [
        'consumption',
        'energy-battery-level',
        'energy-consumption',
        'events',
        'fuel-rate',
        'idle',
        'odometer',
        'speed',
        'tank-level',
      ].sort(),
    );
  });
});
