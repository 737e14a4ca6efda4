import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuelKwhPerLitre } from './engine-map';
import { simulateDrive } from './powertrain';
import { createRng } from './random';
import { generateSpeedProfile, type RoutePhase, speedProfileOptionsFor } from './speed-profile';
import { type DriveSummary, summarizeTrace } from './trace-summary';
import { VEHICLE_MODELS, type VehicleModel } from './vehicle-models';

const phaseArbitrary: fc.Arbitrary<RoutePhase> = fc.oneof(
  fc.record({
    kind: fc.constant('urban' as const),
    distanceKm: fc.double({ min: 0.5, max: 6, noNaN: true }),
    speedLimitKmh: fc.constantFrom(30, 50),
  }),
  fc.record({
    kind: fc.constant('road' as const),
    distanceKm: fc.double({ min: 1, max: 20, noNaN: true }),
    speedLimitKmh: fc.constantFrom(80, 90),
  }),
  fc.record({
    kind: fc.constant('motorway' as const),
    distanceKm: fc.double({ min: 2, max: 30, noNaN: true }),
    speedLimitKmh: fc.constantFrom(110, 130),
  }),
);

/** Routes with at least 4 km of town (stops and launches, where style shows) plus anything else. */
const routeArbitrary = fc
  .tuple(
    fc.record({
      kind: fc.constant('urban' as const),
      distanceKm: fc.double({ min: 4, max: 8, noNaN: true }),
      speedLimitKmh: fc.constant(50),
    }),
    fc.array(phaseArbitrary, { maxLength: 3 }),
  )
  .map(([town, rest]) => [town, ...rest]);

/** Energy drawn from the car's stores per 100 km (fuel at its heating value plus battery). */
function energyPer100km(summary: DriveSummary, model: VehicleModel): number {
  const fuelKwh = model.powertrain === 'electric' ? 0 : summary.fuelL * fuelKwhPerLitre(model);
  return ((fuelKwh + summary.energyKwh) / summary.distanceKm) * 100;
}

function driveBoth(model: VehicleModel, route: RoutePhase[], seed: number, tempC: number) {
  return [0.1, 0.9].map((aggressiveness) => {
    const style = { aggressiveness, seed };
    // Same route and same random stream for both drivers: only the style differs.
    const profile = generateSpeedProfile(createRng(seed), route, style, speedProfileOptionsFor(model));
    const trace = simulateDrive(model, style, profile, { outsideTempC: tempC, startBatteryLevelPct: 60 });
    return summarizeTrace(trace, model);
  }) as [DriveSummary, DriveSummary];
}

describe('driving style on the same route', () => {
  it('makes aggressive drivers consume more, brake harder and trigger more harsh events', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VEHICLE_MODELS),
        routeArbitrary,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: -5, max: 30, noNaN: true }),
        (model, route, seed, tempC) => {
          const [smooth, aggressive] = driveBoth(model, route, seed, tempC);
          expect(energyPer100km(aggressive, model)).toBeGreaterThan(energyPer100km(smooth, model));
          expect(aggressive.minAccelerationMs2).toBeLessThan(smooth.minAccelerationMs2);
          expect(aggressive.harshAccelerations + aggressive.harshBrakings).toBeGreaterThan(
            smooth.harshAccelerations + smooth.harshBrakings,
          );
          expect(aggressive.speedingShare).toBeGreaterThanOrEqual(smooth.speedingShare);
        },
      ),
      { numRuns: 20, seed: 20_251_126 },
    );
  });

  it('keeps smooth drivers free of harsh events and in the efficient rpm band', () => {
    // No motorway: a 5-speed city car at 125 km/h is above 3 000 rpm whoever drives it.
    const route: RoutePhase[] = [
      { kind: 'urban', distanceKm: 6, speedLimitKmh: 50 },
      { kind: 'road', distanceKm: 15, speedLimitKmh: 90 },
    ];
    for (const model of VEHICLE_MODELS.filter(
      (m) => m.powertrain === 'petrol' || m.powertrain === 'diesel',
    )) {
      const [smooth, aggressive] = driveBoth(model, route, 7, 15);
      expect(smooth.harshAccelerations + smooth.harshBrakings).toBe(0);
      expect(smooth.highRpmShare).toBeLessThan(0.05);
      expect(aggressive.highRpmShare).toBeGreaterThan(smooth.highRpmShare as number);
      expect(aggressive.maxSpeedKmh).toBeGreaterThan(smooth.maxSpeedKmh);
    }
  });
});
