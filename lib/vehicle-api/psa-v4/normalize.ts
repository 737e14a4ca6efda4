import 'server-only';
import type {
  Alert,
  AlertSeverity,
  ChargingStateName,
  Maintenance,
  NormalizedVehicle,
  Powertrain,
  PrivacyState,
  Sample,
  SampleField,
  Source,
  Trip,
  TripFault,
  VehicleSnapshot,
} from '../../telemetry/model';
import type {
  PsaV4Alert,
  PsaV4AlertSeverity,
  PsaV4EnergyBase,
  PsaV4EnergyCharging,
  PsaV4EngineBase,
  PsaV4Maintenance,
  PsaV4PositionBase,
  PsaV4Privacy,
  PsaV4Status,
  PsaV4Telemetry,
  PsaV4Trip,
  PsaV4Vehicle,
} from './schema';

// PSA Connected Car v4 resources → Kinetic's normalised model (lib/telemetry/model.ts), metric
// units, every record stamped with the time the CAR gives (`createdAt` of the block that holds the
// value, never the time we fetched it) and `source {provider: 'psa-v4', ref}`. Units, per
// vehicle-apis.md §5 and the data catalog:
//   speed km/h, acceleration m/s², odometer and mileage km, levels %, engine speed rpm, temperatures
//   °C, positions GeoJSON [lon, lat, alt m], heading degrees — all already metric, copied as they are;
//   fuel `consumptions.instant` / `consumption.consumption` L/100 km (kg/100 km for Hydrogen: dropped);
//   trip `energyConsumptions[].consumption` cL (fuel) or Wh (electric), the units of its
//   `avgConsumption` per 100 km (§5.8) → L and kWh;
//   trip duration s, distance km, kinetic avg/max speed km/h [infer: the spec states no unit].
// Not mapped: the electric `consumption` blocks (the spec's unit is "KW/H", not a consumption unit),
// `battery.voltage` (a 12 V battery health %, not a voltage).
// Privacy: a position the car did not share is absent — never 0,0 — and so are values of hidden blocks.

export const PROVIDER = 'psa-v4';

const source = (ref: string): Source => ({ provider: PROVIDER, ref });

/** RFC 3339 → epoch ms (the schemas have already checked the format). */
const instant = (text: string) => Date.parse(text);

/**
 * Below this speed a trip computer shows a placeholder (the display's maximum) for instantaneous
 * consumption, not a measurement; the model's field is consumption while moving.
 */
const MOVING_KMH = 1;

type Fields = Partial<Pick<Sample, SampleField>>;

// --- Vehicles ------------------------------------------------------------------------------------

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

/** 4.17 `motorization`. `Thermic` does not say petrol or diesel, and Hydrogen has no model value: absent. */
const POWERTRAIN: Partial<Record<NonNullable<PsaV4Vehicle['motorization']>, Powertrain>> = {
  Electric: 'electric',
  Hybrid: 'hybrid',
};

export function normalizeVehicle(vehicle: PsaV4Vehicle): NormalizedVehicle | null {
  if (!vehicle.id) return null;
  const branding = vehicle._embedded?.extension?.branding;
  const brand = branding?.brand ?? vehicle.brand;
  const model = branding?.label ?? vehicle.label;
  const powertrain = vehicle.motorization ? POWERTRAIN[vehicle.motorization] : undefined;
  const vin = vehicle.vin?.toUpperCase();
  return {
    providerVehicleId: vehicle.id,
    ...(vin && VIN.test(vin) ? { vin } : {}),
    ...(brand ? { brand } : {}),
    ...(model ? { model } : {}),
    ...(powertrain ? { powertrain } : {}),
    source: source('user/vehicles'),
  };
}

// --- Shared readings -----------------------------------------------------------------------------

/** EnergyCharging → the model's charging state (ChargingStatusEnum + `plugged`). */
export function chargingStateOf(charging: PsaV4EnergyCharging): ChargingStateName | undefined {
  switch (charging.status) {
    case 'InProgress':
      return 'charging';
    case 'Finished':
      return 'finished';
    case 'Failure':
      return 'failure';
    // Stopped: plugged in but not charging (a delayed start, or stopped by the owner).
    case 'Stopped':
    case 'Disconnected':
      return charging.plugged === true ? 'plugged' : 'disconnected';
    default:
      if (charging.plugged === undefined) return undefined;
      return charging.plugged ? 'plugged' : 'disconnected';
  }
}

/** Levels, consumption and charging of an `energies[]` list (status and telemetry share the fields). */
function energyFields(energies: readonly PsaV4EnergyBase[], speedKmh: number | undefined): Fields {
  const fields: Fields = {};
  for (const energy of energies) {
    if (energy.type === 'Fuel' && energy.subType !== 'Hydrogen') {
      if (energy.level !== undefined) fields.fuelLevelPct = energy.level;
      const fuel = energy.extension?.fuel;
      const consumption = fuel?.consumptions?.instant ?? fuel?.consumption?.consumption;
      if (consumption !== undefined && speedKmh !== undefined && speedKmh >= MOVING_KMH) {
        fields.fuelConsumptionLPer100km = consumption;
      }
    }
    if (energy.type === 'Electric') {
      if (energy.level !== undefined) fields.batteryLevelPct = energy.level;
      const charging = energy.extension?.electric?.charging;
      const state = charging ? chargingStateOf(charging) : undefined;
      if (state) fields.charging = state;
    }
  }
  return fields;
}

/** Engine speed: the combustion engine's when there is one, else the traction motor's (as v1 does). */
function engineFields(engines: readonly PsaV4EngineBase[]): Fields {
  const engine =
    engines.find((item) => item.type === 'Thermic') ?? engines.find((item) => item.type === 'Electric');
  const fields: Fields = {};
  if (engine?.speed !== undefined) fields.engineRpm = engine.speed;
  const coolant = engines.find((item) => item.type === 'Thermic')?.extension?.thermic?.coolant?.temp;
  if (coolant !== undefined) fields.coolantC = coolant;
  return fields;
}

/** A GeoJSON position's fields of a sample (absent altitude and heading stay absent). */
export function positionFields(position: PsaV4PositionBase): Fields {
  const [longitude, latitude, altitude] = position.geometry.coordinates;
  return {
    latitude,
    longitude,
    ...(altitude !== undefined ? { altitudeM: altitude } : {}),
    ...(position.properties.heading !== undefined ? { headingDeg: position.properties.heading } : {}),
  };
}

const GEAR: Record<string, number> = {
  Neutral: 0,
  Ratio1: 1,
  Ratio2: 2,
  Ratio3: 3,
  Ratio4: 4,
  Ratio5: 5,
  Ratio6: 6,
  Ratio7: 7,
  Ratio8: 8,
};

/** Ignition `Start`/`StartUp` = on, `Stop` = off. */
const ignitionOn = (type: 'Stop' | 'StartUp' | 'Start') => type !== 'Stop';

const hasFields = (fields: Fields) => Object.values(fields).some((value) => value !== undefined);

// --- Status --------------------------------------------------------------------------------------

/**
 * The status as samples. Each block carries its own `createdAt` (a parked car's position is its
 * last fix, its ignition changed at key-off…), so values are grouped by that time: one sample per
 * distinct instant, each value at the instant the car measured it.
 */
export function statusSamples(status: PsaV4Status): Sample[] {
  const groups = new Map<number, Fields>();
  const put = (createdAt: string | undefined, fields: Fields) => {
    if (createdAt === undefined || !hasFields(fields)) return;
    const at = instant(createdAt);
    groups.set(at, { ...groups.get(at), ...fields });
  };
  const speed = status.kinetic?.speed;
  const statusFields = (createdAt: string | undefined, fields: Fields) =>
    put(createdAt ?? status.createdAt, fields);

  if (status.kinetic) {
    const { createdAt, speed: kmh, acceleration } = status.kinetic;
    statusFields(createdAt, {
      ...(kmh !== undefined ? { speedKmh: kmh } : {}),
      ...(acceleration !== undefined ? { accelerationMs2: acceleration } : {}),
    });
  }
  if (status.odometer?.mileage !== undefined) {
    statusFields(status.odometer.createdAt, { odometerKm: status.odometer.mileage });
  }
  for (const energy of status.energies ?? []) statusFields(energy.createdAt, energyFields([energy], speed));
  const engines = status.engines ?? [];
  const engine =
    engines.find((item) => item.type === 'Thermic') ?? engines.find((item) => item.type === 'Electric');
  if (engine) statusFields(engine.createdAt, engineFields([engine]));
  if (status.ignition)
    statusFields(status.ignition.createdAt, { ignition: ignitionOn(status.ignition.type) });
  if (status.environment?.air?.temp !== undefined) {
    statusFields(status.environment.air.createdAt, { outsideTempC: status.environment.air.temp });
  }
  if (status.lastPosition) put(status.lastPosition.properties.createdAt, positionFields(status.lastPosition));

  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([at, fields]) => ({ at, ...fields, source: source('status') }));
}

/** 4.17 `privacy.state` → the model's privacy mode. */
const PRIVACY: Record<NonNullable<PsaV4Privacy['state']>, PrivacyState> = {
  None: 'none',
  Geolocation: 'geolocation',
  Full: 'full',
};

/**
 * The status's remaining range and privacy mode as snapshots (only the latest value of each is
 * kept). Range: the sum of `autonomy` (km) over the fuel and electric energies the car reports — a
 * plug-in hybrid's total — as of the OLDEST of their `createdAt`s, since the sum is only as fresh as
 * its oldest part. Hydrogen is left out as everywhere else. Privacy: `privacy.state` at its own time.
 */
export function statusSnapshots(status: PsaV4Status): VehicleSnapshot[] {
  const snapshots: VehicleSnapshot[] = [];
  const ranged = (status.energies ?? []).filter(
    (energy) =>
      energy.autonomy !== undefined &&
      (energy.type === 'Electric' || (energy.type === 'Fuel' && energy.subType !== 'Hydrogen')),
  );
  if (ranged.length > 0) {
    snapshots.push({
      at: Math.min(...ranged.map((energy) => instant(energy.createdAt))),
      rangeKm: ranged.reduce((sum, energy) => sum + (energy.autonomy ?? 0), 0),
      source: source('status'),
    });
  }
  const state = status.privacy?.state;
  if (status.privacy && state !== undefined) {
    snapshots.push({
      at: instant(status.privacy.createdAt),
      privacy: PRIVACY[state],
      source: source('status'),
    });
  }
  return snapshots;
}

// --- Telemetry -----------------------------------------------------------------------------------

/** One telemetry message as a sample at its `createdAt`; null when it has no time or nothing we keep. */
export function telemetrySample(message: PsaV4Telemetry): Sample | null {
  if (!message.createdAt) return null;
  const vehicle = message.vehicle;
  const speed = vehicle?.kinetic?.speed;
  const ratio = vehicle?.transmission?.gearbox?.ratio;
  const location = message._embedded?.extension?.location;
  const fields: Fields = {
    ...(speed !== undefined ? { speedKmh: speed } : {}),
    ...(vehicle?.kinetic?.acceleration !== undefined
      ? { accelerationMs2: vehicle.kinetic.acceleration }
      : {}),
    ...(vehicle?.odometer?.mileage !== undefined ? { odometerKm: vehicle.odometer.mileage } : {}),
    ...(vehicle?.energies ? energyFields(vehicle.energies, speed) : {}),
    ...(vehicle?.engines ? engineFields(vehicle.engines) : {}),
    // Reverse has no place on the model's 0…10 scale: left out rather than guessed.
    ...(ratio !== undefined && GEAR[ratio] !== undefined ? { gear: GEAR[ratio] } : {}),
    ...(vehicle?.ignition ? { ignition: ignitionOn(vehicle.ignition.type) } : {}),
    ...(message.environment?.air?.temp !== undefined ? { outsideTempC: message.environment.air.temp } : {}),
    ...(location ? positionFields(location) : {}),
  };
  if (!hasFields(fields)) return null;
  return { at: instant(message.createdAt), ...fields, source: source('telemetry') };
}

/**
 * Samples of one instant from several resources (a driving status and the telemetry message of the
 * same second) become one: fields are united, the earlier record's value wins on a conflict, so
 * callers list the finer source (telemetry) first.
 */
export function mergeSamples(samples: readonly Sample[]): Sample[] {
  const byAt = new Map<number, Sample>();
  for (const sample of samples) {
    const known = byAt.get(sample.at);
    byAt.set(sample.at, known ? { ...sample, ...known } : sample);
  }
  return [...byAt.values()].sort((a, b) => a.at - b.at);
}

// --- Trips ---------------------------------------------------------------------------------------

const point = (position: PsaV4Trip['startPosition']) => {
  if (!position) return undefined;
  const [longitude, latitude] = position.geometry.coordinates;
  return { latitude, longitude };
};

const TRIP_FAULT_NAMES: Record<'Unstarted' | 'DataLacking' | 'Unfinished', TripFault> = {
  Unstarted: 'unstarted',
  DataLacking: 'data_lacking',
  Unfinished: 'unfinished',
};

/** A trip; null when it has no start time (it cannot be placed). */
export function normalizeTrip(trip: PsaV4Trip): Trip | null {
  if (!trip.startedAt) return null;
  const fuel = trip.energyConsumptions?.find((item) => item.type === 'Fuel' && item.subType !== 'Hydrogen');
  const electric = trip.energyConsumptions?.find((item) => item.type === 'Electric');
  const start = point(trip.startPosition);
  const end = point(trip.stopPosition);
  // `done: false` is the trip under way: its stop time is not known yet.
  const endedAt = trip.done !== false && trip.stoppedAt ? instant(trip.stoppedAt) : undefined;
  const faults = [
    ...new Set((trip.faults ?? []).flatMap((item) => (item.fault ? [TRIP_FAULT_NAMES[item.fault]] : []))),
  ];
  return {
    providerTripId: trip.id,
    startedAt: instant(trip.startedAt),
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(trip.distance !== undefined ? { distanceKm: trip.distance } : {}),
    ...(trip.duration !== undefined ? { durationS: trip.duration } : {}),
    ...(trip.startMileage !== undefined ? { startOdometerKm: trip.startMileage } : {}),
    ...(trip.kinetic?.avgSpeed !== undefined ? { avgSpeedKmh: trip.kinetic.avgSpeed } : {}),
    ...(trip.kinetic?.maxSpeed !== undefined ? { maxSpeedKmh: trip.kinetic.maxSpeed } : {}),
    // cL → L and Wh → kWh (vehicle-apis.md §5.8).
    ...(fuel ? { fuelUsedL: fuel.consumption / 100 } : {}),
    ...(electric ? { energyUsedKwh: electric.consumption / 1000 } : {}),
    ...(start ? { startPosition: start } : {}),
    ...(end ? { endPosition: end } : {}),
    ...(faults.length > 0 ? { faults } : {}),
    source: source(`trips/${trip.id}`),
  };
}

// --- Alerts --------------------------------------------------------------------------------------

/**
 * 4.17 severity (vehicle-apis.md §5.7): Information = fix when convenient, Warning = fix as soon as
 * possible, Critical = do not drive before repair. An alert without one (optional in the schema) is
 * kept as a warning: dropping it would hide a fault, and calling it critical would cry wolf.
 */
const SEVERITY: Record<PsaV4AlertSeverity, AlertSeverity> = {
  Information: 'information',
  Warning: 'warning',
  Critical: 'critical',
};

export function normalizeAlert(alert: PsaV4Alert): Alert {
  const position = point(alert.startPosition);
  return {
    providerAlertId: alert.id,
    type: alert.type,
    severity: alert.severity ? SEVERITY[alert.severity] : 'warning',
    active: alert.active,
    startedAt: instant(alert.startedAt),
    ...(alert.endAt ? { endedAt: instant(alert.endAt) } : {}),
    ...(position ? { position } : {}),
    source: source(`alerts/${alert.id}`),
  };
}

// --- Maintenance ---------------------------------------------------------------------------------

export function normalizeMaintenance(maintenance: PsaV4Maintenance): Maintenance {
  return {
    at: instant(maintenance.createdAt),
    ...(maintenance.daysBeforeMaintenance !== undefined
      ? { daysBeforeService: maintenance.daysBeforeMaintenance }
      : {}),
    ...(maintenance.mileageBeforeMaintenance !== undefined
      ? { kmBeforeService: maintenance.mileageBeforeMaintenance }
      : {}),
    source: source('maintenance'),
  };
}
