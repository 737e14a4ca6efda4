import type { Sample } from '../../../lib/telemetry/model';
import { seededRandom } from '../../support/seeded-random';

// A year of a commuter's driving at 1 Hz for the telemetry API bench: two drives a day (morning
// and evening, 28–36 minutes each, about 64 minutes a day: 1.4 million samples a year), each a
// string of urban, rural and motorway stretches with traffic lights. Speed follows a target with
// bounded acceleration (±2.5 m/s²) and a little noise; RPM follows the gear the speed calls for
// (idle at a stop); instantaneous consumption, as PSA reports it, only while moving, from a
// rolling-and-air-drag model plus an acceleration term; the fuel level falls and refills.
// Deterministic (seeded), so every run reads the same year.

const SECOND = 1000;
const DAY = 86_400_000;

/** km/h per 1000 rpm in gears 1–6 of a small petrol hatchback. */
const KMH_PER_KRPM = [8, 14, 21, 29, 37, 45];
const STRETCHES = [
  { limit: 50, lights: true },
  { limit: 80, lights: false },
  { limit: 130, lights: false },
] as const;

export type Drive = { startedAt: number; endedAt: number };

/**
 * Each day's samples and drives, oldest first, one day at a time (a year of sample objects at
 * once would take half a gigabyte). `start` is 00:00 UTC of the first day.
 */
export function* driveDays(start: number, days: number): Generator<{ samples: Sample[]; drives: Drive[] }> {
  const next = seededRandom(2026);
  let fuelPct = 90;
  let odometerKm = 31_000;
  for (let day = 0; day < days; day++) {
    const samples: Sample[] = [];
    const drives: Drive[] = [];
    for (const departHour of [7, 17]) {
      const startedAt = start + day * DAY + departHour * 3_600_000 + Math.floor(next() * 3600) * SECOND;
      const seconds = 28 * 60 + Math.floor(next() * 8 * 60);
      let speed = 0;
      let stretch: (typeof STRETCHES)[number] = STRETCHES[0];
      let stretchLeft = 0;
      let target = 0;
      let stopLeft = 0;
      for (let s = 0; s < seconds; s++) {
        if (stretchLeft <= 0) {
          // Urban at both ends of the drive, anything in between.
          const urban = s < 240 || seconds - s < 240;
          stretch = urban ? STRETCHES[0] : (STRETCHES[Math.floor(next() * 3)] ?? STRETCHES[0]);
          stretchLeft = 60 + Math.floor(next() * 300);
          target = stretch.limit * (0.85 + next() * 0.2);
        }
        stretchLeft--;
        if (stopLeft > 0) stopLeft--;
        else if (stretch.lights && next() < 1 / 90) stopLeft = 10 + Math.floor(next() * 40);
        const wanted = stopLeft > 0 || seconds - s < 15 ? 0 : target + (next() - 0.5) * 4;
        const before = speed;
        speed = Math.max(0, Math.min(speed + 9, Math.max(speed - 11, wanted)));
        if (speed < 1 && wanted === 0) speed = 0;
        const accelerationMs2 = (speed - before) / 3.6;
        const gear = speed === 0 ? 0 : KMH_PER_KRPM.findIndex((kmh) => speed / kmh <= 2.6) + 1 || 6;
        const rpm =
          gear === 0 ? 780 + next() * 40 : Math.max(1000, (speed / (KMH_PER_KRPM[gear - 1] ?? 45)) * 1000);
        odometerKm += speed / 3600;
        fuelPct -= speed / 3600 / 6;
        if (fuelPct < 12) fuelPct = 95;
        const sample: Sample = {
          at: startedAt + s * SECOND,
          speedKmh: Math.round(speed * 10) / 10,
          engineRpm: Math.round(rpm),
          fuelLevelPct: Math.round(fuelPct * 10) / 10,
          odometerKm: Math.round(odometerKm * 1000) / 1000,
          gear,
          ignition: true,
          source: { provider: 'psa-v4', ref: 'telemetry' },
        };
        if (speed >= 1) {
          const drag = 3.2 + 0.00042 * speed * speed + (350 / speed) * 0.1;
          const push = Math.max(0, accelerationMs2) * 6;
          sample.fuelConsumptionLPer100km = Math.min(60, Math.round((drag + push) * 10) / 10);
        }
        samples.push(sample);
      }
      drives.push({ startedAt, endedAt: startedAt + (seconds - 1) * SECOND });
    }
    yield { samples, drives };
  }
}
