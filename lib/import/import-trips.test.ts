import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { sampleOfRow, storeVehicleData, tripIdOf } from '../db/queries/vehicle-data';
import { createVehicle } from '../db/queries/vehicles';
import type { VehicleRow } from '../db/schema';
import { drivingEventToJson } from '../scoring/events';
import { segmentTrips } from '../telemetry/derive/segment-trips';
import { summarizeTrip } from '../telemetry/derive/trip-summary';
import { emptyVehicleData, type Sample } from '../telemetry/model';
import { importedTripDeriver, SAMPLE_PAGE_ROWS } from './import-trips';

// The streamed derivation (pages of samples, one reading at a time) must store the trips that
// segmenting and summarising all the samples at once gives — segmentTrips and summarizeTrip over
// the stored samples are the oracle — wherever the page edges fall.

const T0 = Date.UTC(2026, 2, 2, 7);
const SOURCE = { provider: 'obd-import' as const, ref: 'log.csv' };

/** `seconds` of 1 Hz readings from `fromS`, speed and engine as functions of the elapsed time. */
function stretch(fromS: number, seconds: number, fields: (t: number) => Partial<Sample>): Sample[] {
  const out: Sample[] = [];
  for (let t = 0; t <= seconds; t++) out.push({ at: T0 + (fromS + t) * 1000, source: SOURCE, ...fields(t) });
  return out;
}

/** Up to 70 km/h, cruise with a hard stop (−5 m/s²) and a hard start, then down to a stop. */
const drive = (fromS: number, seconds: number) =>
  stretch(fromS, seconds, (t) => {
    const brake = t >= 300 && t < 304 ? 18 * (t - 300) : t >= 304 && t < 320 ? 72 : 0;
    const start = t >= 320 && t < 330 ? 72 - 7.2 * (t - 320) : 0;
    const speed = Math.max(0, Math.min(70, t * 2, (seconds - t) * 2) - (brake > 0 ? brake : start));
    return {
      speedKmh: speed,
      engineRpm: 850 + speed * 30,
      fuelRateLph: 0.8 + speed / 15,
      latitude: 48.85 + (fromS + t) / 1e6,
      longitude: 2.35,
    };
  });

const samples: Sample[] = [
  ...drive(0, 900),
  // Idling 6 minutes with the engine on: still the same trip.
  ...stretch(901, 360, () => ({ speedKmh: 0, engineRpm: 800 })),
  ...drive(1262, 600),
  // Parked with the ignition off, then a 20-minute silence.
  ...stretch(1863, 120, () => ({ speedKmh: 0, ignition: false })),
  ...drive(3200, 1200),
  // A 30-second blip in the car park: noise.
  ...stretch(4800, 30, (t) => ({ speedKmh: t > 0 && t < 30 ? 6 : 0 })),
  ...drive(5400, 700),
];

describe.each(ENGINES)('deriving the trips of an import on %s', (engine) => {
  const database = useTestDatabase(engine);
  let counter = 0;

  async function importedCar(): Promise<VehicleRow> {
    counter += 1;
    const { db } = database();
    const owner = await createUser(db, { email: `trips${counter}@example.com`, passwordHash: null });
    const vehicle = await createVehicle(db, owner.id, {
      label: 'OBD import',
      brand: 'unknown',
      model: 'unknown',
      powertrain: 'petrol',
      vin: 'import:OBD import',
    });
    await storeVehicleData(db, vehicle.id, { ...emptyVehicleData(), samples });
    return vehicle;
  }

  it.each([3, 997, SAMPLE_PAGE_ROWS])(
    'stores what the whole-span rules give, with pages of %i rows',
    async (pageRows) => {
      const { db } = database();
      const vehicle = await importedCar();
      const first = samples[0] as Sample;
      const last = samples[samples.length - 1] as Sample;
      const ids = await db
        .transaction()
        .execute((trx) => importedTripDeriver(pageRows)(trx, vehicle, first.at, last.at));

      // The oracle, over the samples as the store gives them back.
      const stored = await db
        .selectFrom('samples')
        .selectAll()
        .where('vehicle_id', '=', vehicle.id)
        .orderBy('at')
        .execute();
      const expected = segmentTrips(stored.map(sampleOfRow)).trips.map((trip) => ({
        id: tripIdOf(vehicle.id, 'obd-import', trip.providerTripId),
        summary: summarizeTrip(trip.samples, { powertrain: 'petrol' }),
      }));
      // Drive, idle and drive as one trip (the ignition goes off after it), two more drives; the blip is noise.
      expect(expected).toHaveLength(3);
      expect(expected.some(({ summary }) => summary.events.length > 0)).toBe(true);
      expect(ids).toEqual(expected.map(({ id }) => id));

      const trips = await db
        .selectFrom('trips')
        .selectAll()
        .where('vehicle_id', '=', vehicle.id)
        .orderBy('started_at')
        .execute();
      expect(trips.map((trip) => trip.id)).toEqual(ids);
      for (const [i, trip] of trips.entries()) {
        const { summary } = expected[i] as (typeof expected)[number];
        expect(Number(trip.started_at)).toBe(summary.startedAt);
        expect(Number(trip.ended_at)).toBe(summary.endedAt);
        expect(trip.events).toBe(JSON.stringify(summary.events.map(drivingEventToJson)));
        // Stored as `real` (4 bytes on PostgreSQL): equal to about 7 digits.
        expect(trip.moving_s).toBeCloseTo(summary.movingS as number, 1);
        expect(trip.idle_s).toBeCloseTo(summary.idleS as number, 1);
        expect(trip.distance_km).toBeCloseTo(summary.distanceKm as number, 3);
        expect(trip.fuel_used_l).toBeCloseTo(summary.fuelUsedL as number, 3);
        expect(trip.max_speed_kmh).toBeCloseTo(summary.maxSpeedKmh as number, 3);
      }
    },
  );
});
