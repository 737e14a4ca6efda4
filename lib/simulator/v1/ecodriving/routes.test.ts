import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DAY_MS, type TripRecord } from '../../fleet/vehicle-timeline';
import type { SimVehicle } from '../../world/world';
import { yyyymmdd } from '../test-helpers';
import { type Query, setupV1Server, V1_TEST_NOW } from '../test-server';
import { v1TripId } from '../trip-ids';
import { tripDrivingMark } from './trip-mark';

// PSA v1 eco-driving ("Correlation", vehicle-apis.md §8) over real HTTP, for the demo owner's
// petrol 208 and e-208: the spec's body shapes, trips and days taken from the car's timeline,
// English and French texts that the referential lists, the ranges' refusals and the list twins.

const kit = setupV1Server({ seed: 'v1-eco-test', peers: 4 });
const { ctx, combustion, electric } = kit;
const cars = [combustion, electric] as const;
const peugeotKey = ctx.world.clientFor('peugeot').clientId;
const baseQuery = kit.labelledQueryOf;

/** A GET, or a POST of `body`, answered with `status`: a 200's body, or a refusal in the gateway's shape. */
async function expectStatus(
  path: string,
  query: Query,
  status: number,
  method: 'GET' | 'POST' = 'GET',
  body?: unknown,
) {
  const answer = method === 'GET' ? kit.get(path, query) : kit.post(path, query, body);
  const answered = status === 200 ? await kit.expectOk(answer) : await kit.expectRefusal(answer, status);
  return answered as Record<string, unknown>;
}

// --- Shapes (spec lines 550–2325 and 3651–3695) -------------------------------------------------

const label = z.strictObject({
  evaluation: z.string().min(1),
  advice: z.string().min(1),
  category: z.string().min(1),
  label: z.string().min(1),
});
const mark = z.number().min(0).max(10);
const oneDecimal = (value: number) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9;
const detailed = z.strictObject({
  acceleration: mark,
  accelerationLabel: label,
  braking: mark,
  brakingLabel: label,
  engineSpeed: mark,
  engineSpeedLabel: label,
  stopAndStart: mark,
  stopAndStartLabel: label,
  speed: mark,
  speedLabel: label,
  slope: mark,
  slopeLabel: label,
  coldTrips: mark,
  coldTripsLabel: label,
});
const globalFields = {
  drivingMark: mark.refine(oneDecimal),
  drivingMarkLabel: label,
  drivingAttitude: z.number().int().min(1).max(4),
  drivingAttitudeLabel: label,
  roadProfile: z.number().int().min(1).max(4),
  roadProfileLabel: label,
};
const tail = { vin: z.string().length(17), lastUpdate: z.iso.datetime(), contract: z.string() };
const wholeSchema = z.strictObject({
  globalEvaluation: z.strictObject(globalFields),
  detailedEvaluation: detailed,
  ...tail,
});
const tripSchema = z.strictObject({
  tripId: z.number().int(),
  globalEvaluation: z.strictObject({ duration: z.number().int().positive(), ...globalFields }),
  detailedEvaluation: detailed,
  ...tail,
});
const aggregateSchema = z.strictObject({
  globalEvaluation: z.strictObject({
    duration: z.number().int().positive(),
    dateAggr: z.number().int(),
    ...globalFields,
  }),
  detailedEvaluation: detailed,
  ...tail,
});
const referentialSchema = z.array(
  z.strictObject({
    edMarkType: z.string().min(1),
    edMarkLabel: z.string().min(1),
    edCategoryCode: z.string().min(1),
    edCategoryLabel: z.string().min(1),
    edEvaluation: z.string().min(1),
    edAdvice: z.string().min(1),
    edLevel: z.string().min(1),
  }),
);
type Body = z.infer<typeof wholeSchema>;

// --- The timeline's view, independent of the handlers ----------------------------------------------

/** Trips that ended by V1_TEST_NOW inside the 30-day history window, oldest first. */
function endedTrips(vehicle: SimVehicle): TripRecord[] {
  const fromMs = ctx.fleet.historyStartMs(vehicle, V1_TEST_NOW);
  return ctx.fleet
    .timelineOf(vehicle)
    .tripsBetween(fromMs, V1_TEST_NOW + 1)
    .filter((trip) => trip.endMs <= V1_TEST_NOW);
}
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const seconds = (trip: TripRecord) => Math.round((trip.endMs - trip.startMs) / 1000);
/** The distance-weighted mean of the trips' own marks (the aggregates' definition). */
function weightedMark(vehicle: SimVehicle, trips: readonly TripRecord[]): number {
  const km = trips.reduce((sum, trip) => sum + trip.distanceKm, 0);
  return trips.reduce((sum, trip) => sum + tripDrivingMark(ctx, vehicle, trip) * trip.distanceKm, 0) / km;
}

/** Every `…Label` of a body with its value's name. */
function labelsOf(body: Body): { markType: string; label: z.infer<typeof label> }[] {
  const out: { markType: string; label: z.infer<typeof label> }[] = [];
  for (const block of [body.globalEvaluation, body.detailedEvaluation] as Record<string, unknown>[]) {
    for (const [name, value] of Object.entries(block)) {
      if (name.endsWith('Label')) out.push({ markType: name.slice(0, -5), label: label.parse(value) });
    }
  }
  return out;
}

describe('PSA v1 GET /ecodriving/evaluation/get/{vin}', () => {
  it.each(cars.map((car) => [car.model, car] as const))(
    'evaluates every ended trip of the %s',
    async (_, car) => {
      const body = wholeSchema.parse(
        await expectStatus(`/ecodriving/evaluation/get/${car.vin}`, baseQuery(car), 200),
      );
      const trips = endedTrips(car);
      expect(trips.length).toBeGreaterThan(10);
      expect(body.vin).toBe(car.vin);
      expect(body.contract).toBe(car.contract);
      expect(body.lastUpdate).toBe(iso((trips.at(-1) as TripRecord).endMs));
      // Per-trip marks are rounded to 0.1, so their weighted mean is within 0.05 of the exact one.
      expect(Math.abs(body.globalEvaluation.drivingMark - weightedMark(car, trips))).toBeLessThanOrEqual(
        0.11,
      );
    },
  );

  it('answers the engine criteria of the e-208 as not applicable', async () => {
    const body = wholeSchema.parse(
      await expectStatus(`/ecodriving/evaluation/get/${electric.vin}`, baseQuery(electric), 200),
    );
    const petrol = wholeSchema.parse(
      await expectStatus(`/ecodriving/evaluation/get/${combustion.vin}`, baseQuery(combustion), 200),
    );
    for (const criterion of ['engineSpeed', 'stopAndStart', 'coldTrips'] as const) {
      expect(body.detailedEvaluation[criterion]).toBe(10);
      expect(body.detailedEvaluation[`${criterion}Label`].evaluation).toMatch(/^Not applicable/);
      expect(petrol.detailedEvaluation[`${criterion}Label`].evaluation).not.toMatch(/^Not applicable/);
    }
  });

  it('refuses missing locale or brand, and unknown cars or contracts', async () => {
    const path = `/ecodriving/evaluation/get/${combustion.vin}`;
    await expectStatus(path, { ...baseQuery(combustion), locale: undefined }, 400);
    await expectStatus(path, { ...baseQuery(combustion), brand: undefined }, 400);
    await expectStatus(path, { ...baseQuery(combustion), contract: 'CT00000000' }, 404);
    await expectStatus(path, { ...baseQuery(combustion), brand: 'C' }, 404);
  });
});

describe('PSA v1 per-trip evaluations', () => {
  it.each(cars.map((car) => [car.model, car] as const))(
    'gives the last ended trip of the %s',
    async (_, car) => {
      const body = tripSchema.parse(
        await expectStatus(`/ecodriving/evaluation/lasttrip/${car.vin}`, baseQuery(car), 200),
      );
      const last = endedTrips(car).at(-1) as TripRecord;
      expect(body.tripId).toBe(v1TripId(last));
      expect(body.globalEvaluation.duration).toBe(seconds(last));
      expect(body.lastUpdate).toBe(iso(last.endMs));
      expect(body.globalEvaluation.drivingMark).toBe(tripDrivingMark(ctx, car, last));
      // The same trip by its id answers the same body.
      const byId = await expectStatus(
        `/ecodriving/evaluation/pertrip/${car.vin}/${body.tripId}`,
        baseQuery(car),
        200,
      );
      expect(byId).toEqual(body);
    },
  );

  it('answers 404 for unknown, malformed, other cars’ and future trip ids', async () => {
    const query = baseQuery(combustion);
    const known = v1TripId(endedTrips(combustion).at(-1) as TripRecord);
    const today = Math.floor(V1_TEST_NOW / DAY_MS);
    for (const id of [
      'abc',
      '12',
      String(known + 999),
      String((today + 2) * 1000),
      String((today - 400) * 1000),
    ]) {
      await expectStatus(`/ecodriving/evaluation/pertrip/${combustion.vin}/${id}`, query, 404);
    }
    // The e-208's trip ids name its own trips: the 208 has a trip of that id only by chance.
    const electricIds = new Set(endedTrips(electric).map(v1TripId));
    const petrolIds = new Set(endedTrips(combustion).map(v1TripId));
    const foreign = [...electricIds].find((id) => !petrolIds.has(id));
    if (foreign !== undefined)
      await expectStatus(`/ecodriving/evaluation/pertrip/${combustion.vin}/${foreign}`, query, 404);
  });

  it('has no evaluation for a trip under way, until it ends', async () => {
    const trip = endedTrips(combustion).at(-3) as TripRecord;
    const path = `/ecodriving/evaluation/pertrip/${combustion.vin}/${v1TripId(trip)}`;
    try {
      kit.setNow(Math.floor((trip.startMs + trip.endMs) / 2));
      await expectStatus(path, baseQuery(combustion), 404);
      kit.setNow(trip.endMs);
      tripSchema.parse(await expectStatus(path, baseQuery(combustion), 200));
    } finally {
      kit.setNow(V1_TEST_NOW);
    }
  });

  it('lists one evaluation per trip of a day, in order, and none for a day without trips', async () => {
    const trips = endedTrips(combustion);
    const day = Math.floor((trips.at(-1) as TripRecord).startMs / DAY_MS);
    const ofDay = trips.filter((trip) => Math.floor(trip.startMs / DAY_MS) === day);
    const answer = z.array(tripSchema).parse(
      await expectStatus(
        `/ecodriving/evaluation/daytrips/${combustion.vin}`,
        {
          ...baseQuery(combustion),
          day: yyyymmdd(day * DAY_MS),
        },
        200,
      ),
    );
    expect(answer.map((body) => body.tripId)).toEqual(ofDay.map(v1TripId));
    expect(answer.map((body) => body.globalEvaluation.duration)).toEqual(ofDay.map(seconds));
    const future = await expectStatus(
      `/ecodriving/evaluation/daytrips/${combustion.vin}`,
      { ...baseQuery(combustion), day: yyyymmdd(V1_TEST_NOW + 3 * DAY_MS) },
      200,
    );
    expect(future).toEqual([]);
    for (const day of [undefined, '2026-02-01', '20260230', '1999']) {
      await expectStatus(
        `/ecodriving/evaluation/daytrips/${combustion.vin}`,
        { ...baseQuery(combustion), day },
        400,
      );
    }
  });
});

describe('PSA v1 evaluations per day and per month', () => {
  it.each(cars.map((car) => [car.model, car] as const))(
    'aggregates each day with trips for the %s',
    async (_, car) => {
      const fromMs = V1_TEST_NOW - 10 * DAY_MS;
      const answer = z.array(aggregateSchema).parse(
        await expectStatus(
          `/ecodriving/evaluation/trip/day/${car.vin}`,
          {
            ...baseQuery(car),
            fromday: yyyymmdd(fromMs),
            today: yyyymmdd(V1_TEST_NOW),
          },
          200,
        ),
      );
      const firstDay = Math.floor(fromMs / DAY_MS);
      const days = new Map<string, TripRecord[]>();
      for (const trip of endedTrips(car)) {
        if (Math.floor(trip.startMs / DAY_MS) < firstDay) continue;
        const key = yyyymmdd(trip.startMs);
        days.set(key, [...(days.get(key) ?? []), trip]);
      }
      expect(answer.map((body) => String(body.globalEvaluation.dateAggr))).toEqual([...days.keys()]);
      for (const body of answer) {
        const trips = days.get(String(body.globalEvaluation.dateAggr)) as TripRecord[];
        expect(body.globalEvaluation.duration).toBe(trips.reduce((sum, trip) => sum + seconds(trip), 0));
        expect(Math.abs(body.globalEvaluation.drivingMark - weightedMark(car, trips))).toBeLessThanOrEqual(
          0.11,
        );
        expect(body.lastUpdate).toBe(iso((trips.at(-1) as TripRecord).endMs));
      }
    },
  );

  it('aggregates each month with trips, yyyyMM', async () => {
    const answer = z.array(aggregateSchema).parse(
      await expectStatus(
        `/ecodriving/evaluation/trip/month/${combustion.vin}`,
        {
          ...baseQuery(combustion),
          frommonth: '202512',
          tomonth: '202603',
        },
        200,
      ),
    );
    const months = new Map<string, TripRecord[]>();
    for (const trip of endedTrips(combustion)) {
      const key = yyyymmdd(trip.startMs).slice(0, 6);
      months.set(key, [...(months.get(key) ?? []), trip]);
    }
    // The 30-day window reaches back into January.
    expect(answer.map((body) => String(body.globalEvaluation.dateAggr))).toEqual([...months.keys()]);
    expect(answer.length).toBeGreaterThanOrEqual(2);
    for (const body of answer) {
      const trips = months.get(String(body.globalEvaluation.dateAggr)) as TripRecord[];
      expect(body.globalEvaluation.duration).toBe(trips.reduce((sum, trip) => sum + seconds(trip), 0));
      expect(
        Math.abs(body.globalEvaluation.drivingMark - weightedMark(combustion, trips)),
      ).toBeLessThanOrEqual(0.11);
    }
  });

  it('refuses malformed, reversed and too long ranges', async () => {
    const dayPath = `/ecodriving/evaluation/trip/day/${combustion.vin}`;
    const query = baseQuery(combustion);
    for (const range of [
      { fromday: '20260220', today: undefined },
      { fromday: '20260220', today: '20260210' },
      { fromday: '20240101', today: '20260101' },
      { fromday: '2026-02-20', today: '20260221' },
    ]) {
      await expectStatus(dayPath, { ...query, ...range }, 400);
    }
    const monthPath = `/ecodriving/evaluation/trip/month/${combustion.vin}`;
    for (const range of [
      { frommonth: '202602', tomonth: undefined },
      { frommonth: '202603', tomonth: '202601' },
      { frommonth: '202401', tomonth: '202603' },
      { frommonth: '202613', tomonth: '202614' },
    ]) {
      await expectStatus(monthPath, { ...query, ...range }, 400);
    }
    // A range before the history window is valid, and empty.
    expect(await expectStatus(dayPath, { ...query, fromday: '20250101', today: '20250131' }, 200)).toEqual(
      [],
    );
  });
});

describe('PSA v1 eco-driving texts and referential', () => {
  async function allBodies(locale: string): Promise<Body[]> {
    const bodies: Body[] = [];
    for (const car of cars) {
      const query = baseQuery(car, locale);
      bodies.push(wholeSchema.parse(await expectStatus(`/ecodriving/evaluation/get/${car.vin}`, query, 200)));
      const range = { fromday: yyyymmdd(V1_TEST_NOW - 30 * DAY_MS), today: yyyymmdd(V1_TEST_NOW) };
      const days = await expectStatus(
        `/ecodriving/evaluation/trip/day/${car.vin}`,
        { ...query, ...range },
        200,
      );
      bodies.push(...z.array(aggregateSchema).parse(days));
      const tripDays = new Set(endedTrips(car).map((trip) => yyyymmdd(trip.startMs)));
      for (const day of [...tripDays].slice(-3)) {
        const trips = await expectStatus(
          `/ecodriving/evaluation/daytrips/${car.vin}`,
          { ...query, day },
          200,
        );
        bodies.push(...z.array(tripSchema).parse(trips));
      }
    }
    return bodies;
  }

  it('lists every text the answers carry, in English and in French', async () => {
    for (const locale of ['en_GB', 'fr_FR']) {
      const rows = referentialSchema.parse(
        await expectStatus('/referential/ecodriving', { client_id: peugeotKey, locale }, 200),
      );
      const bodies = await allBodies(locale);
      const used = new Set<string>();
      for (const body of bodies) {
        for (const { markType, label: text } of labelsOf(body)) {
          const row = rows.find(
            (candidate) =>
              candidate.edMarkType === markType &&
              candidate.edEvaluation === text.evaluation &&
              candidate.edAdvice === text.advice,
          );
          expect(row, `${locale} ${markType}: ${text.evaluation}`).toBeDefined();
          expect(row?.edMarkLabel).toBe(text.label);
          expect(row?.edCategoryLabel).toBe(text.category);
          used.add(`${markType}/${row?.edLevel}`);
        }
      }
      // The answers use several levels, not one text per value.
      expect(used.size).toBeGreaterThan(12);
    }
  });

  it('numbers the attitude and road profile levels as their values, and covers every level of each', async () => {
    const rows = referentialSchema.parse(
      await expectStatus('/referential/ecodriving', { client_id: peugeotKey }, 200),
    );
    for (const markType of ['drivingAttitude', 'roadProfile']) {
      expect(rows.filter((row) => row.edMarkType === markType).map((row) => row.edLevel)).toEqual([
        '1',
        '2',
        '3',
        '4',
      ]);
    }
    for (const markType of ['drivingMark', 'acceleration', 'braking', 'speed', 'slope']) {
      expect(rows.filter((row) => row.edMarkType === markType).map((row) => row.edLevel)).toEqual([
        'good',
        'fair',
        'improve',
      ]);
    }
    const bodies = await allBodies('en_GB');
    for (const body of bodies) {
      const attitude = rows.find(
        (row) =>
          row.edMarkType === 'drivingAttitude' &&
          row.edLevel === String(body.globalEvaluation.drivingAttitude),
      );
      expect(attitude?.edEvaluation).toBe(body.globalEvaluation.drivingAttitudeLabel.evaluation);
      const profile = rows.find(
        (row) =>
          row.edMarkType === 'roadProfile' && row.edLevel === String(body.globalEvaluation.roadProfile),
      );
      expect(profile?.edEvaluation).toBe(body.globalEvaluation.roadProfileLabel.evaluation);
    }
  });

  it('speaks French for fr_FR and English otherwise', async () => {
    const english = wholeSchema.parse(
      await expectStatus(`/ecodriving/evaluation/get/${combustion.vin}`, baseQuery(combustion, 'de_DE'), 200),
    );
    const french = wholeSchema.parse(
      await expectStatus(`/ecodriving/evaluation/get/${combustion.vin}`, baseQuery(combustion, 'fr_FR'), 200),
    );
    expect(english.detailedEvaluation.accelerationLabel.label).toBe('Acceleration');
    expect(french.detailedEvaluation.accelerationLabel.label).toBe('Accélérations');
    expect(french.globalEvaluation.drivingMark).toBe(english.globalEvaluation.drivingMark);
    const frRows = referentialSchema.parse(
      await expectStatus(
        '/referential/ecodriving',
        { client_id: peugeotKey, locale: 'fr_FR', brand: 'C' },
        200,
      ),
    );
    expect(frRows.find((row) => row.edCategoryCode === 'GLOBAL')?.edCategoryLabel).toBe('Évaluation globale');
    await expectStatus('/referential/ecodriving', { client_id: peugeotKey, locale: 'french' }, 400);
    await expectStatus('/referential/ecodriving', { client_id: peugeotKey, brand: 'X' }, 400);
    await expectStatus('/referential/ecodriving', { client_id: 'nope' }, 401);
  });
});

describe('PSA v1 eco-driving list twins', () => {
  const listBody = {
    listvin: [combustion.vin, electric.vin, combustion.vin],
    listcontract: [combustion.contract, electric.contract, 'CT00000000'],
  };
  const listQuery: Query = { client_id: peugeotKey, locale: 'en_GB', brand: 'P' };

  it('POST /ecodriving/evaluation/list answers one evaluation per car found, as GET does', async () => {
    const answer = z
      .array(wholeSchema)
      .parse(await expectStatus('/ecodriving/evaluation/list', listQuery, 200, 'POST', listBody));
    expect(answer.map((body) => body.vin)).toEqual([combustion.vin, electric.vin]);
    for (const [i, car] of cars.entries()) {
      expect(answer[i]).toEqual(
        await expectStatus(`/ecodriving/evaluation/get/${car.vin}`, baseQuery(car), 200),
      );
    }
  });

  it('POST …/trip/day/list and …/trip/month/list answer every car’s aggregates in one flat array', async () => {
    const range = { fromday: yyyymmdd(V1_TEST_NOW - 6 * DAY_MS), today: yyyymmdd(V1_TEST_NOW) };
    const days = await expectStatus(
      '/ecodriving/evaluation/trip/day/list',
      { ...listQuery, ...range },
      200,
      'POST',
      listBody,
    );
    const expectedDays = [];
    for (const car of cars) {
      expectedDays.push(
        ...((await expectStatus(
          `/ecodriving/evaluation/trip/day/${car.vin}`,
          { ...baseQuery(car), ...range },
          200,
        )) as unknown as unknown[]),
      );
    }
    expect(z.array(aggregateSchema).parse(days)).toEqual(expectedDays);
    expect(expectedDays.length).toBeGreaterThan(4);

    const months = { frommonth: '202602', tomonth: '202602' };
    const monthly = z
      .array(aggregateSchema)
      .parse(
        await expectStatus(
          '/ecodriving/evaluation/trip/month/list',
          { ...listQuery, ...months },
          200,
          'POST',
          listBody,
        ),
      );
    expect(monthly.map((body) => [body.vin, body.globalEvaluation.dateAggr])).toEqual([
      [combustion.vin, 202602],
      [electric.vin, 202602],
    ]);
  });

  it('refuses a bad query before looking the cars up', async () => {
    const nobody = { listvin: [combustion.vin], listcontract: ['CT00000000'] };
    await expectStatus(
      '/ecodriving/evaluation/list',
      { ...listQuery, locale: undefined },
      400,
      'POST',
      nobody,
    );
    await expectStatus(
      '/ecodriving/evaluation/trip/day/list',
      { ...listQuery, fromday: '20260210', today: '20260201' },
      400,
      'POST',
      nobody,
    );
    await expectStatus(
      '/ecodriving/evaluation/trip/month/list',
      { ...listQuery, frommonth: '202602' },
      400,
      'POST',
      nobody,
    );
    expect(await expectStatus('/ecodriving/evaluation/list', listQuery, 200, 'POST', nobody)).toEqual([]);
    await expectStatus('/ecodriving/evaluation/list', listQuery, 400, 'POST', { listvin: [combustion.vin] });
  });
});
