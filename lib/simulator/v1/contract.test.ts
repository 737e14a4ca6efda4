import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  psaV1AlertReferentialSchema,
  psaV1CrashListSchema,
  psaV1CrashSchema,
  psaV1CrashSearchSchema,
  psaV1DrivingAssistanceDaySchema,
  psaV1DrivingAssistanceSchema,
  psaV1EcoDayEvaluationsSchema,
  psaV1EcoDrivingReferentialSchema,
  psaV1EcoEvaluationListSchema,
  psaV1EcoEvaluationSchema,
  psaV1EcoMonthEvaluationsSchema,
  psaV1EcoTripEvaluationSchema,
  psaV1EcoTripEvaluationsSchema,
  psaV1EnvironmentListSchema,
  psaV1EnvironmentSchema,
  psaV1FuelPriceSchema,
  psaV1GatewayErrorSchema,
  psaV1LightStatusListSchema,
  psaV1LightStatusSchema,
  psaV1MaintenanceAlertListSchema,
  psaV1MaintenanceAlertsSchema,
  psaV1MaintenanceListSchema,
  psaV1MaintenanceReferentialSchema,
  psaV1MaintenanceSchema,
  psaV1PositionSchema,
  psaV1ReferenceTripSchema,
  psaV1RunningDataListSchema,
  psaV1RunningDataSchema,
  psaV1SafetyAssistanceDaySchema,
  psaV1SafetyAssistanceSchema,
  psaV1TripPositionsSchema,
  psaV1TripSchema,
  psaV1TripsSchema,
} from '@/lib/vehicle-api/psa-v1/schema';
import { DAY_MS } from '../fleet/vehicle-timeline';
import type { Powertrain } from '../physics/vehicle-models';
import type { SimVehicle } from '../world/world';
import { type Answer, type Query, setupV1Server, V1_TEST_NOW } from './test-server';

// The contract: every v1 answer of the simulator parses with the schemas Kinetic's adapter uses
// (lib/vehicle-api/psa-v1), written from the 1.0.5 spec independently of the simulator. Each
// operation is called for cars of every powertrain and both brand letters, at rest, in the middle
// of a trip and just after one; list twins name all of them at once. A field named wrongly, a
// per-second key the spec does not list, a number sent where the spec says string, or a missing
// required field fails here.

const sim = setupV1Server({ seed: 'v1-contract', peers: 40, backfillDays: 7 });
const { ctx } = sim;

/** The demo cars plus, per powertrain, a peer car of a brand v1 serves (not Opel). */
function contractCars(): SimVehicle[] {
  const cars = [sim.combustion, sim.electric];
  const wanted = new Set<Powertrain>(['diesel', 'hybrid', 'petrol', 'electric']);
  for (let index = 1; index < ctx.world.ownerCount && wanted.size > 0; index++) {
    for (const vehicle of ctx.world.ownerAt(index).vehicles) {
      const powertrain = ctx.fleet.timelineOf(vehicle).model.powertrain;
      if (vehicle.brand === 'opel' || vehicle.brand === 'peugeot' || !wanted.has(powertrain)) continue;
      wanted.delete(powertrain);
      cars.push(vehicle);
    }
  }
  return cars;
}
const CARS = contractCars();

/** At rest (the test's now), mid-trip and a minute after key-off, for one car's latest long trip. */
function instantsOf(vehicle: SimVehicle): { name: string; ms: number }[] {
  const trips = ctx.fleet.timelineOf(vehicle).tripsBetween(V1_TEST_NOW - 3 * DAY_MS, V1_TEST_NOW);
  const trip = trips.filter((candidate) => candidate.endMs - candidate.startMs > 5 * 60_000).at(-1);
  if (!trip) return [{ name: 'at rest', ms: V1_TEST_NOW }];
  return [
    { name: 'at rest', ms: V1_TEST_NOW },
    { name: 'mid-trip', ms: Math.round((trip.startMs + trip.endMs) / 2) },
    { name: 'after a trip', ms: trip.endMs + 60_000 },
  ];
}

const yyyymmdd = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
const yyyymm = (ms: number) => yyyymmdd(ms).slice(0, 6);

function expectContract(schema: z.ZodType, body: unknown, where: string): void {
  const result = schema.safeParse(body);
  const issues = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  expect(issues, `${where}: ${JSON.stringify(body).slice(0, 400)}`).toEqual([]);
}

/** Per operation, how many answers were data and how many "no data": every one must see data. */
const seen = new Map<string, { ok: number; noData: number }>();
const operationOf = (where: string) => where.split(' ').slice(-1)[0] ?? where;

/** A 200 parsed with `schema`, or (when the car has no such data) a 404 in the gateway's shape. */
function expectOkOrNoData(answer: Answer, schema: z.ZodType, where: string): unknown {
  const counts = seen.get(operationOf(where)) ?? { ok: 0, noData: 0 };
  seen.set(operationOf(where), counts);
  if (answer.status === 404) {
    counts.noData++;
    expectContract(psaV1GatewayErrorSchema, answer.body, where);
    return null;
  }
  counts.ok++;
  expect(answer.status, `${where}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(200);
  expectContract(schema, answer.body, where);
  return answer.body;
}

/** Crashes are rare (about one per ten car-years): cars without one answer 404, like other missing data. */
function expectCrashes(answer: Answer, schema: z.ZodType, where: string) {
  if (answer.status === 404) return expectContract(psaV1GatewayErrorSchema, answer.body, where);
  expect(answer.status, where).toBe(200);
  crashAnswers++;
  expectContract(schema, answer.body, where);
}
let crashAnswers = 0;

const labelled = (vehicle: SimVehicle, extra: Query = {}, locale = 'en_GB') => ({
  ...sim.labelledQueryOf(vehicle, locale),
  ...extra,
});

describe('every v1 answer parses with Kinetic’s v1 schemas', () => {
  it('covers cars of every powertrain and both brand letters', () => {
    const powertrains = new Set(CARS.map((car) => ctx.fleet.timelineOf(car).model.powertrain));
    expect([...powertrains].sort()).toEqual(['diesel', 'electric', 'hybrid', 'petrol']);
    expect(new Set(CARS.map((car) => car.brand === 'peugeot')).size).toBe(2);
  });

  for (const vehicle of CARS) {
    for (const { name, ms } of instantsOf(vehicle)) {
      it(`${vehicle.brand} ${ctx.fleet.timelineOf(vehicle).model.powertrain} ${vehicle.id}, ${name}`, async () => {
        sim.setNow(ms);
        const where = (path: string) => `${vehicle.id} ${name} ${path}`;
        const vin = vehicle.vin;
        const car = sim.queryOf(vehicle);

        // Telemetry.
        for (const listsecond of [undefined, '1,10,41,60']) {
          const query = { ...car, listsecond };
          expectOkOrNoData(
            await sim.get(`/running/data/${vin}`, query),
            psaV1RunningDataSchema,
            where('running'),
          );
          expectOkOrNoData(
            await sim.get(`/running/data/lightstatus/${vin}`, query),
            psaV1LightStatusSchema,
            where('lightstatus'),
          );
          expectOkOrNoData(
            await sim.get(`/environment/get/${vin}`, query),
            psaV1EnvironmentSchema,
            where('environment'),
          );
          for (const near of ['0', '1']) {
            expectOkOrNoData(
              await sim.get(`/place/lastposition/${vin}`, { ...query, near }),
              psaV1PositionSchema,
              where(`lastposition?near=${near}`),
            );
          }
        }

        // Driver aids and crashes.
        for (const listsecond of [undefined, '5,41']) {
          const query = { ...car, listsecond };
          expectOkOrNoData(
            await sim.get(`/safety/drivingassistance/${vin}`, query),
            psaV1DrivingAssistanceSchema,
            where('safety/drivingassistance'),
          );
          expectOkOrNoData(
            await sim.get(`/safety/safetyassistance/${vin}`, query),
            psaV1SafetyAssistanceSchema,
            where('safety/safetyassistance'),
          );
          const day = { ...query, day: yyyymmdd(ms - DAY_MS) };
          expectOkOrNoData(
            await sim.get(`/safety/search/drivingassistance/day/${vin}`, day),
            psaV1DrivingAssistanceDaySchema,
            where('safety/search/drivingassistance'),
          );
          expectOkOrNoData(
            await sim.get(`/safety/search/safetyassistance/day/${vin}`, day),
            psaV1SafetyAssistanceDaySchema,
            where('safety/search/safetyassistance'),
          );
          expectCrashes(await sim.get(`/crash/get/${vin}`, query), psaV1CrashSchema, where('crash/get'));
        }
        expectCrashes(
          await sim.get(`/crash/search/${vin}`, {
            ...car,
            from: `${yyyymmdd(ms - 7 * DAY_MS)}0000`,
            to: `${yyyymmdd(ms)}2359`,
          }),
          psaV1CrashSearchSchema,
          where('crash/search'),
        );

        // Trips, their positions, prices and the reference trip.
        const last = expectOkOrNoData(
          await sim.get(`/trip/last/${vin}`, { ...car, limit: '3', unit: '0' }),
          psaV1TripsSchema,
          where('trip/last'),
        ) as { trips: { tripId: number }[] } | null;
        const period = { ...car, from: yyyymmdd(ms - 2 * DAY_MS), to: yyyymmdd(ms), unit: '1' };
        expectOkOrNoData(
          await sim.get(`/trip/period/${vin}`, period),
          psaV1TripsSchema,
          where('trip/period'),
        );
        const tripId = String(last?.trips[0]?.tripId ?? '');
        if (tripId) {
          expectOkOrNoData(
            await sim.get(`/trip/id/${vin}/${tripId}`, { ...car, unit: '1' }),
            psaV1TripSchema,
            where('trip/id'),
          );
          expectOkOrNoData(
            await sim.get(`/place/positions/trip/${vin}`, { ...car, tripid: tripId, near: '0' }),
            psaV1TripPositionsSchema,
            where('positions/trip'),
          );
          expectOkOrNoData(
            await sim.put(`/trip/update/referencetrip/${vin}`, { ...car, tripid: tripId }),
            psaV1ReferenceTripSchema,
            where('update/referencetrip'),
          );
          expectOkOrNoData(
            await sim.put(`/trip/update/fuelprice/${vin}/${tripId}`, { ...car, price: '1.95' }),
            psaV1TripSchema,
            where('update/fuelprice'),
          );
          expectOkOrNoData(
            await sim.get(`/ecodriving/evaluation/pertrip/${vin}/${tripId}`, labelled(vehicle)),
            psaV1EcoTripEvaluationSchema,
            where('pertrip'),
          );
        }
        expectOkOrNoData(
          await sim.get(`/trip/get/referencetrip/${vin}`, { ...car, unit: '0' }),
          psaV1ReferenceTripSchema,
          where('referencetrip'),
        );
        expectOkOrNoData(
          await sim.put(`/trip/update/reference/fuelprice/${vin}`, { ...car, price: '1.799' }),
          psaV1FuelPriceSchema,
          where('update/reference/fuelprice'),
        );
        expectOkOrNoData(
          await sim.get(`/trip/get/reference/fuelprice/${vin}`, car),
          psaV1FuelPriceSchema,
          where('reference/fuelprice'),
        );

        // Maintenance and alerting, in both languages and unit systems.
        for (const [locale, unit] of [
          ['en_GB', '0'],
          ['fr_FR', '1'],
        ] as const) {
          expectOkOrNoData(
            await sim.get(`/maintenance/${vin}`, labelled(vehicle, { unit }, locale)),
            psaV1MaintenanceSchema,
            where(`maintenance?${locale}`),
          );
          for (const active of ['0', '1']) {
            expectOkOrNoData(
              await sim.get(`/maintenance/alert/${vin}`, labelled(vehicle, { active }, locale)),
              psaV1MaintenanceAlertsSchema,
              where(`alert?active=${active}`),
            );
          }
        }

        // Eco-driving evaluation.
        expectOkOrNoData(
          await sim.get(`/ecodriving/evaluation/get/${vin}`, labelled(vehicle)),
          psaV1EcoEvaluationSchema,
          where('eco/get'),
        );
        expectOkOrNoData(
          await sim.get(`/ecodriving/evaluation/lasttrip/${vin}`, labelled(vehicle, {}, 'fr_FR')),
          psaV1EcoTripEvaluationSchema,
          where('eco/lasttrip'),
        );
        expectOkOrNoData(
          await sim.get(
            `/ecodriving/evaluation/daytrips/${vin}`,
            labelled(vehicle, { day: yyyymmdd(ms - DAY_MS) }),
          ),
          psaV1EcoTripEvaluationsSchema,
          where('eco/daytrips'),
        );
        expectOkOrNoData(
          await sim.get(
            `/ecodriving/evaluation/trip/day/${vin}`,
            labelled(vehicle, { fromday: yyyymmdd(ms - 3 * DAY_MS), today: yyyymmdd(ms) }),
          ),
          psaV1EcoDayEvaluationsSchema,
          where('eco/trip/day'),
        );
        expectOkOrNoData(
          await sim.get(
            `/ecodriving/evaluation/trip/month/${vin}`,
            labelled(vehicle, { frommonth: yyyymm(ms - 31 * DAY_MS), tomonth: yyyymm(ms) }),
          ),
          psaV1EcoMonthEvaluationsSchema,
          where('eco/trip/month'),
        );
      });
    }
  }

  it('list twins answer every car at once', async () => {
    sim.setNow(V1_TEST_NOW);
    // Each brand's key reads its own brand's cars: one list per key.
    for (const peugeot of [true, false]) {
      const cars = CARS.filter((car) => (car.brand === 'peugeot') === peugeot);
      const key = sim.keyOf(cars[0] as SimVehicle);
      const body = { listvin: cars.map((car) => car.vin), listcontract: cars.map((car) => car.contract) };
      const letter = peugeot ? 'P' : 'C';
      // A Citroën key does not read DS cars: brands are separate applications.
      const readable = cars.filter((car) => sim.keyOf(car) === key);
      const list = async (path: string, query: Query, schema: z.ZodType) => {
        const answer = await sim.post(path, { client_id: key, ...query }, body);
        expectContract(schema, answer.body, `${letter} ${path}`);
        expect(answer.status).toBe(200);
        return answer.body as unknown[];
      };
      const running = await list('/running/list', { listsecond: '10,20' }, psaV1RunningDataListSchema);
      expect(running).toHaveLength(readable.length);
      await list('/running/lightstatus/list', { listsecond: '' }, psaV1LightStatusListSchema);
      await list('/environment/list', { listsecond: '41' }, psaV1EnvironmentListSchema);
      await list('/crash/list', { listsecond: '41' }, psaV1CrashListSchema);
      await list('/maintenance/list', { locale: 'fr_FR', brand: letter }, psaV1MaintenanceListSchema);
      await list(
        '/maintenance/list/alert',
        { locale: 'en_GB', brand: letter, active: '0' },
        psaV1MaintenanceAlertListSchema,
      );
      const range = {
        from: yyyymmdd(V1_TEST_NOW - 2 * DAY_MS),
        to: yyyymmdd(V1_TEST_NOW),
        limit: '4',
        unit: '0',
      };
      await list('/trip/list', range, psaV1TripsSchema);
      const eco = { locale: 'en_GB', brand: letter };
      await list('/ecodriving/evaluation/list', eco, psaV1EcoEvaluationListSchema);
      await list(
        '/ecodriving/evaluation/trip/day/list',
        { ...eco, fromday: yyyymmdd(V1_TEST_NOW - 2 * DAY_MS), today: yyyymmdd(V1_TEST_NOW) },
        psaV1EcoDayEvaluationsSchema,
      );
      await list(
        '/ecodriving/evaluation/trip/month/list',
        { ...eco, frommonth: yyyymm(V1_TEST_NOW), tomonth: yyyymm(V1_TEST_NOW) },
        psaV1EcoMonthEvaluationsSchema,
      );
    }
  });

  it('referentials and refusals', async () => {
    const key = sim.keyOf(sim.combustion);
    for (const locale of ['en_GB', 'fr_FR']) {
      const query = { client_id: key, locale, brand: 'P' };
      expectContract(
        psaV1AlertReferentialSchema,
        (await sim.get('/referential/alert', query)).body,
        'alert referential',
      );
      expectContract(
        psaV1MaintenanceReferentialSchema,
        (await sim.get('/referential/maintenance', query)).body,
        'maintenance referential',
      );
      expectContract(
        psaV1EcoDrivingReferentialSchema,
        (await sim.get('/referential/ecodriving', query)).body,
        'eco-driving referential',
      );
    }
    const refusals = [
      await sim.get(`/maintenance/${sim.combustion.vin}`, { contract: sim.combustion.contract }),
      await sim.get(`/maintenance/${sim.combustion.vin}`, {
        client_id: key,
        contract: 'nope',
        locale: 'en_GB',
        brand: 'P',
      }),
      await sim.get('/running/data/NOTAVIN', { client_id: key, contract: 'x' }),
      await sim.post('/running/list', { client_id: key, listsecond: '' }, '{"listvin":'),
    ];
    expect(refusals.map((answer) => answer.status)).toEqual([401, 404, 400, 400]);
    for (const answer of refusals) expectContract(psaV1GatewayErrorSchema, answer.body, 'refusal');
  });

  it('saw data, not only "no data", from every operation', () => {
    expect(seen.size).toBeGreaterThanOrEqual(20);
    const withoutData = [...seen].filter(([, counts]) => counts.ok === 0).map(([operation]) => operation);
    expect(withoutData).toEqual([]);
    expect(crashAnswers).toBeGreaterThan(0);
  });
});
