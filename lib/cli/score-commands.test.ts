import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { storeVehicleData } from '../db/queries/vehicle-data';
import { createVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { emptyVehicleData, type Sample, type Trip } from '../telemetry/model';
import { type CliRun, runCliCaptured } from './cli-for-tests';

// `scores` end to end on both engines: trips stored the way the worker stores them are scored on
// demand, listed with the interfaces.md fields, and the car is ranked among its peer group once it
// has 100 km and 5 rated trips in the last 30 days — a calm driver above a rough one.

const DAY = 86_400_000;
// Whole seconds, a few days back, so every trip falls inside the 30-day window.
const T0 = Math.floor((Date.now() - 5 * DAY) / 1000) * 1000;

/**
 * A 10-minute trip at 1 Hz: up to 90 km/h, cruise, down to a stop. A rough driver speeds up at
 * 3.6 m/s² and stops at −4.5 m/s² (harsh, severe); a calm one at 1 m/s² both ways.
 */
function drive(startMs: number, rough: boolean): Sample[] {
  const samples: Sample[] = [];
  const rate = rough ? 3.6 : 1;
  const brake = rough ? 4.5 : 1;
  const upS = 25 / rate;
  const downS = 25 / brake;
  for (let t = 0; t <= 600; t++) {
    const speedKmh =
      t <= upS ? t * rate * 3.6 : t <= 500 ? 90 : t <= 500 + downS ? 90 - (t - 500) * brake * 3.6 : 0;
    samples.push({
      at: startMs + t * 1000,
      speedKmh: Math.max(0, speedKmh),
      engineRpm: speedKmh < 2 ? 800 : 1200 + speedKmh * 15,
      ignition: true,
      source: { provider: 'psa-v4', ref: 'telemetry' },
    });
  }
  return samples;
}

let counter = 0;
async function carWithTrips(db: Kysely<Database>, email: string, trips: number, rough: boolean) {
  counter++;
  const owner = await createUser(db, { email, passwordHash: 'h' });
  const vehicle = await createVehicle(db, owner.id, {
    label: 'My 208',
    brand: 'peugeot',
    model: '208',
    powertrain: 'petrol',
    vin: `VF3CLIS${String(counter).padStart(10, '0')}`,
  });
  for (let i = 0; i < trips; i++) {
    const startMs = T0 + i * 3 * 3_600_000;
    const trip: Trip = {
      providerTripId: `t${i}`,
      startedAt: startMs,
      endedAt: startMs + 600_000,
      durationS: 600,
      distanceKm: 13,
      fuelUsedL: 0.8,
      source: { provider: 'psa-v4', ref: 'trips' },
    };
    await storeVehicleData(db, vehicle.id, {
      ...emptyVehicleData(),
      samples: drive(startMs, rough),
      trips: [trip],
    });
  }
  return vehicle;
}

describe.each(ENGINES)('scores on %s', (engine) => {
  const database = useTestDatabase(engine);
  const cli = (...argv: string[]): Promise<CliRun> => runCliCaptured(argv, database().env);

  it('lists scored trips and leaves an unranked car without period figures', async () => {
    await carWithTrips(database().db, `few-${engine}@example.com`, 2, false);
    const run = await cli('scores', '--owner', `few-${engine}@example.com`, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.trips).toHaveLength(2);
    expect(out.trips[0]).toEqual({
      id: expect.any(String),
      startedAt: new Date(T0).toISOString(),
      distanceKm: 13,
      score: expect.any(Number),
      components: {
        smoothness: expect.any(Number),
        speed: 100,
        engine: 100,
        idling: expect.any(Number),
        anticipation: 100,
        consumption: null,
      },
      events: [],
    });
    // 26 km in 2 trips: not ranked yet.
    expect(out.period).toEqual({ score: null, percentile: null, group: null, groupSize: null });
  });

  it('ranks a calm driver above a rough one in the same peer group', async () => {
    const { db } = database();
    await carWithTrips(db, `calm-${engine}@example.com`, 8, false);
    await carWithTrips(db, `rough-${engine}@example.com`, 8, true);
    await carWithTrips(db, `rough2-${engine}@example.com`, 8, true);

    const calm = JSON.parse((await cli('scores', '--owner', `calm-${engine}@example.com`, '--json')).stdout);
    const rough = JSON.parse(
      (await cli('scores', '--owner', `rough-${engine}@example.com`, '--vehicle', 'My 208', '--json')).stdout,
    );
    expect(rough.trips[0].events).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'harsh_braking', severity: 'severe' })]),
    );
    expect(calm.period.group).toBe('petrol · B-segment');
    // Three ranked cars (the 2-trip car of the first test is not): the calm one beats both.
    expect(calm.period.groupSize).toBe(3);
    expect(calm.period.percentile).toBeCloseTo((100 * 2) / 3, 1);
    expect(rough.period.score).toBeLessThan(calm.period.score);
    expect(rough.period.percentile).toBeLessThan(calm.period.percentile);
  });

  it('answers an unknown car like an unknown owner: not found', async () => {
    await createUser(database().db, { email: `nocar-${engine}@example.com`, passwordHash: 'h' });
    const run = await cli('scores', '--owner', `nocar-${engine}@example.com`, '--vehicle', 'Nope', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe('not_found');
    const nobody = await cli('scores', '--owner', `nobody-${engine}@example.com`, '--json');
    expect(JSON.parse(nobody.stdout).error.code).toBe('not_found');
  });
});
