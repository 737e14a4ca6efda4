import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { deleteAt, failedPaths, fixturesIn, type Json, type Key, parseOk, setAt } from '../schema-test-kit';
import {
  PSA_V1_EVERY_6_SECONDS,
  PSA_V1_EVERY_10_SECONDS,
  PSA_V1_EVERY_SECOND,
  type PsaV1Maintenance,
  type PsaV1Position,
  type PsaV1RunningData,
  psaV1AlertReferentialSchema,
  psaV1DateTimeSchema,
  psaV1EcoDayEvaluationSchema,
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
  psaV1ListRequestSchema,
  psaV1MaintenanceAlertListSchema,
  psaV1MaintenanceAlertsSchema,
  psaV1MaintenanceListSchema,
  psaV1MaintenanceReferentialSchema,
  psaV1MaintenanceSchema,
  psaV1PositionSchema,
  psaV1ReferenceTripSchema,
  psaV1RunningDataListSchema,
  psaV1RunningDataSchema,
  psaV1TripPositionsSchema,
  psaV1TripSchema,
  psaV1TripsSchema,
} from './schema';

// Fixtures in __fixtures__ were typed by hand from the v1 Swagger file (field names, value types and the
// per-second key sets of each operation's 200 schema; vehicle-apis.md §7–8). The spec has one response
// example (crash, not served by the simulator); its `lastUpdate` form `yyyyMMddHHmmss`, its VIN and its
// contract number are reused. Values are invented but plausible; `…-fr` and the list fixtures use French
// labels as `locale=fr_FR` would return.

const { fixture, fixtureArray } = fixturesIn(new URL('./__fixtures__/', import.meta.url));

/** The text values of a per-second map of a fixture, read as numbers independently of the schema. */
function numbersOf(map: unknown): Record<string, number> {
  return Object.fromEntries(Object.entries(map as Record<string, string>).map(([k, v]) => [k, Number(v)]));
}

describe('PSA v1 schemas accept every hand-typed fixture', () => {
  const single: [string, z.ZodType][] = [
    ['running-data', psaV1RunningDataSchema],
    ['running-data-filtered', psaV1RunningDataSchema],
    ['light-status', psaV1LightStatusSchema],
    ['environment', psaV1EnvironmentSchema],
    ['last-position', psaV1PositionSchema],
    ['trip', psaV1TripSchema],
    ['trips-last', psaV1TripsSchema],
    ['trip-list', psaV1TripsSchema],
    ['reference-trip', psaV1ReferenceTripSchema],
    ['fuel-price', psaV1FuelPriceSchema],
    ['maintenance', psaV1MaintenanceSchema],
    ['maintenance-electric-fr', psaV1MaintenanceSchema],
    ['maintenance-alerts', psaV1MaintenanceAlertsSchema],
    ['maintenance-alerts-list', psaV1MaintenanceAlertListSchema],
    ['eco-evaluation', psaV1EcoEvaluationSchema],
    ['eco-trip-evaluation', psaV1EcoTripEvaluationSchema],
    ['error-401', psaV1GatewayErrorSchema],
    ['list-request', psaV1ListRequestSchema],
  ];
  it.each(single)('%s', (name, schema) => {
    expect(failedPaths(schema, fixture(name))).toEqual([]);
  });

  const arrays: [string, z.ZodType][] = [
    ['trip-positions', psaV1TripPositionsSchema],
    ['referential-alert', psaV1AlertReferentialSchema],
    ['referential-maintenance', psaV1MaintenanceReferentialSchema],
    ['referential-ecodriving', psaV1EcoDrivingReferentialSchema],
    ['eco-day-evaluations', psaV1EcoDayEvaluationsSchema],
    ['eco-month-evaluations', psaV1EcoMonthEvaluationsSchema],
  ];
  it.each(arrays)('%s', (name, schema) => {
    const items = fixtureArray(name);
    expect(items.length).toBeGreaterThan(0);
    expect(failedPaths(schema, items)).toEqual([]);
  });

  it('keeps the fixture values that need no conversion', () => {
    const trips = parseOk(psaV1TripsSchema, fixture('trips-last'));
    expect(trips.totalNumberTrips).toBe(356);
    expect(trips.trips.map((trip) => trip.tripId)).toEqual([19853002, 19853001]);
    const maintenance = parseOk(psaV1MaintenanceSchema, fixture('maintenance'));
    expect(maintenance.fuel?.fuelLevelLabel).toEqual({ label: 'Fuel level', groupLabel: 'Fuel' });
    expect(maintenance.maintenance?.indDayBeforeMaint).toBe('1');
    const electric = parseOk(psaV1MaintenanceSchema, fixture('maintenance-electric-fr'));
    expect(electric.fuel).toBeUndefined();
    expect(electric.maintenance?.dayBeforeMaint).toBe(-3);
    const eco = parseOk(psaV1EcoTripEvaluationSchema, fixture('eco-trip-evaluation'));
    expect(eco.globalEvaluation?.duration).toBe(1260);
    expect(eco.detailedEvaluation?.coldTripsLabel?.label).toBe('Trajets à froid');
    expect(
      parseOk(psaV1EcoDayEvaluationsSchema, fixtureArray('eco-day-evaluations'))[1]?.globalEvaluation,
    ).toEqual({ duration: 0, dateAggr: 20240510 });
  });
});

describe('PSA v1 POST …/list twins answer arrays of the same bodies', () => {
  const secondCar = { vin: 'VR3UHZKXZMT000001', contract: '620324102' };
  const cases: [string, z.ZodType, string][] = [
    ['running', psaV1RunningDataListSchema, 'running-data'],
    ['light status', psaV1LightStatusListSchema, 'light-status'],
    ['environment', psaV1EnvironmentListSchema, 'environment'],
    ['maintenance', psaV1MaintenanceListSchema, 'maintenance'],
    ['eco-driving (all trips)', psaV1EcoEvaluationListSchema, 'eco-evaluation'],
  ];
  it.each(cases)('%s', (_name, schema, name) => {
    const items = [fixture(name), { ...fixture(name), ...secondCar }];
    expect(failedPaths(schema, items)).toEqual([]);
    expect(failedPaths(schema, [])).toEqual([]);
    expect(failedPaths(schema, fixture(name))).toEqual(['(root)']);
  });

  it('per-day eco-driving evaluations of two cars, and per-trip ones of a day', () => {
    const days = fixtureArray('eco-day-evaluations');
    const otherCar = days.map((day) => ({ ...day, ...secondCar }));
    expect(failedPaths(psaV1EcoDayEvaluationsSchema, [...days, ...otherCar])).toEqual([]);
    const trip = fixture('eco-trip-evaluation');
    expect(failedPaths(psaV1EcoTripEvaluationsSchema, [trip, { ...trip, tripId: 19853001 }])).toEqual([]);
  });
});

describe('PSA v1 string numbers are parsed into numbers', () => {
  it('running data: fuel level, oil temperature and instantaneous consumption', () => {
    const raw = fixture('running-data');
    const running = parseOk(psaV1RunningDataSchema, raw);
    expect(running.fuelLevel).toBe(Number(raw.fuelLevel));
    expect(running.fuelLevel).toBe(42.5);
    expect(running.tempOilEng).toBe(91);
    expect(running.instFuelConsumption).toEqual(numbersOf(raw.instFuelConsumption));
    expect(running.instFuelConsumption?.['30']).toBe(11.2);
    expectTypeOf(running.fuelLevel).toEqualTypeOf<number | undefined>();
  });

  it('positions: latitude, longitude, altitude and satellite count; source stays text', () => {
    const raw = fixture('last-position');
    const position = parseOk(psaV1PositionSchema, raw);
    expect(position.latitude).toEqual(numbersOf(raw.latitude));
    expect(position.longitude?.['60']).toBe(2.35339);
    expect(position.altitude?.['6']).toBe(35);
    expect(position.nbsat?.['36']).toBe(11);
    expect(position.source?.['6']).toBe('GPS');
  });

  it('gaps in a trip position map stay null', () => {
    const minutes = parseOk(psaV1TripPositionsSchema, fixtureArray('trip-positions'));
    expect(minutes[0]?.latitude?.['18']).toBeNull();
    expect(minutes[0]?.latitude?.['24']).toBe(47.2189);
    expect(minutes[1]?.longitude).toEqual({ '6': -1.54877, '12': -1.5479 });
  });

  it('trip start coordinates', () => {
    const trip = parseOk(psaV1TripSchema, fixture('trip'));
    expect(trip.geoLocalisation).toEqual({ latitude: 47.2181, longitude: -1.5536 });
  });

  it('signs, exponents and integers written as text', () => {
    const running = (fuelLevel: string) =>
      parseOk(psaV1RunningDataSchema, setAt(fixture('running-data'), ['fuelLevel'], fuelLevel)).fuelLevel;
    expect(running('+7')).toBe(7);
    expect(running('4.25e1')).toBe(42.5);
    expect(running('.5')).toBe(0.5);
    expect(running('100')).toBe(100);
    expect(running('0')).toBe(0);
  });
});

describe('PSA v1 per-second maps', () => {
  it('list the seconds the spec gives each signal', () => {
    expect(PSA_V1_EVERY_SECOND).toHaveLength(60);
    expect(PSA_V1_EVERY_SECOND[0]).toBe('1');
    expect(PSA_V1_EVERY_SECOND.at(-1)).toBe('60');
    expect(PSA_V1_EVERY_10_SECONDS).toEqual(['10', '20', '30', '40', '50', '60']);
    expect(PSA_V1_EVERY_6_SECONDS).toEqual(['6', '12', '18', '24', '30', '36', '42', '48', '54', '60']);
  });

  it('accept a subset of the seconds, as listsecond asks, and empty maps', () => {
    const filtered = parseOk(psaV1RunningDataSchema, fixture('running-data-filtered'));
    expect(Object.keys(filtered.accelerationVeh ?? {})).toEqual(['10', '20', '30']);
    const empty = setAt(fixture('light-status'), ['fogFront'], {});
    expect(failedPaths(psaV1LightStatusSchema, empty)).toEqual([]);
    const onlyOne = setAt(fixture('last-position'), ['latitude'], { '42': '48.85751' });
    expect(parseOk(psaV1PositionSchema, onlyOne).latitude).toEqual({ '42': 48.85751 });
  });

  it.each<[string, z.ZodType, string, string, string, unknown]>([
    ['second 0 of an every-second map', psaV1RunningDataSchema, 'running-data', 'accelerationVeh', '0', 0.1],
    [
      'second 61 of an every-second map',
      psaV1RunningDataSchema,
      'running-data',
      'accelerationVeh',
      '61',
      0.1,
    ],
    ['second 5 of a 10-second map', psaV1RunningDataSchema, 'running-data', 'modeBV', '5', 3],
    [
      'second 15 of instFuelConsumption',
      psaV1RunningDataSchema,
      'running-data',
      'instFuelConsumption',
      '15',
      '6.0',
    ],
    ['second 10 of a fog-light map', psaV1LightStatusSchema, 'light-status', 'fogRear', '10', 0],
    ['second 60 of exteriorTemp (41 only)', psaV1EnvironmentSchema, 'environment', 'exteriorTemp', '60', 14],
    ['second 10 of a 6-second position map', psaV1PositionSchema, 'last-position', 'latitude', '10', '48.8'],
    ['a zero-padded second', psaV1RunningDataSchema, 'running-data', 'modeBV', '010', 3],
    ['a non-numeric key', psaV1LightStatusSchema, 'light-status', 'brakeLight', 'last', 0],
  ])('refuse %s', (_name, schema, name, map, second, value) => {
    const body = setAt(fixture(name), [map, second], value);
    expect(failedPaths(schema, body)).toEqual([map]);
  });

  it('refuse a map sent as an array or a scalar', () => {
    const asArray = setAt(fixture('running-data'), ['engineSpeed'], [1850, 820]);
    expect(failedPaths(psaV1RunningDataSchema, asArray)).toEqual(['engineSpeed']);
    const asScalar = setAt(fixture('environment'), ['exteriorTemp'], 14.5);
    expect(failedPaths(psaV1EnvironmentSchema, asScalar)).toEqual(['exteriorTemp']);
  });
});

describe('PSA v1 schemas refuse wrong types', () => {
  it.each<[string, z.ZodType, string, Key[], unknown]>([
    [
      'fuelLevel as a JSON number (the spec says string)',
      psaV1RunningDataSchema,
      'running-data',
      ['fuelLevel'],
      42.5,
    ],
    ['fuelLevel with a decimal comma', psaV1RunningDataSchema, 'running-data', ['fuelLevel'], '42,5'],
    ['fuelLevel empty', psaV1RunningDataSchema, 'running-data', ['fuelLevel'], ''],
    ['fuelLevel padded with blanks', psaV1RunningDataSchema, 'running-data', ['fuelLevel'], ' 42.5'],
    ['fuelLevel NaN', psaV1RunningDataSchema, 'running-data', ['fuelLevel'], 'NaN'],
    ['fuelLevel Infinity', psaV1RunningDataSchema, 'running-data', ['fuelLevel'], 'Infinity'],
    ['fuelLevel overflowing to Infinity', psaV1RunningDataSchema, 'running-data', ['fuelLevel'], '1e999'],
    ['tempOilEng with a unit', psaV1RunningDataSchema, 'running-data', ['tempOilEng'], '91°C'],
    [
      'an acceleration as text (the spec says number)',
      psaV1RunningDataSchema,
      'running-data',
      ['accelerationVeh', '1'],
      '0.42',
    ],
    [
      'an instantaneous consumption as a number',
      psaV1RunningDataSchema,
      'running-data',
      ['instFuelConsumption', '10'],
      5.8,
    ],
    ['gmpState as a boolean', psaV1RunningDataSchema, 'running-data', ['gmpState'], true],
    ['a brake light as a boolean', psaV1LightStatusSchema, 'light-status', ['brakeLight', '13'], true],
    [
      'a null in a light map (only positions may have gaps)',
      psaV1LightStatusSchema,
      'light-status',
      ['turnLeft', '1'],
      null,
    ],
    ['a latitude as a JSON number', psaV1PositionSchema, 'last-position', ['latitude', '6'], 48.85661],
    [
      'a latitude with a hemisphere letter',
      psaV1PositionSchema,
      'last-position',
      ['latitude', '6'],
      '48.85661N',
    ],
    ['a source as a number', psaV1PositionSchema, 'last-position', ['source', '6'], 1],
    ['the VIN as a number', psaV1EnvironmentSchema, 'environment', ['vin'], 1234567],
  ])('%s', (_name, schema, name, path, value) => {
    expect(failedPaths(schema, setAt(fixture(name), path, value))).toEqual([path.join('.')]);
  });

  it.each<[string, z.ZodType, string, Key[], unknown]>([
    ['tripId as text', psaV1TripSchema, 'trip', ['tripId'], '19853002'],
    ['tripId with a fraction', psaV1TripSchema, 'trip', ['tripId'], 19853002.5],
    ['trip coordinates as numbers', psaV1TripSchema, 'trip', ['geoLocalisation', 'latitude'], 47.2181],
    ['trips as an object', psaV1TripsSchema, 'trips-last', ['trips'], {}],
    [
      'alertState as text',
      psaV1MaintenanceAlertsSchema,
      'maintenance-alerts',
      ['listAlert', 0, 'alertState'],
      '1',
    ],
    [
      'indDayBeforeMaint as a number',
      psaV1MaintenanceSchema,
      'maintenance',
      ['maintenance', 'indDayBeforeMaint'],
      1,
    ],
    [
      'fuelLevel of maintenance as text (number there)',
      psaV1MaintenanceSchema,
      'maintenance',
      ['fuel', 'fuelLevel'],
      '42.5',
    ],
    [
      'a value label as plain text',
      psaV1MaintenanceSchema,
      'maintenance',
      ['fuel', 'fuelLevelLabel'],
      'Fuel level',
    ],
    [
      'an evaluation label without its advice',
      psaV1EcoEvaluationSchema,
      'eco-evaluation',
      ['detailedEvaluation', 'brakingLabel', 'advice'],
      null,
    ],
    [
      'a mark as text',
      psaV1EcoEvaluationSchema,
      'eco-evaluation',
      ['globalEvaluation', 'drivingMark'],
      '7.2',
    ],
    ['httpCode as a word', psaV1GatewayErrorSchema, 'error-401', ['httpCode'], 'Unauthorized'],
  ])('%s', (_name, schema, name, path, value) => {
    expect(failedPaths(schema, setAt(fixture(name), path, value))).toEqual([path.join('.')]);
  });
});

describe('PSA v1 schemas refuse out-of-range values', () => {
  it.each<[string, z.ZodType, string, Key[], unknown]>([
    ['fuel level above 100', psaV1RunningDataSchema, 'running-data', ['fuelLevel'], '100.5'],
    ['negative fuel level', psaV1RunningDataSchema, 'running-data', ['fuelLevel'], '-1'],
    ['oil at 400°', psaV1RunningDataSchema, 'running-data', ['tempOilEng'], '400'],
    ['engine at 20,000 rpm', psaV1RunningDataSchema, 'running-data', ['engineSpeed', '10'], 20_000],
    ['negative engine speed', psaV1RunningDataSchema, 'running-data', ['engineSpeed', '10'], -800],
    ['acceleration of 80', psaV1RunningDataSchema, 'running-data', ['accelerationVeh', '5'], 80],
    [
      'negative instantaneous consumption',
      psaV1RunningDataSchema,
      'running-data',
      ['instFuelConsumption', '20'],
      '-0.1',
    ],
    ['gearbox code 16', psaV1RunningDataSchema, 'running-data', ['modeBV', '10'], 16],
    ['fractional gmpState', psaV1RunningDataSchema, 'running-data', ['gmpState'], 1.5],
    ['a light flag of 2', psaV1LightStatusSchema, 'light-status', ['fogFront', '30'], 2],
    ['exterior temperature of 200', psaV1EnvironmentSchema, 'environment', ['exteriorTemp', '41'], 200],
    ['latitude beyond 90°', psaV1PositionSchema, 'last-position', ['latitude', '6'], '91'],
    ['longitude beyond 180°', psaV1PositionSchema, 'last-position', ['longitude', '6'], '-180.5'],
    ['a fractional satellite count', psaV1PositionSchema, 'last-position', ['nbsat', '6'], '9.5'],
    ['a VIN of 16 characters', psaV1PositionSchema, 'last-position', ['vin'], 'VF73AAHXTFJ80731'],
    ['a VIN with an O', psaV1PositionSchema, 'last-position', ['vin'], 'VF73AAHXTFJ8O7314'],
  ])('telemetry: %s', (_name, schema, name, path, value) => {
    expect(failedPaths(schema, setAt(fixture(name), path, value))).toEqual([path.join('.')]);
  });

  it.each<[string, z.ZodType, string, Key[], unknown]>([
    ['negative trip distance', psaV1TripSchema, 'trip', ['tripMileage'], -0.1],
    ['speed of 500', psaV1TripSchema, 'trip', ['avgSpeed'], 500],
    ['negative trip id', psaV1TripSchema, 'trip', ['tripId'], -1],
    ['referenceTrip of 2', psaV1TripSchema, 'trip', ['referenceTrip'], 2],
    ['tank level of 120', psaV1TripSchema, 'trip', ['fuelTankLevel'], 120],
    ['trip latitude beyond 90°', psaV1TripSchema, 'trip', ['geoLocalisation', 'latitude'], '95.2'],
    ['negative fuel price', psaV1FuelPriceSchema, 'fuel-price', ['fuelPrice'], -1.89],
    ['a mark of 101', psaV1EcoEvaluationSchema, 'eco-evaluation', ['detailedEvaluation', 'speed'], 101],
    ['a negative mark', psaV1EcoEvaluationSchema, 'eco-evaluation', ['globalEvaluation', 'roadProfile'], -1],
    [
      'alertState of 2',
      psaV1MaintenanceAlertsSchema,
      'maintenance-alerts',
      ['listAlert', 1, 'alertState'],
      2,
    ],
    ['fuel tank alert of 3', psaV1MaintenanceSchema, 'maintenance', ['fuel', 'fuelTankAlerte'], 3],
    ['negative residual range', psaV1MaintenanceSchema, 'maintenance', ['fuel', 'residualAutonomy'], -10],
    ['httpCode 700', psaV1GatewayErrorSchema, 'error-401', ['httpCode'], 700],
    ['httpCode "40"', psaV1GatewayErrorSchema, 'error-401', ['httpCode'], '40'],
  ])('%s', (_name, schema, name, path, value) => {
    expect(failedPaths(schema, setAt(fixture(name), path, value))).toEqual([path.join('.')]);
  });

  it('aggregate dates that are no real day or month', () => {
    const path: Key[] = [0, 'globalEvaluation', 'dateAggr'];
    for (const bad of [20240230, 2024059, 202405, 20241301, 1715299200]) {
      const days = setAt(fixtureArray('eco-day-evaluations'), path, bad);
      expect(failedPaths(psaV1EcoDayEvaluationsSchema, days)).toEqual([path.join('.')]);
    }
    for (const bad of [202413, 202400, 20240509, 24051]) {
      const months = setAt(fixtureArray('eco-month-evaluations'), path, bad);
      expect(failedPaths(psaV1EcoMonthEvaluationsSchema, months)).toEqual([path.join('.')]);
    }
    const leapDay = setAt(fixtureArray('eco-day-evaluations'), path, 20240229);
    expect(failedPaths(psaV1EcoDayEvaluationsSchema, leapDay)).toEqual([]);
  });

  it('a total of trips below the trips returned, and two reference trips', () => {
    const trips = setAt(fixture('trips-last'), ['totalNumberTrips'], 1);
    expect(failedPaths(psaV1TripsSchema, trips)).toEqual(['totalNumberTrips']);
    const exact = setAt(fixture('trips-last'), ['totalNumberTrips'], 2);
    expect(failedPaths(psaV1TripsSchema, exact)).toEqual([]);
    const reference = fixture('reference-trip');
    const pinned = (reference.trips as Json[])[0];
    setAt(reference, ['trips'], [pinned, pinned]);
    expect(failedPaths(psaV1ReferenceTripSchema, reference)).toEqual(['trips']);
    expect(failedPaths(psaV1ReferenceTripSchema, { trips: [] })).toEqual([]);
  });
});

describe('PSA v1 schemas refuse a missing required field', () => {
  it.each<[string, z.ZodType, string, Key[]]>([
    ['running data VIN', psaV1RunningDataSchema, 'running-data', ['vin']],
    ['light status VIN', psaV1LightStatusSchema, 'light-status', ['vin']],
    ['environment VIN', psaV1EnvironmentSchema, 'environment', ['vin']],
    ['position VIN', psaV1PositionSchema, 'last-position', ['vin']],
    ['trip id', psaV1TripSchema, 'trip', ['tripId']],
    ['trip start', psaV1TripSchema, 'trip', ['dateTripBegin']],
    ['trip VIN', psaV1TripSchema, 'trip', ['vin']],
    ['trip longitude', psaV1TripSchema, 'trip', ['geoLocalisation', 'longitude']],
    ['trips array', psaV1TripsSchema, 'trips-last', ['trips']],
    ['trip id inside a page', psaV1TripsSchema, 'trips-last', ['trips', 1, 'tripId']],
    ['reference fuel price', psaV1FuelPriceSchema, 'fuel-price', ['fuelPrice']],
    ['maintenance VIN', psaV1MaintenanceSchema, 'maintenance', ['vin']],
    [
      'group of a value label',
      psaV1MaintenanceSchema,
      'maintenance',
      ['maintenance', 'totMileageLabel', 'groupLabel'],
    ],
    ['alert list', psaV1MaintenanceAlertsSchema, 'maintenance-alerts', ['listAlert']],
    ['alert id', psaV1MaintenanceAlertsSchema, 'maintenance-alerts', ['listAlert', 0, 'idAlert']],
    ['alert state', psaV1MaintenanceAlertsSchema, 'maintenance-alerts', ['listAlert', 0, 'alertState']],
    ['alert start', psaV1MaintenanceAlertsSchema, 'maintenance-alerts', ['listAlert', 1, 'dateAlertBegin']],
    ['alert envelope VIN', psaV1MaintenanceAlertsSchema, 'maintenance-alerts', ['vin']],
    [
      'VIN of an alert of the list twin',
      psaV1MaintenanceAlertListSchema,
      'maintenance-alerts-list',
      ['listAlert', 1, 'vin'],
    ],
    [
      'category of an evaluation label',
      psaV1EcoEvaluationSchema,
      'eco-evaluation',
      ['globalEvaluation', 'drivingMarkLabel', 'category'],
    ],
    ['eco-driving trip id', psaV1EcoTripEvaluationSchema, 'eco-trip-evaluation', ['tripId']],
    ['gateway httpCode', psaV1GatewayErrorSchema, 'error-401', ['httpCode']],
    ['gateway moreInformation', psaV1GatewayErrorSchema, 'error-401', ['moreInformation']],
    ['list request contracts', psaV1ListRequestSchema, 'list-request', ['listcontract']],
  ])('%s', (_name, schema, name, path) => {
    expect(failedPaths(schema, deleteAt(fixture(name), path))).toEqual([path.join('.')]);
  });

  it('the date of a per-day and a per-month aggregate', () => {
    const path: Key[] = [0, 'globalEvaluation', 'dateAggr'];
    expect(
      failedPaths(psaV1EcoDayEvaluationsSchema, deleteAt(fixtureArray('eco-day-evaluations'), path)),
    ).toEqual([path.join('.')]);
    expect(
      failedPaths(psaV1EcoMonthEvaluationsSchema, deleteAt(fixtureArray('eco-month-evaluations'), path)),
    ).toEqual([path.join('.')]);
    const noGlobal = deleteAt(fixtureArray('eco-day-evaluations')[0], ['globalEvaluation']);
    expect(failedPaths(psaV1EcoDayEvaluationSchema, noGlobal)).toEqual(['globalEvaluation']);
  });

  it.each<[string, z.ZodType, string]>([
    ['referential-alert', psaV1AlertReferentialSchema, 'indicatorCode'],
    ['referential-maintenance', psaV1MaintenanceReferentialSchema, 'rgrpLabel'],
    ['referential-ecodriving', psaV1EcoDrivingReferentialSchema, 'edLevel'],
  ])('a field of a %s row', (name, schema, field) => {
    expect(failedPaths(schema, deleteAt(fixtureArray(name), [1, field]))).toEqual([`1.${field}`]);
    expect(failedPaths(schema, setAt(fixtureArray(name), [0, field], 7))).toEqual([`0.${field}`]);
  });
});

describe('PSA v1 schemas accept missing signals and unknown fields', () => {
  it('a body holding only its VIN', () => {
    const vin = { vin: 'VF73AAHXTFJ807314' };
    for (const schema of [
      psaV1RunningDataSchema,
      psaV1LightStatusSchema,
      psaV1EnvironmentSchema,
      psaV1PositionSchema,
      psaV1MaintenanceSchema,
      psaV1EcoEvaluationSchema,
    ]) {
      expect(failedPaths(schema, vin)).toEqual([]);
    }
    expect(failedPaths(psaV1TripSchema, { ...vin, tripId: 1, dateTripBegin: '20240509170211' })).toEqual([]);
  });

  it('an active alert without an end date, in any of the three shapes', () => {
    for (const end of [undefined, null, '']) {
      const alerts = setAt(fixture('maintenance-alerts'), ['listAlert', 1, 'dateAlertEnd'], end);
      expect(failedPaths(psaV1MaintenanceAlertsSchema, alerts)).toEqual([]);
    }
  });

  it('strips unknown fields at every level, but not unknown seconds', () => {
    const running = fixture('running-data');
    setAt(running, ['batteryVoltage'], '12.4');
    const trips = setAt(fixture('trips-last'), ['trips', 0, 'maxSpeed'], 130);
    setAt(trips, ['page'], 1);
    const maintenance = setAt(fixture('maintenance'), ['fuel', 'adBlueLevel'], 50);
    const parsedRunning = parseOk(psaV1RunningDataSchema, running);
    expect(parsedRunning).not.toHaveProperty('batteryVoltage');
    const parsedTrips = parseOk(psaV1TripsSchema, trips);
    expect(parsedTrips).not.toHaveProperty('page');
    expect(parsedTrips.trips[0]).not.toHaveProperty('maxSpeed');
    expect(parseOk(psaV1MaintenanceSchema, maintenance).fuel).not.toHaveProperty('adBlueLevel');
  });
});

describe('PSA v1 timestamps', () => {
  it.each([
    ['the spec example form', '20160803083640'],
    ['a leap day', '20240229235959'],
    ['RFC 3339 UTC', '2024-05-10T11:47:12Z'],
    ['RFC 3339 with an offset', '2024-05-10T13:47:12+02:00'],
  ])('accept %s', (_name, value) => {
    expect(failedPaths(psaV1DateTimeSchema, value)).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['a 12-digit date (minutes only)', '201608030836'],
    ['an impossible day', '20240230083640'],
    ['hour 24', '20240510240000'],
    ['second 60', '20240510115960'],
    ['a space-separated date', '2024-05-10 11:47:12'],
    ['RFC 3339 without offset', '2024-05-10T11:47:12'],
    ['epoch seconds', 1715341632],
    ['the compact form as a number', 20160803083640],
  ])('refuse %s', (_name, value) => {
    expect(failedPaths(psaV1DateTimeSchema, value)).toEqual(['(root)']);
  });

  it('in bodies', () => {
    expect(failedPaths(psaV1TripSchema, setAt(fixture('trip'), ['dateTripBegin'], '09/05/2024'))).toEqual([
      'dateTripBegin',
    ]);
    expect(
      failedPaths(psaV1EnvironmentSchema, setAt(fixture('environment'), ['lastUpdate'], '2024051011471')),
    ).toEqual(['lastUpdate']);
  });
});

describe('PSA v1 list request body', () => {
  it('pairs each VIN with its contract', () => {
    const body = setAt(fixture('list-request'), ['listcontract'], ['620324101']);
    expect(failedPaths(psaV1ListRequestSchema, body)).toEqual(['listcontract']);
    expect(failedPaths(psaV1ListRequestSchema, { listvin: [], listcontract: [] })).toEqual([
      'listvin',
      'listcontract',
    ]);
    const badVin = setAt(fixture('list-request'), ['listvin', 0], 'a');
    expect(failedPaths(psaV1ListRequestSchema, badVin)).toEqual(['listvin.0']);
  });
});

describe('PSA v1 schema types', () => {
  it('are inferred from the schemas, with text numbers as numbers', () => {
    expectTypeOf<PsaV1RunningData['tempOilEng']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<PsaV1Position['latitude']>[string]>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<NonNullable<PsaV1Maintenance['fuel']>['fuelLevelLabel']>().toEqualTypeOf<
      { label: string; groupLabel: string } | undefined
    >();
    expectTypeOf<z.input<typeof psaV1RunningDataSchema>['fuelLevel']>().toEqualTypeOf<string | undefined>();
  });
});
