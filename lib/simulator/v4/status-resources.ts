import type { SimContext } from '../context';
import {
  electricAutonomyKm,
  electricKwhPer100km,
  fuelAutonomyKm,
  instantFuelLPer100km,
  lifetimeFuelLitres,
} from '../fleet/energy-readings';
import { fogLampsOf, turnSignalAt } from '../fleet/lights';
import type { PrivacyState } from '../fleet/privacy';
import {
  type ChargingState,
  DAY_MS,
  type TripRecord,
  type VehicleState,
  type VehicleTimeline,
} from '../fleet/vehicle-timeline';
import { typicalOutsideTempC } from '../physics/climate';
import { coolantAfterParkC, coolantTempC, engineColdness } from '../physics/engine-map';
import { kinematicRpm } from '../physics/gearbox';
import { type DriveTrace, ENGINE_OFF } from '../physics/powertrain';
import { createRng, deriveSeed } from '../physics/random';
import { hasEngine, hasTractionBattery, type VehicleModel } from '../physics/vehicle-models';
import type { SimVehicle } from '../world/world';
import { positionFeature } from './geojson';
import { link, rfc3339 } from './hal';
import { vehicleUrl } from './resources';
import { isDaylight } from './telemetry-resources';
import { round1, tripPrivacy } from './trip-resources';

// The v4 `Status` (spec 4.17 components/schemas/Status, vehicle-apis.md §5.2–5.4, §6) and the
// car's last GPS fix, as the cloud holds them. The cloud only knows what the car's telematics box
// uploaded, and the box sleeps while the car is parked:
// - driving, it uploads every 30 s from key-on: the status is the trace at the latest such second;
// - at key-off it uploads once more, a few seconds after the trip's end, then sleeps: a parked car
//   reports the position, odometer and levels it had then, however long ago that was;
// - plugged in at home it wakes to report: at plug-in, every 5 min while energy flows, and at the
//   end of the charge.
// Everything is derived from the seed and the instant asked about, never from the clock.

/** Upload period while driving. */
export const DRIVING_UPLOAD_MS = 30_000;
/** Upload period while charging. */
export const CHARGING_UPLOAD_MS = 5 * 60_000;
/**
 * How long after a trip's end the timeline surely reports a charging session that followed it
 * (plugged in within minutes; sessions are known until the next day's first trip).
 */
const SESSION_PROBE_MS = 3_600_000;
/** How far back a car that has not driven for a month is searched for its last trip. */
const MAX_SEARCH_DAYS = 400;
const SEARCH_STEP_MS = 7 * DAY_MS;
/** PSA cars lock their doors once driven above 10 km/h (as the telemetry says). */
const AUTO_LOCK_KMH = 10;
const DOORS = ['Driver', 'Passenger', 'RearLeft', 'RearRight', 'Trunk'] as const;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const;
const WEEKEND = ['Sat', 'Sun'] as const;

export type UploadKind = 'driving' | 'parked' | 'charging';

/** The car's latest upload at some instant: what every status field describes. */
export type Upload = {
  /** When the box uploaded (the status `createdAt`). */
  atMs: number;
  kind: UploadKind;
  /** The timeline's state at `atMs`. */
  state: VehicleState;
  /** The trip under way (driving), or the last one before the car was parked. */
  trip: TripRecord;
  /** When the reported GPS fix was taken: the upload itself while driving, else the trip's end. */
  fixMs: number;
};

/** Seconds between key-off and the box's last upload: a few, drawn per trip. */
export function keyOffUploadMs(seed: string, vehicleId: string, tripEndMs: number): number {
  return createRng(deriveSeed(seed, vehicleId, 'key-off-upload', tripEndMs)).int(3, 12) * 1000;
}

/** The latest 30 s upload of a trip at or before `ms` (key-on is the first). */
function drivingUpload(timeline: VehicleTimeline, trip: TripRecord, ms: number): Upload {
  const last = Math.min(ms, trip.endMs - 1);
  const atMs = trip.startMs + Math.floor((last - trip.startMs) / DRIVING_UPLOAD_MS) * DRIVING_UPLOAD_MS;
  return { atMs, kind: 'driving', state: timeline.stateAt(atMs), trip, fixMs: atMs };
}

/** The trip that ended at `endMs` (the timeline's `lastTripEndMs`). */
function tripEndingAt(timeline: VehicleTimeline, endMs: number): TripRecord | null {
  return timeline.tripsBetween(endMs - DAY_MS, endMs).find((trip) => trip.endMs === endMs) ?? null;
}

/** The last trip ended by `nowMs` when the timeline no longer says (a month or more parked). */
function searchLastTrip(timeline: VehicleTimeline, nowMs: number, notBeforeMs: number): TripRecord | null {
  const limit = Math.max(notBeforeMs, nowMs - MAX_SEARCH_DAYS * DAY_MS);
  for (let toMs = nowMs; toMs > limit; toMs -= SEARCH_STEP_MS) {
    const ended = timeline
      .tripsBetween(Math.max(limit, toMs - SEARCH_STEP_MS), toMs)
      .filter((trip) => trip.endMs <= nowMs);
    const last = ended.at(-1);
    if (last) return last;
  }
  return null;
}

/** The uploads of a charging session made by `nowMs`: plug-in, progress every 5 min, end. */
function latestSessionUpload(session: ChargingState, plugDelayMs: number, nowMs: number): number | null {
  const uploads: number[] = [];
  if (session.pluggedAtMs + plugDelayMs <= nowMs) uploads.push(session.pluggedAtMs + plugDelayMs);
  if (nowMs >= session.startMs) {
    const last = Math.min(nowMs, session.endMs - 1);
    if (last >= session.startMs)
      uploads.push(
        session.startMs + Math.floor((last - session.startMs) / CHARGING_UPLOAD_MS) * CHARGING_UPLOAD_MS,
      );
  }
  if (nowMs >= session.endMs) uploads.push(session.endMs);
  return uploads.length > 0 ? Math.max(...uploads) : null;
}

/**
 * The car's latest upload at `nowMs`, or null when it has uploaded nothing since it joined the
 * connected service.
 */
export function lastUpload(ctx: SimContext, vehicle: SimVehicle, nowMs: number): Upload | null {
  const timeline = ctx.fleet.timelineOf(vehicle);
  const enrolledAtMs = ctx.fleet.enrolledAtMs(vehicle);
  const upload = uploadOf(ctx.world.seed, vehicle, timeline, nowMs, enrolledAtMs);
  return upload && upload.atMs >= enrolledAtMs ? upload : null;
}

function uploadOf(
  seed: string,
  vehicle: SimVehicle,
  timeline: VehicleTimeline,
  nowMs: number,
  enrolledAtMs: number,
): Upload | null {
  const now = timeline.stateAt(nowMs);
  if (now.moving) {
    const trip = timeline.tripsBetween(nowMs - DAY_MS, nowMs + 1).find(({ id }) => id === now.tripId);
    return trip ? drivingUpload(timeline, trip, nowMs) : null;
  }
  const trip =
    now.lastTripEndMs !== null
      ? tripEndingAt(timeline, now.lastTripEndMs)
      : searchLastTrip(timeline, nowMs, enrolledAtMs);
  if (!trip) return null;
  const delayMs = keyOffUploadMs(seed, vehicle.id, trip.endMs);
  const keyOffMs = trip.endMs + delayMs;
  // Key-off was moments ago: the box has not made its key-off upload yet, so the trip's last 30 s
  // one is the latest.
  if (nowMs < keyOffMs) return drivingUpload(timeline, trip, nowMs);
  // The timeline reports a session only until the next day: ask it at a time it surely does.
  const session = now.charging ?? timeline.stateAt(Math.min(nowMs, trip.endMs + SESSION_PROBE_MS)).charging;
  const sessionMs = session ? latestSessionUpload(session, delayMs, nowMs) : null;
  const atMs = sessionMs !== null && sessionMs > keyOffMs ? sessionMs : keyOffMs;
  return {
    atMs,
    kind: atMs === keyOffMs ? 'parked' : 'charging',
    state: timeline.stateAt(atMs),
    trip,
    fixMs: trip.endMs,
  };
}

/**
 * The in-car privacy mode the upload was made under: the trip's. The mode is switched in the car,
 * so it holds from a trip's start (as the trips endpoint says) until the next trip.
 */
export const uploadPrivacy = (seed: string, vehicle: SimVehicle, upload: Upload): PrivacyState =>
  tripPrivacy(seed, vehicle, upload.trip);

/** The GeoJSON Feature of the upload's GPS fix (`lastPosition`). */
export function lastPositionFeature(ctx: SimContext, vehicle: SimVehicle, upload: Upload) {
  const fix =
    upload.fixMs === upload.atMs ? upload.state : ctx.fleet.timelineOf(vehicle).stateAt(upload.fixMs);
  return positionFeature({
    lat: fix.lat,
    lon: fix.lon,
    headingDeg: fix.headingDeg,
    createdAtMs: upload.fixMs,
  });
}

// --- Formatting ----------------------------------------------------------------------------------

/** An ISO 8601 duration in whole minutes, rounded up (`PT1H23M`); `PT0S` for none. */
export function isoDuration(ms: number): string {
  const minutes = Math.ceil(Math.max(0, ms) / 60_000);
  if (minutes === 0) return 'PT0S';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${hours > 0 ? `${hours}H` : ''}${rest > 0 ? `${rest}M` : ''}`;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

// --- Readings ------------------------------------------------------------------------------------

/** What the box read from the car at its upload, beyond the timeline's state. */
type Reading = {
  trace: DriveTrace;
  /** Trace sample of a driving upload; null while parked. */
  index: number | null;
  outsideTempC: number;
  /** Coolant temperature (combustion engines). */
  coolantC: number;
};

function readingOf(timeline: VehicleTimeline, upload: Upload): Reading {
  const trace = timeline.traceOf(upload.trip);
  const outside = trace.outsideTempC;
  if (upload.kind === 'driving') {
    const index = Math.min(trace.speedKmh.length - 1, Math.round((upload.atMs - upload.trip.startMs) / 1000));
    // The coolant warms only while the engine runs (a hybrid driving electrically stays cold).
    let runningS = 0;
    for (let i = 0; i < index; i++) if (trace.engineMode[i] !== ENGINE_OFF) runningS++;
    return {
      trace,
      index,
      outsideTempC: outside,
      coolantC: coolantTempC(engineColdness(outside, outside, runningS)),
    };
  }
  // The key-off upload reads the trip's own air; a charging wake-up hours later reads the night's.
  const parkedMinutes = (upload.atMs - upload.trip.endMs) / 60_000;
  const date = new Date(upload.atMs);
  const air =
    upload.kind === 'parked'
      ? outside
      : typicalOutsideTempC(date, date.getUTCHours() * 60 + date.getUTCMinutes());
  const warm = trace.engineEndTempC ?? air;
  return { trace, index: null, outsideTempC: air, coolantC: coolantAfterParkC(air, parkedMinutes, warm) };
}

/** Engine oil from the coolant: it warms slower and settles hotter (≈ 98 °C against 90 °C). */
export function oilTempC(outsideC: number, coolantC: number): number {
  const warmth = Math.min(1, Math.max(0, (coolantC - outsideC) / Math.max(1, 90 - outsideC)));
  return outsideC + (98 - outsideC) * warmth ** 1.5;
}

/**
 * The engine oil and outside air temperatures (°C, one decimal) the car reported at an upload,
 * as its status gives them; oil is null without a combustion engine. For v1, which reports
 * them once per minute without building a whole status.
 */
export function uploadTemperatures(ctx: SimContext, vehicle: SimVehicle, upload: Upload) {
  const timeline = ctx.fleet.timelineOf(vehicle);
  const reading = readingOf(timeline, upload);
  return {
    oilC: hasEngine(timeline.model) ? round1(oilTempC(reading.outsideTempC, reading.coolantC)) : null,
    airC: round1(reading.outsideTempC),
  };
}

// --- Energies ------------------------------------------------------------------------------------

/** Electric consumption behind range figures (kWh per km), the one `autonomy` is computed with. */
function electricKwhPerKm(model: VehicleModel): number {
  return electricKwhPer100km(model) / 100;
}

/** Home chargers are AC wall boxes: 3.7 kW is Level1 … 22 kW Level4; DC fast charging Level5. */
function chargingPowerLevel(powerKw: number): string {
  if (powerKw <= 3.7) return 'Level1';
  if (powerKw <= 7.4) return 'Level2';
  if (powerKw <= 11) return 'Level3';
  if (powerKw <= 22) return 'Level4';
  return 'Level5';
}

/**
 * `extension.electric.charging` (EnergyCharging). A delayed (off-peak) start is reported as
 * `Stopped` with the time left until it starts; a car at home that was not plugged in is
 * `Disconnected`.
 */
function chargingOf(model: VehicleModel, charging: ChargingState | null, atMs: number) {
  if (!charging) {
    return {
      plugged: false,
      status: 'Disconnected',
      remainingTime: 'PT0S',
      chargingRate: 0,
      chargingMode: 'No',
    };
  }
  const type = charging.targetPct >= 100 ? 'Full' : 'Partial';
  if (charging.status === 'InProgress') {
    return {
      plugged: true,
      status: 'InProgress',
      remainingTime: isoDuration(charging.endMs - atMs),
      chargingRate: Math.min(500, Math.round(charging.powerKw / electricKwhPerKm(model))),
      chargingMode: 'Slow',
      chargingPowerLevel: chargingPowerLevel(charging.powerKw),
      type,
    };
  }
  return {
    plugged: true,
    status: charging.status === 'Waiting' ? 'Stopped' : 'Finished',
    remainingTime: 'PT0S',
    chargingRate: 0,
    chargingMode: 'No',
    ...(charging.status === 'Waiting' ? { nextDelayedTime: isoDuration(charging.startMs - atMs) } : {}),
    type,
  };
}

type CarFacts = {
  model: VehicleModel;
  /** Traction battery health (%), capacity and internal resistance. */
  healthCapacityPct: number;
  healthResistancePct: number;
  /** 12 V battery state of health (%), as the spec defines `battery.voltage`. */
  auxBatteryPct: number;
  coolantLevelPct: number;
  oilLevelPct: number;
};

function carFacts(seed: string, vehicle: SimVehicle, model: VehicleModel): CarFacts {
  const rng = createRng(deriveSeed(seed, vehicle.id, 'status-facts'));
  return {
    model,
    healthCapacityPct: rng.int(88, 99),
    healthResistancePct: rng.int(85, 99),
    auxBatteryPct: round1(rng.range(78, 97)),
    coolantLevelPct: rng.int(85, 100),
    oilLevelPct: rng.int(55, 95),
  };
}

function energiesOf(facts: CarFacts, upload: Upload, reading: Reading) {
  const { model } = facts;
  const at = rfc3339(upload.atMs);
  const { state } = upload;
  const energies: Record<string, unknown>[] = [];
  const legacy: Record<string, unknown>[] = [];
  if (state.fuelLevelPct !== null && hasEngine(model)) {
    const level = round1(state.fuelLevelPct);
    const autonomy = fuelAutonomyKm(model, level);
    const i = reading.index;
    const instant =
      i === null
        ? 0
        : instantFuelLPer100km(reading.trace.fuelRateLph[i] ?? 0, reading.trace.speedKmh[i] ?? 0);
    const totalCl = round1(lifetimeFuelLitres(model, state.odometerKm) * 100);
    energies.push({
      createdAt: at,
      updatedAt: at,
      type: 'Fuel',
      subType: 'FossilEnergy',
      level,
      autonomy,
      extension: { fuel: { consumptions: { total: totalCl, instant } } },
    });
    legacy.push({ createdAt: at, updatedAt: at, type: 'Fuel', level, autonomy, consumption: instant });
  }
  if (state.batteryLevelPct !== null && hasTractionBattery(model) && model.batteryKwh) {
    const level = round1(state.batteryLevelPct);
    const autonomy = electricAutonomyKm(model, level);
    const capacityWh = Math.round(model.batteryKwh * 1000);
    const residualWh = Math.round((capacityWh * level) / 100);
    const charging = chargingOf(model, state.charging, upload.atMs);
    const health = { capacity: facts.healthCapacityPct, resistance: facts.healthResistancePct };
    energies.push({
      createdAt: at,
      updatedAt: at,
      type: 'Electric',
      subType: 'ElectricEnergy',
      level,
      autonomy,
      extension: {
        electric: {
          battery: {
            load: { createdAt: at, capacity: capacityWh, residual: residualWh },
            health: { createdAt: at, ...health },
          },
          charging,
        },
      },
    });
    legacy.push({
      createdAt: at,
      updatedAt: at,
      type: 'Electric',
      level,
      autonomy,
      residual: round1(residualWh / 1000),
      battery: { capacity: capacityWh, health },
      charging,
    });
  }
  return { energies, legacy };
}

// --- Engines -------------------------------------------------------------------------------------

function enginesOf(facts: CarFacts, upload: Upload, reading: Reading) {
  const { model } = facts;
  const at = rfc3339(upload.atMs);
  const i = reading.index;
  const rpm = i === null ? 0 : Math.round(reading.trace.engineRpm[i] ?? 0);
  if (!hasEngine(model)) return [{ createdAt: at, type: 'Electric', speed: rpm }];
  const outside = reading.outsideTempC;
  const warmth = Math.min(1, Math.max(0, (reading.coolantC - outside) / Math.max(1, 90 - outside)));
  const thermic = {
    createdAt: at,
    type: 'Thermic',
    speed: rpm,
    extension: {
      thermic: {
        coolant: { level: facts.coolantLevelPct, temp: round1(reading.coolantC) },
        oil: { level: facts.oilLevelPct, temp: round1(oilTempC(outside, reading.coolantC)) },
        air: { temp: round1(outside + 10 * warmth) },
      },
    },
  };
  if (model.powertrain !== 'hybrid') return [thermic];
  // The hybrid's motor sits at the gearbox input: it turns with the wheels in the current gear.
  const gear = i === null ? 0 : (reading.trace.gear[i] ?? 0);
  const speedMs = i === null ? 0 : (reading.trace.speedKmh[i] ?? 0) / 3.6;
  const motorRpm = gear > 0 ? Math.round(kinematicRpm(model, gear, speedMs)) : 0;
  return [thermic, { createdAt: at, type: 'Electric', speed: motorRpm }];
}

// --- Lights --------------------------------------------------------------------------------------

/** The turn and fog lamps at a driving upload (fleet/lights.ts, as v1 reports them); off when parked. */
function lightingSystemOf(
  ctx: SimContext,
  vehicle: SimVehicle,
  upload: Upload,
  reading: Reading,
  at: string,
) {
  const i = reading.index;
  const timeline = ctx.fleet.timelineOf(vehicle);
  const signal = i === null ? null : turnSignalAt(timeline, upload.trip, reading.trace, i);
  const fog =
    i === null
      ? { front: false, rear: false }
      : fogLampsOf(ctx.world.seed, timeline, upload.trip, reading.trace);
  const status = (on: boolean) => (on ? 'On' : 'Off');
  return {
    createdAt: at,
    turn: ['Left', 'Right'].flatMap((direction) =>
      ['Front', 'Rear'].map((position) => ({
        direction,
        position,
        status: status(signal === direction.toLowerCase()),
      })),
    ),
    fog: [
      { position: 'Front', status: status(fog.front) },
      { position: 'Rear', status: status(fog.rear) },
    ],
  };
}

// --- Status --------------------------------------------------------------------------------------

function drivingModeOf(model: VehicleModel, aggressiveness: number): string {
  if (aggressiveness > 0.7) return 'Sport';
  if (model.powertrain === 'hybrid') return 'Hybrid';
  return aggressiveness < 0.3 ? 'Eco' : 'Normal';
}

/** `PT7H15M` for 07:15, as programs write their start. */
const clockDuration = (minute: number) => isoDuration(minute * 60_000);

/** Air-conditioning programs set in the car (the owner's, drawn once per car). */
function preconditioningPrograms(seed: string, vehicleId: string) {
  const rng = createRng(deriveSeed(seed, vehicleId, 'preconditioning-programs'));
  const programs: Record<string, unknown>[] = [];
  if (rng.chance(0.6)) {
    programs.push({
      enabled: true,
      slot: 1,
      recurrence: 'Daily',
      start: clockDuration(6 * 60 + 5 * rng.int(0, 21)),
      occurence: { day: [...WEEKDAYS] },
    });
  }
  if (rng.chance(0.3)) {
    programs.push({
      enabled: false,
      slot: programs.length + 1,
      recurrence: 'Daily',
      start: clockDuration(8 * 60 + 15 * rng.int(0, 12)),
      occurence: { day: [...WEEKEND] },
    });
  }
  return programs;
}

export type StatusOptions = {
  apiBase: string;
  /** `data:telemetry` granted: every telemetry-derived field. */
  telemetry: boolean;
  /** `data:position` granted. */
  position: boolean;
};

/**
 * The status body of an upload. Without `data:telemetry` only what no telemetry scope covers is
 * sent: the envelope, `service` (a property of the car) and, with `data:position`, `lastPosition`.
 * Privacy `Geolocation` hides the position; `Full` hides the position and the kinetic data.
 */
export function statusResource(ctx: SimContext, vehicle: SimVehicle, upload: Upload, options: StatusOptions) {
  const seed = ctx.world.seed;
  const timeline = ctx.fleet.timelineOf(vehicle);
  const model = timeline.model;
  const { state, trip } = upload;
  const at = rfc3339(upload.atMs);
  const self = vehicleUrl(options.apiBase, vehicle.id);
  const privacy = uploadPrivacy(seed, vehicle, upload);
  const driving = upload.kind === 'driving';
  const service = {
    createdAt: at,
    type: model.powertrain === 'electric' ? 'Electric' : model.powertrain === 'hybrid' ? 'Hybrid' : 'Unknown',
  };
  const envelope = {
    createdAt: at,
    updatedAt: at,
    _links: { self: link(`${self}/status?profile=endUser`), vehicle: link(self) },
    ...(options.position && privacy === 'None'
      ? { lastPosition: lastPositionFeature(ctx, vehicle, upload) }
      : {}),
  };
  if (!options.telemetry) return { ...envelope, service };

  const facts = carFacts(seed, vehicle, model);
  const reading = readingOf(timeline, upload);
  const i = reading.index;
  const speed = i === null ? 0 : (reading.trace.speedKmh[i] ?? 0);
  // Ignition, powertrain and alarm last changed at key-on (driving) or key-off (parked); the doors
  // lock themselves once the car first passes 10 km/h, and the owner locks them when leaving it.
  const changedAt = rfc3339(driving ? trip.startMs : trip.endMs);
  const lockIndex = reading.trace.speedKmh.findIndex((value) => value >= AUTO_LOCK_KMH);
  const lockedWhileDriving = i !== null && lockIndex >= 0 && i >= lockIndex;
  const locked = !driving || lockedWhileDriving;
  const doorsAt = lockedWhileDriving ? rfc3339(trip.startMs + lockIndex * 1000) : changedAt;
  const { energies, legacy } = energiesOf(facts, upload, reading);
  const preconditioning = hasTractionBattery(model)
    ? {
        airConditioning: {
          createdAt: at,
          updatedAt: at,
          status: 'Disabled',
          programs: preconditioningPrograms(seed, vehicle.id),
        },
      }
    : null;
  const aggressiveness = ctx.world.ownerAt(vehicle.ownerIndex).style.aggressiveness;

  return {
    ...envelope,
    energies,
    // Deprecated 4.0 twin of `energies`, still sent by the real servers (§0.6).
    energy: legacy,
    odometer: { createdAt: at, mileage: round1(state.odometerKm) },
    ...(privacy === 'Full'
      ? {}
      : {
          kinetic: {
            createdAt: at,
            acceleration: i === null ? 0 : round2(reading.trace.accelerationMs2[i] ?? 0),
            speed: round1(speed),
            moving: speed > 0.5,
          },
        }),
    ignition: { createdAt: changedAt, type: driving ? (i === 0 ? 'StartUp' : 'Start') : 'Stop' },
    engines: enginesOf(facts, upload, reading),
    powertrain: { createdAt: changedAt, status: driving ? 'Running' : 'Stopped' },
    battery: { createdAt: at, voltage: facts.auxBatteryPct },
    privacy: { createdAt: at, state: privacy },
    service,
    environment: {
      luminosity: { createdAt: at, day: isDaylight(upload.atMs, state.lat, state.lon) },
      air: { createdAt: at, temp: round1(reading.outsideTempC) },
    },
    doorsState: {
      createdAt: doorsAt,
      lockedStates: [locked ? 'Locked' : 'Unlocked'],
      opening: DOORS.map((identifier) => ({ identifier, state: 'Closed' })),
    },
    safety: {
      createdAt: at,
      beltStatus: [{ belt: 'Normal', id: 'Driver' }],
      autoECallTriggering: 'NotDetected',
    },
    drivingBehavior: { createdAt: at, mode: drivingModeOf(model, aggressiveness) },
    lightingSystem: lightingSystemOf(ctx, vehicle, upload, reading, at),
    // Armed when the owner locked the parked car; off while someone drives.
    alarm: { status: { createdAt: changedAt, activation: driving ? 'Inactive' : 'Active' } },
    ...(preconditioning
      ? {
          preconditioning,
          // Deprecated misspelt twin, still sent by the real servers (§0.6).
          preconditionning: preconditioning,
        }
      : {}),
  };
}
