import { describe, expect, it } from 'vitest';
import { createDrivingStyle, styleParameters } from './driver-style';
import { createRng } from './random';

describe('styleParameters', () => {
  const smooth = styleParameters({ aggressiveness: 0 });
  const aggressive = styleParameters({ aggressiveness: 1 });

  it('keeps smooth drivers gentle and below harsh thresholds', () => {
    expect(smooth.comfortAccelerationMs2).toBeGreaterThanOrEqual(1.0);
    expect(smooth.comfortAccelerationMs2).toBeLessThanOrEqual(1.5);
    expect(smooth.peakAccelerationMs2).toBeGreaterThanOrEqual(1.5);
    expect(smooth.peakAccelerationMs2).toBeLessThanOrEqual(2.0);
    expect(smooth.peakDecelerationMs2).toBeLessThan(3.0);
    expect(smooth.upshiftRpmPetrol).toBeGreaterThanOrEqual(2000);
    expect(smooth.upshiftRpmPetrol).toBeLessThanOrEqual(2300);
    expect(smooth.speedingFactor).toBeLessThan(1);
  });

  it('lets aggressive drivers peak beyond the harsh thresholds, rev higher and speed', () => {
    expect(aggressive.peakAccelerationMs2).toBeGreaterThan(3.0);
    expect(aggressive.peakAccelerationMs2).toBeLessThanOrEqual(4.0);
    expect(aggressive.peakDecelerationMs2).toBeGreaterThan(3.5);
    expect(aggressive.upshiftRpmPetrol).toBeGreaterThanOrEqual(3500);
    expect(aggressive.upshiftRpmPetrol).toBeLessThanOrEqual(4500);
    expect(aggressive.upshiftRpmDiesel).toBeLessThan(aggressive.upshiftRpmPetrol);
    expect(aggressive.speedingFactor).toBeGreaterThan(1.08);
  });

  it('moves every behaviour monotonically with aggressiveness', () => {
    let previous = styleParameters({ aggressiveness: 0 });
    for (let x = 0.1; x <= 1.0001; x += 0.1) {
      const current = styleParameters({ aggressiveness: x });
      for (const key of [
        'comfortAccelerationMs2',
        'peakAccelerationMs2',
        'comfortDecelerationMs2',
        'peakDecelerationMs2',
        'peakProbability',
        'upshiftRpmPetrol',
        'upshiftRpmDiesel',
        'cruiseRpmPetrol',
        'speedingFactor',
        'idleMinutesPerTrip',
      ] as const) {
        expect(current[key]).toBeGreaterThan(previous[key]);
      }
      expect(current.anticipation).toBeLessThan(previous.anticipation);
      previous = current;
    }
  });

  it('clamps aggressiveness to 0…1', () => {
    expect(styleParameters({ aggressiveness: -2 })).toEqual(smooth);
    expect(styleParameters({ aggressiveness: 7 })).toEqual(aggressive);
  });

  it('gives each driver persistent quirks around the central values', () => {
    const a = styleParameters({ aggressiveness: 0.5, seed: 1 });
    expect(styleParameters({ aggressiveness: 0.5, seed: 1 })).toEqual(a);
    const b = styleParameters({ aggressiveness: 0.5, seed: 2 });
    expect(b).not.toEqual(a);
    const central = styleParameters({ aggressiveness: 0.5 });
    expect(Math.abs(a.upshiftRpmPetrol / central.upshiftRpmPetrol - 1)).toBeLessThanOrEqual(0.125);
    expect(Math.abs(a.speedingFactor - central.speedingFactor)).toBeLessThanOrEqual(0.035);
  });
});

describe('createDrivingStyle', () => {
  it('draws a population centred on moderate drivers, with a seed for quirks', () => {
    const rng = createRng(5);
    const styles = Array.from({ length: 2000 }, () => createDrivingStyle(rng));
    const mean = styles.reduce((sum, s) => sum + s.aggressiveness, 0) / styles.length;
    expect(mean).toBeGreaterThan(0.4);
    expect(mean).toBeLessThan(0.5);
    expect(styles.every((s) => s.aggressiveness > 0 && s.aggressiveness < 1)).toBe(true);
    expect(new Set(styles.map((s) => s.seed)).size).toBeGreaterThan(1990);
  });
});
