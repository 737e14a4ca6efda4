import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../../db/queries/users';
import { storeVehicleData } from '../../db/queries/vehicle-data';
import { createVehicle } from '../../db/queries/vehicles';
import type { Database } from '../../db/schema';
import { AppError } from '../../errors';
import { type TelemetryMetric, type TelemetryQuery, telemetryQuerySchema } from '../../schemas/telemetry';
import { emptyVehicleData, type Sample } from '../model';
import { roundTo } from './metrics';
import { readTelemetry } from './read-telemetry';
import { chooseSource, resolutionOf } from './source';

// The read path on both engines, over samples stored through the write path (storeVehicleData,
// which keeps the rollups): hand-worked answers from raw rows and from minute rollups, which
// metrics a car provides, ownership, and — over ten days of 1 Hz drives — the properties every
// answer has: at most 4 points per pixel per series, in time order, every value within the true
// extremes of the readings in the range.

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;
const T = Date.UTC(2026, 3, 1, 8);

/** A small PRNG, so the drives are the same on every run and engine. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DRIVE_DAYS = 10;
const DRIVE_START = Date.UTC(2026, 2, 1, 7);
const DRIVE_S = 20 * 60;
const OLD_READING = Date.UTC(2025, 0, 25, 12);

/** One 20-minute drive a day at 1 Hz: stops (speed 0, idle rpm, no consumption) and runs. */
function drives(): Sample[] {
  const next = random(42);
  const samples: Sample[] = [
    { at: OLD_READING, speedKmh: 0, fuelLevelPct: 80, source: { provider: 'psa-v4', ref: 'status' } },
  ];
  for (let day = 0; day < DRIVE_DAYS; day++) {
    let speed = 0;
    for (let s = 0; s < DRIVE_S; s++) {
      const stopped = s % 300 > 270; // a stop of half a minute every five
      speed = stopped ? Math.max(0, speed - 15) : Math.min(130, Math.max(0, speed + (next() - 0.45) * 8));
      const moving = speed > 0;
      samples.push({
        at: DRIVE_START + day * D + s * S,
        speedKmh: speed,
        engineRpm: moving ? 800 + speed * 30 + next() * 50 : 800,
        ...(moving ? { fuelConsumptionLPer100km: 3 + next() * 9 } : {}),
        fuelLevelPct: 80 - day - s / 1000,
        source: { provider: 'psa-v4', ref: 'telemetry' },
      });
    }
  }
  return samples;
}

const reading = (at: number, fields: Omit<Sample, 'at' | 'source'>): Sample => ({
  at,
  source: { provider: 'psa-v4', ref: 'telemetry' },
  ...fields,
});

const DRIVES = drives();

const query = (fields: Partial<TelemetryQuery> & Pick<TelemetryQuery, 'from' | 'to'>): TelemetryQuery => ({
  metrics: ['speed', 'rpm', 'consumption'],
  width: 400,
  ...fields,
});

type World = {
  owner: string;
  other: string;
  petrol: string;
  small: string;
  electric: string;
  hybrid: string;
  fast: string;
  othersCar: string;
};

let counter = 0;
async function world(db: Kysely<Database>): Promise<World> {
  counter++;
  const owner = await createUser(db, { email: `telemetry${counter}@example.com`, passwordHash: null });
  const other = await createUser(db, { email: `telemetry-other${counter}@example.com`, passwordHash: null });
  const car = async (ownerId: string, label: string, powertrain: string, samples: Sample[]) => {
    const vehicle = await createVehicle(db, ownerId, {
      label,
      brand: 'peugeot',
      model: '208',
      powertrain,
      vin: `VF3TELE${String(counter).padStart(4, '0')}${label.padEnd(6, 'X').slice(0, 6)}`,
    });
    for (let i = 0; i < samples.length; i += 2000)
      await storeVehicleData(db, vehicle.id, { ...emptyVehicleData(), samples: samples.slice(i, i + 2000) });
    return vehicle.id;
  };
  return {
    owner: owner.id,
    other: other.id,
    petrol: await car(owner.id, 'PETROL', 'petrol', DRIVES),
    small: await car(owner.id, 'SMALL', 'diesel', [
      reading(T, { speedKmh: 10 }),
      reading(T + S, { speedKmh: 20 }),
      reading(T + 2 * S, { speedKmh: 30 }),
      reading(T + 10 * MIN, { speedKmh: 40 }),
      reading(T + 10 * MIN + S, { speedKmh: 50 }),
      reading(T + 20 * MIN, { speedKmh: 10 }),
      reading(T + 20 * MIN + S, { speedKmh: 5 }),
      reading(T + 20 * MIN + 2 * S, { speedKmh: 30 }),
      reading(T + 20 * MIN + 3 * S, { speedKmh: 20 }),
    ]),
    electric: await car(owner.id, 'ELEC', 'electric', [
      // The traction motor's speed arrives as engineRpm (psa-v4 normalize): not an engine's RPM.
      reading(T, { speedKmh: 30, engineRpm: 3000, energyConsumptionKwhPer100km: 14.26, batteryLevelPct: 71 }),
      reading(T + S, {
        speedKmh: 32,
        engineRpm: 3100,
        energyConsumptionKwhPer100km: 15.04,
        batteryLevelPct: 71,
      }),
    ]),
    hybrid: await car(owner.id, 'HYBRID', 'hybrid', [
      reading(T, { speedKmh: 30, fuelConsumptionLPer100km: 4.44 }),
      reading(T + S, { speedKmh: 31, fuelConsumptionLPer100km: 5.55 }),
    ]),
    // Ten readings a second for ten seconds: more rows than a 1 Hz estimate allows.
    fast: await car(
      owner.id,
      'FAST',
      'petrol',
      Array.from({ length: 100 }, (_, i) => reading(T + i * 100, { speedKmh: i })),
    ),
    othersCar: await car(other.id, 'OTHER', 'petrol', [reading(T, { speedKmh: 10 })]),
  };
}

const pointsOf = (answer: Awaited<ReturnType<typeof readTelemetry>>, metric: TelemetryMetric) =>
  answer.series[metric]?.points ?? [];

for (const engine of ENGINES) {
  describe(`readTelemetry (${engine})`, () => {
    const database = useTestDatabase(engine);
    let stored: Promise<World> | undefined;
    const setup = () => {
      stored ??= world(database().db);
      return stored;
    };

    it('answers few raw readings as they are, with a null across a parked stretch', {
      timeout: 60_000,
    }, async () => {
      const w = await setup();
      // 11 minutes at 100 px: 6.6 s columns. The first three readings share column 0, where M4
      // keeps the first (10, also the min) and the last (30, also the max). Threshold max(5 min,
      // 2 columns = 13.2 s): the 598 s between T+2 s and T+10 min is a gap.
      const answer = await readTelemetry(
        database().db,
        w.owner,
        w.small,
        query({ from: T, to: T + 11 * MIN, width: 100, metrics: ['speed'] }),
      );
      expect(answer).toEqual({
        from: '2026-04-01T08:00:00.000Z',
        to: '2026-04-01T08:11:00.000Z',
        resolution: 'raw',
        series: {
          speed: {
            unit: 'km/h',
            available: true,
            points: [
              [T, 10],
              [T + 2 * S, 30],
              [T + 301 * S, null],
              [T + 10 * MIN, 40],
              [T + 10 * MIN + S, 50],
            ],
          },
        },
      });
    });

    it('answers a day from minute rollups: first, min, max and last per bucket', {
      timeout: 60_000,
    }, async () => {
      const w = await setup();
      // Column 216 s → minute buckets; instants to the second (216 s / 16 = 13.5 s). Bucket T:
      // first 10 (= min), last 30 (= max): two points. Bucket T+10 min: 40 then 50. Bucket
      // T+20 min rises (10 → 20): the min (5) then the max (30), both halfway through its 3 s,
      // at 1.5 s, rounded to 2 s. Gaps over max(3 min, 432 s).
      const answer = await readTelemetry(
        database().db,
        w.owner,
        w.small,
        query({ from: T - 12 * H, to: T + 12 * H, metrics: ['speed'] }),
      );
      expect(answer.resolution).toBe('PT1M');
      expect(pointsOf(answer, 'speed')).toEqual([
        [T, 10],
        [T + 2 * S, 30],
        [T + 301 * S, null],
        [T + 10 * MIN, 40],
        [T + 10 * MIN + S, 50],
        // Halfway between T+10 min+1 s and T+20 min, rounded to the second (216 s columns).
        [T + 15 * MIN + S, null],
        [T + 20 * MIN, 10],
        [T + 20 * MIN + 2 * S, 5],
        [T + 20 * MIN + 2 * S, 30],
        [T + 20 * MIN + 3 * S, 20],
      ]);
    });

    it('says which metrics a car provides, by powertrain and by what it stored', {
      timeout: 60_000,
    }, async () => {
      const w = await setup();
      const db = database().db;
      const all: TelemetryMetric[] = [
        'speed',
        'rpm',
        'consumption',
        'fuel_level',
        'battery_level',
        'altitude',
      ];
      const range = { from: T - MIN, to: T + MIN, metrics: all };
      const summary = async (vehicleId: string) => {
        const answer = await readTelemetry(db, w.owner, vehicleId, query(range));
        return Object.fromEntries(
          Object.entries(answer.series).map(([metric, s]) => [
            metric,
            [s.unit, s.available, s.points.length],
          ]),
        );
      };
      expect(await summary(w.electric)).toEqual({
        speed: ['km/h', true, 2],
        rpm: ['rpm', false, 0], // stored, but a motor's speed
        consumption: ['kWh/100km', true, 2],
        fuel_level: ['%', false, 0],
        battery_level: ['%', true, 2], // 71 twice: M4 keeps the first and the last reading of a column
        altitude: ['m', false, 0],
      });
      expect(await summary(w.hybrid)).toEqual({
        speed: ['km/h', true, 2],
        rpm: ['rpm', false, 0], // allowed, never stored
        consumption: ['L/100km', true, 2],
        fuel_level: ['%', false, 0],
        battery_level: ['%', false, 0],
        altitude: ['m', false, 0],
      });
      const electric = await readTelemetry(db, w.owner, w.electric, query(range));
      expect(pointsOf(electric, 'consumption')).toEqual([
        [T, 14.3],
        [T + S, 15],
      ]);
      // A provided metric with nothing in the range is available, with no points.
      const empty = await readTelemetry(db, w.owner, w.petrol, query({ from: T + D, to: T + 2 * D }));
      expect(empty.series.speed).toEqual({ unit: 'km/h', available: true, points: [] });
    });

    it('answers another owner’s car exactly like a missing one', { timeout: 60_000 }, async () => {
      const w = await setup();
      const db = database().db;
      const range = query({ from: T - H, to: T + H });
      const failure = (vehicleId: string) =>
        readTelemetry(db, w.owner, vehicleId, range).then(
          () => null,
          (error: unknown) => error,
        );
      const foreign = await failure(w.othersCar);
      const missing = await failure('no-such-car');
      expect(foreign).toBeInstanceOf(AppError);
      expect(missing).toBeInstanceOf(AppError);
      expect([(foreign as AppError).code, (foreign as AppError).message]).toEqual([
        (missing as AppError).code,
        (missing as AppError).message,
      ]);
      expect((foreign as AppError).code).toBe('not_found');
      expect((await readTelemetry(db, w.other, w.othersCar, range)).series.speed?.available).toBe(true);
    });

    it('reads rollups instead when raw rows overflow their limit (10 Hz data)', {
      timeout: 60_000,
    }, async () => {
      const w = await setup();
      // 10 s at 1 px: at 1 Hz that is 10 rows (≤ 16), raw; 100 rows > the limit of 32: minutes.
      const answer = await readTelemetry(
        database().db,
        w.owner,
        w.fast,
        query({ from: T, to: T + 10 * S, width: 1, metrics: ['speed'] }),
      );
      expect(answer.resolution).toBe('PT1M');
      // The minute bucket's readings (T … T+9.9 s) all lie in the range; its extremes (0 and 99)
      // are its first and last, so it draws two points.
      expect(pointsOf(answer, 'speed')).toEqual([
        [T, 0],
        [T + 9900, 99],
      ]);
    });

    it('reads the rollups of a range whose samples retention dropped', { timeout: 60_000 }, async () => {
      const w = await setup();
      const db = database().db;
      const vehicle = await createVehicle(db, w.owner, {
        label: 'PRUNED',
        brand: 'peugeot',
        model: '208',
        powertrain: 'petrol',
        vin: `VF3PRUNED${String(counter).padStart(8, '0')}`,
      });
      await storeVehicleData(db, vehicle.id, {
        ...emptyVehicleData(),
        samples: [reading(T, { speedKmh: 10 }), reading(T + S, { speedKmh: 20 })],
      });
      await db.deleteFrom('samples').where('vehicle_id', '=', vehicle.id).execute();
      const range = query({ from: T - 10 * MIN, to: T + 10 * MIN, metrics: ['speed'] });
      const answer = await readTelemetry(db, w.owner, vehicle.id, range);
      expect(answer.resolution).toBe('PT1M');
      expect(pointsOf(answer, 'speed')).toEqual([
        [T, 10],
        [T + S, 20],
      ]);
      // A parked stretch: nothing raw, nothing rolled up — the raw answer, empty.
      const parked = await readTelemetry(db, w.owner, vehicle.id, { ...range, from: T + H, to: T + 2 * H });
      expect(parked.resolution).toBe('raw');
      expect(parked.series.speed).toEqual({ unit: 'km/h', available: true, points: [] });
    });

    it('keeps every answer within budget, sorted, and within the true extremes', {
      timeout: 120_000,
    }, async () => {
      const w = await setup();
      const db = database().db;
      const lo = Date.UTC(2025, 0, 1);
      const hi = DRIVE_START + DRIVE_DAYS * D;
      const columnOf: Record<TelemetryMetric, keyof Sample> = {
        speed: 'speedKmh',
        rpm: 'engineRpm',
        consumption: 'fuelConsumptionLPer100km',
        fuel_level: 'fuelLevelPct',
        battery_level: 'batteryLevelPct',
        altitude: 'altitudeM',
      };
      const decimals: Partial<Record<TelemetryMetric, number>> = {
        speed: 0,
        rpm: -1,
        consumption: 1,
        fuel_level: 1,
      };
      const ranges = fc.oneof(
        // anywhere, any length
        fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi })),
        // inside a drive: minutes to hours
        fc
          .tuple(
            fc.integer({ min: 0, max: DRIVE_DAYS - 1 }),
            fc.integer({ min: -10 * MIN, max: 25 * MIN }),
            fc.integer({ min: 1, max: 3 * H }),
          )
          .map(([day, offset, length]): [number, number] => {
            const from = DRIVE_START + day * D + offset;
            return [from, from + length];
          }),
      );
      await fc.assert(
        fc.asyncProperty(ranges, fc.integer({ min: 1, max: 2000 }), async ([a, b], width) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const metrics: TelemetryMetric[] = ['speed', 'rpm', 'consumption', 'fuel_level'];
          const answer = await readTelemetry(db, w.owner, w.petrol, { from, to, width, metrics });
          expect(answer.resolution).toBe(resolutionOf(chooseSource(from, to, width)));
          for (const metric of metrics) {
            const points = pointsOf(answer, metric);
            expect(points.length).toBeLessThanOrEqual(4 * width);
            for (let i = 1; i < points.length; i++)
              expect(points[i]?.[0]).toBeGreaterThanOrEqual(points[i - 1]?.[0] as number);
            const inRange = DRIVES.filter((s) => s.at >= from && s.at <= to)
              .map((s) => s[columnOf[metric]])
              .filter((v): v is number => typeof v === 'number');
            const values = points.map(([, v]) => v).filter((v): v is number => v !== null);
            if (inRange.length === 0) {
              expect(values).toEqual([]);
              continue;
            }
            expect(values.length).toBeGreaterThan(0);
            const places = decimals[metric] ?? 0;
            const low = roundTo(Math.min(...inRange), places);
            const high = roundTo(Math.max(...inRange), places);
            for (const value of values) {
              expect(value).toBeGreaterThanOrEqual(low);
              expect(value).toBeLessThanOrEqual(high);
            }
            for (const [at] of points) {
              expect(at).toBeGreaterThanOrEqual(from);
              expect(at).toBeLessThanOrEqual(to);
            }
          }
        }),
        { numRuns: 40 },
      );
    });
  });
}

describe('the telemetry query', () => {
  const parse = (params: Record<string, string>) => telemetryQuerySchema.safeParse(params);
  const base = { from: '2026-04-01T08:00:00Z', to: '2026-04-01T09:00:00+01:00', width: '400' };

  it('defaults the metrics and reads instants with their offsets', () => {
    const parsed = parse(base);
    expect(parsed.success && parsed.data).toEqual({
      metrics: ['speed', 'rpm', 'consumption'],
      from: T,
      to: T,
      width: 400,
    });
  });

  it('refuses what the contract refuses', () => {
    expect(parse({ ...base, to: '2026-04-01T07:59:59Z' }).success).toBe(false);
    expect(parse({ ...base, width: '0' }).success).toBe(false);
    expect(parse({ ...base, width: '4001' }).success).toBe(false);
    expect(parse({ ...base, width: '4000' }).success).toBe(true);
    expect(parse({ ...base, width: '12.5' }).success).toBe(false);
    expect(parse({ ...base, metrics: 'speed,torque' }).success).toBe(false);
    expect(parse({ ...base, metrics: 'speed,speed' }).success).toBe(false);
    expect(parse({ ...base, metrics: '' }).success).toBe(false);
    expect(parse({ ...base, from: 'yesterday' }).success).toBe(false);
    expect(parse({ ...base, extra: '1' }).success).toBe(false);
    expect(parse({ ...base, from: '2021-04-01T08:00:00Z' }).success).toBe(true); // five years
    expect(parse({ ...base, from: '2021-04-01T07:59:59Z' }).success).toBe(false); // a second more
  });
});
