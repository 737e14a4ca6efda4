import { createFleet } from '../../lib/simulator/fleet/fleet';
import { DAY_MS } from '../../lib/simulator/fleet/vehicle-timeline';
import { createWorld } from '../../lib/simulator/world/world';
import type { Benchmark, BenchRow } from './types';
import { formatInteger } from './types';

// How long the vehicle cloud takes to generate a year of 1 Hz telemetry for one car: every trip of
// 365 days, each simulated second by second (speed profile, gears, rpm, power, fuel or energy).
// A worker backfilling a year, or a benchmark world, pays this per car.

const TARGET_MS = 2000;

async function run(): Promise<BenchRow[]> {
  const world = createWorld({ seed: 'kinetic', peers: 10 });
  const rows: BenchRow[] = [];
  const yearEnd = Date.UTC(2026, 10, 1);
  // Untimed warm-up on another car (a month), so the figure is the steady state, not V8's JIT.
  for (const vehicle of world.ownerAt(1).vehicles) {
    const warmUp = createFleet(world, { backfillDays: 30 }).timelineOf(vehicle);
    for (const trip of warmUp.tripsBetween(yearEnd - 30 * DAY_MS, yearEnd)) warmUp.traceOf(trip);
  }
  for (const vehicle of world.ownerAt(0).vehicles) {
    // A fresh fleet each time: nothing cached from an earlier car or run.
    const fleet = createFleet(world, { backfillDays: 365 });
    const started = performance.now();
    const timeline = fleet.timelineOf(vehicle);
    let samples = 0;
    let trips = 0;
    for (let day = 0; day < 365; day++) {
      const from = yearEnd - (365 - day) * DAY_MS;
      for (const trip of timeline.tripsBetween(from, from + DAY_MS)) {
        samples += timeline.traceOf(trip).speedKmh.length;
        trips++;
      }
    }
    const ms = performance.now() - started;
    rows.push({
      benchmark: `Vehicle cloud: a year of 1 Hz telemetry for one car (demo ${vehicle.powertrain} ${vehicle.model})`,
      figure: `${formatInteger(ms)} ms (${formatInteger(samples)} samples in ${formatInteger(trips)} trips; ${formatInteger((samples / ms) * 1000)} samples/s)`,
      target: `≤ ${formatInteger(TARGET_MS)} ms`,
      status: ms <= TARGET_MS ? 'meets' : 'misses',
    });
  }
  return rows;
}

export const simulatorGeneration: Benchmark = { name: 'vehicle cloud generation', run };
