import { describe, expect, it } from 'vitest';
import { createRng } from './random';
import { generateSpeedProfile, type RoutePhase, speedProfileOptionsFor } from './speed-profile';
import { VEHICLE_MODELS } from './vehicle-models';

const MIXED: RoutePhase[] = [
  { kind: 'urban', distanceKm: 4, speedLimitKmh: 50 },
  { kind: 'road', distanceKm: 10, speedLimitKmh: 80 },
  { kind: 'motorway', distanceKm: 25, speedLimitKmh: 130 },
  { kind: 'road', distanceKm: 4, speedLimitKmh: 80 },
  { kind: 'urban', distanceKm: 2, speedLimitKmh: 30 },
];
const totalKm = (phases: readonly RoutePhase[]) => phases.reduce((sum, p) => sum + p.distanceKm, 0);

function accelerations(speedsKmh: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < speedsKmh.length; i++)
    out.push(((speedsKmh[i] as number) - (speedsKmh[i - 1] as number)) / 3.6);
  return out;
}

function distanceKm(speedsKmh: Float32Array): number {
  let metres = 0;
  for (let i = 1; i < speedsKmh.length; i++)
    metres += ((speedsKmh[i] as number) + (speedsKmh[i - 1] as number)) / 7.2;
  return metres / 1000;
}

/** Stops in the middle of a trace: runs of standstill between moving stretches. */
function stopCount(speedsKmh: Float32Array): number {
  let stops = 0;
  let moved = false;
  for (let i = 1; i < speedsKmh.length; i++) {
    if ((speedsKmh[i] as number) > 0) moved = true;
    if (moved && speedsKmh[i] === 0 && (speedsKmh[i - 1] as number) > 0) stops++;
  }
  return stops - 1; // the arrival is not a stop on the way
}

describe('generateSpeedProfile', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateSpeedProfile(createRng(1), MIXED, { aggressiveness: 0.5 });
    const b = generateSpeedProfile(createRng(1), MIXED, { aggressiveness: 0.5 });
    const c = generateSpeedProfile(createRng(2), MIXED, { aggressiveness: 0.5 });
    expect(b.speedsKmh).toEqual(a.speedsKmh);
    expect(b.limitsKmh).toEqual(a.limitsKmh);
    expect(c.speedsKmh).not.toEqual(a.speedsKmh);
  });

  it.each([0, 0.3, 0.6, 1])('stays within physical bounds and covers the route (aggressiveness %s)', (x) => {
    for (let seed = 0; seed < 5; seed++) {
      const profile = generateSpeedProfile(
        createRng(seed),
        MIXED,
        { aggressiveness: x },
        { maxSpeedKmh: 170 },
      );
      const { speedsKmh, limitsKmh } = profile;
      expect(limitsKmh.length).toBe(speedsKmh.length);
      expect(Math.min(...speedsKmh)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...speedsKmh)).toBeLessThanOrEqual(170);
      const acc = accelerations(speedsKmh);
      expect(Math.max(...acc)).toBeLessThanOrEqual(5);
      expect(Math.min(...acc)).toBeGreaterThanOrEqual(-9);
      expect(distanceKm(speedsKmh)).toBeCloseTo(totalKm(MIXED), 1);
      expect(speedsKmh[0]).toBe(0);
      expect(speedsKmh[speedsKmh.length - 1]).toBe(0);
      expect(new Set(limitsKmh)).toEqual(new Set([50, 80, 130, 30]));
      expect(limitsKmh[0]).toBe(50);
      expect(limitsKmh[limitsKmh.length - 1]).toBe(30);
    }
  });

  it('returns a parked trace for an empty route', () => {
    const profile = generateSpeedProfile(
      createRng(1),
      [],
      { aggressiveness: 0.5 },
      { idleBeforeS: 5, idleAfterS: 5 },
    );
    expect(Array.from(profile.speedsKmh)).toEqual(Array.from({ length: 10 }, () => 0));
  });

  it('honours idle options and the car’s power', () => {
    const profile = generateSpeedProfile(
      createRng(3),
      [{ kind: 'motorway', distanceKm: 10, speedLimitKmh: 130 }],
      { aggressiveness: 1 },
      { idleBeforeS: 30, idleAfterS: 20, powerToMassWPerKg: 40 },
    );
    const { speedsKmh } = profile;
    expect(Array.from(speedsKmh.slice(0, 30)).every((v) => v === 0)).toBe(true);
    expect(speedsKmh[30]).toBeGreaterThan(0);
    expect(Array.from(speedsKmh.slice(-20)).every((v) => v === 0)).toBe(true);
    // 40 W/kg cannot accelerate hard at motorway speed.
    for (let i = 1; i < speedsKmh.length; i++) {
      const v = (speedsKmh[i - 1] as number) / 3.6;
      if (v > 30) expect(((speedsKmh[i] as number) - (speedsKmh[i - 1] as number)) / 3.6).toBeLessThan(1.1);
    }
  });

  it('stops regularly in town but cruises on the motorway', () => {
    const urban = generateSpeedProfile(createRng(4), [{ kind: 'urban', distanceKm: 10, speedLimitKmh: 50 }], {
      aggressiveness: 0.5,
    });
    expect(stopCount(urban.speedsKmh) / 10).toBeGreaterThan(1);
    expect(stopCount(urban.speedsKmh) / 10).toBeLessThan(3);
    const motorway = generateSpeedProfile(
      createRng(4),
      [{ kind: 'motorway', distanceKm: 30, speedLimitKmh: 130 }],
      { aggressiveness: 0.5 },
      { idleBeforeS: 1, idleAfterS: 0 },
    );
    expect(stopCount(motorway.speedsKmh)).toBe(0);
    const cruising = Array.from(motorway.speedsKmh).filter((v) => v > 100);
    expect(cruising.length / motorway.speedsKmh.length).toBeGreaterThan(0.6);
  });

  it('makes aggressive drivers faster and smooth drivers slow down earlier and softer', () => {
    const route: RoutePhase[] = [
      { kind: 'urban', distanceKm: 6, speedLimitKmh: 50 },
      { kind: 'motorway', distanceKm: 20, speedLimitKmh: 130 },
    ];
    const stats = (aggressiveness: number) => {
      let over = 0;
      let moving = 0;
      let braking = 0;
      let brakingSum = 0;
      let decelRuns = 0;
      let decelSeconds = 0;
      for (let seed = 0; seed < 6; seed++) {
        const { speedsKmh, limitsKmh } = generateSpeedProfile(createRng(seed), route, { aggressiveness });
        let run = 0;
        for (let i = 1; i < speedsKmh.length; i++) {
          const v = speedsKmh[i] as number;
          const a = (v - (speedsKmh[i - 1] as number)) / 3.6;
          if (v > 0) moving++;
          if (v > (limitsKmh[i] as number) + 5) over++;
          if (a < -0.3) {
            braking++;
            brakingSum += a;
            run++;
          } else if (run > 0) {
            decelRuns++;
            decelSeconds += run;
            run = 0;
          }
        }
      }
      return {
        speeding: over / moving,
        meanBraking: brakingSum / braking,
        decelRun: decelSeconds / decelRuns,
      };
    };
    const smooth = stats(0.1);
    const aggressive = stats(0.9);
    expect(aggressive.speeding).toBeGreaterThan(smooth.speeding + 0.2);
    expect(smooth.meanBraking).toBeGreaterThan(aggressive.meanBraking);
    expect(smooth.decelRun).toBeGreaterThan(aggressive.decelRun);
  });
});

describe('speedProfileOptionsFor', () => {
  it('derives power-to-mass and a plausible top speed per model', () => {
    for (const model of VEHICLE_MODELS) {
      const options = speedProfileOptionsFor(model);
      expect(options.powerToMassWPerKg).toBeCloseTo((model.maxPowerKw * 1000) / model.massKg, 6);
      expect(options.maxSpeedKmh).toBeGreaterThanOrEqual(150);
      expect(options.maxSpeedKmh).toBeLessThanOrEqual(190);
    }
  });
});
