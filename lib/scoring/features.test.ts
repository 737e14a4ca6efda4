import { describe, expect, it } from 'vitest';
import {
  ACCELERATION_BIN_MS2,
  addFeatures,
  binnedPercentile,
  drivingFeatures,
  emptyFeatures,
  highRpmRuns,
  RPM_BIN,
  type ScoringReading,
} from './features';

// Expected values are worked out by hand: speed drawn from constant-acceleration phases (a m/s²
// changes speed by 3.6·a km/h per second), readings at 1 Hz unless a test says otherwise.

const T0 = Date.UTC(2026, 2, 2, 7, 0, 0);
const KMH_PER_MS = 3.6;

type Phase = { s: number; a: number };

function drive(phases: Phase[], { hz = 1, v0 = 0, extra = (_: number, __: number) => ({}) } = {}) {
  const readings: ScoringReading[] = [];
  let v = v0;
  let t = 0;
  const push = () =>
    readings.push({ at: T0 + Math.round(t * 1000), speedKmh: Math.max(0, v), ...extra(t, v) });
  push();
  for (const phase of phases) {
    const steps = Math.round(phase.s * hz);
    for (let i = 0; i < steps; i++) {
      t += 1 / hz;
      v += (phase.a * KMH_PER_MS) / hz;
      push();
    }
  }
  return readings;
}

describe('drivingFeatures', () => {
  it('a steady cruise has no acceleration profile, no speed-up and nothing above 130 km/h', () => {
    const features = drivingFeatures(drive([{ s: 600, a: 0 }], { v0: 100 }));
    expect(features.movingS).toBeGreaterThan(590);
    expect(features.movingS).toBe(features.analysedS);
    expect(features.accelerationBins.every((count) => count === 0)).toBe(true);
    expect(features.decelerationBins.every((count) => count === 0)).toBe(true);
    expect(binnedPercentile(features.accelerationBins, ACCELERATION_BIN_MS2, 0.95)).toBeNull();
    expect(features.veryHighSpeedS).toBe(0);
    expect(features.speedUps).toBe(0);
    expect(features.maxSpeedKmh).toBeCloseTo(100, 9);
  });

  it('counts every moving moment above 130 km/h and marks the stretch', () => {
    const features = drivingFeatures(drive([{ s: 300, a: 0 }], { v0: 140 }));
    expect(features.veryHighSpeedS).toBeCloseTo(features.movingS, 6);
    expect(features.moments).toEqual([
      expect.objectContaining({ kind: 'very_high_speed', from: expect.any(Number), to: expect.any(Number) }),
    ]);
  });

  it('bins a clean speed-up at its own acceleration', () => {
    // 10 s at 1.5 m/s² from 36 km/h, between two cruises: the ramp's inside reads exactly 1.5.
    const features = drivingFeatures(
      drive(
        [
          { s: 30, a: 0 },
          { s: 10, a: 1.5 },
          { s: 30, a: 0 },
        ],
        { v0: 36 },
      ),
    );
    const bin = Math.floor(1.5 / ACCELERATION_BIN_MS2);
    const counted = features.accelerationBins.reduce((sum, count) => sum + count, 0);
    // Most of the ramp's 10 s read 1.5 m/s² (the ends are rounded off by the 0.5 s smoothing).
    expect((features.accelerationBins[bin] as number) / counted).toBeGreaterThan(0.85);
    expect(features.speedUps).toBe(1);
    expect(features.hastySpeedUps).toBe(0);
  });

  it('calls a speed-up hasty when firm braking follows within 10 s, not when it comes later', () => {
    const hasty = drivingFeatures(
      drive(
        [
          { s: 20, a: 0 },
          { s: 5, a: 2 },
          { s: 4, a: 0 },
          { s: 4, a: -2.5 },
          { s: 20, a: 0 },
        ],
        { v0: 20 },
      ),
    );
    expect([hasty.speedUps, hasty.hastySpeedUps]).toEqual([1, 1]);
    expect(hasty.moments.map((moment) => moment.kind)).toEqual(['hasty_speed_up']);

    const patient = drivingFeatures(
      drive(
        [
          { s: 20, a: 0 },
          { s: 5, a: 2 },
          { s: 15, a: 0 },
          { s: 4, a: -2.5 },
          { s: 20, a: 0 },
        ],
        { v0: 20 },
      ),
    );
    expect([patient.speedUps, patient.hastySpeedUps]).toEqual([1, 0]);
  });

  it('spreads each engine-speed pair over its two readings', () => {
    // 60 readings at 3,500 rpm then 60 at 2,000, 1 s apart: 59 pairs in each band, and the pair
    // across the change gives half a second to each.
    const readings: ScoringReading[] = [];
    for (let i = 0; i < 120; i++) readings.push({ at: T0 + i * 1000, engineRpm: i < 60 ? 3500 : 2000 });
    const features = drivingFeatures(readings);
    expect(features.rpmS).toBe(119);
    expect(features.rpmBins[3500 / RPM_BIN]).toBe(59.5);
    expect(features.rpmBins[2000 / RPM_BIN]).toBe(59.5);
    expect(highRpmRuns(readings, 3000)).toEqual([{ kind: 'high_engine_speed', from: T0, to: T0 + 59_000 }]);
  });

  it('does not join engine-speed readings across a gap', () => {
    const features = drivingFeatures([
      { at: T0, engineRpm: 2000 },
      { at: T0 + 11_000, engineRpm: 2000 },
    ]);
    expect(features.rpmS).toBe(0);
  });

  it('counts idling beyond the first two minutes of a stop, engine on only', () => {
    // A 5-minute stop (301 readings, 300 s) with the engine at 800 rpm: 180 s beyond the free 120.
    const stop = (engine: Partial<ScoringReading>) =>
      drivingFeatures(Array.from({ length: 301 }, (_, i) => ({ at: T0 + i * 1000, speedKmh: 0, ...engine })));
    const idling = stop({ engineRpm: 800 });
    expect(idling.longIdleS).toBeCloseTo(180, 9);
    expect(idling.hasEngineData).toBe(true);
    expect(idling.moments).toEqual([{ kind: 'long_idling', from: T0, to: T0 + 300_000 }]);

    expect(stop({ ignition: false }).longIdleS).toBe(0);
    expect(stop({ ignition: false }).hasEngineData).toBe(true);
    // No engine data: nothing is blamed, and the trip says so.
    expect(stop({}).longIdleS).toBe(0);
    expect(stop({}).hasEngineData).toBe(false);
  });

  it('lets a short stop go free', () => {
    const features = drivingFeatures(
      Array.from({ length: 101 }, (_, i) => ({ at: T0 + i * 1000, speedKmh: 0, engineRpm: 800 })),
    );
    expect(features.longIdleS).toBe(0);
    expect(features.moments).toEqual([]);
  });

  it('gives the same features whatever the order of the readings and repeated rows', () => {
    const readings = drive(
      [
        { s: 30, a: 1 },
        { s: 60, a: 0 },
        { s: 20, a: -1.5 },
      ],
      { extra: (_, v) => ({ engineRpm: 800 + v * 30 }) },
    );
    const shuffled = [...readings].reverse();
    shuffled.push(...readings.slice(0, 10));
    expect(drivingFeatures(shuffled)).toEqual(drivingFeatures(readings));
  });

  it('adds the features of two parts', () => {
    const a = drivingFeatures(drive([{ s: 60, a: 0.5 }], { v0: 10 }));
    const b = drivingFeatures(drive([{ s: 60, a: -0.5 }], { v0: 140 }));
    const sum = addFeatures(a, b);
    expect(sum.movingS).toBeCloseTo(a.movingS + b.movingS, 9);
    expect(sum.accelerationBins[10]).toBe(
      (a.accelerationBins[10] as number) + (b.accelerationBins[10] as number),
    );
    expect(sum.maxSpeedKmh).toBe(b.maxSpeedKmh);
    expect(addFeatures(emptyFeatures(), a)).toEqual(a);
  });
});

describe('binnedPercentile', () => {
  it('returns the middle of the bin where the running count reaches the share', () => {
    const bins = new Array(200).fill(0);
    bins[10] = 95;
    bins[40] = 5;
    // 95 % of the counts are in bin 10: [0.50, 0.55) → 0.525.
    expect(binnedPercentile(bins, 0.05, 0.95)).toBeCloseTo(0.525, 12);
    expect(binnedPercentile(bins, 0.05, 0.96)).toBeCloseTo(2.025, 12);
  });

  it('is the same for the same distribution counted twice', () => {
    const bins = [3, 0, 7, 1, 9];
    expect(
      binnedPercentile(
        bins.map((count) => count * 2),
        0.05,
        0.95,
      ),
    ).toBe(binnedPercentile(bins, 0.05, 0.95));
  });
});
