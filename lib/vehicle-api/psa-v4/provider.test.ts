import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample, Trip } from '../../telemetry/model';
import { validateVehicleData } from '../../telemetry/validate';
import type { SyncBatch } from '../provider';
import { activityOf, createPsaV4Provider } from './provider';
import { psaV4StatusSchema } from './schema';
import { linkAccount, type PsaCloud, startPsaCloud, TEST_NOW } from './simulator-for-tests';

// The v4 provider over real HTTP against the simulated cloud. Every expectation comes from the
// simulator's own truth — the car's timeline (trips, and its state at any instant) — never from the
// API answers under test.

const DAY_MS = 86_400_000;
const BACKFILL_MS = 2 * DAY_MS;

let cloud: PsaCloud;

beforeAll(async () => {
  cloud = await startPsaCloud();
});
afterAll(async () => {
  await cloud.close();
});

function demoPetrol() {
  const car = cloud.ctx.world.ownerAt(0).vehicles.find((vehicle) => vehicle.powertrain === 'petrol');
  if (!car) throw new Error('the demo owner has a petrol 208');
  return car;
}

function providerFor() {
  const account = linkAccount(cloud);
  const provider = createPsaV4Provider({
    client: account.client,
    now: () => cloud.ctx.clock.now(),
    backfillMs: BACKFILL_MS,
    maxTelemetryPages: 20,
  });
  return { account, provider };
}

/** Within half a unit of the last digit the API sends (one decimal), plus float noise. */
const near = (actual: number | undefined, expected: number, tolerance = 0.051) => {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(tolerance);
};

function expectTruth(samples: readonly Sample[]) {
  const timeline = cloud.ctx.fleet.timelineOf(demoPetrol());
  for (const sample of samples) {
    const truth = timeline.stateAt(sample.at);
    if (sample.odometerKm !== undefined) near(sample.odometerKm, truth.odometerKm, 0.11);
    if (sample.fuelLevelPct !== undefined) near(sample.fuelLevelPct, truth.fuelLevelPct ?? Number.NaN);
    if (sample.speedKmh !== undefined && truth.moving) near(sample.speedKmh, truth.speedKmh);
    if (sample.latitude !== undefined) {
      // Six decimals in GeoJSON.
      near(sample.latitude, truth.lat, 1e-6);
      near(sample.longitude, truth.lon, 1e-6);
    }
  }
}

/** The last trip the demo car finished by TEST_NOW (its key-off upload is the status we read). */
function lastTripBeforeNow() {
  const trips = cloud.ctx.fleet
    .timelineOf(demoPetrol())
    .tripsBetween(TEST_NOW - 7 * DAY_MS, TEST_NOW + 1)
    .filter((trip) => trip.endMs <= TEST_NOW);
  const last = trips.at(-1);
  if (!last) throw new Error('the demo car drove this week');
  return last;
}

/**
 * Where the first sync's backfill starts: BACKFILL_MS before the car's last upload, which is its
 * key-off upload 3 to 12 s after the last trip (docs/simulator.md) — so from here on for sure.
 */
const backfillSurelyFrom = () => lastTripBeforeNow().endMs + 12_000 - BACKFILL_MS;

/** Finished trips of the truth that started in [fromMs, toMs], oldest first. */
function truthTrips(fromMs: number, toMs: number) {
  return cloud.ctx.fleet
    .timelineOf(demoPetrol())
    .tripsBetween(fromMs - DAY_MS, toMs + 1)
    .filter((trip) => trip.startMs >= fromMs && trip.endMs <= toMs);
}

describe('sync of the demo petrol 208', () => {
  let first: SyncBatch;
  let sync: ReturnType<typeof providerFor>;

  beforeAll(async () => {
    cloud.clock.set({ now: TEST_NOW, frozen: true });
    sync = providerFor();
    first = await sync.provider.sync({ providerVehicleId: demoPetrol().id }, null);
  });

  it('lists the demo owner’s cars, the 208 among them', async () => {
    const vehicles = await sync.provider.listVehicles();
    const car = demoPetrol();
    expect(vehicles.find((vehicle) => vehicle.providerVehicleId === car.id)).toMatchObject({
      providerVehicleId: car.id,
      vin: car.vin,
      brand: 'Peugeot',
      source: { provider: 'psa-v4' },
    });
  });

  it('brings every finished trip of the backfill window, as the timeline has them', () => {
    // The backfill counts from the car's last upload, not from our clock.
    const expected = truthTrips(backfillSurelyFrom(), TEST_NOW);
    expect(expected.length).toBeGreaterThan(0);
    const timeline = cloud.ctx.fleet.timelineOf(demoPetrol());
    const got = new Map(first.data.trips.map((trip) => [trip.providerTripId, trip]));
    for (const truth of expected) {
      const trip = got.get(truth.id) as Trip;
      expect(trip, truth.id).toBeDefined();
      expect(trip.startedAt).toBe(truth.startMs);
      expect(trip.endedAt).toBe(truth.endMs);
      near(trip.distanceKm, truth.distanceKm);
      near(trip.startOdometerKm, timeline.stateAt(truth.startMs).odometerKm);
      expect(trip.fuelUsedL).toBeGreaterThan(0);
    }
    // And nothing else: no trip from before the window, none the timeline does not have.
    const allowed = truthTrips(backfillSurelyFrom() - 12_000, TEST_NOW).map((trip) => trip.id);
    expect([...got.keys()].filter((id) => !allowed.includes(id))).toEqual([]);
  });

  it('brings one telemetry sample per second driven, each equal to the car’s state then', () => {
    const telemetry = first.data.samples.filter((sample) => sample.source.ref === 'telemetry');
    for (const truth of truthTrips(backfillSurelyFrom(), TEST_NOW)) {
      const inTrip = telemetry.filter((sample) => sample.at >= truth.startMs && sample.at <= truth.endMs);
      // 1 Hz from key-on to key-off, both included.
      expect(inTrip).toHaveLength(Math.round((truth.endMs - truth.startMs) / 1000) + 1);
    }
    expect(telemetry.some((sample) => sample.latitude !== undefined && sample.engineRpm !== undefined)).toBe(
      true,
    );
    expectTruth(first.data.samples);
  });

  it('stamps the status with the car’s times: the parked car’s last fix is where the last trip ended', () => {
    const timeline = cloud.ctx.fleet.timelineOf(demoPetrol());
    const state = timeline.stateAt(TEST_NOW);
    const lastTrip = lastTripBeforeNow();
    if (state.moving) return expect(first.activity).toBe('driving');
    const fix = first.data.samples.find((sample) => sample.at === lastTrip.endMs);
    near(fix?.latitude, timeline.stateAt(lastTrip.endMs).lat, 1e-6);
    // Nothing is stamped with the time we fetched it.
    expect(first.data.samples.every((sample) => sample.at <= TEST_NOW)).toBe(true);
    // The box slept long ago (TEST_NOW is a Sunday morning): asleep unless the trip just ended.
    expect(first.activity).toBe(TEST_NOW - lastTrip.endMs > 10 * 60_000 ? 'asleep' : 'parked');
    expect(first.lastMeasuredAt).toBeGreaterThan(lastTrip.endMs);
    expect(first.lastMeasuredAt).toBeLessThanOrEqual(TEST_NOW);
  });

  it('produces only records the model accepts', () => {
    expect(validateVehicleData(first.data).quarantined).toEqual([]);
    expect(first.data.maintenance).toHaveLength(1);
  });

  it('a second sync with the cursor brings nothing again', async () => {
    const again = await sync.provider.sync({ providerVehicleId: demoPetrol().id }, first.cursor);
    expect(again.data.samples).toEqual([]);
    expect(again.data.trips).toEqual([]);
    expect(again.data.alerts).toEqual([]);
    expect(again.data.maintenance).toEqual([]);
    expect(again.lastMeasuredAt).toBe(first.lastMeasuredAt);
  });

  it('a parked, sleeping car costs one request per poll', async () => {
    const before = sync.account.counts.apiRequests;
    await sync.provider.sync({ providerVehicleId: demoPetrol().id }, first.cursor);
    // Status only; alerts and maintenance are on their own slower cadence.
    expect(sync.account.counts.apiRequests - before).toBe(1);
  });

  it('syncs across days and a trip under way: no duplicates, no gaps', async () => {
    const car = demoPetrol();
    const timeline = cloud.ctx.fleet.timelineOf(car);
    // The next trip after TEST_NOW: poll in its middle, then after it ended, then the next day.
    const next = timeline
      .tripsBetween(TEST_NOW, TEST_NOW + 3 * DAY_MS)
      .find((trip) => trip.startMs > TEST_NOW);
    if (!next) throw new Error('the demo car drives within three days');
    const polls = [
      Math.floor((next.startMs + next.endMs) / 2 / 1000) * 1000,
      next.endMs + 60_000,
      next.endMs + 6 * 3_600_000,
    ];
    const batches: SyncBatch[] = [first];
    let cursor = first.cursor;
    for (const at of polls) {
      cloud.clock.set({ now: at, frozen: true });
      const batch = await sync.provider.sync({ providerVehicleId: car.id }, cursor);
      batches.push(batch);
      cursor = batch.cursor;
    }
    const [, during, after] = batches;
    expect(during?.activity).toBe('driving');
    // The trip under way arrives without an end, then once more when it is finished.
    expect(during?.data.trips.find((trip) => trip.providerTripId === next.id)?.endedAt).toBeUndefined();
    expect(after?.data.trips.find((trip) => trip.providerTripId === next.id)?.endedAt).toBe(next.endMs);

    const samples = batches.flatMap((batch) => batch.data.samples);
    // No instant is sent twice, whichever resource it came from.
    expect(new Set(samples.map((sample) => sample.at)).size).toBe(samples.length);
    const telemetryTimes = samples
      .filter((sample) => sample.source.ref === 'telemetry')
      .map((sample) => sample.at);
    expect(new Set(telemetryTimes).size).toBe(telemetryTimes.length);
    // Every second of every trip from the first trip in the window to the last poll, once.
    const last = polls.at(-1) ?? TEST_NOW;
    for (const truth of truthTrips(backfillSurelyFrom(), last)) {
      const seconds = telemetryTimes.filter((at) => at >= truth.startMs && at <= truth.endMs);
      expect(seconds, truth.id).toHaveLength(Math.round((truth.endMs - truth.startMs) / 1000) + 1);
    }
    // Finished trips: each exactly once across the batches.
    const finished = batches.flatMap((batch) =>
      batch.data.trips.filter((trip) => trip.endedAt !== undefined),
    );
    const ids = finished.map((trip) => trip.providerTripId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const truth of truthTrips(backfillSurelyFrom(), last)) expect(ids).toContain(truth.id);
    const allowed = truthTrips(backfillSurelyFrom() - 12_000, last).map((trip) => trip.id);
    expect(ids.filter((id) => !allowed.includes(id))).toEqual([]);
    expectTruth(samples);
    cloud.clock.set({ now: TEST_NOW, frozen: true });
  });
});

describe('activity from the status', () => {
  const base = { createdAt: '2026-03-01T08:00:00Z', _links: { self: { href: 'x' } } };
  const now = Date.parse('2026-03-01T08:01:00Z');
  it.each([
    [{ kinetic: { createdAt: base.createdAt, moving: true, speed: 40 } }, 'driving'],
    [{ ignition: { createdAt: base.createdAt, type: 'Start' } }, 'driving'],
    [{ ignition: { createdAt: base.createdAt, type: 'Stop' } }, 'parked'],
    [
      {
        ignition: { createdAt: base.createdAt, type: 'Stop' },
        energies: [
          {
            createdAt: base.createdAt,
            type: 'Electric',
            level: 50,
            extension: { electric: { charging: { plugged: true, status: 'InProgress' } } },
          },
        ],
      },
      'charging',
    ],
  ] as const)('%o → %s', (fields, expected) => {
    expect(activityOf(psaV4StatusSchema.parse({ ...base, ...fields }), now, 600_000)).toBe(expected);
  });

  it('an old upload means the box sleeps, whatever it said then; no status is unknown', () => {
    const driving = psaV4StatusSchema.parse({
      ...base,
      kinetic: { createdAt: base.createdAt, moving: true },
    });
    expect(activityOf(driving, now + 3_600_000, 600_000)).toBe('asleep');
    expect(activityOf(null, now, 600_000)).toBe('unknown');
  });
});

describe('a backfill larger than one sync', () => {
  it('says a backlog remains until the last page, and the pages add up to the whole history', async () => {
    cloud.clock.set({ now: TEST_NOW, frozen: true });
    const account = linkAccount(cloud);
    const ref = { providerVehicleId: demoPetrol().id };
    const whole = await createPsaV4Provider({
      client: account.client,
      now: () => cloud.ctx.clock.now(),
      backfillMs: BACKFILL_MS,
      maxTelemetryPages: 20,
    }).sync(ref, null);
    expect(whole.backlog).toBe(false);

    const paged = createPsaV4Provider({
      client: account.client,
      now: () => cloud.ctx.clock.now(),
      backfillMs: BACKFILL_MS,
      maxTelemetryPages: 1,
    });
    let batch = await paged.sync(ref, null);
    expect(batch.backlog).toBe(true);
    const instants = new Set(batch.data.samples.map((sample) => sample.at));
    let syncs = 1;
    while (batch.backlog && syncs < 50) {
      batch = await paged.sync(ref, batch.cursor);
      for (const sample of batch.data.samples) instants.add(sample.at);
      syncs++;
    }
    expect(batch.backlog).toBe(false);
    expect(syncs).toBeGreaterThan(1);
    expect(instants).toEqual(new Set(whole.data.samples.map((sample) => sample.at)));
  });
});
