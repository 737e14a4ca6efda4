import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { writeVehicleData } from '../db/queries/vehicle-data';
import { createVehicle } from '../db/queries/vehicles';
import type { Database, TripsTable } from '../db/schema';
import { emptyVehicleData, type Sample } from '../telemetry/model';
import { TRIPS_CSV_HEADER, tripsCsv } from './csv';
import { getOwnerTrip } from './detail';
import { decodeTripCursor, encodeTripCursor, listOwnerTrips, type OwnerTripFilter, tripTotals } from './list';
import { ownerTripList } from './owner-trips';
import { setTripTag } from './tags';

// The owner's trips on both engines: keyset pages (no gap, no repeat, ties on the start), filters
// and totals worked by hand, ownership, tags, the CSV export and the trip detail's route.

const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let counter = 0;
async function owner(db: Kysely<Database>) {
  counter++;
  const user = await createUser(db, {
    email: `trips${counter}-${Math.random()}@example.com`,
    passwordHash: 'h',
  });
  return user.id;
}

async function car(db: Kysely<Database>, userId: string, label: string, powertrain = 'petrol') {
  counter++;
  const vehicle = await createVehicle(db, userId, {
    label,
    brand: 'peugeot',
    model: '308',
    powertrain,
    vin: `VF3TRIP${String(counter).padStart(10, '0')}`,
  });
  return vehicle.id;
}

type TripInput = Partial<TripsTable> & { id: string; vehicle_id: string; started_at: number };

async function trip(db: Kysely<Database>, input: TripInput) {
  const row: TripsTable = {
    provider: 'psa-v4',
    provider_trip_id: `p-${input.id}`,
    source_ref: 'test',
    ended_at: input.started_at + HOUR / 2,
    observed_until: input.started_at + HOUR / 2,
    distance_km: null,
    duration_s: null,
    start_odometer_km: null,
    end_odometer_km: null,
    avg_speed_kmh: null,
    max_speed_kmh: null,
    fuel_used_l: null,
    energy_used_kwh: null,
    moving_s: null,
    idle_s: null,
    events: null,
    start_latitude: null,
    start_longitude: null,
    end_latitude: null,
    end_longitude: null,
    faults: null,
    ...input,
  };
  await db.insertInto('trips').values(row).execute();
}

async function allPages(db: Kysely<Database>, userId: string, filter: OwnerTripFilter, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await listOwnerTrips(db, userId, { ...filter, cursor, limit });
    expect(page.trips.length).toBeLessThanOrEqual(limit);
    ids.push(...page.trips.map((t) => t.id));
    cursor = page.nextCursor;
    pages++;
    expect(pages).toBeLessThan(100);
  } while (cursor !== null);
  return { ids, pages };
}

describe('trip cursors', () => {
  it('round-trip and refuse what they did not make', () => {
    const cursor = { startedAt: T0, id: 'abc' };
    expect(decodeTripCursor(encodeTripCursor(cursor))).toEqual(cursor);
    expect(decodeTripCursor('not-a-cursor')).toBeNull();
    expect(decodeTripCursor(Buffer.from('[1,2]').toString('base64url'))).toBeNull();
  });
});

describe.each(ENGINES)('owner trips (%s)', (engine) => {
  const get = useTestDatabase(engine);

  it('pages newest first without gaps or repeats, ties on the start broken by id', async () => {
    const { db } = get();
    const me = await owner(db);
    const a = await car(db, me, 'A');
    const b = await car(db, me, 'B');
    // 12 trips; trips 3–7 all start at the same instant (on two cars).
    const expected: { id: string; at: number }[] = [];
    for (let i = 0; i < 12; i++) {
      const at = i >= 3 && i <= 7 ? T0 + 3 * HOUR : T0 + i * HOUR;
      const id = `trip-${String(i).padStart(2, '0')}`;
      await trip(db, { id, vehicle_id: i % 2 ? a : b, started_at: at });
      expected.push({ id, at });
    }
    // Newest first; equal starts by id descending (the stated keyset order).
    const order = [...expected].sort((x, y) => y.at - x.at || (x.id < y.id ? 1 : -1)).map((t) => t.id);
    for (const limit of [1, 2, 3, 5, 12, 100]) {
      const { ids, pages } = await allPages(db, me, {}, limit);
      expect(ids).toEqual(order);
      expect(pages).toBe(Math.max(1, Math.ceil(12 / limit)));
    }
  });

  it('filters by car, start range and tag, with totals of the whole filter', async () => {
    const { db } = get();
    const me = await owner(db);
    const a = await car(db, me, 'A');
    const b = await car(db, me, 'B');
    await trip(db, {
      id: 'f1',
      vehicle_id: a,
      started_at: T0,
      distance_km: 10,
      duration_s: 600,
      fuel_used_l: 0.7,
    });
    await trip(db, {
      id: 'f2',
      vehicle_id: a,
      started_at: T0 + DAY,
      distance_km: 20.5,
      duration_s: 1200,
      fuel_used_l: 1.3,
    });
    await trip(db, {
      id: 'f3',
      vehicle_id: b,
      started_at: T0 + 2 * DAY,
      distance_km: 5,
      duration_s: 300,
      energy_used_kwh: 0.8,
    });
    await trip(db, { id: 'f4', vehicle_id: b, started_at: T0 + 3 * DAY, distance_km: null, duration_s: 60 });
    expect(await setTripTag(db, me, 'f1', 'business')).toBe(true);
    expect(await setTripTag(db, me, 'f3', 'private')).toBe(true);

    expect(await tripTotals(db, me, {})).toEqual({
      count: 4,
      distanceKm: 35.5,
      durationS: 2160,
      fuelUsedL: 2,
      energyUsedKwh: 0.8,
    });
    expect(await tripTotals(db, me, { vehicleId: a })).toEqual({
      count: 2,
      distanceKm: 30.5,
      durationS: 1800,
      fuelUsedL: 2,
      energyUsedKwh: 0,
    });
    // [T0 + 1 day, T0 + 3 days): f2 and f3.
    const range = { from: T0 + DAY, to: T0 + 3 * DAY };
    expect((await allPages(db, me, range, 1)).ids).toEqual(['f3', 'f2']);
    expect((await tripTotals(db, me, range)).distanceKm).toBeCloseTo(25.5, 9);
    expect((await allPages(db, me, { tag: 'business' }, 10)).ids).toEqual(['f1']);
    expect((await allPages(db, me, { tag: 'private' }, 10)).ids).toEqual(['f3']);
    expect((await allPages(db, me, { tag: 'untagged' }, 10)).ids).toEqual(['f4', 'f2']);
    expect(await tripTotals(db, me, { tag: 'untagged' })).toEqual({
      count: 2,
      distanceKm: 20.5,
      durationS: 1260,
      fuelUsedL: 1.3,
      energyUsedKwh: 0,
    });
    expect(await tripTotals(db, me, { from: T0 + 10 * DAY })).toEqual({
      count: 0,
      distanceKm: 0,
      durationS: 0,
      fuelUsedL: 0,
      energyUsedKwh: 0,
    });
  });

  it('answers the API list with the CLI item, the label and the tag', async () => {
    const { db } = get();
    const me = await owner(db);
    const a = await car(db, me, 'Daily');
    await trip(db, {
      id: 'dto1',
      vehicle_id: a,
      started_at: T0,
      distance_km: 20,
      fuel_used_l: 1.5,
      events: JSON.stringify([
        { type: 'harsh_braking', severity: 'harsh', at: new Date(T0).toISOString(), value: -4.1 },
      ]),
    });
    await setTripTag(db, me, 'dto1', 'business');
    const list = await ownerTripList(db, me, { vehicleId: a });
    expect(list?.trips).toHaveLength(1);
    const dto = list?.trips[0];
    expect(dto?.vehicleLabel).toBe('Daily');
    expect(dto?.tag).toBe('business');
    expect(dto?.startedAt).toBe('2026-03-01T08:00:00.000Z');
    expect(dto?.avgConsumption).toEqual({ value: 7.5, unit: 'L/100km' });
    expect(dto?.events).toEqual([
      { type: 'harsh_braking', severity: 'harsh', at: '2026-03-01T08:00:00.000Z', value: -4.1 },
    ]);
    expect(list?.totals.count).toBe(1);
    // Another owner's car in the filter is a missing one.
    const other = await owner(db);
    expect(await ownerTripList(db, other, { vehicleId: a })).toBeNull();
  });

  it("keeps another owner's trips out of every read and write", async () => {
    const { db } = get();
    const me = await owner(db);
    const other = await owner(db);
    const mine = await car(db, me, 'Mine');
    const theirs = await car(db, other, 'Theirs');
    await trip(db, { id: 'own1', vehicle_id: mine, started_at: T0, distance_km: 3 });
    await trip(db, { id: 'oth1', vehicle_id: theirs, started_at: T0, distance_km: 7 });
    expect((await allPages(db, me, {}, 10)).ids).toEqual(['own1']);
    expect((await allPages(db, me, { vehicleId: theirs }, 10)).ids).toEqual([]);
    expect((await tripTotals(db, me, {})).distanceKm).toBe(3);
    expect(await getOwnerTrip(db, me, theirs, 'oth1')).toBeNull();
    // The right trip through the wrong car is missing too.
    expect(await getOwnerTrip(db, me, theirs, 'own1')).toBeNull();
    expect(await setTripTag(db, me, 'oth1', 'private')).toBe(false);
    expect(await setTripTag(db, me, 'own1', 'private', { vehicleId: theirs })).toBe(false);
    expect(await setTripTag(db, me, 'nope', 'private')).toBe(false);
    const stored = await db
      .selectFrom('trip_tags')
      .selectAll()
      .where('trip_id', 'in', ['oth1', 'own1'])
      .execute();
    expect(stored).toEqual([]);
  });

  it('sets, changes and clears a tag; the tag survives a rewrite of the trip row', async () => {
    const { db } = get();
    const me = await owner(db);
    const a = await car(db, me, 'A');
    await trip(db, { id: 'tag1', vehicle_id: a, started_at: T0 });
    expect(await setTripTag(db, me, 'tag1', 'business', { now: 1 })).toBe(true);
    expect((await getOwnerTrip(db, me, a, 'tag1'))?.trip.tag).toBe('business');
    expect(await setTripTag(db, me, 'tag1', 'private', { now: 2, vehicleId: a })).toBe(true);
    expect(await db.selectFrom('trip_tags').selectAll().where('trip_id', '=', 'tag1').execute()).toEqual([
      { trip_id: 'tag1', tag: 'private', updated_at: 2 },
    ]);
    // The worker's rewrite of the row (an update of its facts) leaves the tag alone.
    await db
      .updateTable('trips')
      .set({ distance_km: 12, observed_until: T0 + DAY })
      .where('id', '=', 'tag1')
      .execute();
    expect((await getOwnerTrip(db, me, a, 'tag1'))?.trip.tag).toBe('private');
    expect(await setTripTag(db, me, 'tag1', null)).toBe(true);
    expect((await getOwnerTrip(db, me, a, 'tag1'))?.trip.tag).toBeNull();
    // Clearing twice is fine.
    expect(await setTripTag(db, me, 'tag1', null)).toBe(true);
  });

  it('exports the filter as CSV: header with units, quoting, formula guard, every page', async () => {
    const { db } = get();
    const me = await owner(db);
    const tricky = await car(db, me, '=HYPERLINK("x"), "car"');
    for (let i = 0; i < 5; i++)
      await trip(db, {
        id: `csv${i}`,
        vehicle_id: tricky,
        started_at: T0 + i * HOUR,
        distance_km: 10 + i,
        duration_s: 600,
        fuel_used_l: 0.5,
      });
    await setTripTag(db, me, 'csv4', 'business');
    let text = '';
    for await (const chunk of tripsCsv(db, me, {}, 2)) text += chunk;
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'Trip ID,Vehicle,Started (UTC),Ended (UTC),Distance (km),Duration (s),Moving (s),Idle (s),' +
        'Average speed (km/h),Max speed (km/h),Fuel used (L),Energy used (kWh),' +
        'Fuel consumption (L/100km),Energy consumption (kWh/100km),Events,Tag',
    );
    expect(TRIPS_CSV_HEADER).toHaveLength(16);
    expect(lines).toHaveLength(1 + 5 + 1);
    // Newest first; the label guarded with an apostrophe, then quoted with its quotes doubled.
    expect(lines[1]).toBe(
      `csv4,"'=HYPERLINK(""x""), ""car""",2026-03-01T12:00:00.000Z,2026-03-01T12:30:00.000Z,14,600,,,,,0.5,,3.57,,0,business`,
    );
    expect(lines[5]?.startsWith('csv0,')).toBe(true);
    expect(lines[5]?.endsWith(',10,600,,,,,0.5,,5,,0,')).toBe(true);
  });

  it('draws the route from the positions between start and end, or says there is none', async () => {
    const { db } = get();
    const me = await owner(db);
    const a = await car(db, me, 'A');
    await trip(db, { id: 'route1', vehicle_id: a, started_at: T0, ended_at: T0 + 600_000 });
    await trip(db, { id: 'route2', vehicle_id: a, started_at: T0 + DAY, ended_at: T0 + DAY + 600_000 });
    const samples: Sample[] = [];
    // 601 positions along a straight line north-east, then one outside the trip.
    for (let s = 0; s <= 600; s++)
      samples.push({
        at: T0 + s * 1000,
        source: { provider: 'psa-v4' as const, ref: 't' },
        latitude: 48.8 + s * 0.0001,
        longitude: 2.3 + s * 0.0001,
        speedKmh: 40,
      });
    samples.push({
      at: T0 + 700_000,
      source: { provider: 'psa-v4' as const, ref: 't' },
      latitude: 10,
      longitude: 10,
    });
    await db.transaction().execute((trx) => writeVehicleData(trx, a, { ...emptyVehicleData(), samples }));
    const detail = await getOwnerTrip(db, me, a, 'route1');
    expect(detail?.route.available).toBe(true);
    if (detail?.route.available) {
      expect(detail.route.pointsRead).toBe(601);
      // A straight line simplifies to its two ends.
      expect(detail.route.pointsKept).toBe(2);
      expect(detail.route.path.startsWith('M')).toBe(true);
      // South-west start at the bottom left, north-east end at the top right.
      expect(detail.route.start.x).toBeLessThan(detail.route.end.x);
      expect(detail.route.start.y).toBeGreaterThan(detail.route.end.y);
    }
    expect((await getOwnerTrip(db, me, a, 'route2'))?.route).toEqual({ available: false });
  });
});
