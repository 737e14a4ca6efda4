import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { emptyVehicleData, type Sample, type Trip } from '../../telemetry/model';
import type { Database } from '../schema';
import { forgetTripScore, SCORING_VERSION, scorePendingTrips } from './trip-scores';
import { createUser } from './users';
import { storeVehicleData } from './vehicle-data';
import { createVehicle } from './vehicles';

// Trip scores on both engines: finished, summarized trips are scored once into trip_scores, again
// when the write path recomputes their summary or the formulas change, and a trip too short to
// judge gets a row that says so.

const T0 = Date.UTC(2026, 4, 4, 7);
const at = (seconds: number) => T0 + seconds * 1000;

let counter = 0;
async function newVehicle(db: Kysely<Database>, powertrain = 'petrol') {
  counter++;
  const owner = await createUser(db, { email: `scores${counter}@example.com`, passwordHash: 'h' });
  const vehicle = await createVehicle(db, owner.id, {
    label: `Car ${counter}`,
    brand: 'peugeot',
    model: '308',
    powertrain,
    vin: `VF3SCOR${String(counter).padStart(10, '0')}`,
  });
  return vehicle.id;
}

/**
 * Ten minutes at 1 Hz from `startS`: 0 → 90 km/h in 25 s (1 m/s²), 90 km/h, then 90 → 0 in 25 s,
 * a 3-minute stop with the engine idling, engine speed following the road speed.
 */
function drive(startS: number): Sample[] {
  const samples: Sample[] = [];
  for (let t = 0; t <= 600; t++) {
    const speedKmh = t <= 25 ? t * 3.6 : t <= 395 ? 90 : t <= 420 ? (420 - t) * 3.6 : 0;
    samples.push({
      at: at(startS + t),
      speedKmh,
      engineRpm: speedKmh < 2 ? 800 : 1200 + speedKmh * 15,
      ignition: true,
      source: { provider: 'psa-v4', ref: 'telemetry' },
    });
  }
  return samples;
}

const trip = (id: string, startS: number, distanceKm: number): Trip => ({
  providerTripId: id,
  startedAt: at(startS),
  endedAt: at(startS + 600),
  durationS: 600,
  distanceKm,
  fuelUsedL: distanceKm * 0.06,
  source: { provider: 'psa-v4', ref: 'trips' },
});

const scoreRows = (db: Kysely<Database>, vehicleId: string) =>
  db
    .selectFrom('trip_scores')
    .selectAll()
    .where('vehicle_id', '=', vehicleId)
    .orderBy('started_at')
    .execute();

for (const engine of ENGINES) {
  describe(`scorePendingTrips (${engine})`, () => {
    const database = useTestDatabase(engine);

    it('scores a finished trip once, and says why a short one is not rated', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      await storeVehicleData(db, vehicleId, {
        ...emptyVehicleData(),
        samples: [...drive(0), ...drive(3600)],
        trips: [trip('long', 0, 10.4), trip('short', 3600, 0.8)],
      });

      expect(await scorePendingTrips(db, { vehicleIds: [vehicleId], now: at(9000) })).toBe(2);
      const [long, short] = await scoreRows(db, vehicleId);
      expect(long).toMatchObject({ version: SCORING_VERSION, not_rated_reason: null, tip: 'idling' });
      // Calm driving (1 m/s² up and down, no event, nothing above 130 km/h or 3,000 rpm), but
      // 3 min of idling beyond the free 2: 60 s of excess over 395 s of driving → 100 − 5 × 9.1.
      const components = JSON.parse(long?.components ?? '{}') as Record<string, number | null>;
      expect(components).toMatchObject({ speed: 100, engine: 100, anticipation: 100, consumption: null });
      expect(components.smoothness).toBeGreaterThan(90);
      expect(components.idling).toBeGreaterThan(40);
      expect(components.idling).toBeLessThan(60);
      expect(long?.score).toBeGreaterThan(80);
      expect(JSON.parse(long?.moments ?? '[]')).toEqual([
        expect.objectContaining({ component: 'idling', kind: 'long_idling', from: at(420) }),
      ]);
      expect(short).toMatchObject({
        score: null,
        not_rated_reason: 'too_short',
        components: expect.any(String),
      });

      // Nothing is pending any more.
      expect(await scorePendingTrips(db, { vehicleIds: [vehicleId] })).toBe(0);
    });

    it('does not rate a trip whose stored events cannot be read, and scores the trips behind it', async () => {
      const { db } = database();
      const damaged = await newVehicle(db);
      const healthy = await newVehicle(db);
      await storeVehicleData(db, damaged, {
        ...emptyVehicleData(),
        samples: [...drive(0), ...drive(3600)],
        trips: [trip('not-json', 0, 10.4), trip('not-events', 3600, 10.4)],
      });
      await storeVehicleData(db, healthy, {
        ...emptyVehicleData(),
        samples: drive(7200),
        trips: [trip('fine', 7200, 10.4)],
      });
      // Damaged at the database edge: the first is not JSON, the second a list of something else.
      const [notJson, notEvents] = await db
        .selectFrom('trips')
        .select('id')
        .where('vehicle_id', '=', damaged)
        .orderBy('started_at')
        .execute();
      await db
        .updateTable('trips')
        .set({ events: '{"damaged' })
        .where('id', '=', notJson?.id as string)
        .execute();
      await db
        .updateTable('trips')
        .set({ events: '[null, 3]' })
        .where('id', '=', notEvents?.id as string)
        .execute();

      expect(await scorePendingTrips(db, { vehicleIds: [damaged, healthy], now: at(9000) })).toBe(3);
      expect(await scoreRows(db, damaged)).toEqual([
        expect.objectContaining({ score: null, not_rated_reason: 'implausible' }),
        expect.objectContaining({ score: null, not_rated_reason: 'implausible' }),
      ]);
      const [fine] = await scoreRows(db, healthy);
      expect(fine?.score).toBeGreaterThan(80);
      expect(await scorePendingTrips(db, { vehicleIds: [damaged, healthy] })).toBe(0);
    });

    it('one trip failing to be scored holds back none of the others: onError hears of it, or it is thrown after them', async () => {
      const { db } = database();
      const first = await newVehicle(db);
      const second = await newVehicle(db);
      await storeVehicleData(db, first, {
        ...emptyVehicleData(),
        samples: drive(0),
        trips: [trip('refused', 0, 10.4)],
      });
      await storeVehicleData(db, second, {
        ...emptyVehicleData(),
        samples: drive(3600),
        trips: [trip('fine', 3600, 10.4)],
      });
      const refused = (
        await db.selectFrom('trips').select('id').where('vehicle_id', '=', first).executeTakeFirst()
      )?.id;
      // The database refuses to store this one trip's score (as a failing write would).
      if (engine === 'sqlite') {
        await sql`create trigger refuse_score before insert on trip_scores when new.trip_id = ${sql.lit(refused)}
          begin select raise(abort, 'score write refused'); end`.execute(db);
      } else {
        await sql`create function refuse_score() returns trigger language plpgsql as $$
          begin if new.trip_id = ${sql.lit(refused)} then raise exception 'score write refused'; end if; return new; end $$`.execute(
          db,
        );
        await sql`create trigger refuse_score before insert on trip_scores for each row execute function refuse_score()`.execute(
          db,
        );
      }
      const failures: string[] = [];
      const scored = await scorePendingTrips(db, {
        vehicleIds: [first, second],
        now: at(9000),
        onError: (tripId, error) => failures.push(`${tripId}: ${(error as Error).message}`),
      });
      expect(scored).toBe(1);
      expect(failures).toEqual([expect.stringMatching(new RegExp(`^${refused}: .*score write refused`))]);
      expect((await scoreRows(db, second))[0]?.score).toBeGreaterThan(80);
      expect(await scoreRows(db, first)).toEqual([]);

      // Without onError the failure is thrown, once the round is over.
      await expect(scorePendingTrips(db, { vehicleIds: [first, second], now: at(9000) })).rejects.toThrow(
        /score write refused/,
      );
      if (engine === 'sqlite') await sql`drop trigger refuse_score`.execute(db);
      else {
        await sql`drop trigger refuse_score on trip_scores`.execute(db);
        await sql`drop function refuse_score()`.execute(db);
      }
    });

    it('does not rate a trip the maker flagged, whatever its readings', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      await storeVehicleData(db, vehicleId, {
        ...emptyVehicleData(),
        samples: drive(0),
        trips: [{ ...trip('flagged', 0, 10.4), faults: ['data_lacking'] }],
      });
      expect(await scorePendingTrips(db, { vehicleIds: [vehicleId], now: at(9000) })).toBe(1);
      const [row] = await scoreRows(db, vehicleId);
      expect(row).toMatchObject({ score: null, not_rated_reason: 'flagged' });
    });

    it('scores a trip again when its summary is recomputed or the formulas change', async () => {
      const { db } = database();
      const vehicleId = await newVehicle(db);
      const data = { ...emptyVehicleData(), samples: drive(0), trips: [trip('a', 0, 10.4)] };
      await storeVehicleData(db, vehicleId, data);
      expect(await scorePendingTrips(db, { vehicleIds: [vehicleId] })).toBe(1);

      // The same trip delivered again: the write path recomputes its summary and forgets its score.
      await storeVehicleData(db, vehicleId, data);
      expect(await scoreRows(db, vehicleId)).toEqual([]);
      expect(await scorePendingTrips(db, { vehicleIds: [vehicleId] })).toBe(1);

      // A row written by older formulas counts as missing.
      await db
        .updateTable('trip_scores')
        .set({ version: SCORING_VERSION - 1 })
        .where('vehicle_id', '=', vehicleId)
        .execute();
      expect(await scorePendingTrips(db, { vehicleIds: [vehicleId] })).toBe(1);
      expect((await scoreRows(db, vehicleId))[0]?.version).toBe(SCORING_VERSION);

      const [row] = await scoreRows(db, vehicleId);
      await forgetTripScore(db, row?.trip_id ?? '');
      expect(await scoreRows(db, vehicleId)).toEqual([]);
    });

    it('leaves running trips and other vehicles alone', async () => {
      const { db } = database();
      const mine = await newVehicle(db);
      const other = await newVehicle(db);
      await storeVehicleData(db, mine, {
        ...emptyVehicleData(),
        samples: drive(0),
        trips: [{ ...trip('running', 0, 5), endedAt: undefined }],
      });
      await storeVehicleData(db, other, {
        ...emptyVehicleData(),
        samples: drive(0),
        trips: [trip('b', 0, 10.4)],
      });
      expect(await scorePendingTrips(db, { vehicleIds: [mine] })).toBe(0);
      expect(await scoreRows(db, other)).toEqual([]);
    });

    it('rates consumption against the median of the same model at a similar speed', async () => {
      const { db } = database();
      // Six cars of the same model drive the same trip; five burn 6 L/100 km, one 9.
      const vehicles: string[] = [];
      for (let i = 0; i < 6; i++) vehicles.push(await newVehicle(db));
      for (const [i, vehicleId] of vehicles.entries()) {
        const km = 10.4;
        await storeVehicleData(db, vehicleId, {
          ...emptyVehicleData(),
          samples: drive(0),
          trips: [{ ...trip('t', 0, km), fuelUsedL: (km * (i === 5 ? 9 : 6)) / 100 }],
        });
      }
      await scorePendingTrips(db, { vehicleIds: vehicles });
      const heavy = JSON.parse((await scoreRows(db, vehicles[5] as string))[0]?.components ?? '{}');
      const usual = JSON.parse((await scoreRows(db, vehicles[0] as string))[0]?.components ?? '{}');
      // Median 6: ratio 1.5 → ramp(1.5; 0.8, 1.8) = 30; ratio 1 → 80.
      expect(heavy.consumption).toBeCloseTo(30, 6);
      expect(usual.consumption).toBeCloseTo(80, 6);
    });
  });
}
