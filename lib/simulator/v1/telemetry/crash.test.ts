import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { collisionsBetween, type SimCollision } from '../../fleet/collisions';
import { rfc3339 } from '../../v4/hal';
import type { SimVehicle } from '../../world/world';
import { range, secondMap } from '../test-helpers';
import { setupV1Server, V1_TEST_NOW } from '../test-server';
import { crashRecord } from './crash';

// GET /crash/get/{vin}, GET /crash/search/{vin} and POST /crash/list: the collisions v4 serves,
// in v1's crash-record shape. Crashes are rare (one per ten car-years), so this world keeps two
// years of history.

const kit = setupV1Server({ seed: 'v1-telemetry-crash', peers: 30, backfillDays: 730 });
const { ctx, combustion } = kit;

const SIDE_FIELDS = [
  'highRearCrashInfo',
  'avgRearCrashInfo',
  'lowRearCrashInfo',
  'repairRearCrashInfo',
  'highFrontCrashInfo',
  'avgFrontCrashInfoN1',
  'avgFrontCrashInfoN2',
  'lowFrontCrashInfo',
  'repairFrontCrashInfo',
  'highLatCrashInfo',
  'avgLatCrashInfo',
  'lowLatCrashInfo',
  'repairLatCrashInfo',
] as const;
const flag = z.union([z.literal(0), z.literal(1)]);
const crashSchemaOf = (all: boolean) =>
  z.strictObject({
    totMileage: secondMap([41, 60], z.number().min(0), all),
    flipVeh: secondMap([41, 60], flag, all),
    ...Object.fromEntries(SIDE_FIELDS.map((name) => [name, secondMap([41, 60], flag, all)])),
    pedestCrashInfo1_41: flag.optional(),
    pedestCrashInfo1_60: flag.optional(),
    pedestCrashInfo2_60: z.literal(0).optional(),
    pedestCrashInfo3_60: z.literal(0).optional(),
    vin: z.string(),
    lastUpdate: z.iso.datetime(),
    contract: z.string(),
  });
type Crash = Record<string, unknown> & {
  totMileage: Partial<Record<'41' | '60', number>>;
  flipVeh: Partial<Record<'41' | '60', number>>;
  lastUpdate: string;
  vin: string;
};

/** Cars of the world and their collisions in the history the cloud serves at V1_TEST_NOW. */
const served = range(0, ctx.world.ownerCount - 1)
  .flatMap((index) => ctx.world.ownerAt(index).vehicles)
  .filter((vehicle) => vehicle.brand !== 'opel')
  .map((vehicle) => ({
    vehicle,
    collisions: collisionsBetween(
      ctx,
      vehicle,
      ctx.fleet.historyStartMs(vehicle, V1_TEST_NOW),
      V1_TEST_NOW + 1,
      V1_TEST_NOW,
    ),
  }));
const crashed = served.find(({ collisions }) => collisions.length > 0);
const unharmed = served.find(
  ({ vehicle, collisions }) => collisions.length === 0 && vehicle.brand === 'peugeot',
);

function crashedCar(): { vehicle: SimVehicle; collisions: SimCollision[] } {
  if (!crashed) throw new Error('no collision in the test world’s history');
  return crashed;
}

/** The documented mapping of one collision. */
function expectRecord(vehicle: SimVehicle, body: Crash, collision: SimCollision) {
  expect(body.vin).toBe(vehicle.vin);
  expect(body.lastUpdate).toBe(rfc3339(collision.createdAtMs));
  const timeline = ctx.fleet.timelineOf(vehicle);
  expect(body.totMileage['41']).toBeCloseTo(timeline.stateAt(collision.createdAtMs).odometerKm, 1);
  expect(body.totMileage['60']).toBeCloseTo(timeline.stateAt(collision.createdAtMs + 19_000).odometerKm, 1);
  expect(body.flipVeh).toEqual({ '41': collision.tippedOver ? 1 : 0, '60': collision.tippedOver ? 1 : 0 });
  expect(body.pedestCrashInfo1_41).toBe(collision.pedestrian ? 1 : 0);
  const expected = new Set<string>();
  for (const { side, severity } of collision.details) {
    const name = side === 'Lateral' ? 'Lat' : side;
    if (severity === 'Major') expected.add(`high${name}CrashInfo`);
    if (severity === 'Minimal') expected.add(`low${name}CrashInfo`);
    if (severity === 'Minor') {
      const front = collision.speedKmh < 30 ? 'avgFrontCrashInfoN1' : 'avgFrontCrashInfoN2';
      expected.add(name === 'Front' ? front : `avg${name}CrashInfo`);
    }
    if (collision.speedKmh <= 16) expected.add(`repair${name}CrashInfo`);
  }
  for (const name of SIDE_FIELDS) {
    const value = expected.has(name) ? 1 : 0;
    expect(body[name], name).toEqual({ '41': value, '60': value });
  }
}

describe('PSA v1 crashes', () => {
  it('gives the latest collision v4 knows, in v1’s shape', async () => {
    kit.setNow(V1_TEST_NOW);
    const { vehicle, collisions } = crashedCar();
    const answer = await kit.get(`/crash/get/${vehicle.vin}`, kit.queryOf(vehicle));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const body = crashSchemaOf(true).parse(answer.body) as Crash;
    expectRecord(vehicle, body, collisions.at(-1) as SimCollision);
  });

  it('answers 404 for a car without a crash on record', async () => {
    kit.setNow(V1_TEST_NOW);
    if (!unharmed) throw new Error('every Peugeot crashed in the test world');
    await kit.expectRefusal(
      kit.get(`/crash/get/${unharmed.vehicle.vin}`, kit.queryOf(unharmed.vehicle)),
      404,
    );
  });

  it('narrows the "41"/"60" maps and fields to listsecond', async () => {
    kit.setNow(V1_TEST_NOW);
    const { vehicle } = crashedCar();
    const answer = await kit.get(`/crash/get/${vehicle.vin}`, { ...kit.queryOf(vehicle), listsecond: '41' });
    const body = crashSchemaOf(false).parse(answer.body) as Crash;
    expect(Object.keys(body.totMileage)).toEqual(['41']);
    expect(body.pedestCrashInfo1_41).toBeDefined();
    expect(body.pedestCrashInfo1_60).toBeUndefined();
  });

  it('searches by minute, newest first, up to limit', async () => {
    kit.setNow(V1_TEST_NOW);
    const { vehicle, collisions } = crashedCar();
    const first = collisions[0] as SimCollision;
    const minute = (ms: number) => new Date(ms).toISOString().replace(/[-T:]/g, '').slice(0, 12);
    const path = `/crash/search/${vehicle.vin}`;
    const all = await kit.get(path, {
      ...kit.queryOf(vehicle),
      from: minute(first.createdAtMs),
      to: minute(V1_TEST_NOW),
    });
    expect(all.status).toBe(200);
    const records = z.array(crashSchemaOf(true)).parse(all.body) as Crash[];
    expect(records.map((record) => record.lastUpdate)).toEqual(
      [...collisions].reverse().map((collision) => rfc3339(collision.createdAtMs)),
    );
    // The `to` minute is included; a window ending before the crash's minute is empty.
    const exact = await kit.get(path, {
      ...kit.queryOf(vehicle),
      from: minute(first.createdAtMs),
      to: minute(first.createdAtMs),
    });
    expect((exact.body as unknown[]).length).toBe(1);
    const before = await kit.get(path, {
      ...kit.queryOf(vehicle),
      from: minute(first.createdAtMs - 3_600_000),
      to: minute(first.createdAtMs - 60_000),
    });
    expect(before.body).toEqual([]);
    const limited = await kit.get(path, {
      ...kit.queryOf(vehicle),
      from: '202001010000',
      to: minute(V1_TEST_NOW),
      limit: '1',
    });
    expect((limited.body as Crash[]).map((record) => record.lastUpdate)).toEqual([records[0]?.lastUpdate]);
    for (const bad of [
      { from: undefined },
      { from: '20240101' },
      { from: '202402300000' },
      { from: '202401012460' },
      { to: '201912312359' },
      { limit: '0' },
    ]) {
      await kit.expectRefusal(
        kit.get(path, { ...kit.queryOf(vehicle), from: '202001010000', to: minute(V1_TEST_NOW), ...bad }),
        400,
      );
    }
  });

  it('lists the crashes of the cars that have one', async () => {
    kit.setNow(V1_TEST_NOW);
    const { vehicle } = crashedCar();
    if (!unharmed) throw new Error('every Peugeot crashed in the test world');
    const cars = [vehicle, unharmed.vehicle, combustion].filter((car) => car.brand === vehicle.brand);
    const { status, body } = await kit.post(
      '/crash/list',
      { client_id: kit.keyOf(vehicle) },
      { listvin: cars.map((car) => car.vin), listcontract: cars.map((car) => car.contract) },
    );
    expect(status).toBe(200);
    const single = await kit.get(`/crash/get/${vehicle.vin}`, kit.queryOf(vehicle));
    const expected = cars
      .filter((car) => served.find((entry) => entry.vehicle === car)?.collisions.length)
      .map((car) => (car === vehicle ? single.body : null));
    expect(body).toEqual(expected);
  });
});

describe('PSA v1 crash records', () => {
  const base: SimCollision = {
    id: 'x'.repeat(64),
    createdAtMs: V1_TEST_NOW - 86_400_000,
    details: [{ side: 'Front', severity: 'Minor' }],
    pedestrian: false,
    tippedOver: false,
    tripId: 'trip',
    speedKmh: 20,
  };
  const record = (collision: SimCollision) =>
    crashRecord(ctx, combustion, collision, null) as unknown as Crash;

  it('grades each side by severity and speed', () => {
    const cases: SimCollision[] = [
      base,
      { ...base, speedKmh: 35 },
      { ...base, speedKmh: 12, details: [{ side: 'Rear', severity: 'Minimal' }], pedestrian: true },
      {
        ...base,
        speedKmh: 80,
        tippedOver: true,
        details: [
          { side: 'Lateral', severity: 'Major' },
          { side: 'Rear', severity: 'Minimal' },
        ],
      },
    ];
    for (const collision of cases) expectRecord(combustion, record(collision), collision);
    expect(record(cases[0] as SimCollision).avgFrontCrashInfoN1).toEqual({ '41': 1, '60': 1 });
    expect(record(cases[1] as SimCollision).avgFrontCrashInfoN2).toEqual({ '41': 1, '60': 1 });
    expect(record(cases[2] as SimCollision).repairRearCrashInfo).toEqual({ '41': 1, '60': 1 });
    expect(record(cases[2] as SimCollision).pedestCrashInfo1_60).toBe(1);
    expect(record(cases[3] as SimCollision).highLatCrashInfo).toEqual({ '41': 1, '60': 1 });
    expect(record(cases[3] as SimCollision).lowRearCrashInfo).toEqual({ '41': 1, '60': 1 });
    expect(record(cases[3] as SimCollision).flipVeh).toEqual({ '41': 1, '60': 1 });
  });
});
