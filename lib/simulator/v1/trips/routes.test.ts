import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SimContext } from '../../context';
import { privacyStateAt } from '../../fleet/privacy';
import type { TripRecord } from '../../fleet/vehicle-timeline';
import { tripFacts, tripPrivacy, tripResource } from '../../v4/trip-resources';
import type { SimVehicle } from '../../world/world';
import { yyyymmdd } from '../test-helpers';
import { type Answer, type Query, setupV1Server, type V1TestServer } from '../test-server';
import { v1TripId } from '../trip-ids';
import { CO2_KG_PER_LITRE, DEFAULT_PRICES } from './prices';

// The PSA v1 Trips family over real HTTP: the lists, one trip, the period and multi-car list, the
// reference trip and fuel prices, for the demo owner's petrol 208 and e-208, checked against the
// cars' timelines and against v4's body of the same trip.

/** 03:00Z, a night-time instant the expectations below are taken at. */
const NOW = Date.parse('2026-03-01T03:00:00Z');
const DAY_MS = 86_400_000;
const SEED = 'v1-trips-test';
/** 17 peers: the world then holds Peugeots that ran under geolocation and full privacy. */
const PEERS = 17;

const main = setupV1Server({ seed: SEED, peers: PEERS, now: NOW });
const { world } = main.ctx;
const { combustion: petrol, electric } = main;
const peugeotKey = world.clientFor('peugeot').clientId;
/** The same cloud asked a minute into the petrol 208's second newest trip. */
const finished = timelineTrips(main.ctx, petrol)[1] as TripRecord;
const during = setupV1Server({ seed: SEED, peers: PEERS, now: finished.startMs + 60_000 });
/** Another simulator context at the same instant, for the settings each context keeps. */
const other = setupV1Server({ seed: SEED, peers: PEERS, now: NOW });

type Method = 'GET' | 'PUT' | 'POST';

/** A call with the Peugeot key unless the query names one; a POST sends an empty JSON object. */
function call(
  path: string,
  query: Query,
  method: Method = 'GET',
  server: V1TestServer = main,
): Promise<Answer> {
  const keyed = { client_id: peugeotKey, ...query };
  if (method === 'PUT') return server.put(path, keyed);
  if (method === 'POST') return server.post(path, keyed, {});
  return server.get(path, keyed);
}

const ok = (path: string, query: Query, method: Method = 'GET', server: V1TestServer = main) =>
  main.expectOk(call(path, query, method, server));

const refused = (path: string, query: Query, status: number, method: Method = 'GET') =>
  main.expectRefusal(call(path, query, method), status);

// Every field of the spec's trip item; the ones a car may lack are optional here and checked per car.
const tripSchema = z.strictObject({
  tripId: z.number().int().positive(),
  dateTripBegin: z.iso.datetime(),
  tripDuration: z.number().int().min(0),
  dateUpdate: z.iso.datetime(),
  avgFuelConsumption: z.number().min(0).optional(),
  deltaFuelLevel: z.number().min(0).max(100).optional(),
  tripMileage: z.number().min(0),
  totMileage: z.number().min(0),
  avgSpeed: z.number().min(0).optional(),
  engineSpeed: z.number().int().min(0).optional(),
  engineOilTemp: z.number().optional(),
  fuelPrice: z.number().positive(),
  tripCost: z.number().min(0).optional(),
  referenceTrip: z.union([z.literal(0), z.literal(1)]),
  CO2Emission: z.number().int().min(0).optional(),
  ecoDriving: z.number().min(0).max(10).optional(),
  refueling: z.union([z.literal(0), z.literal(1)]).optional(),
  modePrivacy: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  refuelingCost: z.number().min(0).optional(),
  siphoning: z.union([z.literal(0), z.literal(1)]).optional(),
  siphoningCost: z.number().min(0).optional(),
  fuelTankLevel: z.number().min(0).max(100).optional(),
  tripFuelConsumption: z.number().min(0).optional(),
  geoLocalisation: z
    .strictObject({ latitude: z.string().regex(/^-?\d+\.\d+$/), longitude: z.string().regex(/^-?\d+\.\d+$/) })
    .optional(),
  vin: z.string().length(17),
  contract: z.string().min(1),
});
type Trip = z.infer<typeof tripSchema>;
const tripsSchema = z.strictObject({ totalNumberTrips: z.number().int().min(0), trips: z.array(tripSchema) });
const referenceSchema = z.strictObject({ trips: z.array(tripSchema).max(1) });
const priceSchema = z.strictObject({
  fuelPrice: z.number().positive(),
  vin: z.string(),
  contract: z.string(),
});

const q = (vehicle: SimVehicle, extra: Query = {}): Query => ({ contract: vehicle.contract, ...extra });

/** The car's finished trips in its history window at `nowMs`, newest first, from the timeline alone. */
function timelineTrips(ctx: SimContext, vehicle: SimVehicle, nowMs = NOW): TripRecord[] {
  return ctx.fleet
    .timelineOf(vehicle)
    .tripsBetween(ctx.fleet.historyStartMs(vehicle, nowMs), nowMs + 1)
    .filter((trip) => trip.endMs <= nowMs)
    .reverse();
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

describe('GET /trip/last/{vin}', () => {
  it('lists the petrol 208’s newest 10 finished trips by default, with every field', async () => {
    const body = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol)));
    const expected = timelineTrips(main.ctx, petrol);
    expect(expected.length).toBeGreaterThan(10);
    expect(body.totalNumberTrips).toBe(expected.length);
    expect(body.trips.map((trip) => trip.tripId)).toEqual(expected.slice(0, 10).map(v1TripId));
    for (const trip of body.trips) {
      expect(Object.keys(trip).length, JSON.stringify(trip)).toBe(Object.keys(tripSchema.shape).length);
      expect(trip.vin).toBe(petrol.vin);
      expect(trip.contract).toBe(petrol.contract);
      expect(trip.modePrivacy).toBe(0);
      expect(trip.siphoning).toBe(0);
      // Engine oil between the outside air and its warm 98 °C; rpm between idle and a high cruise.
      expect(trip.engineOilTemp).toBeLessThanOrEqual(98.1);
      expect(trip.engineOilTemp).toBeGreaterThan(-30);
      expect(trip.engineSpeed).toBeGreaterThan(700);
      expect(trip.engineSpeed).toBeLessThan(4000);
      expect(typeof trip.ecoDriving).toBe('number');
      expect(Date.parse(trip.dateUpdate) - Date.parse(trip.dateTripBegin)).toBe(trip.tripDuration * 1000);
    }
    const begins = body.trips.map((trip) => Date.parse(trip.dateTripBegin));
    expect(begins).toEqual([...begins].sort((a, b) => b - a));
  });

  it('answers the e-208 with no tank, no oil and no fuel, costed by the energy it drew', async () => {
    const body = tripsSchema.parse(await ok(`/trip/last/${electric.vin}`, q(electric, { limit: '4' })));
    const timeline = main.ctx.fleet.timelineOf(electric);
    const expected = timelineTrips(main.ctx, electric);
    expect(body.totalNumberTrips).toBe(expected.length);
    expect(body.trips).toHaveLength(4);
    for (const [i, trip] of body.trips.entries()) {
      expect(trip.fuelTankLevel).toBeUndefined();
      expect(trip.engineOilTemp).toBeUndefined();
      expect(trip.avgFuelConsumption).toBe(0);
      expect(trip.tripFuelConsumption).toBe(0);
      expect(trip.deltaFuelLevel).toBe(0);
      expect(trip.CO2Emission).toBe(0);
      expect(trip.refueling).toBe(0);
      expect(trip.engineSpeed).toBeGreaterThan(0);
      expect(trip.fuelPrice).toBe(DEFAULT_PRICES.electricity);
      const record = expected[i] as TripRecord;
      const trace = timeline.traceOf(record);
      const kwh = trace.energyKwh[trace.energyKwh.length - 1] ?? 0;
      expect(trip.tripCost).toBeCloseTo(kwh * DEFAULT_PRICES.electricity, 2);
    }
  });

  it('honours limit and refuses a bad one', async () => {
    for (const limit of ['1', '3']) {
      const body = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol, { limit })));
      expect(body.trips).toHaveLength(Number(limit));
    }
    const all = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol, { limit: '1000' })));
    expect(all.trips).toHaveLength(all.totalNumberTrips);
    for (const limit of ['0', '-1', 'ten', '1001', '2.5']) {
      await refused(`/trip/last/${petrol.vin}`, q(petrol, { limit }), 400);
    }
    await refused(`/trip/last/${petrol.vin}`, q(petrol, { unit: 'km' }), 400);
    await refused(`/trip/last/${petrol.vin}`, { contract: 'CT00000000' }, 404);
    await refused(`/trip/last/${petrol.vin}`, {}, 400);
  });
});

describe('v1 and v4 tell one story about a trip', () => {
  it('gives v4’s distance, duration, speed, consumption, levels, odometer and stop position', async () => {
    const body = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol)));
    const timeline = main.ctx.fleet.timelineOf(petrol);
    const trips = timelineTrips(main.ctx, petrol).slice(0, 10);
    for (const [i, record] of trips.entries()) {
      const v1 = body.trips[i] as Trip;
      const facts = tripFacts(timeline, record, NOW);
      const v4 = tripResource({
        apiBase: 'http://v4.test',
        vehicle: petrol,
        timeline,
        facts,
        atMs: NOW,
        privacy: tripPrivacy(main.ctx.world.seed, petrol, record),
        withPositions: true,
      });
      expect(v1.tripDuration).toBe(v4.duration);
      expect(v1.tripMileage).toBe(v4.distance);
      expect(v1.dateTripBegin).toBe(v4.startedAt);
      expect(v1.dateUpdate).toBe(v4.stoppedAt);
      // The odometer moves by the trip's distance and nothing else.
      expect(Math.abs(v1.totMileage - (v4.startMileage + v4.distance))).toBeLessThanOrEqual(0.2);
      expect(v1.avgSpeed).toBe(v4.kinetic?.avgSpeed);
      const fuel = v4.energyConsumptions?.find((energy) => energy.type === 'Fuel');
      // v4 gives cL and cL/100 km; v1 litres and L/100 km, one decimal.
      expect(Math.abs((v1.avgFuelConsumption ?? -1) - (fuel?.avgConsumption ?? 0) / 100)).toBeLessThanOrEqual(
        0.051,
      );
      expect(Math.abs((v1.tripFuelConsumption ?? -1) - (fuel?.consumption ?? 0) / 100)).toBeLessThanOrEqual(
        0.051,
      );
      const endLevel = v4.endEnergies?.find((energy) => energy.type === 'Fuel')?.level;
      const startLevel = v4.startEnergies?.find((energy) => energy.type === 'Fuel')?.level ?? 0;
      expect(v1.fuelTankLevel).toBe(endLevel);
      expect(Math.abs((v1.deltaFuelLevel ?? -1) - (startLevel - (endLevel ?? 0)))).toBeLessThanOrEqual(0.11);
      const [lon, lat] = v4.stopPosition?.geometry.coordinates ?? [];
      expect(Number(v1.geoLocalisation?.latitude)).toBeCloseTo(lat ?? 0, 5);
      expect(Number(v1.geoLocalisation?.longitude)).toBeCloseTo(lon ?? 0, 5);
      // CO2 from the fuel burnt, per km.
      const litres = facts.trace.fuelL[facts.last] ?? 0;
      expect(v1.CO2Emission).toBe(Math.round((litres * CO2_KG_PER_LITRE.petrol * 1000) / record.distanceKm));
    }
  });
});

describe('unit=1', () => {
  it('answers miles, mph, imperial gallons and mpg; prices, costs and CO2 do not change', async () => {
    const metric = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol, { limit: '5' })));
    const imperial = tripsSchema.parse(
      await ok(`/trip/last/${petrol.vin}`, q(petrol, { limit: '5', unit: '1' })),
    );
    const MILE = 1.609344;
    const GALLON = 4.54609;
    for (const [i, m] of metric.trips.entries()) {
      const u = imperial.trips[i] as Trip;
      expect(u.tripId).toBe(m.tripId);
      expect(Math.abs(u.tripMileage - m.tripMileage / MILE)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(u.totMileage - m.totMileage / MILE)).toBeLessThanOrEqual(0.1);
      expect(Math.abs((u.avgSpeed ?? 0) - (m.avgSpeed ?? 0) / MILE)).toBeLessThanOrEqual(0.1);
      expect(
        Math.abs((u.tripFuelConsumption ?? 0) - (m.tripFuelConsumption ?? 0) / GALLON),
      ).toBeLessThanOrEqual(0.05);
      // mpg = 100 / L·100km⁻¹ × gallon / mile; metric figures are rounded, so 2 % slack.
      const mpg = (100 / MILE) * (GALLON / (m.avgFuelConsumption ?? 1));
      expect(Math.abs((u.avgFuelConsumption ?? 0) - mpg) / mpg).toBeLessThan(0.02);
      for (const same of ['tripDuration', 'fuelPrice', 'tripCost', 'CO2Emission', 'fuelTankLevel'] as const) {
        expect(u[same]).toBe(m[same]);
      }
    }
  });
});

describe('GET /trip/period/{vin}', () => {
  const timelineDays = () => {
    const byDay = new Map<number, TripRecord[]>();
    for (const trip of timelineTrips(main.ctx, petrol)) {
      const day = Math.floor(trip.startMs / DAY_MS);
      byDay.set(day, [...(byDay.get(day) ?? []), trip]);
    }
    return byDay;
  };

  it('lists the trips that started on the days asked, both ends included', async () => {
    const byDay = timelineDays();
    const days = [...byDay.keys()].sort((a, b) => a - b);
    const first = days[3] as number;
    const last = days[5] as number;
    const expected = timelineTrips(main.ctx, petrol).filter(
      (trip) => trip.startMs >= first * DAY_MS && trip.startMs < (last + 1) * DAY_MS,
    );
    const body = tripsSchema.parse(
      await ok(
        `/trip/period/${petrol.vin}`,
        q(petrol, { from: yyyymmdd(first * DAY_MS), to: yyyymmdd(last * DAY_MS), limit: '1000' }),
      ),
    );
    expect(body.totalNumberTrips).toBe(expected.length);
    expect(body.trips.map((trip) => trip.tripId)).toEqual(expected.map(v1TripId));
    const limited = tripsSchema.parse(
      await ok(
        `/trip/period/${petrol.vin}`,
        q(petrol, { from: yyyymmdd(first * DAY_MS), to: yyyymmdd(last * DAY_MS), limit: '2' }),
      ),
    );
    expect(limited.totalNumberTrips).toBe(expected.length);
    expect(limited.trips.map((trip) => trip.tripId)).toEqual(expected.slice(0, 2).map(v1TripId));
  });

  it('counts a day’s latest trip on that day only', async () => {
    const byDay = timelineDays();
    // The trip that starts latest in its day, over the whole history.
    const late = [...byDay.values()]
      .flat()
      .reduce((a, b) => (b.startMs % DAY_MS > a.startMs % DAY_MS ? b : a));
    const day = Math.floor(late.startMs / DAY_MS);
    const on = tripsSchema.parse(
      await ok(
        `/trip/period/${petrol.vin}`,
        q(petrol, { from: yyyymmdd(late.startMs), to: yyyymmdd(late.startMs) }),
      ),
    );
    expect(on.trips.map((trip) => trip.tripId)).toContain(v1TripId(late));
    const next = yyyymmdd((day + 1) * DAY_MS);
    const after = tripsSchema.parse(
      await ok(`/trip/period/${petrol.vin}`, q(petrol, { from: next, to: next })),
    );
    expect(after.trips.map((trip) => trip.tripId)).not.toContain(v1TripId(late));
    expect(after.totalNumberTrips).toBe(byDay.get(day + 1)?.length ?? 0);
  });

  it('is empty before the history window and after now', async () => {
    const before = yyyymmdd(NOW - 200 * DAY_MS);
    const old = tripsSchema.parse(
      await ok(`/trip/period/${petrol.vin}`, q(petrol, { from: before, to: before })),
    );
    expect(old).toEqual({ totalNumberTrips: 0, trips: [] });
    const tomorrow = yyyymmdd(NOW + DAY_MS);
    const future = tripsSchema.parse(
      await ok(`/trip/period/${petrol.vin}`, q(petrol, { from: tomorrow, to: tomorrow })),
    );
    expect(future).toEqual({ totalNumberTrips: 0, trips: [] });
  });

  it('refuses missing, malformed, impossible and reversed dates with 400', async () => {
    const today = yyyymmdd(NOW);
    for (const dates of [
      { from: undefined, to: today },
      { from: today, to: undefined },
      { from: '2026-02-01', to: today },
      { from: '20260230', to: '20260301' },
      { from: '20260301', to: '20260201' },
      { from: '20240101', to: '20260101' },
      { from: '1e7', to: today },
    ]) {
      await refused(`/trip/period/${petrol.vin}`, q(petrol, dates), 400);
    }
  });
});

describe('GET /trip/id/{vin}/{tripid}', () => {
  it('answers the trip the lists give, for both cars', async () => {
    for (const car of [petrol, electric]) {
      const listed = tripsSchema.parse(await ok(`/trip/last/${car.vin}`, q(car, { limit: '3' })));
      for (const trip of listed.trips) {
        expect(tripSchema.parse(await ok(`/trip/id/${car.vin}/${trip.tripId}`, q(car)))).toEqual(trip);
      }
    }
  });

  it('answers 404 for unknown, malformed and future ids, 400 for a bad unit', async () => {
    const [own] = timelineTrips(main.ctx, petrol);
    const today = Math.floor(NOW / DAY_MS);
    for (const id of ['123', 'abc', '-4', String(today * 1000 + 999), String((today + 3) * 1000), '1e5']) {
      await refused(`/trip/id/${petrol.vin}/${id}`, q(petrol), 404);
    }
    await refused(`/trip/id/${petrol.vin}/${v1TripId(own as TripRecord)}`, q(petrol, { unit: '3' }), 400);
  });

  it('keeps a trip under way out of v1 until it ends', async () => {
    const id = v1TripId(finished);
    expect((await call(`/trip/id/${petrol.vin}/${id}`, q(petrol), 'GET', during)).status).toBe(404);
    const listed = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol), 'GET', during));
    expect(listed.trips.map((trip) => trip.tripId)).not.toContain(id);
    expect(listed.trips[0]?.tripId).toBe(
      v1TripId(timelineTrips(during.ctx, petrol, finished.startMs)[0] as TripRecord),
    );
    const put = await call(
      `/trip/update/referencetrip/${petrol.vin}`,
      q(petrol, { tripid: String(id) }),
      'PUT',
      during,
    );
    expect(put.status).toBe(404);
  });
});

describe('refuelling', () => {
  it('flags the trip after a fill-up with its cost, and only those', async () => {
    const timeline = main.ctx.fleet.timelineOf(petrol);
    const body = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol, { limit: '1000' })));
    // Oldest first: the tank level rose between a trip's key-off and the next one's key-on.
    const records = timelineTrips(main.ctx, petrol).reverse();
    let fillUps = 0;
    for (const [i, record] of records.entries()) {
      if (i === 0) continue;
      const parked = timeline.stateAt((records[i - 1] as TripRecord).endMs).fuelLevelPct ?? 0;
      const startLevel = timeline.stateAt(record.startMs).fuelLevelPct ?? 0;
      const trip = body.trips.find((candidate) => candidate.tripId === v1TripId(record)) as Trip;
      const filled = startLevel - parked > 5;
      expect(trip.refueling, `${record.id}: ${parked} → ${startLevel}`).toBe(filled ? 1 : 0);
      if (filled) {
        fillUps++;
        const litres = ((startLevel - parked) / 100) * (timeline.model.tankLitres ?? 0);
        expect(trip.refuelingCost).toBeCloseTo(litres * trip.fuelPrice, 1);
      } else {
        expect(trip.refuelingCost).toBe(0);
      }
    }
    expect(fillUps).toBeGreaterThan(0);
  });
});

describe('privacy', () => {
  /** A Peugeot peer's finished trip driven under `mode`. */
  function peerTrip(mode: 'Geolocation' | 'Full') {
    for (let index = 1; index < world.ownerCount; index++) {
      const owner = world.ownerAt(index);
      if (owner.brand !== 'peugeot') continue;
      for (const vehicle of owner.vehicles) {
        // Only cars whose mode was on during the history window are worth listing trips for.
        const fromMs = main.ctx.fleet.historyStartMs(vehicle, NOW);
        const instants = [fromMs, fromMs + 14 * DAY_MS, fromMs + 28 * DAY_MS, NOW];
        if (!instants.some((ms) => privacyStateAt(SEED, vehicle, ms) === mode)) continue;
        const trip = timelineTrips(main.ctx, vehicle).find(
          (candidate) => tripPrivacy(SEED, vehicle, candidate) === mode,
        );
        if (trip) return { vehicle, trip };
      }
    }
    throw new Error(`no Peugeot ran under ${mode} privacy in the test world`);
  }

  it('hides the stop position under geolocation privacy', async () => {
    const { vehicle, trip } = peerTrip('Geolocation');
    const body = tripSchema.parse(await ok(`/trip/id/${vehicle.vin}/${v1TripId(trip)}`, q(vehicle)));
    expect(body.modePrivacy).toBe(1);
    expect(body.geoLocalisation).toBeUndefined();
    expect(body.avgSpeed).toBeGreaterThan(0);
  });

  it('keeps only distance, duration and mileage under full privacy', async () => {
    const { vehicle, trip } = peerTrip('Full');
    const body = tripSchema.parse(await ok(`/trip/id/${vehicle.vin}/${v1TripId(trip)}`, q(vehicle)));
    expect(body.modePrivacy).toBe(2);
    expect(Object.keys(body).sort()).toEqual(
      [
        'tripId',
        'dateTripBegin',
        'tripDuration',
        'dateUpdate',
        'tripMileage',
        'totMileage',
        'fuelPrice',
        'referenceTrip',
        'modePrivacy',
        'vin',
        'contract',
      ].sort(),
    );
    expect(body.tripMileage).toBe(round1(trip.distanceKm));
  });
});

describe('POST /trip/list', () => {
  const period = { from: yyyymmdd(NOW - 6 * DAY_MS), to: yyyymmdd(NOW) };
  const post = (body: unknown, query: Query) =>
    main.post('/trip/list', { client_id: peugeotKey, ...query }, body);

  it('answers every named car’s trips of the period in one list, as their /trip/period would', async () => {
    const answer = await post(
      {
        listvin: [petrol.vin, electric.vin, petrol.vin.replace(/.{6}$/, '999999')],
        listcontract: [petrol.contract, electric.contract, petrol.contract],
      },
      { ...period, limit: '4', unit: '1' },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const body = z.strictObject({ trips: z.array(tripSchema) }).parse(answer.body);
    const perCar = [];
    for (const car of [petrol, electric]) {
      perCar.push(
        ...tripsSchema.parse(
          await ok(`/trip/period/${car.vin}`, q(car, { ...period, limit: '4', unit: '1' })),
        ).trips,
      );
    }
    expect(body.trips).toEqual(perCar);
    expect(body.trips.filter((trip) => trip.vin === petrol.vin)).toHaveLength(4);
    expect(body.trips.filter((trip) => trip.vin === electric.vin)).toHaveLength(4);
  });

  it('refuses bad bodies and bad periods with 400', async () => {
    const cars = { listvin: [petrol.vin], listcontract: [petrol.contract] };
    for (const body of [{}, { listvin: [petrol.vin] }, { listvin: [], listcontract: [] }, [1, 2]]) {
      expect((await post(body, period)).status).toBe(400);
    }
    expect((await post(cars, { ...period, from: undefined })).status).toBe(400);
    expect((await post(cars, { ...period, limit: '0' })).status).toBe(400);
    expect((await post(cars, { from: period.to, to: period.from })).status).toBe(400);
    expect((await post('{not json', period)).status).toBe(400);
  });
});

describe('reference trip and fuel prices', () => {
  it('pins one reference trip per car and lists it as such', async () => {
    const path = `/trip/get/referencetrip/${petrol.vin}`;
    expect(referenceSchema.parse(await ok(path, q(petrol)))).toEqual({ trips: [] });
    const [, second, third] = timelineTrips(main.ctx, petrol);
    for (const pinned of [second, third] as TripRecord[]) {
      const id = String(v1TripId(pinned));
      const put = referenceSchema.parse(
        await ok(`/trip/update/referencetrip/${petrol.vin}`, q(petrol, { tripid: id }), 'PUT'),
      );
      expect(put.trips[0]?.tripId).toBe(Number(id));
      const got = referenceSchema.parse(await ok(path, q(petrol, { unit: '1' })));
      expect(got.trips.map((trip) => [trip.tripId, trip.referenceTrip])).toEqual([[Number(id), 1]]);
      const listed = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol)));
      expect(listed.trips.filter((trip) => trip.referenceTrip === 1).map((trip) => trip.tripId)).toEqual([
        Number(id),
      ]);
    }
    // The other car keeps none.
    expect(referenceSchema.parse(await ok(`/trip/get/referencetrip/${electric.vin}`, q(electric)))).toEqual({
      trips: [],
    });
    await refused(`/trip/update/referencetrip/${petrol.vin}`, q(petrol), 400, 'PUT');
    for (const tripid of ['x', '42', '']) {
      await refused(
        `/trip/update/referencetrip/${petrol.vin}`,
        q(petrol, { tripid }),
        tripid === '' ? 400 : 404,
        'PUT',
      );
    }
    await refused(path, q(petrol), 405, 'POST');
  });

  it('costs trips at the reference price, or at their own, and re-costs them when it changes', async () => {
    const timeline = main.ctx.fleet.timelineOf(petrol);
    const pricePath = `/trip/get/reference/fuelprice/${petrol.vin}`;
    const litresOf = (trip: Trip) => {
      const record = timelineTrips(main.ctx, petrol).find((candidate) => v1TripId(candidate) === trip.tripId);
      const trace = timeline.traceOf(record as TripRecord);
      return trace.fuelL[trace.fuelL.length - 1] ?? 0;
    };
    expect(priceSchema.parse(await ok(pricePath, q(petrol)))).toEqual({
      fuelPrice: DEFAULT_PRICES.petrol,
      vin: petrol.vin,
      contract: petrol.contract,
    });
    const before = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol, { limit: '3' })));
    for (const trip of before.trips) {
      expect(trip.fuelPrice).toBe(DEFAULT_PRICES.petrol);
      expect(trip.tripCost).toBeCloseTo(round2(litresOf(trip) * DEFAULT_PRICES.petrol), 2);
    }

    const put = await ok(
      `/trip/update/reference/fuelprice/${petrol.vin}`,
      q(petrol, { price: '2.059' }),
      'PUT',
    );
    expect(priceSchema.parse(put).fuelPrice).toBe(2.059);
    expect(priceSchema.parse(await ok(pricePath, q(petrol))).fuelPrice).toBe(2.059);

    const [first, second] = before.trips as [Trip, Trip];
    const own = tripSchema.parse(
      await ok(`/trip/update/fuelprice/${petrol.vin}/${first.tripId}`, q(petrol, { price: '1.5' }), 'PUT'),
    );
    expect(own.fuelPrice).toBe(1.5);
    expect(own.tripCost).toBeCloseTo(round2(litresOf(first) * 1.5), 2);

    const after = tripsSchema.parse(await ok(`/trip/last/${petrol.vin}`, q(petrol, { limit: '3' })));
    const byId = new Map(after.trips.map((trip) => [trip.tripId, trip]));
    expect(byId.get(first.tripId)?.fuelPrice).toBe(1.5);
    expect(byId.get(second.tripId)?.fuelPrice).toBe(2.059);
    expect(byId.get(second.tripId)?.tripCost).toBeCloseTo(round2(litresOf(second) * 2.059), 2);
    expect(byId.get(second.tripId)?.tripCost).toBeGreaterThan(second.tripCost ?? 0);
    // The e-208 keeps its own default, per kWh.
    expect(
      priceSchema.parse(await ok(`/trip/get/reference/fuelprice/${electric.vin}`, q(electric))).fuelPrice,
    ).toBe(DEFAULT_PRICES.electricity);
  });

  it('refuses prices that are not positive decimals up to 100 with 400, and unknown trips with 404', async () => {
    const [trip] = timelineTrips(main.ctx, petrol);
    const tripPath = `/trip/update/fuelprice/${petrol.vin}/${v1TripId(trip as TripRecord)}`;
    for (const price of [
      undefined,
      '',
      '0',
      '0.0',
      '-1.5',
      'abc',
      '1,85',
      '1e3',
      '101',
      '1.85€',
      'NaN',
      '1.123456',
    ]) {
      await refused(`/trip/update/reference/fuelprice/${petrol.vin}`, q(petrol, { price }), 400, 'PUT');
      await refused(tripPath, q(petrol, { price }), 400, 'PUT');
    }
    await refused(`/trip/update/fuelprice/${petrol.vin}/999`, q(petrol, { price: '1.9' }), 404, 'PUT');
    await refused(`/trip/update/fuelprice/${petrol.vin}/abc`, q(petrol, { price: '1.9' }), 404, 'PUT');
    await refused(tripPath, q(petrol, { price: '1.9' }), 405, 'GET');
  });

  it('keeps each simulator context’s settings to itself', async () => {
    const [trip] = timelineTrips(main.ctx, petrol);
    const id = String(v1TripId(trip as TripRecord));
    await ok(`/trip/update/referencetrip/${petrol.vin}`, q(petrol, { tripid: id }), 'PUT');
    await ok(`/trip/update/reference/fuelprice/${petrol.vin}`, q(petrol, { price: '3.3' }), 'PUT');
    const price = priceSchema.parse(
      await ok(`/trip/get/reference/fuelprice/${petrol.vin}`, q(petrol), 'GET', other),
    );
    expect(price.fuelPrice).toBe(DEFAULT_PRICES.petrol);
    const reference = referenceSchema.parse(
      await ok(`/trip/get/referencetrip/${petrol.vin}`, q(petrol), 'GET', other),
    );
    expect(reference.trips).toEqual([]);
    const same = tripSchema.parse(await ok(`/trip/id/${petrol.vin}/${id}`, q(petrol), 'GET', other));
    expect(same.referenceTrip).toBe(0);
    expect(same.fuelPrice).toBe(DEFAULT_PRICES.petrol);
  });
});
