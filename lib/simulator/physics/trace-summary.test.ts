import { describe, expect, it } from 'vitest';
import { simulateDrive } from './powertrain';
import type { SpeedProfile } from './speed-profile';
import { LONG_IDLE_S, summarizeTrace } from './trace-summary';
import { getVehicleModel, type VehicleModel } from './vehicle-models';

function model(id: string): VehicleModel {
  const found = getVehicleModel(id);
  if (!found) throw new Error(`unknown model ${id}`);
  return found;
}

/** A hand-written profile: km/h per second, with a posted limit. */
function profile(speedsKmh: number[], limitKmh = 50): SpeedProfile {
  return {
    speedsKmh: Float32Array.from(speedsKmh),
    limitsKmh: new Float32Array(speedsKmh.length).fill(limitKmh),
  };
}

const idle = (seconds: number) => Array.from({ length: seconds }, () => 0);
const ramp = (from: number, to: number, stepKmh: number) => {
  const out: number[] = [];
  for (let v = from; stepKmh > 0 ? v <= to : v >= to; v += stepKmh) out.push(v);
  return out;
};

describe('summarizeTrace', () => {
  const petrol = model('peugeot-208-puretech-100');
  // Idle 3 min, a harsh launch (12.6 km/h per s = 3.5 m/s² for 3 s: one event), cruise at 60 in a
  // 50 zone, one harsh stop (−14.4 km/h per s = −4 m/s² twice, then gentler), idle 20 s.
  const speeds = [
    ...idle(180),
    ...ramp(0, 37.8, 12.6),
    ...ramp(40, 60, 2),
    ...Array.from({ length: 60 }, () => 60),
    45.6,
    31.2,
    ...ramp(28, 0, -4),
    ...idle(20),
  ];
  const trace = simulateDrive(petrol, { aggressiveness: 0.5 }, profile(speeds), { outsideTempC: 15 });
  const summary = summarizeTrace(trace, petrol);

  it('counts harsh events once per episode', () => {
    expect(summary.harshAccelerations).toBe(1);
    expect(summary.harshBrakings).toBe(1);
    expect(summary.maxAccelerationMs2).toBeCloseTo(3.5, 3);
    expect(summary.minAccelerationMs2).toBeCloseTo(-4, 3);
  });

  it('reports idling, long idling, speeding and speeds', () => {
    expect(summary.idleS).toBeGreaterThanOrEqual(180 + 19);
    expect(summary.longIdleS).toBeGreaterThanOrEqual(180);
    expect(summary.longIdleS).toBeLessThan(summary.idleS);
    expect(LONG_IDLE_S).toBe(120);
    expect(summary.maxSpeedKmh).toBeCloseTo(60, 3);
    expect(summary.speedingShare).toBeGreaterThan(0.5);
    expect(summary.durationS).toBe(speeds.length);
    expect(summary.avgSpeedKmh).toBeCloseTo((summary.distanceKm / summary.movingS) * 3600, 6);
  });

  it('reports consumption in the model’s unit', () => {
    expect(summary.consumption.unit).toBe('L/100km');
    expect(summary.consumption.value).toBeCloseTo((summary.fuelL / summary.distanceKm) * 100, 6);
    expect(summary.electricKwhPer100km).toBeNull();
    expect(summary.highRpmShare).not.toBeNull();

    const ev = model('opel-corsa-e');
    const evSummary = summarizeTrace(
      simulateDrive(ev, { aggressiveness: 0.5 }, profile(speeds), { outsideTempC: 15 }),
      ev,
    );
    expect(evSummary.consumption.unit).toBe('kWh/100km');
    expect(evSummary.fuelLPer100km).toBeNull();
    expect(evSummary.highRpmShare).toBeNull();
    expect(evSummary.idleS).toBe(0);

    const hybrid = model('opel-grandland-hybrid-225');
    const hybridSummary = summarizeTrace(
      simulateDrive(hybrid, { aggressiveness: 0.5 }, profile(speeds), { outsideTempC: 15 }),
      hybrid,
    );
    expect(hybridSummary.consumption.unit).toBe('L/100km');
    expect(hybridSummary.electricKwhPer100km).not.toBeNull();
  });

  it('handles a trace that never moves', () => {
    const parked = summarizeTrace(
      simulateDrive(petrol, { aggressiveness: 0.5 }, profile(idle(30)), { outsideTempC: 15 }),
      petrol,
    );
    expect(parked.distanceKm).toBe(0);
    expect(parked.consumption.value).toBe(0);
    expect(parked.avgSpeedKmh).toBe(0);
    expect(parked.fuelL).toBeGreaterThan(0);
  });
});
