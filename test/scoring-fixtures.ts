import type { Kysely } from 'kysely';
import { refreshStaleStandings, snapshotBoards } from '@/lib/db/queries/standings';
import { scorePendingTrips } from '@/lib/db/queries/trip-scores';
import { createUser } from '@/lib/db/queries/users';
import { storeVehicleData } from '@/lib/db/queries/vehicle-data';
import { createVehicle } from '@/lib/db/queries/vehicles';
import type { Database } from '@/lib/db/schema';
import { emptyVehicleData, type Sample, type Trip } from '@/lib/telemetry/model';

// Test support for the scoring suites: owners whose cars drove trips the way the worker stores
// them (provider trips with their 1 Hz samples), calm or rough.

export const TRIP_KM = 13;

/**
 * A 10-minute trip at 1 Hz: up to 90 km/h, cruise, down to a stop. A rough driver speeds up at
 * 3.6 m/s² and stops at −4.5 m/s² (harsh, severe); a calm one at 1 m/s² both ways.
 */
export function drive(startMs: number, rough: boolean): Sample[] {
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

/** A new owner with a petrol 208 labelled "My 208" that drove `trips` trips, 3 h apart from `firstMs`. */
export async function ownerWithTrips(
  db: Kysely<Database>,
  email: string,
  options: { trips: number; rough: boolean; firstMs: number },
) {
  counter++;
  const owner = await createUser(db, { email, passwordHash: 'h' });
  const vehicle = await createVehicle(db, owner.id, {
    label: 'My 208',
    brand: 'peugeot',
    model: '208',
    powertrain: 'petrol',
    vin: `VF3FIXT${String(counter).padStart(10, '0')}`,
  });
  for (let i = 0; i < options.trips; i++) {
    const startMs = options.firstMs + i * 3 * 3_600_000;
    const trip: Trip = {
      providerTripId: `t${i}`,
      startedAt: startMs,
      endedAt: startMs + 600_000,
      durationS: 600,
      distanceKm: TRIP_KM,
      fuelUsedL: 0.8,
      source: { provider: 'psa-v4', ref: 'trips' },
    };
    await storeVehicleData(db, vehicle.id, {
      ...emptyVehicleData(),
      samples: drive(startMs, options.rough),
      trips: [trip],
    });
  }
  return { owner, vehicle };
}

/** What the worker's scoring round does, run to the end: every trip scored, every standing current, the day's copy of the bins. */
export async function scoreAndRank(db: Kysely<Database>, now: number) {
  while ((await scorePendingTrips(db, { now, limit: 1000 })) === 1000) {}
  while ((await refreshStaleStandings(db, { now, limit: 1000 })) === 1000) {}
  await snapshotBoards(db, now);
}
