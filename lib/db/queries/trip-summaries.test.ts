import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import {
  emptyVehicleData,
  type Provider,
  type Sample,
  type Trip,
  type VehicleData,
} from '../../telemetry/model';
import type { Database } from '../schema';
import { summarizeStoredTrips, summarizeTripsOfBatch } from './trip-summaries';
import { createUser } from './users';
import { writeVehicleData } from './vehicle-data';
import { createVehicle } from './vehicles';

/** Stored the way the write path did before it derived anything: without rollups or summaries. */
function storeUnderived(db: Kysely<Database>, vehicleId: string, data: VehicleData) {
  return db
    .transaction()
    .execute((trx) => writeVehicleData(trx, vehicleId, data, [], Date.now(), { deriveLater: true }));
}

// Kinetic's summary of provider trips on both engines: moving and idle time and harsh events from
// the stored samples of the trip's span, the provider's own figures untouched, the same result
// however often it runs and in whatever order the samples came.

const T0 = Date.UTC(2026, 3, 7, 8);
const s = (seconds: number) => T0 + seconds * 1000;

let counter = 0;
async function newVehicle(db: Kysely<Database>): Promise<string> {
  counter++;
  const owner = await createUser(db, { email: `summaries${counter}@example.com`, passwordHash: 'h' });
  const vehicle = await createVehicle(db, owner.id, {
    label: `Car ${counter}`,
    brand: 'peugeot',
    model: '208',
    powertrain: 'petrol',
    vin: `VF3SUMM${String(counter).padStart(10, '0')}`,
  });
  return vehicle.id;
}

/**
 * A two-minute drive at 1 Hz, engine on throughout: stopped for 30 s, 0 → 36 km/h over 10 s
 * (1 m/s², gentle), 36 km/h until 100 s, 36 → 0 km/h over 2 s (−5 m/s², harsh and severe), then
 * stopped until 120 s.
 */
function drive(): Sample[] {
  const samples: Sample[] = [];
  for (let t = 0; t <= 120; t++) {
    let speedKmh: number;
    if (t <= 30) speedKmh = 0;
    else if (t <= 40) speedKmh = (t - 30) * 3.6;
    else if (t <= 100) speedKmh = 36;
    else if (t <= 102) speedKmh = 36 - (t - 100) * 18;
    else speedKmh = 0;
    samples.push({ at: s(t), speedKmh, ignition: true, source: { provider: 'psa-v4', ref: 'telemetry' } });
  }
  return samples;
}

// Hand-worked (trip-summary.ts rule 3: stationary below 2 km/h, speed drawn straight between
// readings, idle when stationary with the engine on): stopped 0–30 s and 102–120 s (48 s); of
// 30–31 s (0 → 3.6 km/h) the share 2/3.6 is below 2 km/h; of 101–102 s (18 → 0) the share 2/18.
const IDLE_S = 48 + 2 / 3.6 + 2 / 18;
const MOVING_S = 120 - IDLE_S;

const providerTrip = (id: string, fields: Partial<Trip> = {}, provider: Provider = 'psa-v4'): Trip => ({
  providerTripId: id,
  startedAt: s(0),
  endedAt: s(120),
  durationS: 120,
  distanceKm: 0.777,
  fuelUsedL: 0.09,
  avgSpeedKmh: 23.3,
  maxSpeedKmh: 40,
  source: { provider, ref: 'trips' },
  ...fields,
});

async function tripRow(db: Kysely<Database>, vehicleId: string, providerTripId: string) {
  return db
    .selectFrom('trips')
    .selectAll()
    .where('vehicle_id', '=', vehicleId)
    .where('provider_trip_id', '=', providerTripId)
    .executeTakeFirstOrThrow();
}

const summarize = (db: Kysely<Database>, vehicleId: string, fromMs: number, toMs: number) =>
  db.transaction().execute((trx) => summarizeStoredTrips(trx, vehicleId, { fromMs, toMs }));

for (const engine of ENGINES) {
  describe(`summarizeStoredTrips (${engine})`, () => {
    const database = useTestDatabase(engine);

    it('adds moving and idle time and the harsh braking, keeping the provider figures', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      await storeUnderived(db, vehicleId, {
        ...emptyVehicleData(),
        samples: drive(),
        trips: [providerTrip('a')],
      });
      expect(await summarize(db, vehicleId, s(50), s(60))).toBe(1);

      const row = await tripRow(db, vehicleId, 'a');
      expect(row.moving_s).toBeCloseTo(MOVING_S, 3);
      expect(row.idle_s).toBeCloseTo(IDLE_S, 3);
      const events = JSON.parse(row.events ?? 'null') as {
        type: string;
        severity: string;
        at: string;
        value: number;
      }[];
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'harsh_braking', severity: 'severe' });
      expect(events[0]?.value).toBeLessThanOrEqual(-4);
      expect(events[0]?.value).toBeGreaterThanOrEqual(-5.01);
      const peak = Date.parse(events[0]?.at ?? '');
      expect(peak).toBeGreaterThanOrEqual(s(100));
      expect(peak).toBeLessThanOrEqual(s(102));
      // The provider's own figures stay.
      expect(row).toMatchObject({ distance_km: 0.777, duration_s: 120, max_speed_kmh: 40 });
      expect(row.fuel_used_l).toBeCloseTo(0.09, 6);
      expect(row.avg_speed_kmh).toBeCloseTo(23.3, 4);
    });

    it('leaves unfinished trips, trips outside the range, other providers and trips without samples alone', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      const later = 86_400_000;
      await storeUnderived(db, vehicleId, {
        ...emptyVehicleData(),
        samples: drive(),
        trips: [
          providerTrip('running', { endedAt: undefined, durationS: 60 }),
          providerTrip('imported', {}, 'obd-import'),
          providerTrip('no-samples', { startedAt: s(0) + later, endedAt: s(120) + later }),
        ],
      });
      expect(await summarize(db, vehicleId, s(0), s(120) + later)).toBe(0);
      for (const id of ['running', 'imported', 'no-samples']) {
        expect(await tripRow(db, vehicleId, id)).toMatchObject({
          moving_s: null,
          idle_s: null,
          events: null,
        });
      }
      // A range that ends before the trip starts does not touch it either.
      await storeUnderived(db, vehicleId, { ...emptyVehicleData(), trips: [providerTrip('b')] });
      expect(await summarize(db, vehicleId, s(-600), s(-1))).toBe(0);
      expect((await tripRow(db, vehicleId, 'b')).events).toBeNull();
    });

    it("summarizeTripsOfBatch: the batch's own trips and the trips its samples fall in, each once", async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      const samples = drive();
      // The samples first (the trip not known yet), then the trip alone, then a late sample.
      const first = { ...emptyVehicleData(), samples };
      await storeUnderived(db, vehicleId, first);
      expect(await db.transaction().execute((trx) => summarizeTripsOfBatch(trx, vehicleId, first))).toBe(0);
      const tripOnly = { ...emptyVehicleData(), trips: [providerTrip('d')] };
      await storeUnderived(db, vehicleId, tripOnly);
      expect(await db.transaction().execute((trx) => summarizeTripsOfBatch(trx, vehicleId, tripOnly))).toBe(
        1,
      );
      const summarized = await tripRow(db, vehicleId, 'd');
      expect(summarized.moving_s).toBeCloseTo(MOVING_S, 3);
      const both = { ...emptyVehicleData(), samples: samples.slice(50, 52), trips: [providerTrip('d')] };
      expect(await db.transaction().execute((trx) => summarizeTripsOfBatch(trx, vehicleId, both))).toBe(1);
      expect(await tripRow(db, vehicleId, 'd')).toEqual(summarized);
    });

    it('writes no events for a calm trip: an empty list, not null', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      const calm = drive().map((sample) => ({ ...sample, speedKmh: Math.min(sample.speedKmh ?? 0, 20) }));
      await storeUnderived(db, vehicleId, {
        ...emptyVehicleData(),
        samples: calm,
        trips: [providerTrip('c')],
      });
      await summarize(db, vehicleId, s(0), s(120));
      expect((await tripRow(db, vehicleId, 'c')).events).toBe('[]');
    });

    it('is idempotent: samples in pieces, shuffled, twice, summarized after each piece, end as summarizing once', async () => {
      const { db } = database();
      const reference = await newVehicle(db);
      await storeUnderived(db, reference, {
        ...emptyVehicleData(),
        samples: drive(),
        trips: [providerTrip('r')],
      });
      await summarize(db, reference, s(0), s(120));
      const expected = await tripRow(db, reference, 'r');

      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray(drive(), { minLength: 121, maxLength: 121 }),
          fc.array(fc.integer({ min: 0, max: 242 }), { maxLength: 4 }),
          async (shuffled, cuts) => {
            const vehicleId = await newVehicle(db);
            const twice = [...shuffled, ...shuffled.slice().reverse()];
            const ends = [...new Set(cuts)].sort((a, b) => a - b);
            let start = 0;
            await storeUnderived(db, vehicleId, { ...emptyVehicleData(), trips: [providerTrip('r')] });
            for (const end of [...ends, twice.length]) {
              const piece = twice.slice(start, end);
              start = Math.max(start, end);
              if (piece.length === 0) continue;
              await storeUnderived(db, vehicleId, { ...emptyVehicleData(), samples: piece });
              const instants = piece.map((sample) => sample.at);
              await summarize(db, vehicleId, Math.min(...instants), Math.max(...instants));
            }
            const row = await tripRow(db, vehicleId, 'r');
            expect({ moving: row.moving_s, idle: row.idle_s, events: row.events }).toEqual({
              moving: expected.moving_s,
              idle: expected.idle_s,
              events: expected.events,
            });
          },
        ),
        { numRuns: 8 },
      );
    });
  });
}
