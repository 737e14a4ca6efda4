import { describe, expect, it } from 'vitest';
import { coolantAfterParkC, PETROL_KWH_PER_L } from './engine-map';
import { simulateDrive } from './powertrain';
import { createRng, deriveSeed } from './random';
import { planDay } from './routines';
import { generateSpeedProfile, type RoutePhase, speedProfileOptionsFor } from './speed-profile';
import { summarizeTrace } from './trace-summary';
import { type Powertrain, VEHICLE_MODELS, type VehicleModel } from './vehicle-models';

const MONDAY = Date.UTC(2025, 2, 3);
const DAY_MS = 86_400_000;

type WeekOptions = { aggressiveness: number; seed: number; tempC?: number; pluggedInNightly?: boolean };

/**
 * A week of planned trips for one car, chained the way the fleet will run them: the tank and
 * battery carry over, the engine cools between trips, an EV recharges when low. Plug-in hybrids
 * start at their charge-sustaining level unless plugged in every night.
 */
function simulateWeek(model: VehicleModel, options: WeekOptions) {
  const tempC = options.tempC ?? 15;
  const style = { aggressiveness: options.aggressiveness, seed: options.seed };
  let fuelL = 0;
  let energyKwh = 0;
  let km = 0;
  let battery = model.powertrain === 'hybrid' ? 15 : 90;
  let lastEndMinute = Number.NEGATIVE_INFINITY;
  for (let day = 0; day < 7; day++) {
    const rng = createRng(deriveSeed('week', options.seed, day));
    if (options.pluggedInNightly && model.batteryKwh) battery = 100;
    for (const trip of planDay(rng, style, new Date(MONDAY + day * DAY_MS))) {
      const profile = generateSpeedProfile(rng, trip.phases, style, speedProfileOptionsFor(model));
      const startMinute = day * 1440 + trip.startMinute;
      const trace = simulateDrive(model, style, profile, {
        outsideTempC: tempC,
        startBatteryLevelPct: battery,
        engineStartTempC: coolantAfterParkC(tempC, startMinute - lastEndMinute),
      });
      lastEndMinute = startMinute + profile.speedsKmh.length / 60;
      const summary = summarizeTrace(trace, model);
      fuelL += summary.fuelL;
      energyKwh += summary.energyKwh;
      km += summary.distanceKm;
      battery = trace.batteryLevelPct?.at(-1) ?? battery;
      if (model.powertrain === 'electric' && battery < 20) battery = 90;
    }
  }
  return { km, fuelLPer100km: (fuelL / km) * 100, kwhPer100km: (energyKwh / km) * 100 };
}

/** Realistic weekly bands (L/100 km, or kWh/100 km at the battery for electric cars). */
const BANDS: Record<Powertrain, [number, number]> = {
  petrol: [4.5, 9],
  diesel: [3.5, 7.5],
  electric: [13, 24],
  // Plug-in hybrids never plugged in: charge-sustaining fuel use.
  hybrid: [4, 9],
};
const DRIVERS = [0.3, 0.5, 0.7].flatMap((aggressiveness) =>
  [1, 2, 3].map((seed) => ({ aggressiveness, seed })),
);

describe('consumption over a mixed week', () => {
  it.each(VEHICLE_MODELS.map((m) => [m.id, m] as const))(
    '%s lands in its band and near its rating',
    (_id, model) => {
      const [low, high] = BANDS[model.powertrain];
      for (const driver of DRIVERS) {
        const week = simulateWeek(model, driver);
        expect(week.km).toBeGreaterThan(100);
        const value = model.powertrain === 'electric' ? week.kwhPer100km : week.fuelLPer100km;
        expect(value).toBeGreaterThanOrEqual(low);
        expect(value).toBeLessThanOrEqual(high);
        // Real-world use sits around the WLTP figure: ICE above it, EVs (measured at the battery,
        // WLTP at the socket) around it.
        const ratio = value / model.ratedConsumption.value;
        expect(ratio).toBeGreaterThan(0.8);
        expect(ratio).toBeLessThan(1.5);
      }
    },
  );

  it.each(VEHICLE_MODELS.filter((m) => m.powertrain === 'hybrid').map((m) => [m.id, m] as const))(
    '%s burns far less fuel when plugged in every night',
    (_id, model) => {
      for (const seed of [1, 2, 3]) {
        const sustaining = simulateWeek(model, { aggressiveness: 0.5, seed });
        const plugged = simulateWeek(model, { aggressiveness: 0.5, seed, pluggedInNightly: true });
        expect(plugged.fuelLPer100km).toBeLessThan(sustaining.fuelLPer100km * 0.6);
        expect(plugged.kwhPer100km).toBeGreaterThan(8);
        expect(plugged.kwhPer100km).toBeLessThan(24);
        // Charge-sustaining: the battery neither feeds nor absorbs much over the week.
        expect(Math.abs(sustaining.kwhPer100km)).toBeLessThan(1.5);
      }
    },
  );

  it('runs a typical petrol car at 5–8 L/100 km over a year-like spread of temperatures', () => {
    const model = VEHICLE_MODELS.find((m) => m.id === 'peugeot-208-puretech-100') as VehicleModel;
    for (const tempC of [-5, 5, 15, 25, 32]) {
      const week = simulateWeek(model, { aggressiveness: 0.5, seed: 4, tempC });
      expect(week.fuelLPer100km).toBeGreaterThan(5);
      expect(week.fuelLPer100km).toBeLessThan(8.5);
    }
  });
});

describe('plug-in hybrid against its petrol sibling in town', () => {
  const urban: RoutePhase[] = [
    { kind: 'urban', distanceKm: 6, speedLimitKmh: 50 },
    { kind: 'urban', distanceKm: 2, speedLimitKmh: 30 },
  ];
  const pairs = VEHICLE_MODELS.filter((m) => m.powertrain === 'hybrid').map((hybrid) => {
    const petrol = VEHICLE_MODELS.find(
      (m) => m.powertrain === 'petrol' && m.brand === hybrid.brand && m.name === hybrid.name,
    );
    return [hybrid.id, hybrid, petrol] as const;
  });

  it('has a petrol sibling for every hybrid in the catalog', () => {
    for (const [id, , petrol] of pairs) expect(petrol, id).toBeDefined();
  });

  it.each(pairs)('%s uses less fuel without borrowing from its battery', (_id, hybrid, petrol) => {
    if (!petrol) throw new Error('no petrol sibling');
    for (const aggressiveness of [0.2, 0.5, 0.8]) {
      for (const seed of [1, 2]) {
        const style = { aggressiveness, seed };
        const run = (model: VehicleModel) => {
          const profile = generateSpeedProfile(createRng(seed), urban, style, speedProfileOptionsFor(model));
          // Start at the charge-sustaining level, as after a long drive: no plug-in energy to spend.
          return simulateDrive(model, style, profile, { outsideTempC: 15, startBatteryLevelPct: 15 });
        };
        const h = run(hybrid);
        const p = run(petrol);
        const hybridSummary = summarizeTrace(h, hybrid);
        const petrolFuel = summarizeTrace(p, petrol).fuelLPer100km as number;
        // Charge the trip with any battery energy it borrowed, at the fuel the engine would burn to
        // put it back (≈30 % engine, 90 % generator efficiency).
        const borrowedL = Math.max(0, hybridSummary.energyKwh) / (0.3 * 0.9 * PETROL_KWH_PER_L);
        const hybridFuel = ((hybridSummary.fuelL + borrowedL) / hybridSummary.distanceKm) * 100;
        expect(hybridFuel).toBeLessThan(petrolFuel * 0.95);
        expect(h.batteryLevelPct?.at(-1)).toBeGreaterThanOrEqual(12);
      }
    }
  });
});
