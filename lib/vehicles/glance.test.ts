import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { storeVehicleData } from '../db/queries/vehicle-data';
import { createVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { glanceDtoSchema } from '../schemas/glance';
import { emptyVehicleData, type Sample, type VehicleData } from '../telemetry/model';
import { distanceMetres, getGlance } from './glance';

// The glance on both engines, from hand-built data: each card ok, not provided and stale; privacy
// hiding the position; driving now; another owner's car. Expectations are worked out from the
// rows written here (and the thresholds: stale after 3 days, samples looked up 7 days back, then the day rollups or the last trip).

const NOW = Date.UTC(2026, 2, 15, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const v4 = (ref: string) => ({ provider: 'psa-v4' as const, ref });
const sample = (at: number, fields: Omit<Sample, 'at' | 'source'>): Sample => ({
  at,
  source: v4('telemetry'),
  ...fields,
});

// Two points about 110 m apart (0.001° of latitude), and one ~11 km away.
const HOME = { latitude: 48.85, longitude: 2.35 };
const NEAR_HOME = { latitude: 48.851, longitude: 2.35 };
const FAR = { latitude: 48.95, longitude: 2.35 };

let counter = 0;
async function owner(db: Kysely<Database>) {
  counter++;
  return createUser(db, { email: `glance${counter}@example.com`, passwordHash: 'h' });
}
async function car(db: Kysely<Database>, ownerId: string, powertrain: string) {
  counter++;
  return createVehicle(db, ownerId, {
    label: `Car ${counter}`,
    brand: 'Peugeot',
    model: powertrain === 'electric' ? 'e-208' : '308',
    powertrain,
    vin: `VF3GLNC${String(counter).padStart(10, '0')}`,
  });
}
const store = (db: Kysely<Database>, vehicleId: string, data: Partial<VehicleData>) =>
  storeVehicleData(db, vehicleId, { ...emptyVehicleData(), ...data });

describe('distanceMetres', () => {
  it('measures 0.001° of latitude as about 111 m', () => {
    expect(distanceMetres(HOME, NEAR_HOME)).toBeGreaterThan(105);
    expect(distanceMetres(HOME, NEAR_HOME)).toBeLessThan(117);
    expect(distanceMetres(HOME, HOME)).toBe(0);
  });
});

describe.each(ENGINES)('getGlance on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('gives every card of a petrol car parked an hour ago, with when the car measured it', async () => {
    const { db } = database();
    const me = await owner(db);
    const vehicle = await car(db, me.id, 'petrol');
    const tripStart = NOW - 2 * HOUR;
    const tripEnd = NOW - HOUR;
    await store(db, vehicle.id, {
      samples: [
        sample(tripStart, { speedKmh: 0, ignition: true, odometerKm: 12_000, fuelLevelPct: 60, ...HOME }),
        sample(tripStart + 30 * MIN, { speedKmh: 80, fuelLevelPct: 55 }),
        sample(tripEnd - MIN, { speedKmh: 30, odometerKm: 12_050.5 }),
        // Key-off, with the last fix: ~111 m from where the provider says the trip ended.
        sample(tripEnd, { speedKmh: 0, ignition: false, ...NEAR_HOME }),
      ],
      trips: [
        {
          providerTripId: 't1',
          startedAt: tripStart,
          endedAt: tripEnd,
          endPosition: HOME,
          source: v4('trips/t1'),
        },
      ],
      snapshots: [
        { at: tripEnd, rangeKm: 480, source: v4('status') },
        { at: tripEnd, privacy: 'none', source: v4('status') },
      ],
      maintenance: [
        { at: NOW - 10 * DAY, daysBeforeService: 40, kmBeforeService: 900, source: v4('maintenance') },
        { at: NOW - 2 * DAY, daysBeforeService: -3, kmBeforeService: 250, source: v4('maintenance') },
      ],
      alerts: [
        {
          providerAlertId: 'a',
          type: 'x',
          severity: 'critical',
          active: true,
          startedAt: NOW - DAY,
          source: v4('alerts'),
        },
        {
          providerAlertId: 'b',
          type: 'x',
          severity: 'warning',
          active: true,
          startedAt: NOW - DAY,
          source: v4('alerts'),
        },
        {
          providerAlertId: 'c',
          type: 'x',
          severity: 'warning',
          active: true,
          startedAt: NOW - DAY,
          source: v4('alerts'),
        },
        {
          providerAlertId: 'd',
          type: 'x',
          severity: 'warning',
          active: false,
          startedAt: NOW - DAY,
          source: v4('alerts'),
        },
      ],
    });

    const glance = await getGlance(db, me.id, vehicle.id, NOW);
    expect(glanceDtoSchema.parse(glance)).toEqual(glance);
    expect(glance?.vehicle).toEqual({
      id: vehicle.id,
      label: vehicle.label,
      brand: 'Peugeot',
      model: '308',
      powertrain: 'petrol',
    });
    expect(glance?.energy).toEqual({
      fuelLevelPct: { availability: 'ok', value: 55, measuredAt: tripStart + 30 * MIN },
      batteryLevelPct: { availability: 'not_provided', value: null, measuredAt: null },
      rangeKm: { availability: 'ok', value: 480, measuredAt: tripEnd },
    });
    expect(glance?.odometerKm).toEqual({ availability: 'ok', value: 12_050.5, measuredAt: tripEnd - MIN });
    // The last fix is as new as the trip's end (the sample wins a tie) and within 300 m of it.
    expect(glance?.location).toEqual({
      availability: 'ok',
      value: NEAR_HOME,
      measuredAt: tripEnd,
      privacy: { state: 'none', since: tripEnd },
      hidden: false,
      nearTrip: { id: expect.any(String), startedAt: tripStart },
    });
    expect(glance?.activity).toEqual({
      state: 'parked',
      speedKmh: null,
      since: tripEnd,
      measuredAt: tripEnd,
      availability: 'ok',
    });
    expect(glance?.service).toEqual({
      availability: 'ok',
      daysBeforeService: -3,
      kmBeforeService: 250,
      overdue: true,
      measuredAt: NOW - 2 * DAY,
      // Due 3 days before the report (made 2 days ago); two hours of history give no pace, so the
      // 250 km cannot be dated and time decides.
      forecast: { status: 'overdue', dueAt: NOW - 5 * DAY, firstLimit: 'time' },
    });
    expect(glance?.alerts).toEqual({ critical: 1, warning: 2, information: 0 });
    // No scored trip yet: no week score, not ranked, and what ranking needs.
    expect(glance?.score).toEqual({
      week: { score: null, ratedTrips: 0 },
      rank: {
        percentile: null,
        group: { powertrain: expect.any(String), segment: expect.any(String) },
        groupSize: null,
      },
      progress: { ratedKm: 0, ratedTrips: 0, requiredKm: 100, requiredTrips: 5 },
    });
    expect(glance?.silence).toMatchObject({ silent: false, lastMeasuredAt: tripEnd });
  });

  it('says driving now with the current speed when a sample of the last two minutes moves', async () => {
    const { db } = database();
    const me = await owner(db);
    const vehicle = await car(db, me.id, 'electric');
    await store(db, vehicle.id, {
      samples: [
        sample(NOW - 10 * MIN, { speedKmh: 0, batteryLevelPct: 81 }),
        sample(NOW - 40_000, { speedKmh: 64, batteryLevelPct: 80 }),
        sample(NOW - 20_000, { speedKmh: 71 }),
      ],
    });
    const glance = await getGlance(db, me.id, vehicle.id, NOW);
    expect(glance?.activity).toEqual({
      state: 'driving',
      speedKmh: 71,
      since: null,
      measuredAt: NOW - 20_000,
      availability: 'ok',
    });
    // An electric car: fuel is not provided, the battery is.
    expect(glance?.energy.fuelLevelPct.availability).toBe('not_provided');
    expect(glance?.energy.batteryLevelPct).toEqual({
      availability: 'ok',
      value: 80,
      measuredAt: NOW - 40_000,
    });
    // No range nor position ever stored: not provided.
    expect(glance?.energy.rangeKm.availability).toBe('not_provided');
    expect(glance?.location).toMatchObject({
      availability: 'not_provided',
      value: null,
      hidden: false,
      privacy: null,
    });
    expect(glance?.service).toEqual({
      availability: 'not_provided',
      daysBeforeService: null,
      kmBeforeService: null,
      overdue: false,
      measuredAt: null,
      forecast: null,
    });

    // Three minutes later, the same samples no longer say driving: parked since the last moving one.
    const later = await getGlance(db, me.id, vehicle.id, NOW + 3 * MIN);
    expect(later?.activity).toMatchObject({ state: 'parked', since: NOW - 20_000 });
  });

  it('counts the ignition on as driving even at standstill (a red light)', async () => {
    const { db } = database();
    const me = await owner(db);
    const vehicle = await car(db, me.id, 'diesel');
    await store(db, vehicle.id, { samples: [sample(NOW - 30_000, { speedKmh: 0, ignition: true })] });
    expect((await getGlance(db, me.id, vehicle.id, NOW))?.activity).toMatchObject({
      state: 'driving',
      speedKmh: 0,
    });
  });

  it('marks values stale when data stopped arriving, and finds old levels past the 7-day sample window', async () => {
    const { db } = database();
    const me = await owner(db);
    const vehicle = await car(db, me.id, 'hybrid');
    const old = NOW - 10 * DAY;
    const older = NOW - 45 * DAY;
    await store(db, vehicle.id, {
      samples: [
        // 45 and 10 days ago: outside the 7-day sample window; the day rollups still hold them.
        sample(older, { odometerKm: 5000, batteryLevelPct: 90, ...FAR }),
        sample(old, { fuelLevelPct: 30, speedKmh: 40 }),
      ],
      snapshots: [{ at: old, rangeKm: 200, source: v4('status') }],
      maintenance: [{ at: NOW - 90 * DAY, daysBeforeService: 100, source: v4('maintenance') }],
    });
    const glance = await getGlance(db, me.id, vehicle.id, NOW);
    expect(glance?.energy).toEqual({
      fuelLevelPct: { availability: 'stale', value: 30, measuredAt: old },
      batteryLevelPct: { availability: 'stale', value: 90, measuredAt: older },
      rangeKm: { availability: 'stale', value: 200, measuredAt: old },
    });
    expect(glance?.odometerKm).toEqual({ availability: 'stale', value: 5000, measuredAt: older });
    // Positions are not rolled up, and no trip ended anywhere: none within the window is "not provided".
    expect(glance?.location.availability).toBe('not_provided');
    expect(glance?.activity).toMatchObject({
      state: 'parked',
      since: old,
      measuredAt: old,
      availability: 'stale',
    });
    // 100 days counted from 90 days ago: due in 10 days, not overdue.
    expect(glance?.service).toEqual({
      availability: 'stale',
      daysBeforeService: 100,
      kmBeforeService: null,
      overdue: false,
      measuredAt: NOW - 90 * DAY,
      forecast: { status: 'ok', dueAt: NOW + 10 * DAY, firstLimit: 'time' },
    });
    expect(glance?.silence).toMatchObject({ silent: true, lastMeasuredAt: old });
  });

  it('hides the position when the privacy mode went on at or after the last fix', async () => {
    const { db } = database();
    const me = await owner(db);
    const vehicle = await car(db, me.id, 'petrol');
    await store(db, vehicle.id, {
      samples: [sample(NOW - 2 * HOUR, { ...HOME, speedKmh: 0 })],
      snapshots: [{ at: NOW - HOUR, privacy: 'geolocation', source: v4('status') }],
    });
    const hidden = await getGlance(db, me.id, vehicle.id, NOW);
    expect(hidden?.location).toEqual({
      availability: 'ok',
      value: null,
      measuredAt: null,
      privacy: { state: 'geolocation', since: NOW - HOUR },
      hidden: true,
      nearTrip: null,
    });

    // The owner turns privacy off and the car reports a new fix: shown again.
    await store(db, vehicle.id, {
      samples: [sample(NOW - 10 * MIN, { ...FAR })],
      snapshots: [{ at: NOW - 10 * MIN, privacy: 'none', source: v4('status') }],
    });
    const shown = await getGlance(db, me.id, vehicle.id, NOW);
    expect(shown?.location).toMatchObject({
      hidden: false,
      value: FAR,
      measuredAt: NOW - 10 * MIN,
      nearTrip: null,
    });

    // A position older than a "full" privacy report is hidden too.
    await store(db, vehicle.id, {
      snapshots: [{ at: NOW - 5 * MIN, privacy: 'full', source: v4('status') }],
    });
    expect((await getGlance(db, me.id, vehicle.id, NOW))?.location).toMatchObject({
      hidden: true,
      value: null,
    });
  });

  it('falls back to the end of the last trip when no position sample is recent', async () => {
    const { db } = database();
    const me = await owner(db);
    const vehicle = await car(db, me.id, 'petrol');
    await store(db, vehicle.id, {
      trips: [
        {
          providerTripId: 't',
          startedAt: NOW - 5 * HOUR,
          endedAt: NOW - 4 * HOUR,
          endPosition: FAR,
          source: v4('trips/t'),
        },
      ],
    });
    const glance = await getGlance(db, me.id, vehicle.id, NOW);
    expect(glance?.location).toMatchObject({
      availability: 'ok',
      value: FAR,
      measuredAt: NOW - 4 * HOUR,
      nearTrip: { startedAt: NOW - 5 * HOUR },
    });
    expect(glance?.activity).toMatchObject({ state: 'parked', since: NOW - 4 * HOUR });
    // No sample ever: no last instant, and a car that never reported has not "stopped".
    expect(glance?.silence).toMatchObject({ silent: false, lastMeasuredAt: null });
  });

  it("answers null for another owner's vehicle, exactly as for a missing one", async () => {
    const { db } = database();
    const me = await owner(db);
    const someoneElse = await owner(db);
    const vehicle = await car(db, me.id, 'petrol');
    await store(db, vehicle.id, { samples: [sample(NOW - MIN, { fuelLevelPct: 50 })] });
    expect(await getGlance(db, someoneElse.id, vehicle.id, NOW)).toBeNull();
    expect(await getGlance(db, me.id, 'no-such-vehicle', NOW)).toBeNull();
    expect(await getGlance(db, me.id, vehicle.id, NOW)).not.toBeNull();
  });
});
