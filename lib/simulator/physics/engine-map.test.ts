import { describe, expect, it } from 'vitest';
import {
  availableEnginePowerKw,
  coolantAfterParkC,
  engineColdness,
  engineFuelRateLph,
  engineSpec,
  warmUpDecayPerSecond,
} from './engine-map';
import { VEHICLE_MODELS } from './vehicle-models';

const engines = VEHICLE_MODELS.filter((m) => m.powertrain !== 'electric').map((m) => [m.id, m] as const);

describe('engine map', () => {
  it.each(engines)(
    '%s: fuel rises with power and engine speed; best efficiency at mid-high load',
    (_id, model) => {
      const engine = engineSpec(model);
      let previous = 0;
      for (let kw = 0; kw <= 40; kw += 2) {
        const rate = engineFuelRateLph(engine, 2500, kw, 0);
        expect(rate).toBeGreaterThan(previous);
        previous = rate;
      }
      expect(engineFuelRateLph(engine, 3500, 20, 0)).toBeGreaterThan(engineFuelRateLph(engine, 2000, 20, 0));
      // Brake-specific consumption (L per kWh delivered) is worse at light load than at mid load.
      const bsfc = (kw: number) => engineFuelRateLph(engine, 2500, kw, 0) / kw;
      const fullKw = availableEnginePowerKw(engine, 2500);
      expect(bsfc(fullKw * 0.1)).toBeGreaterThan(bsfc(fullKw * 0.6));
      // Output is capped by the full-load curve.
      expect(engineFuelRateLph(engine, 2500, fullKw * 3, 0)).toBeCloseTo(
        engineFuelRateLph(engine, 2500, fullKw, 0),
        9,
      );
      // A cold engine burns more for the same work.
      expect(engineFuelRateLph(engine, 1500, 5, 0.8)).toBeGreaterThan(engineFuelRateLph(engine, 1500, 5, 0));
    },
  );

  it.each(engines)('%s: best brake efficiency is plausible (25–42 %)', (_id, model) => {
    const engine = engineSpec(model);
    let best = 0;
    for (let rpm = 1200; rpm <= model.redlineRpm; rpm += 200) {
      for (let share = 0.1; share <= 1; share += 0.1) {
        const kw = availableEnginePowerKw(engine, rpm) * share;
        best = Math.max(best, kw / (engineFuelRateLph(engine, rpm, kw, 0) * engine.kwhPerLitre));
      }
    }
    expect(best).toBeGreaterThan(0.25);
    expect(best).toBeLessThan(0.42);
  });

  it('warms up over minutes, slower in the cold, and cools down when parked', () => {
    expect(engineColdness(20, 20, 0)).toBeCloseTo(0.7, 6);
    expect(engineColdness(90, 20, 0)).toBe(0);
    expect(engineColdness(-5, -5, 600)).toBeGreaterThan(engineColdness(20, 20, 600));
    const decay = warmUpDecayPerSecond(10);
    expect(engineColdness(10, 10, 300)).toBeCloseTo(engineColdness(10, 10, 0) * decay ** 300, 9);
    expect(coolantAfterParkC(5, 0)).toBe(90);
    expect(coolantAfterParkC(5, 30)).toBeGreaterThan(coolantAfterParkC(5, 300));
    expect(coolantAfterParkC(5, 24 * 60)).toBeCloseTo(5, 2);
  });
});
