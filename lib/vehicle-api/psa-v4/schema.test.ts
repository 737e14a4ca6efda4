import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { deleteAt, failedPaths, fixturesIn, type Json, type Key, parseOk, setAt } from '../schema-test-kit';
import {
  type PsaV4AlertType,
  type PsaV4Status,
  psaV4AdasSchema,
  psaV4AlarmBaseSchema,
  psaV4AlarmDetailsSchema,
  psaV4AlarmsSchema,
  psaV4AlertSchema,
  psaV4AlertsSchema,
  psaV4CollisionDetailSchema,
  psaV4CollisionSchema,
  psaV4CollisionsSchema,
  psaV4DurationSchema,
  psaV4EnergySchema,
  psaV4EngineBaseSchema,
  psaV4EnvironmentBaseSchema,
  psaV4ErrorBodySchema,
  psaV4GatewayErrorSchema,
  psaV4IgnitionBaseSchema,
  psaV4LegacyEnergySchema,
  psaV4MaintenanceBaseSchema,
  psaV4MaintenanceSchema,
  psaV4OdometerBaseSchema,
  psaV4PointSchema,
  psaV4PortalErrorSchema,
  psaV4PositionBaseSchema,
  psaV4PositionSchema,
  psaV4PreconditioningSchema,
  psaV4SpecErrorSchema,
  psaV4StatusSchema,
  psaV4TelemetriesSchema,
  psaV4TelemetrySchema,
  psaV4TripFaultSchema,
  psaV4TripSchema,
  psaV4TripsSchema,
  psaV4UserSchema,
  psaV4VehicleSchema,
  psaV4VehiclesSchema,
  psaV4WayPointsSchema,
} from './schema';

// Fixtures in __fixtures__ were typed by hand:
// - vehicles, status-thermic, energy-electric(-legacy), last-position, telemetries, maintenance, alerts,
//   trips, collisions, error-404: the example payloads of vehicle-apis.md §6. The "…" elisions of ids and
//   hrefs are kept; the legacy energy twin's `"updatedAt": "…"` became a real date.
// - spec-examples: the `example:` values of the 4.17 YAML, grouped per schema.
// - status-electric, telemetry-full, waypoints, user, vehicle-extended: written for Kinetic from §5 so that
//   every 4.17 field appears at least once (no §6 example exists for them).

const { fixture } = fixturesIn(new URL('./__fixtures__/', import.meta.url));

const NOW = '2024-05-10T11:47:12Z';
const link = { href: 'https://api.groupe-psa.com/connectedcar/v4/user/vehicles/abc' };

describe('PSA v4 schemas accept the vehicle-apis.md §6 payloads', () => {
  it('vehicle list', () => {
    const vehicles = parseOk(psaV4VehiclesSchema, fixture('vehicles'));
    expect(vehicles.total).toBe(1);
    expect(vehicles._embedded.vehicles?.[0]?.motorization).toBe('Electric');
    expect(vehicles._embedded.vehicles?.[0]?._links.callbacks?.href).toMatch(/\/user\/callbacks$/);
  });

  it('thermic status with its deprecated duplicates', () => {
    const status = parseOk(psaV4StatusSchema, fixture('status-thermic'));
    expect(status.lastPosition?.geometry.coordinates).toEqual([2.3522, 48.8566, 35]);
    expect(status.energies?.[0]?.extension?.fuel?.consumptions?.total).toBe(151230);
    expect(status.energy).toEqual([{ createdAt: NOW, type: 'Fuel', level: 42.5, autonomy: 390 }]);
    expect(status.preconditionning?.airConditioning?.status).toBe('Disabled');
    expect(status.preconditioning?.airConditioning?.programs?.[0]?.start).toBe('PT6H30M');
  });

  it('electric energy item and its legacy twin', () => {
    const energy = parseOk(psaV4EnergySchema, fixture('energy-electric'));
    expect(energy.extension?.electric?.charging?.chargingMode).toBe('No');
    expect(energy.extension?.electric?.battery?.load?.residual).toBe(5344);
    const legacy = parseOk(psaV4LegacyEnergySchema, fixture('energy-electric-legacy'));
    expect(legacy.battery?.health?.resistance).toBe(90);
    expect(legacy.charging?.nextDelayedTime).toBe('PT16H');
  });

  it('the electric energy item inside a status, with the legacy twin as an array', () => {
    const status = fixture('status-thermic');
    setAt(status, ['energies'], [fixture('energy-electric')]);
    setAt(status, ['energy'], [fixture('energy-electric-legacy')]);
    expect(failedPaths(psaV4StatusSchema, status)).toEqual([]);
  });

  it('last position', () => {
    const position = parseOk(psaV4PositionSchema, fixture('last-position'));
    expect(position.geometry.coordinates).toEqual([-1.59008, 47.274, 30]);
    expect(position.properties.fixStatus).toBe('2D');
  });

  it('telemetry page with the location extension', () => {
    const page = parseOk(psaV4TelemetriesSchema, fixture('telemetries'));
    const message = page._embedded.telemetries?.[0];
    expect(page._links.next?.href).toBe('…/telemetry?pageToken=AAAC');
    expect(message?.vehicle?.energies?.[0]?.extension?.fuel?.consumption?.consumption).toBe(5.8);
    expect(message?._embedded?.extension?.location?.geometry.coordinates).toEqual([2.3501, 48.857]);
  });

  it('maintenance', () => {
    const maintenance = parseOk(psaV4MaintenanceSchema, fixture('maintenance'));
    expect(maintenance.mileageBeforeMaintenance).toBe(1239.6);
  });

  it('alerts', () => {
    const alerts = parseOk(psaV4AlertsSchema, fixture('alerts'));
    expect(alerts._embedded.alerts?.[0]?.type).toBe('FuelLevelLow');
    expect(alerts._embedded.alerts?.[0]?.startPosition?.properties.createdAt).toBe('2024-05-09T17:02:11Z');
  });

  it('trips', () => {
    const trip = parseOk(psaV4TripsSchema, fixture('trips'))._embedded.trips?.[0];
    expect(trip?.energyConsumptions?.[0]).toEqual({
      type: 'Fuel',
      subType: 'FossilEnergy',
      consumption: 150,
      avgConsumption: 610,
    });
    expect(trip?._links.waypoints?.href).toBe('…/trips/7788/wayPoints');
  });

  it('collisions (capital C, and no `first` link as in the docs example)', () => {
    const collisions = parseOk(psaV4CollisionsSchema, fixture('collisions'));
    expect(collisions._embedded.Collisions?.[0]?.details).toEqual([{ side: 'Rear', severity: 'Minimal' }]);
  });

  it('portal error body, directly and through the error union', () => {
    expect(parseOk(psaV4PortalErrorSchema, fixture('error-404')).code).toBe(40499);
    expect(parseOk(psaV4ErrorBodySchema, fixture('error-404'))).toHaveProperty('uuid');
  });
});

describe('PSA v4 schemas accept the spec examples', () => {
  const examples = fixture('spec-examples');
  const cases: [string, z.ZodType][] = [
    ['xError', psaV4SpecErrorSchema],
    ['point', psaV4PointSchema],
    ['alert', psaV4AlertSchema],
    ['collision', psaV4CollisionSchema],
    ['vehicle', psaV4VehicleSchema],
    ['adas', psaV4AdasSchema],
    ['engineBase', psaV4EngineBaseSchema],
    ['ignitionBase', psaV4IgnitionBaseSchema],
    ['odometerBase', psaV4OdometerBaseSchema],
    ['environmentBase', psaV4EnvironmentBaseSchema],
    ['maintenanceBase', psaV4MaintenanceBaseSchema],
    ['alarmBase', psaV4AlarmBaseSchema],
    ['preconditioning', psaV4PreconditioningSchema],
    ['tripFault', psaV4TripFaultSchema],
    ['programStart', psaV4DurationSchema],
    ['triggerDuration', psaV4DurationSchema],
  ];

  it.each(cases)('%s', (key, schema) => {
    expect(examples).toHaveProperty(key);
    expect(failedPaths(schema, examples[key])).toEqual([]);
  });

  it('keeps the spec example values intact', () => {
    const point = parseOk(psaV4PointSchema, examples.point);
    expect(point.coordinates).toEqual([5.970338, -62.536239]);
    expect(parseOk(psaV4AdasSchema, examples.adas).sli).toBe(110);
  });
});

describe('PSA v4 schemas accept payloads covering every 4.17 field', () => {
  it('electric status: charging, battery load and health, alarm, safety, lights, `vehicles` link', () => {
    const status = parseOk(psaV4StatusSchema, fixture('status-electric'));
    const electric = status.energies?.[0]?.extension?.electric;
    expect(electric?.battery?.health).toEqual({
      createdAt: '2024-01-01T00:00:00Z',
      capacity: 97,
      resistance: 90,
    });
    expect(electric?.charging?.schedule?.programs?.[0]?.end).toBe('PT6H');
    expect(electric?.charging?.chargingPowerLevel).toBe('Level2');
    expect(status._links.vehicles?.href).toMatch(/9a8b…0c1d$/);
    expect(status.alarm?.trigger?.type).toBe('VolumetricBreakIn');
    expect(status.lightingSystem?.turn?.[1]?.status).toBe('On');
    // The deprecated `energy` as the single object the spec describes.
    expect(Array.isArray(status.energy)).toBe(false);
  });

  it('telemetry message: transmission, adas, wiping blades, maintenance extension', () => {
    const message = parseOk(psaV4TelemetrySchema, fixture('telemetry-full'));
    expect(message.vehicle?.transmission?.gearbox?.ratio).toBe('Ratio4');
    expect(message.vehicle?.adas?.aebs).toBe('off');
    expect(message.vehicle?.wipingBlades).toEqual({ active: true, speed: 'Low' });
    expect(message._embedded?.extension?.maintenance?.daysBeforeMaintenance).toBe(-3);
    expect(message._embedded?.extension?.location?.properties.heading).toBe(360);
  });

  it('waypoints', () => {
    const page = parseOk(psaV4WayPointsSchema, fixture('waypoints'));
    expect(page._embedded.positions.map((position) => position.geometry.coordinates.length)).toEqual([3, 2]);
  });

  it('user with embedded Vehicles (capital V)', () => {
    const user = parseOk(psaV4UserSchema, fixture('user'));
    expect(user._embedded?.Vehicles?.[0]?.vin).toBe('VR3UHZKXZMT000001');
  });

  it('vehicle with the onboardCapabilities, branding and pictures extensions', () => {
    const vehicle = parseOk(psaV4VehicleSchema, fixture('vehicle-extended'));
    const extension = vehicle._embedded?.extension;
    expect(extension?.onboardCapabilities?.remote?.charging.parameters.schedule?.nextDelayedTime).toBe(true);
    expect(extension?.onboardCapabilities?.data).toContain('data:telemetry:vehicle:kinetic');
    expect(extension?.branding?.label).toBe('3008 HYBRID4');
    expect(vehicle._links.monitors?.templated).toBe(true);
  });

  it('alarms collection and single alarm', () => {
    const trigger = (fixture('status-electric').alarm as Json).trigger;
    const alarm = { id: 'a1', trigger };
    expect(parseOk(psaV4AlarmDetailsSchema, alarm).trigger?.startAt).toBe('2024-01-05T02:13:51Z');
    const page = {
      _links: { self: link, first: link },
      total: 1,
      totalPage: 1,
      currentPage: 1,
      _embedded: { alarms: [alarm] },
    };
    expect(failedPaths(psaV4AlarmsSchema, page)).toEqual([]);
  });

  it('gateway and xError bodies', () => {
    const gateway = { httpCode: '401', httpMessage: 'Unauthorized', moreInformation: 'Token is invalid' };
    expect(parseOk(psaV4GatewayErrorSchema, gateway).moreInformation).toBe('Token is invalid');
    expect(parseOk(psaV4ErrorBodySchema, gateway)).toEqual(gateway);
    expect(failedPaths(psaV4GatewayErrorSchema, { ...gateway, httpCode: 401 })).toEqual([]);
  });
});

describe('PSA v4 schemas accept unknown fields (vehicle-apis.md §3.6)', () => {
  it('at every level of a status, stripping them from the result', () => {
    const status = fixture('status-thermic');
    setAt(status, ['futureBlock'], { anything: 1 });
    setAt(status, ['energies', 0, 'extension', 'fuel', 'newSensor'], 3);
    setAt(status, ['lastPosition', 'properties', 'accuracy'], 4.2);
    setAt(status, ['_links', 'remotes'], link);
    const parsed = parseOk(psaV4StatusSchema, status);
    expect(parsed).not.toHaveProperty('futureBlock');
    expect(parsed.lastPosition?.properties).not.toHaveProperty('accuracy');
    expect(parsed.energies?.[0]?.level).toBe(42.5);
  });

  it('in collections, their items and links', () => {
    const page = fixture('trips');
    setAt(page, ['pageSize'], 60);
    setAt(page, ['_links', 'self', 'method'], 'GET');
    setAt(page, ['_embedded', 'trips', 0, 'ecoScore'], 7);
    setAt(page, ['_embedded', 'others'], []);
    expect(failedPaths(psaV4TripsSchema, page)).toEqual([]);
  });

  it('in alerts, telemetry and vehicles', () => {
    expect(
      failedPaths(psaV4AlertsSchema, setAt(fixture('alerts'), ['_embedded', 'alerts', 0, 'label'], 'x')),
    ).toEqual([]);
    const message = setAt(fixture('telemetry-full'), ['vehicle', 'tires'], { pressure: [2.4] });
    expect(failedPaths(psaV4TelemetrySchema, message)).toEqual([]);
    expect(failedPaths(psaV4VehicleSchema, setAt(fixture('vehicle-extended'), ['color'], 'blue'))).toEqual(
      [],
    );
  });
});

describe('PSA v4 schemas accept missing optional fields', () => {
  it('a status holding only what the spec requires', () => {
    expect(failedPaths(psaV4StatusSchema, { createdAt: NOW, _links: { self: link } })).toEqual([]);
  });

  it('status blocks holding only their createdAt', () => {
    const status = {
      createdAt: NOW,
      _links: { self: link },
      kinetic: { createdAt: NOW },
      odometer: { createdAt: NOW },
      privacy: { createdAt: NOW },
      doorsState: { createdAt: NOW },
      environment: { air: { createdAt: NOW } },
      preconditioning: { airConditioning: { createdAt: NOW } },
      energies: [{ createdAt: NOW, type: 'Electric' }],
    };
    expect(failedPaths(psaV4StatusSchema, status)).toEqual([]);
  });

  it('minimal trip, alert, collision, telemetry, vehicle, user and an empty page', () => {
    expect(failedPaths(psaV4TripSchema, { id: 't', createdAt: NOW, _links: { self: link } })).toEqual([]);
    const alert = {
      id: 'a',
      active: false,
      type: 'RiskOfIce',
      startedAt: NOW,
      updatedAt: NOW,
      _links: { self: link },
    };
    expect(failedPaths(psaV4AlertSchema, alert)).toEqual([]);
    expect(failedPaths(psaV4CollisionSchema, { id: 'c', createdAt: NOW, _links: { self: link } })).toEqual(
      [],
    );
    expect(failedPaths(psaV4TelemetrySchema, { _links: { self: link } })).toEqual([]);
    expect(failedPaths(psaV4VehicleSchema, { _links: { self: link } })).toEqual([]);
    expect(failedPaths(psaV4UserSchema, {})).toEqual([]);
    const empty = { _links: { self: link }, total: 0, totalPage: 0, currentPage: 0, _embedded: {} };
    expect(failedPaths(psaV4TripsSchema, empty)).toEqual([]);
  });

  it('a position without altitude, heading or fix details', () => {
    const position = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [2.35, 48.86] },
      properties: { createdAt: NOW },
    };
    expect(failedPaths(psaV4PositionSchema, position)).toEqual([]);
  });

  it('a telemetry location without createdAt, unlike a dated position', () => {
    const location = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [2.35, 48.86] },
      properties: {},
    };
    expect(failedPaths(psaV4PositionBaseSchema, location)).toEqual([]);
    expect(failedPaths(psaV4PositionSchema, location)).toEqual(['properties.createdAt']);
  });

  it('maintenance with only one of its two values', () => {
    const maintenance = deleteAt(fixture('maintenance'), ['daysBeforeMaintenance']);
    expect(failedPaths(psaV4MaintenanceSchema, maintenance)).toEqual([]);
  });
});

describe('PSA v4 schemas reject wrong enum values', () => {
  it.each<[string, Key[], unknown]>([
    ['energy type', ['energies', 0, 'type'], 'Diesel'],
    ['privacy state', ['privacy', 'state'], 'Partial'],
    ['ignition type', ['ignition', 'type'], 'On'],
    ['powertrain status', ['powertrain', 'status'], 'running'],
    ['door lock state with corrected spelling', ['doorsState', 'lockedStates', 0], 'TrunkUnlocked'],
    ['fix status', ['lastPosition', 'properties', 'fixStatus'], '4D'],
    ['4.0 position type', ['lastPosition', 'properties', 'type'], 'Acquired'],
    ['preconditioning status', ['preconditioning', 'airConditioning', 'status'], 'On'],
    [
      'program week day',
      ['preconditioning', 'airConditioning', 'programs', 0, 'occurence', 'day', 0],
      'Monday',
    ],
    ['energy sub type that is no identifier', ['energies', 0, 'subType'], 'fossil energy'],
  ])('status %s', (_name, path, value) => {
    expect(failedPaths(psaV4StatusSchema, setAt(fixture('status-thermic'), path, value))).toEqual([
      path.join('.'),
    ]);
  });

  it('a future PascalCase energy sub type is tolerated, as the spec asks', () => {
    const status = setAt(fixture('status-thermic'), ['energies', 0, 'subType'], 'Ammonia');
    expect(failedPaths(psaV4StatusSchema, status)).toEqual([]);
  });

  it('YAML 1.1 booleans where the spec means the strings Off / On / No', () => {
    const charging = ['extension', 'electric', 'charging', 'chargingMode'];
    expect(failedPaths(psaV4EnergySchema, setAt(fixture('energy-electric'), charging, false))).toEqual([
      charging.join('.'),
    ]);
    const light = ['lightingSystem', 'turn', 0, 'status'];
    expect(failedPaths(psaV4StatusSchema, setAt(fixture('status-electric'), light, false))).toEqual([
      light.join('.'),
    ]);
    const accr = ['vehicle', 'adas', 'accr'];
    expect(failedPaths(psaV4TelemetrySchema, setAt(fixture('telemetry-full'), accr, false))).toEqual([
      accr.join('.'),
    ]);
  });

  it('aebs keeps the spec lower-case `off`', () => {
    const aebs = ['vehicle', 'adas', 'aebs'];
    expect(failedPaths(psaV4TelemetrySchema, setAt(fixture('telemetry-full'), aebs, 'Off'))).toEqual([
      aebs.join('.'),
    ]);
  });

  it('alert types: 4.17 names with their typos and 4.0 camelCase names pass, anything else fails', () => {
    const path = ['_embedded', 'alerts', 0, 'type'];
    for (const accepted of [
      'CoolantLevellow',
      'LeftFrontTirePressurSensorFault',
      'fuelLevelAlarm',
      'tupUpAdBlue',
    ]) {
      expect(failedPaths(psaV4AlertsSchema, setAt(fixture('alerts'), path, accepted))).toEqual([]);
    }
    for (const rejected of ['CoolantLevelLow', 'FuelLevelLOW', 'fuelLevelLow', '']) {
      expect(failedPaths(psaV4AlertsSchema, setAt(fixture('alerts'), path, rejected))).toEqual([
        path.join('.'),
      ]);
    }
    const severity = ['_embedded', 'alerts', 0, 'severity'];
    expect(failedPaths(psaV4AlertsSchema, setAt(fixture('alerts'), severity, 'Major'))).toEqual([
      severity.join('.'),
    ]);
  });

  it('trip, collision, vehicle and telemetry enums', () => {
    const propulsion = ['_embedded', 'trips', 0, 'segments', 0, 'propulsion'];
    expect(failedPaths(psaV4TripsSchema, setAt(fixture('trips'), propulsion, 'Diesel'))).toEqual([
      propulsion.join('.'),
    ]);
    const side = ['_embedded', 'Collisions', 0, 'details', 0, 'side'];
    expect(failedPaths(psaV4CollisionsSchema, setAt(fixture('collisions'), side, 'Left'))).toEqual([
      side.join('.'),
    ]);
    const motorization = ['_embedded', 'vehicles', 0, 'motorization'];
    expect(failedPaths(psaV4VehiclesSchema, setAt(fixture('vehicles'), motorization, 'Petrol'))).toEqual([
      motorization.join('.'),
    ]);
    const ratio = ['vehicle', 'transmission', 'gearbox', 'ratio'];
    expect(failedPaths(psaV4TelemetrySchema, setAt(fixture('telemetry-full'), ratio, 'Ratio9'))).toEqual([
      ratio.join('.'),
    ]);
    const scope = ['_embedded', 'extension', 'onboardCapabilities', 'remote', 'door', 'scopeName'];
    expect(
      failedPaths(psaV4VehicleSchema, setAt(fixture('vehicle-extended'), scope, 'remote:horn:write')),
    ).toEqual([scope.join('.')]);
  });
});

describe('PSA v4 schemas reject out-of-range numbers', () => {
  it.each<[string, Key[], unknown]>([
    ['energy level above 100 %', ['energies', 0, 'level'], 100.5],
    ['negative energy level', ['energies', 0, 'level'], -1],
    ['negative autonomy', ['energies', 0, 'autonomy'], -5],
    ['fractional autonomy', ['energies', 0, 'autonomy'], 389.5],
    ['heading above 360°', ['lastPosition', 'properties', 'heading'], 361],
    ['fractional heading', ['lastPosition', 'properties', 'heading'], 12.5],
    ['longitude beyond 180°', ['lastPosition', 'geometry', 'coordinates', 0], 181],
    ['latitude beyond 90°', ['lastPosition', 'geometry', 'coordinates', 1], -91],
    ['oil level above 100 %', ['engines', 0, 'extension', 'thermic', 'oil', 'level'], 120],
    ['negative odometer', ['odometer', 'mileage'], -0.1],
    ['negative cumulative fuel', ['energies', 0, 'extension', 'fuel', 'consumptions', 'total'], -1],
  ])('status %s', (_name, path, value) => {
    expect(failedPaths(psaV4StatusSchema, setAt(fixture('status-thermic'), path, value))).toEqual([
      path.join('.'),
    ]);
  });

  it('charging rate and battery health', () => {
    const rate = ['extension', 'electric', 'charging', 'chargingRate'];
    expect(failedPaths(psaV4EnergySchema, setAt(fixture('energy-electric'), rate, 501))).toEqual([
      rate.join('.'),
    ]);
    const health = ['energies', 0, 'extension', 'electric', 'battery', 'health', 'capacity'];
    expect(failedPaths(psaV4StatusSchema, setAt(fixture('status-electric'), health, 101))).toEqual([
      health.join('.'),
    ]);
  });

  it('collection counters, trip distance and error codes', () => {
    expect(failedPaths(psaV4TripsSchema, setAt(fixture('trips'), ['total'], -1))).toEqual(['total']);
    expect(failedPaths(psaV4TripsSchema, setAt(fixture('trips'), ['currentPage'], 1.5))).toEqual([
      'currentPage',
    ]);
    const distance = ['_embedded', 'trips', 0, 'distance'];
    expect(failedPaths(psaV4TripsSchema, setAt(fixture('trips'), distance, -0.1))).toEqual([
      distance.join('.'),
    ]);
    expect(failedPaths(psaV4PortalErrorSchema, setAt(fixture('error-404'), ['code'], 404))).toEqual(['code']);
  });
});

describe('PSA v4 schemas reject a wrong coordinate arity', () => {
  it.each<[string, unknown]>([
    ['one number', [2.35]],
    ['four numbers', [2.35, 48.86, 35, 1]],
    ['an empty array', []],
    ['an object', { lon: 2.35, lat: 48.86 }],
  ])('%s', (_name, coordinates) => {
    const position = setAt(fixture('last-position'), ['geometry', 'coordinates'], coordinates);
    expect(failedPaths(psaV4PositionSchema, position)).toEqual(['geometry.coordinates']);
  });

  it('inside waypoints', () => {
    const path = ['_embedded', 'positions', 1, 'geometry', 'coordinates'];
    expect(failedPaths(psaV4WayPointsSchema, setAt(fixture('waypoints'), path, [2.35]))).toEqual([
      path.join('.'),
    ]);
  });
});

describe('PSA v4 schemas reject a missing required field', () => {
  it.each<[string, Key[]]>([
    ['status createdAt', ['createdAt']],
    ['status self link', ['_links', 'self']],
    ['energy createdAt', ['energies', 0, 'createdAt']],
    ['energy type', ['energies', 0, 'type']],
    ['ignition type', ['ignition', 'type']],
    ['kinetic createdAt', ['kinetic', 'createdAt']],
    ['position createdAt', ['lastPosition', 'properties', 'createdAt']],
    ['position geometry', ['lastPosition', 'geometry']],
    ['program enabled flag', ['preconditioning', 'airConditioning', 'programs', 0, 'enabled']],
    ['program start', ['preconditioning', 'airConditioning', 'programs', 0, 'start']],
  ])('status %s', (_name, path) => {
    expect(failedPaths(psaV4StatusSchema, deleteAt(fixture('status-thermic'), path))).toEqual([
      path.join('.'),
    ]);
  });

  it('alarm trigger start time', () => {
    const path = ['alarm', 'trigger', 'startAt'];
    expect(failedPaths(psaV4StatusSchema, deleteAt(fixture('status-electric'), path))).toEqual([
      path.join('.'),
    ]);
  });

  it('collection envelope fields', () => {
    expect(failedPaths(psaV4TripsSchema, deleteAt(fixture('trips'), ['total']))).toEqual(['total']);
    expect(failedPaths(psaV4TripsSchema, deleteAt(fixture('trips'), ['_embedded']))).toEqual(['_embedded']);
    expect(
      failedPaths(psaV4WayPointsSchema, deleteAt(fixture('waypoints'), ['_embedded', 'positions'])),
    ).toEqual(['_embedded.positions']);
  });

  it('ids, flags and links of items', () => {
    const tripId = ['_embedded', 'trips', 0, 'id'];
    expect(failedPaths(psaV4TripsSchema, deleteAt(fixture('trips'), tripId))).toEqual([tripId.join('.')]);
    const active = ['_embedded', 'alerts', 0, 'active'];
    expect(failedPaths(psaV4AlertsSchema, deleteAt(fixture('alerts'), active))).toEqual([active.join('.')]);
    const side = ['_embedded', 'Collisions', 0, 'details', 0, 'side'];
    expect(failedPaths(psaV4CollisionDetailSchema, { severity: 'Major' })).toEqual(['side']);
    expect(failedPaths(psaV4CollisionsSchema, deleteAt(fixture('collisions'), side))).toEqual([
      side.join('.'),
    ]);
    const selfLink = ['_embedded', 'vehicles', 0, '_links', 'self'];
    expect(failedPaths(psaV4VehiclesSchema, deleteAt(fixture('vehicles'), selfLink))).toEqual([
      selfLink.join('.'),
    ]);
    expect(failedPaths(psaV4TelemetrySchema, deleteAt(fixture('telemetry-full'), ['_links']))).toEqual([
      '_links',
    ]);
  });

  it('a remote capability the spec lists as required', () => {
    const door = ['_embedded', 'extension', 'onboardCapabilities', 'remote', 'door'];
    expect(failedPaths(psaV4VehicleSchema, deleteAt(fixture('vehicle-extended'), door))).toEqual([
      door.join('.'),
    ]);
  });

  it('maintenance with neither days nor mileage, in the resource and the telemetry extension', () => {
    const maintenance = deleteAt(deleteAt(fixture('maintenance'), ['daysBeforeMaintenance']), [
      'mileageBeforeMaintenance',
    ]);
    expect(failedPaths(psaV4MaintenanceSchema, maintenance)).toEqual(['(root)']);
    const extension = ['_embedded', 'extension', 'maintenance'];
    expect(failedPaths(psaV4TelemetrySchema, setAt(fixture('telemetry-full'), extension, {}))).toEqual([
      extension.join('.'),
    ]);
  });
});

describe('PSA v4 schemas reject dates that are not RFC 3339', () => {
  it.each<[string, unknown]>([
    ['a space instead of T', '2024-05-10 11:47:12Z'],
    ['no offset', '2024-05-10T11:47:12'],
    ['no seconds', '2024-05-10T11:47Z'],
    ['a date only', '2024-05-10'],
    ['a European date', '10/05/2024 11:47'],
    ['epoch seconds', 1715341632],
    ['an impossible day', '2024-02-30T11:47:12Z'],
  ])('status createdAt with %s', (_name, value) => {
    expect(failedPaths(psaV4StatusSchema, setAt(fixture('status-thermic'), ['createdAt'], value))).toEqual([
      'createdAt',
    ]);
  });

  it('accepts offsets and fractions, which RFC 3339 allows', () => {
    for (const value of ['2024-05-10T13:47:12+02:00', '2024-05-10T11:47:12.250Z']) {
      expect(failedPaths(psaV4StatusSchema, setAt(fixture('status-thermic'), ['createdAt'], value))).toEqual(
        [],
      );
    }
  });

  it('in nested objects, items and error bodies', () => {
    const startedAt = ['_embedded', 'trips', 0, 'startedAt'];
    expect(failedPaths(psaV4TripsSchema, setAt(fixture('trips'), startedAt, '2024-05-10'))).toEqual([
      startedAt.join('.'),
    ]);
    const load = ['extension', 'electric', 'battery', 'load', 'createdAt'];
    expect(failedPaths(psaV4EnergySchema, setAt(fixture('energy-electric'), load, 'yesterday'))).toEqual([
      load.join('.'),
    ]);
    expect(
      failedPaths(psaV4PortalErrorSchema, setAt(fixture('error-404'), ['timestamp'], '2024-05-10')),
    ).toEqual(['timestamp']);
  });

  it('and durations that are not ISO 8601', () => {
    const remaining = ['extension', 'electric', 'charging', 'remainingTime'];
    expect(failedPaths(psaV4EnergySchema, setAt(fixture('energy-electric'), remaining, '3h'))).toEqual([
      remaining.join('.'),
    ]);
  });
});

describe('PSA v4 schema types', () => {
  it('are inferred from the schemas', () => {
    expectTypeOf<PsaV4Status['createdAt']>().toEqualTypeOf<string>();
    expectTypeOf<'CoolantLevellow'>().toExtend<PsaV4AlertType>();
    expectTypeOf<'fuelLevelAlarm'>().toExtend<PsaV4AlertType>();
    expect(psaV4StatusSchema.shape.energy).toBeDefined();
  });
});
