import { describe, expect, it } from 'vitest';
import { kinematicRpm } from './gearbox';
import {
  type DriveEnvironment,
  type DriveTrace,
  ENGINE_ENGAGED,
  ENGINE_IDLE,
  ENGINE_OFF,
  ENGINE_SLIP,
  simulateDrive,
} from './powertrain';
import { createRng } from './random';
import {
  generateSpeedProfile,
  type RoutePhase,
  type SpeedProfile,
  speedProfileOptionsFor,
} from './speed-profile';
import { summarizeTrace } from './trace-summary';
import { getVehicleModel, VEHICLE_MODELS, type VehicleModel } from './vehicle-models';

const MIXED: RoutePhase[] = [
  { kind: 'urban', distanceKm: 3, speedLimitKmh: 50 },
  { kind: 'road', distanceKm: 8, speedLimitKmh: 80 },
  { kind: 'motorway', distanceKm: 15, speedLimitKmh: 130 },
  { kind: 'urban', distanceKm: 2, speedLimitKmh: 50 },
];
const URBAN: RoutePhase[] = [{ kind: 'urban', distanceKm: 8, speedLimitKmh: 50 }];

function model(id: string): VehicleModel {
  const found = getVehicleModel(id);
  if (!found) throw new Error(`unknown model ${id}`);
  return found;
}

function drive(
  vehicle: VehicleModel,
  aggressiveness: number,
  phases: RoutePhase[],
  env: DriveEnvironment = { outsideTempC: 15 },
  seed = 1,
): { profile: SpeedProfile; trace: DriveTrace } {
  const style = { aggressiveness, seed };
  const profile = generateSpeedProfile(createRng(seed), phases, style, speedProfileOptionsFor(vehicle));
  return { profile, trace: simulateDrive(vehicle, style, profile, env) };
}

describe('simulateDrive', () => {
  it('is deterministic', () => {
    const vehicle = model('peugeot-3008-hybrid4-300');
    const a = drive(vehicle, 0.6, MIXED).trace;
    const b = drive(vehicle, 0.6, MIXED).trace;
    expect(b).toEqual(a);
    expect(drive(vehicle, 0.6, MIXED, { outsideTempC: 15 }, 2).trace.fuelL).not.toEqual(a.fuelL);
  });

  describe.each(VEHICLE_MODELS.map((m) => [m.id, m] as const))('%s', (_id, vehicle) => {
    // 30 % battery: plug-in hybrids start electric and switch to charge-sustaining on the way.
    const env = { outsideTempC: 8, startBatteryLevelPct: 30 };
    const runs = [0.1, 0.9].map((x) => ({ x, ...drive(vehicle, x, MIXED, env, 3) }));

    it('keeps speed and acceleration within physical limits', () => {
      for (const { trace } of runs) {
        expect(Math.min(...trace.speedKmh)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...trace.accelerationMs2)).toBeLessThanOrEqual(5);
        expect(Math.min(...trace.accelerationMs2)).toBeGreaterThanOrEqual(-9);
      }
    });

    it('derives engine speed from gear, speed, ratios and wheel size', () => {
      for (const { trace } of runs) {
        const modes = new Set<number>();
        // Collected rather than asserted per sample: thousands of expect() calls would dominate the run.
        const violations: string[] = [];
        const fail = (i: number, what: string) => {
          if (violations.length < 5) violations.push(`t=${i}s: ${what}`);
        };
        for (let i = 0; i < trace.speedKmh.length; i++) {
          const gear = trace.gear[i] as number;
          const mode = trace.engineMode[i] as number;
          const rpm = trace.engineRpm[i] as number;
          const speedKmh = trace.speedKmh[i] as number;
          modes.add(mode);
          if (gear > vehicle.gearRatios.length) fail(i, `gear ${gear}`);
          if (mode === ENGINE_ENGAGED) {
            const expected = kinematicRpm(vehicle, gear, speedKmh / 3.6);
            if (gear < 1) fail(i, 'engaged in neutral');
            if (Math.abs(rpm - expected) > Math.max(1, expected * 0.002)) fail(i, `rpm ${rpm} ≠ ${expected}`);
          }
          if (mode !== ENGINE_OFF && (rpm < vehicle.idleRpm || rpm > vehicle.redlineRpm))
            fail(i, `rpm ${rpm}`);
          if (mode === ENGINE_OFF && rpm !== 0) fail(i, `off at ${rpm} rpm`);
          // The clutch or converter only slips while launching in first.
          if (mode === ENGINE_SLIP && (gear !== 1 || speedKmh >= 25))
            fail(i, `slip in ${gear} at ${speedKmh}`);
          if (mode === ENGINE_IDLE && gear !== 0) fail(i, `idle in gear ${gear}`);
        }
        expect(violations).toEqual([]);
        if (vehicle.powertrain === 'electric') {
          expect(modes).toEqual(new Set([ENGINE_ENGAGED]));
        } else {
          expect(modes.has(ENGINE_ENGAGED)).toBe(true);
        }
        if (vehicle.powertrain === 'hybrid') expect(modes.has(ENGINE_OFF)).toBe(true);
        if (vehicle.powertrain === 'petrol' || vehicle.powertrain === 'diesel') {
          expect(modes.has(ENGINE_OFF)).toBe(false);
          expect(modes.has(ENGINE_SLIP)).toBe(true);
          expect(modes.has(ENGINE_IDLE)).toBe(true);
        }
      }
    });

    it('accumulates distance, odometer, fuel and energy consistently', () => {
      for (const { profile, trace } of runs) {
        const n = trace.speedKmh.length;
        expect(trace.speedKmh).toBe(profile.speedsKmh);
        let metres = 0;
        let monotone = true;
        for (let i = 1; i < n; i++) {
          metres += ((trace.speedKmh[i] as number) + (trace.speedKmh[i - 1] as number)) / 7.2;
          if ((trace.fuelL[i] as number) < (trace.fuelL[i - 1] as number)) monotone = false;
          if ((trace.distanceKm[i] as number) < (trace.distanceKm[i - 1] as number)) monotone = false;
        }
        expect(monotone).toBe(true);
        expect(trace.distanceKm[n - 1]).toBeCloseTo(metres / 1000, 3);
        expect(trace.odometerKm[n - 1]).toBeCloseTo(metres / 1000, 3);
        expect(Math.min(...trace.fuelRateLph)).toBeGreaterThanOrEqual(0);
        if (vehicle.powertrain === 'electric') {
          expect(trace.fuelLevelPct).toBeNull();
          expect(trace.fuelL[n - 1]).toBe(0);
          expect(trace.engineEndTempC).toBeNull();
        } else {
          expect(trace.fuelL[n - 1]).toBeGreaterThan(0);
          const level = trace.fuelLevelPct as Float32Array;
          expect(level[0]).toBeCloseTo(70, 3);
          expect(level[n - 1]).toBeCloseTo(
            70 - ((trace.fuelL[n - 1] as number) / (vehicle.tankLitres ?? 1)) * 100,
            2,
          );
        }
        if (vehicle.powertrain === 'petrol' || vehicle.powertrain === 'diesel') {
          expect(trace.batteryLevelPct).toBeNull();
          expect(trace.energyKwh[n - 1]).toBe(0);
        } else {
          const level = trace.batteryLevelPct as Float32Array;
          expect(level[0]).toBeCloseTo(30, 3);
          const used = ((trace.energyKwh[n - 1] as number) / (vehicle.batteryKwh ?? 1)) * 100;
          expect(level[n - 1]).toBeCloseTo(30 - used, 1);
        }
      }
    });
  });

  it('idles a warm petrol engine at 0.55–0.9 L/h, more when cold', () => {
    const vehicle = model('peugeot-208-puretech-100');
    const profile: SpeedProfile = { speedsKmh: new Float32Array(600), limitsKmh: new Float32Array(600) };
    const warm = simulateDrive(vehicle, { aggressiveness: 0.5 }, profile, {
      outsideTempC: 15,
      engineStartTempC: 90,
    });
    expect(warm.engineMode.every((mode) => mode === ENGINE_IDLE)).toBe(true);
    expect(warm.fuelRateLph[0]).toBeGreaterThan(0.55);
    expect(warm.fuelRateLph[0]).toBeLessThan(0.9);
    const cold = simulateDrive(vehicle, { aggressiveness: 0.5 }, profile, { outsideTempC: -5 });
    expect(cold.fuelRateLph[0]).toBeGreaterThan(warm.fuelRateLph[0] as number);
    expect(cold.engineRpm[0]).toBeGreaterThan(warm.engineRpm[0] as number);
    // The engine warms up: idle speed and fuel fall over ten minutes.
    expect(cold.fuelRateLph[599]).toBeLessThan(cold.fuelRateLph[0] as number);
    expect(cold.engineEndTempC).toBeGreaterThan(-5);
  });

  it('regenerates on an EV when braking and pays for heating in the cold', () => {
    const vehicle = model('peugeot-e-208');
    const { trace } = drive(vehicle, 0.5, URBAN, { outsideTempC: 20 });
    let regenerating = 0;
    for (let i = 1; i < trace.speedKmh.length; i++) {
      if ((trace.energyKwh[i] as number) < (trace.energyKwh[i - 1] as number)) regenerating++;
    }
    expect(regenerating).toBeGreaterThan(20);
    const warm = summarizeTrace(trace, vehicle).consumption.value;
    const cold = summarizeTrace(drive(vehicle, 0.5, URBAN, { outsideTempC: -5 }).trace, vehicle).consumption
      .value;
    const hot = summarizeTrace(drive(vehicle, 0.5, URBAN, { outsideTempC: 35 }).trace, vehicle).consumption
      .value;
    expect(cold).toBeGreaterThan(warm * 1.25);
    expect(hot).toBeGreaterThan(warm);
  });

  it('makes cold ICE trips costlier than warm ones', () => {
    const vehicle = model('peugeot-308-bluehdi-130');
    const at = (outsideTempC: number) =>
      summarizeTrace(drive(vehicle, 0.5, URBAN, { outsideTempC }).trace, vehicle).consumption.value;
    expect(at(-5)).toBeGreaterThan(at(20));
  });

  it('costs more uphill and less downhill', () => {
    const vehicle = model('peugeot-208-puretech-100');
    const route: RoutePhase[] = [{ kind: 'road', distanceKm: 10, speedLimitKmh: 80 }];
    const at = (grade: number) =>
      drive(vehicle, 0.5, route, { outsideTempC: 15, gradeAt: () => grade }).trace.fuelL.at(-1) as number;
    expect(at(0.04)).toBeGreaterThan(at(0) * 1.5);
    expect(at(-0.02)).toBeLessThan(at(0));
  });

  it('runs a charged plug-in hybrid electrically in town and holds the charge when empty', () => {
    const vehicle = model('peugeot-3008-hybrid4-300');
    const charged = drive(vehicle, 0.5, URBAN, { outsideTempC: 15, startBatteryLevelPct: 100 }).trace;
    const n = charged.speedKmh.length;
    expect(charged.fuelL[n - 1]).toBeLessThan(0.05);
    expect(charged.batteryLevelPct?.[n - 1]).toBeLessThan(95);

    const sustaining = drive(vehicle, 0.5, MIXED, { outsideTempC: 15, startBatteryLevelPct: 15 }).trace;
    const levels = sustaining.batteryLevelPct as Float32Array;
    expect(Math.min(...levels)).toBeGreaterThanOrEqual(8 - 0.5);
    expect(Math.abs((levels.at(-1) as number) - 15)).toBeLessThan(6);
    expect(sustaining.fuelL.at(-1)).toBeGreaterThan(1);
    // Stopped in traffic, the engine is off.
    for (let i = 0; i < sustaining.speedKmh.length; i++) {
      if (sustaining.speedKmh[i] === 0 && (sustaining.accelerationMs2[i] as number) <= 0) {
        expect(sustaining.engineMode[i]).toBe(ENGINE_OFF);
      }
    }
  });

  it('reports power demand with the right sign', () => {
    const vehicle = model('citroen-c3-puretech-83');
    const { trace } = drive(vehicle, 0.5, MIXED);
    let wrong = 0;
    for (let i = 0; i < trace.speedKmh.length; i++) {
      const a = trace.accelerationMs2[i] as number;
      const power = trace.powerKw[i] as number;
      if (a > 0.5 && power <= 0) wrong++;
      if (a < -2 && (trace.speedKmh[i] as number) > 30 && power >= 0) wrong++;
      if (power > vehicle.maxPowerKw * 1.1) wrong++;
    }
    expect(wrong).toBe(0);
  });
});
