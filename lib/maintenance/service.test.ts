import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { newOwner, newVehicle, storeSamples } from '../alerts/alerts-for-tests';
import { writeVehicleData } from '../db/queries/vehicle-data';
import { emptyVehicleData } from '../telemetry/model';
import { getMaintenance, ownerPace } from './service';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);
const source = { provider: 'psa-v4', ref: 'test' } as const;

for (const engine of ENGINES) {
  describe(`maintenance service (${engine})`, () => {
    const database = useTestDatabase(engine);

    it('forecasts from the latest report and the odometer pace, for the owner only', async () => {
      const { db } = database();
      const owner = await newOwner(db, 'service');
      const stranger = await newOwner(db, 'service-stranger');
      const car = await newVehicle(db, owner, 'Blue 308');
      // 30 km a day: 10 000 km forty days ago, 11 170 km yesterday (39 × 30 km later).
      await storeSamples(
        db,
        car,
        Array.from({ length: 40 }, (_, i) => ({ at: NOW - (40 - i) * DAY, odometerKm: 10_000 + i * 30 })),
      );
      await writeVehicleData(db, car, {
        ...emptyVehicleData(),
        maintenance: [
          { at: NOW - 10 * DAY, daysBeforeService: 70, kmBeforeService: 1800, source },
          { at: NOW - 2 * DAY, daysBeforeService: 60, kmBeforeService: 1500, source },
        ],
      });
      // A report without either value says nothing: the one before it stands.
      await db
        .insertInto('maintenance_reports')
        .values({
          vehicle_id: car,
          provider: 'psa-v4',
          at: NOW - DAY,
          source_ref: 'test',
          days_before_service: null,
          km_before_service: null,
        })
        .execute();

      // Pace: 1170 km over the 40 days from the first reading to now = 29.25 km/day.
      expect(await ownerPace(db, car, NOW)).toBeCloseTo(29.25, 10);
      const maintenance = await getMaintenance(db, owner, car, NOW);
      // Distance: 1500 km / 29.25 = 51.282… days after the report (2 days ago) → 49.282… days
      // from now; time: 60 − 2 = 58 days. Distance first.
      const byDistanceDays = 1500 / 29.25 - 2;
      expect(maintenance).toMatchObject({
        vehicleId: car,
        vehicleLabel: 'Blue 308',
        report: { at: new Date(NOW - 2 * DAY).toISOString(), daysBeforeService: 60, kmBeforeService: 1500 },
        forecast: {
          status: 'ok',
          firstLimit: 'distance',
          dueAt: new Date(NOW + byDistanceDays * DAY).toISOString(),
          daysBeforeServiceNow: 58,
        },
      });
      expect(maintenance?.forecast.daysLeft).toBeCloseTo(byDistanceDays, 6);
      expect(maintenance?.forecast.kmBeforeServiceNow).toBeCloseTo(1500 - 2 * 29.25, 6);

      expect(await getMaintenance(db, stranger, car, NOW)).toBeNull();
      expect(await getMaintenance(db, owner, 'no-such-car', NOW)).toBeNull();
    });

    it("falls back on trips' distances without an odometer, and says unknown without a report", async () => {
      const { db } = database();
      const owner = await newOwner(db, 'service-trips');
      const car = await newVehicle(db, owner, 'No odometer');
      const trip = (daysAgo: number, km: number) => ({
        providerTripId: `t${daysAgo}`,
        startedAt: NOW - daysAgo * DAY,
        endedAt: NOW - daysAgo * DAY + 3_600_000,
        distanceKm: km,
        source,
      });
      await writeVehicleData(db, car, {
        ...emptyVehicleData(),
        trips: [trip(20, 100), trip(10, 200), trip(1, 100)],
      });
      // 400 km over the 20 days since the first trip = 20 km/day.
      expect(await ownerPace(db, car, NOW)).toBe(20);

      const before = await getMaintenance(db, owner, car, NOW);
      expect(before).toMatchObject({
        report: null,
        forecast: { status: 'unknown', dueAt: null, paceKmPerDay: 20 },
      });

      await writeVehicleData(db, car, {
        ...emptyVehicleData(),
        maintenance: [{ at: NOW, kmBeforeService: 600, source }],
      });
      // 600 km at 20 km/day: 30 days.
      const after = await getMaintenance(db, owner, car, NOW);
      expect(after?.forecast).toMatchObject({
        status: 'ok',
        firstLimit: 'distance',
        dueAt: new Date(NOW + 30 * DAY).toISOString(),
        daysLeft: 30,
      });
    });
  });
}
