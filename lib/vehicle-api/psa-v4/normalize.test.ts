import { describe, expect, it } from 'vitest';
import { validateVehicleData } from '../../telemetry/validate';
import alertsFixture from './__fixtures__/alerts.json';
import maintenanceFixture from './__fixtures__/maintenance.json';
import statusFixture from './__fixtures__/status-thermic.json';
import telemetriesFixture from './__fixtures__/telemetries.json';
import tripsFixture from './__fixtures__/trips.json';
import {
  chargingStateOf,
  mergeSamples,
  normalizeAlert,
  normalizeMaintenance,
  normalizeTrip,
  normalizeVehicle,
  statusSamples,
  statusSnapshots,
  telemetrySample,
} from './normalize';
import {
  psaV4AlertsSchema,
  psaV4MaintenanceSchema,
  psaV4StatusSchema,
  psaV4TelemetriesSchema,
  psaV4TripsSchema,
  psaV4VehicleSchema,
} from './schema';

// Mapping of the recorded v4 bodies, expectations worked out by hand from the JSON (units per
// vehicle-apis.md §5), not from the code's output.

const at = (iso: string) => Date.parse(iso);
const status = psaV4StatusSchema.parse(statusFixture);
const src = (ref: string) => ({ provider: 'psa-v4' as const, ref });

describe('status', () => {
  it('groups values by the instant each block was measured', () => {
    expect(statusSamples(status)).toEqual([
      // Ignition changed at key-on.
      { at: at('2024-05-10T11:30:02Z'), ignition: true, source: src('status') },
      // The kinetic block and the GPS fix share 11:46:58.
      {
        at: at('2024-05-10T11:46:58Z'),
        speedKmh: 47,
        accelerationMs2: 0.4,
        latitude: 48.8566,
        longitude: 2.3522,
        altitudeM: 35,
        headingDeg: 126,
        source: src('status'),
      },
      {
        at: at('2024-05-10T11:47:12Z'),
        odometerKm: 23517.4,
        fuelLevelPct: 42.5,
        // consumptions.instant is L/100 km, kept while the car moves (47 km/h).
        fuelConsumptionLPer100km: 6.1,
        engineRpm: 1850,
        coolantC: 88.5,
        outsideTempC: 18.5,
        source: src('status'),
      },
    ]);
  });

  it('leaves a position out when the car does not share it (never 0,0)', () => {
    const { lastPosition: _hidden, ...rest } = statusFixture;
    const samples = statusSamples(psaV4StatusSchema.parse(rest));
    for (const sample of samples) {
      expect(sample).not.toHaveProperty('latitude');
      expect(sample).not.toHaveProperty('longitude');
    }
  });

  it('keeps no instantaneous consumption at standstill (a display placeholder)', () => {
    const parked = psaV4StatusSchema.parse({
      ...statusFixture,
      kinetic: { createdAt: '2024-05-10T11:47:12Z', speed: 0, moving: false },
      energies: [
        {
          createdAt: '2024-05-10T11:47:12Z',
          type: 'Fuel',
          level: 40,
          extension: { fuel: { consumptions: { instant: 30 } } },
        },
      ],
    });
    const sample = statusSamples(parked).find((item) => item.at === at('2024-05-10T11:47:12Z'));
    expect(sample?.fuelLevelPct).toBe(40);
    expect(sample).not.toHaveProperty('fuelConsumptionLPer100km');
  });

  it('produces records the model accepts', () => {
    const { quarantined } = validateVehicleData({
      samples: statusSamples(status),
      trips: [],
      chargingSessions: [],
      alerts: [],
      maintenance: [],
      ecoEvaluations: [],
    });
    expect(quarantined).toEqual([]);
  });
});

describe('status snapshots (range and privacy)', () => {
  it('reads the fuel range in km and the privacy state, each at its own instant', () => {
    // status-thermic.json: energies[Fuel].autonomy 390 at 11:47:12, privacy None at 11:47:12.
    expect(statusSnapshots(status)).toEqual([
      { at: at('2024-05-10T11:47:12Z'), rangeKm: 390, source: src('status') },
      { at: at('2024-05-10T11:47:12Z'), privacy: 'none', source: src('status') },
    ]);
  });

  it('adds up the fuel and electric ranges of a plug-in hybrid, as old as the older of the two', () => {
    const hybrid = psaV4StatusSchema.parse({
      ...statusFixture,
      energies: [
        {
          createdAt: '2024-05-10T11:40:00Z',
          type: 'Fuel',
          subType: 'FossilEnergy',
          level: 50,
          autonomy: 420,
        },
        {
          createdAt: '2024-05-10T11:45:00Z',
          type: 'Electric',
          subType: 'ElectricEnergy',
          level: 80,
          autonomy: 45,
        },
      ],
      privacy: { createdAt: '2024-05-10T11:46:00Z', state: 'Geolocation' },
    });
    expect(statusSnapshots(hybrid)).toEqual([
      { at: at('2024-05-10T11:40:00Z'), rangeKm: 465, source: src('status') },
      { at: at('2024-05-10T11:46:00Z'), privacy: 'geolocation', source: src('status') },
    ]);
  });

  it('maps Full privacy and gives no range when no energy states one (nor a hydrogen one)', () => {
    const hidden = psaV4StatusSchema.parse({
      ...statusFixture,
      energies: [
        { createdAt: '2024-05-10T11:40:00Z', type: 'Fuel', subType: 'Hydrogen', level: 50, autonomy: 300 },
        { createdAt: '2024-05-10T11:40:00Z', type: 'Electric', level: 50 },
      ],
      privacy: { createdAt: '2024-05-10T11:46:00Z', state: 'Full' },
    });
    expect(statusSnapshots(hidden)).toEqual([
      { at: at('2024-05-10T11:46:00Z'), privacy: 'full', source: src('status') },
    ]);
    const { privacy: _none, energies: _no, energy: _legacy, ...bare } = statusFixture;
    expect(statusSnapshots(psaV4StatusSchema.parse(bare))).toEqual([]);
  });

  it('produces snapshots the model accepts', () => {
    const { quarantined, data } = validateVehicleData({
      samples: [],
      trips: [],
      chargingSessions: [],
      alerts: [],
      maintenance: [],
      ecoEvaluations: [],
      snapshots: statusSnapshots(status),
    });
    expect(quarantined).toEqual([]);
    expect(data.snapshots).toHaveLength(2);
  });
});

describe('charging state', () => {
  it.each([
    [{ status: 'InProgress', plugged: true }, 'charging'],
    [{ status: 'Finished', plugged: true }, 'finished'],
    [{ status: 'Failure', plugged: true }, 'failure'],
    [{ status: 'Stopped', plugged: true }, 'plugged'],
    [{ status: 'Disconnected', plugged: false }, 'disconnected'],
    [{ plugged: true }, 'plugged'],
    [{}, undefined],
  ] as const)('%o → %s', (charging, expected) => {
    expect(chargingStateOf(charging)).toBe(expected);
  });
});

describe('telemetry', () => {
  it('maps one message at its own createdAt, position from the location extension', () => {
    const message = psaV4TelemetriesSchema.parse(telemetriesFixture)._embedded.telemetries?.[0];
    if (!message) throw new Error('fixture has a message');
    expect(telemetrySample(message)).toEqual({
      at: at('2024-05-10T11:46:00Z'),
      speedKmh: 52,
      accelerationMs2: 0.2,
      fuelLevelPct: 42.6,
      fuelConsumptionLPer100km: 5.8,
      engineRpm: 2100,
      latitude: 48.857,
      longitude: 2.3501,
      headingDeg: 131,
      source: src('telemetry'),
    });
  });

  it('reads the gear from the gearbox ratio; reverse is left out', () => {
    const base = { createdAt: '2024-05-10T11:46:00Z', _links: { self: { href: 'x' } } };
    const gear = (ratio: string) =>
      telemetrySample(
        psaV4TelemetriesSchema.shape._embedded.shape.telemetries.unwrap().element.parse({
          ...base,
          vehicle: { transmission: { gearbox: { ratio } } },
        }),
      );
    expect(gear('Ratio4')?.gear).toBe(4);
    expect(gear('Neutral')?.gear).toBe(0);
    // Nothing else in that message: no sample at all rather than an empty one.
    expect(gear('Reverse')).toBeNull();
  });

  it('merges records of the same second, the first listed winning', () => {
    const t = at('2024-05-10T11:46:00Z');
    const merged = mergeSamples([
      { at: t, speedKmh: 52, source: src('telemetry') },
      { at: t - 1000, speedKmh: 50, source: src('telemetry') },
      { at: t, speedKmh: 51, odometerKm: 10, source: src('status') },
    ]);
    expect(merged).toEqual([
      { at: t - 1000, speedKmh: 50, source: src('telemetry') },
      { at: t, speedKmh: 52, odometerKm: 10, source: src('telemetry') },
    ]);
  });
});

describe('trips', () => {
  const trip = psaV4TripsSchema.parse(tripsFixture)._embedded.trips?.[0];
  if (!trip) throw new Error('fixture has a trip');

  it('maps units: cL of fuel → L, positions lon/lat swapped back', () => {
    expect(normalizeTrip(trip)).toEqual({
      providerTripId: '7788',
      startedAt: at('2024-05-10T11:30:02Z'),
      endedAt: at('2024-05-10T12:01:40Z'),
      distanceKm: 24.6,
      durationS: 1898,
      startOdometerKm: 23493.1,
      avgSpeedKmh: 46.7,
      maxSpeedKmh: 92,
      // 150 cL; consistent with avgConsumption 610 cL/100 km × 24.6 km = 150.06 cL.
      fuelUsedL: 1.5,
      startPosition: { latitude: 48.84, longitude: 2.3 },
      endPosition: { latitude: 48.86, longitude: 2.35 },
      source: src('trips/7788'),
    });
  });

  it('Wh of electricity → kWh; a trip under way has no end', () => {
    const electric = normalizeTrip({
      ...trip,
      done: false,
      energyConsumptions: [{ type: 'Electric', consumption: 3250, avgConsumption: 13_211 }],
    });
    expect(electric?.energyUsedKwh).toBe(3.25);
    expect(electric).not.toHaveProperty('fuelUsedL');
    expect(electric).not.toHaveProperty('endedAt');
  });

  it('keeps the faults the maker flags on a trip, once each, and none for a nominal trip', () => {
    const flagged = normalizeTrip({
      ...trip,
      faults: [
        { fault: 'DataLacking', cause: 'GeoPrivacy' },
        { fault: 'DataLacking', cause: 'Connection' },
        { fault: 'Unfinished' },
        { cause: 'Connection' },
      ],
    });
    expect(flagged?.faults).toEqual(['data_lacking', 'unfinished']);
    expect(normalizeTrip({ ...trip, faults: [] })).not.toHaveProperty('faults');
    expect(normalizeTrip(trip)).not.toHaveProperty('faults');
  });
});

describe('alerts, maintenance, vehicles', () => {
  it('maps an alert and its 4.17 severity', () => {
    const alert = psaV4AlertsSchema.parse(alertsFixture)._embedded.alerts?.[0];
    if (!alert) throw new Error('fixture has an alert');
    expect(normalizeAlert(alert)).toEqual({
      providerAlertId: '0a9de72cc3803b12a74418acd20dcd66',
      type: 'FuelLevelLow',
      severity: 'warning',
      active: true,
      startedAt: at('2024-05-09T17:02:11Z'),
      position: { latitude: 48.85, longitude: 2.29 },
      source: src('alerts/0a9de72cc3803b12a74418acd20dcd66'),
    });
    expect(normalizeAlert({ ...alert, severity: 'Critical' }).severity).toBe('critical');
    expect(normalizeAlert({ ...alert, severity: 'Information' }).severity).toBe('information');
    const ended = normalizeAlert({ ...alert, active: false, endAt: '2024-05-09T18:00:00Z' });
    expect(ended.endedAt).toBe(at('2024-05-09T18:00:00Z'));
  });

  it('maps maintenance counters', () => {
    expect(normalizeMaintenance(psaV4MaintenanceSchema.parse(maintenanceFixture))).toEqual({
      at: at('2024-05-10T08:00:00Z'),
      daysBeforeService: 45,
      kmBeforeService: 1239.6,
      source: src('maintenance'),
    });
  });

  it('maps a vehicle; Thermic says neither petrol nor diesel, so no powertrain', () => {
    const base = {
      id: 'abc',
      vin: 'VR3UHZKXZMT000001',
      brand: 'Peugeot',
      label: 'e-208',
      _links: { self: { href: 'x' } },
    };
    expect(normalizeVehicle(psaV4VehicleSchema.parse({ ...base, motorization: 'Electric' }))).toEqual({
      providerVehicleId: 'abc',
      vin: 'VR3UHZKXZMT000001',
      brand: 'Peugeot',
      model: 'e-208',
      powertrain: 'electric',
      source: src('user/vehicles'),
    });
    expect(
      normalizeVehicle(psaV4VehicleSchema.parse({ ...base, motorization: 'Thermic' })),
    ).not.toHaveProperty('powertrain');
    expect(normalizeVehicle(psaV4VehicleSchema.parse({ _links: { self: { href: 'x' } } }))).toBeNull();
  });
});
