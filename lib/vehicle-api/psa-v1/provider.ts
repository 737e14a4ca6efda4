import 'server-only';
import {
  type Alert,
  type EcoEvaluation,
  emptyVehicleData,
  type NormalizedVehicle,
  type Powertrain,
  type Trip,
} from '../../telemetry/model';
import type {
  CarActivity,
  ProviderVehicleRef,
  SyncBatch,
  SyncCursor,
  VehicleDataProvider,
} from '../provider';
import type { PsaV1BrandLetter, PsaV1Car, PsaV1Client } from './client';
import { PsaV1ConfigurationError, PsaV1NotFoundError } from './errors';
import {
  type AlertCodeIndex,
  alertCodeIndex,
  alertUpdatedAt,
  type CarTraits,
  collectEnvironment,
  collectLastPosition,
  collectMaintenanceReadings,
  collectRunningData,
  minuteEndOf,
  normalizeAlert,
  normalizeEcoTrip,
  normalizeMaintenance,
  normalizeTrip,
  SampleCollector,
  tripPositionFixes,
} from './normalize';
import type { PsaV1Maintenance, PsaV1MaintenanceAlert, PsaV1RunningData, PsaV1Trip } from './schema';
import { parsePsaV1Instant, psaV1Day } from './time';

// PSA v1 as a VehicleDataProvider. v1 has no account and no vehicle listing: the cars are the
// configured VIN + contract pairs (with the brand, which the labelled operations need). One sync of
// one car asks for:
// - the last sampled minute: running data, environment and last position (3 calls);
// - the trips that started since the cursor (`/trip/period` from the cursor's day: a gap after an
//   outage is fetched again), each with its positions, and their eco-driving evaluations by day
//   (`/ecodriving/evaluation/daytrips`: one call per day instead of one per trip);
// - the alerts on and ended (2 calls; the referential that maps their titles to codes is cached);
// - the maintenance counters (1 call).
// The cursor remembers what was already handed over (the minute, the newest trip, the last alert
// change, the maintenance reading), so a second sync returns nothing twice.

const DAY_MS = 86_400_000;

/**
 * How fresh the last minute must be for an engine turning in it to mean "driving now". A car reports
 * every 30 s while it drives (docs/simulator.md, "v1" Telemetry: the minute ends at the last report,
 * "every 30 s while driving"); two minutes allow a late upload and the poll's own delay. After that,
 * the minute describes a car that has stopped reporting: parked (key-off ends the reports).
 */
export const PSA_V1_DRIVING_FRESHNESS_MS = 120_000;
/** First sync: this many days back (the history the v1 cloud serves; docs/simulator.md, 30 by default). */
export const PSA_V1_BACKFILL_DAYS = 30;
/** Trips asked per `/trip/period` call; a fuller period is split in halves. */
const TRIP_PAGE = 100;
/** `from`…`to` may span at most a year (the simulator refuses more [infer from its 366-day limit]). */
const MAX_RANGE_DAYS = 366;
/** How long the alert referential is trusted: it is a catalogue that changes with API releases. */
const REFERENTIAL_TTL_MS = DAY_MS;

export type PsaV1Brand = 'peugeot' | 'citroen' | 'ds';

export type PsaV1VehicleConfig = {
  vin: string;
  contract: string;
  brand: PsaV1Brand;
  model?: string;
  /** When known; otherwise an electric car is recognised by answers without fuel readings. */
  powertrain?: Powertrain;
};

export type PsaV1ProviderOptions = {
  client: PsaV1Client;
  vehicles: readonly PsaV1VehicleConfig[];
  /** The clock (the first sync's backfill and the activity's freshness); Date.now by default. */
  now?: () => number;
  backfillDays?: number;
  /** Fetch each new trip's positions (default true): one call per trip. */
  tripPositions?: boolean;
};

const BRAND_NAMES: Record<PsaV1Brand, string> = { peugeot: 'Peugeot', citroen: 'Citroën', ds: 'DS' };
const BRAND_LETTERS: Record<PsaV1Brand, PsaV1BrandLetter> = { peugeot: 'P', citroen: 'C', ds: 'C' };

/** The cursor's fields (all nullable: a first sync has none). */
type V1Cursor = {
  /** End of the last sampled minute handed over. */
  minuteEndMs: number | null;
  /** Start and id of the newest trip handed over. */
  tripBeginMs: number | null;
  tripId: number | null;
  /** The latest alert change handed over, and the ids changed at that instant (comma-separated). */
  alertsMs: number | null;
  alertIds: string | null;
  /** The maintenance reading handed over. */
  maintenanceMs: number | null;
};

const num = (value: string | number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

function readCursor(cursor: SyncCursor | null): V1Cursor {
  return {
    minuteEndMs: num(cursor?.minuteEndMs),
    tripBeginMs: num(cursor?.tripBeginMs),
    tripId: num(cursor?.tripId),
    alertsMs: num(cursor?.alertsMs),
    alertIds: typeof cursor?.alertIds === 'string' ? cursor.alertIds : null,
    maintenanceMs: num(cursor?.maintenanceMs),
  };
}

/** null for a 404 (no such data for this car), the answer otherwise; other errors propagate. */
async function orNone<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof PsaV1NotFoundError) return null;
    throw error;
  }
}

const maxOf = (values: readonly (number | null | undefined)[]): number | null => {
  let max: number | null = null;
  for (const value of values) if (typeof value === 'number' && (max === null || value > max)) max = value;
  return max;
};

/** Whether the engine (an electric car's motor) turned at any second of the minute. */
const engineTurned = (running: PsaV1RunningData) =>
  Object.values(running.engineSpeed ?? {}).some((rpm) => rpm !== undefined && rpm > 0);

/**
 * Whether the car has a fuel tank: the configured powertrain when known; else the answers say it —
 * a fuel level or consumption in the running data, or a fuel block in maintenance, means a tank;
 * answers without any of them mean none (v1 leaves the fuel fields out for electric cars,
 * docs/simulator.md "v1"); no answer at all leaves it unknown.
 */
function hasTankOf(
  config: PsaV1VehicleConfig,
  running: PsaV1RunningData | null,
  maintenance: PsaV1Maintenance | null,
): boolean | undefined {
  if (config.powertrain !== undefined) return config.powertrain !== 'electric';
  if (running?.fuelLevel !== undefined || running?.instFuelConsumption !== undefined) return true;
  if (maintenance?.fuel !== undefined) return true;
  return running !== null || maintenance !== null ? false : undefined;
}

export function createPsaV1Provider(options: PsaV1ProviderOptions): VehicleDataProvider {
  const { client } = options;
  const now = options.now ?? Date.now;
  const backfillDays = options.backfillDays ?? PSA_V1_BACKFILL_DAYS;
  const withPositions = options.tripPositions ?? true;
  const referentials = new Map<PsaV1BrandLetter, { index: AlertCodeIndex; fetchedAt: number }>();

  function configOf(vehicle: ProviderVehicleRef): PsaV1VehicleConfig {
    const vin = vehicle.vin ?? vehicle.providerVehicleId;
    const config = options.vehicles.find((candidate) => candidate.vin === vin);
    if (!config) throw new PsaV1ConfigurationError('sync', null, `no configured v1 car has VIN ${vin}`);
    return vehicle.contract ? { ...config, contract: vehicle.contract } : config;
  }

  async function codesFor(brand: PsaV1BrandLetter): Promise<AlertCodeIndex> {
    const cached = referentials.get(brand);
    if (cached && now() - cached.fetchedAt < REFERENTIAL_TTL_MS) return cached.index;
    const index = alertCodeIndex(await client.alertReferential(brand));
    referentials.set(brand, { index, fetchedAt: now() });
    return index;
  }

  /** Every trip that started on the UTC days [fromDay, toDay] (epoch days), newest first. */
  async function tripsOfDays(car: PsaV1Car, fromDay: number, toDay: number): Promise<PsaV1Trip[]> {
    const range = { from: psaV1Day(fromDay * DAY_MS), to: psaV1Day(toDay * DAY_MS) };
    const page = await orNone(client.periodTrips(car, { ...range, limit: TRIP_PAGE }));
    if (!page) return [];
    const total = page.totalNumberTrips ?? page.trips.length;
    if (page.trips.length >= total) return page.trips;
    if (fromDay === toDay) {
      const whole = await client.periodTrips(car, { ...range, limit: total });
      return whole.trips;
    }
    const middle = Math.floor((fromDay + toDay) / 2);
    return [...(await tripsOfDays(car, middle + 1, toDay)), ...(await tripsOfDays(car, fromDay, middle))];
  }

  async function newTrips(car: PsaV1Car, cursor: V1Cursor, nowMs: number): Promise<PsaV1Trip[]> {
    const toDay = Math.floor(nowMs / DAY_MS);
    const sinceMs = cursor.tripBeginMs ?? nowMs - backfillDays * DAY_MS;
    const fromDay = Math.max(Math.floor(sinceMs / DAY_MS), toDay - MAX_RANGE_DAYS + 1);
    const seen = new Set<number>();
    const fresh: { trip: PsaV1Trip; beginMs: number }[] = [];
    for (const trip of await tripsOfDays(car, Math.min(fromDay, toDay), toDay)) {
      const beginMs = parsePsaV1Instant(trip.dateTripBegin);
      if (beginMs === null || seen.has(trip.tripId)) continue;
      seen.add(trip.tripId);
      const isNew =
        cursor.tripBeginMs === null ||
        beginMs > cursor.tripBeginMs ||
        (beginMs === cursor.tripBeginMs && trip.tripId !== cursor.tripId);
      if (isNew) fresh.push({ trip, beginMs });
    }
    return fresh
      .sort((a, b) => a.beginMs - b.beginMs || a.trip.tripId - b.trip.tripId)
      .map((entry) => entry.trip);
  }

  async function tripsWithEvaluations(
    car: PsaV1Car,
    trips: readonly PsaV1Trip[],
    traits: CarTraits,
    samples: SampleCollector,
  ) {
    const normalized: Trip[] = [];
    for (const trip of trips) {
      const beginMs = parsePsaV1Instant(trip.dateTripBegin) ?? 0;
      const blocks = withPositions ? await orNone(client.tripPositions(car, trip.tripId)) : null;
      const fixes = blocks ? tripPositionFixes(blocks, beginMs) : [];
      const ref = `place/positions/trip/${trip.tripId}`;
      for (const { at, ...fields } of fixes) samples.put(at, fields, ref);
      const result = normalizeTrip(trip, traits, fixes);
      if (result) normalized.push(result);
    }
    const endOf = new Map(normalized.map((trip) => [trip.providerTripId, trip.endedAt ?? null]));
    const days = [...new Set(trips.map((trip) => psaV1Day(parsePsaV1Instant(trip.dateTripBegin) ?? 0)))];
    const evaluations: EcoEvaluation[] = [];
    for (const day of days) {
      for (const evaluation of (await orNone(client.ecoDayTrips(car, day))) ?? []) {
        const id = String(evaluation.tripId);
        if (!endOf.has(id)) continue;
        const result = normalizeEcoTrip(evaluation, traits, endOf.get(id) ?? null);
        if (result) evaluations.push(result);
      }
    }
    return { trips: normalized, evaluations };
  }

  async function changedAlerts(car: PsaV1Car, cursor: V1Cursor) {
    // Not `orNone`: a list answers an existing car with an empty list, so a 404 here means the
    // VIN + contract names no car of this key, which the worker must hear about (v1 answers the same
    // 404 for "no such car" and "no data yet" on the other operations).
    const [on, ended] = await Promise.all([client.alerts(car, true), client.alerts(car, false)]);
    const seenIds = new Set((cursor.alertIds ?? '').split(',').filter(Boolean));
    const byId = new Map<string, { item: PsaV1MaintenanceAlert; updatedMs: number }>();
    for (const item of [...on.listAlert, ...ended.listAlert]) {
      const updatedMs = alertUpdatedAt(item);
      if (updatedMs === null) continue;
      const isNew =
        cursor.alertsMs === null ||
        updatedMs > cursor.alertsMs ||
        (updatedMs === cursor.alertsMs && !seenIds.has(item.idAlert));
      const known = byId.get(item.idAlert);
      if (isNew && (!known || updatedMs > known.updatedMs)) byId.set(item.idAlert, { item, updatedMs });
    }
    const changed = [...byId.values()];
    const alerts: Alert[] = [];
    if (changed.length > 0) {
      const codes = await codesFor(car.brand);
      for (const { item } of changed) {
        const alert = normalizeAlert(item, car.vin, codes);
        if (alert) alerts.push(alert);
      }
    }
    const latest = maxOf(changed.map((entry) => entry.updatedMs));
    let alertsMs = cursor.alertsMs;
    let alertIds = cursor.alertIds;
    if (latest !== null) {
      const atLatest = changed
        .filter((entry) => entry.updatedMs === latest)
        .map((entry) => entry.item.idAlert);
      const carried = latest === cursor.alertsMs ? [...seenIds] : [];
      alertsMs = latest;
      alertIds = [...new Set([...carried, ...atLatest])].join(',');
    }
    return { alerts, alertsMs, alertIds };
  }

  return {
    provider: 'psa-v1',

    async listVehicles(): Promise<NormalizedVehicle[]> {
      return options.vehicles.map((vehicle) => ({
        providerVehicleId: vehicle.vin,
        vin: vehicle.vin,
        brand: BRAND_NAMES[vehicle.brand],
        ...(vehicle.model ? { model: vehicle.model } : {}),
        ...(vehicle.powertrain ? { powertrain: vehicle.powertrain } : {}),
        source: { provider: 'psa-v1', ref: 'configuration' },
      }));
    },

    async sync(vehicle: ProviderVehicleRef, rawCursor: SyncCursor | null): Promise<SyncBatch> {
      const config = configOf(vehicle);
      const car: PsaV1Car = {
        vin: config.vin,
        contract: config.contract,
        brand: BRAND_LETTERS[config.brand],
      };
      const cursor = readCursor(rawCursor);
      const nowMs = now();
      const data = emptyVehicleData();
      const samples = new SampleCollector();

      // The last sampled minute. Running data states no `lastUpdate` in the spec: its minute is the
      // one the environment and last position answers date (the same last report).
      const [running, environment, position, maintenance] = await Promise.all([
        orNone(client.runningData(car)),
        orNone(client.environment(car)),
        orNone(client.lastPosition(car)),
        orNone(client.maintenance(car)),
      ]);
      const minuteEndMs =
        (running && minuteEndOf(running)) ??
        (environment && minuteEndOf(environment)) ??
        (position && minuteEndOf(position)) ??
        null;
      const traits: CarTraits = { hasTank: hasTankOf(config, running, maintenance) };
      const freshMinute =
        minuteEndMs !== null && (cursor.minuteEndMs === null || minuteEndMs > cursor.minuteEndMs);
      if (freshMinute) {
        if (running) collectRunningData(samples, running, minuteEndMs, traits, `running/data/${car.vin}`);
        if (environment) {
          collectEnvironment(
            samples,
            environment,
            minuteEndOf(environment) ?? minuteEndMs,
            `environment/get/${car.vin}`,
          );
        }
        if (position) {
          collectLastPosition(
            samples,
            position,
            minuteEndOf(position) ?? minuteEndMs,
            `place/lastposition/${car.vin}`,
          );
        }
      }

      // Maintenance: the service counters, and the odometer and fuel level of the same report.
      const maintenanceRecord = maintenance ? normalizeMaintenance(maintenance, minuteEndMs) : null;
      const freshMaintenance =
        maintenanceRecord !== null &&
        (cursor.maintenanceMs === null || maintenanceRecord.at > cursor.maintenanceMs);
      if (maintenance && maintenanceRecord && freshMaintenance) {
        data.maintenance.push(maintenanceRecord);
        collectMaintenanceReadings(samples, maintenance, `maintenance/${car.vin}`);
      }

      const trips = await newTrips(car, cursor, nowMs);
      const withEvaluations = await tripsWithEvaluations(car, trips, traits, samples);
      data.trips.push(...withEvaluations.trips);
      data.ecoEvaluations.push(...withEvaluations.evaluations);

      const alerts = await changedAlerts(car, cursor);
      data.alerts.push(...alerts.alerts);
      data.samples.push(...samples.samples());

      const newest = trips.at(-1);
      const nextCursor: V1Cursor = {
        minuteEndMs: maxOf([cursor.minuteEndMs, minuteEndMs]),
        tripBeginMs: newest ? parsePsaV1Instant(newest.dateTripBegin) : cursor.tripBeginMs,
        tripId: newest ? newest.tripId : cursor.tripId,
        alertsMs: alerts.alertsMs,
        alertIds: alerts.alertIds,
        maintenanceMs: freshMaintenance && maintenanceRecord ? maintenanceRecord.at : cursor.maintenanceMs,
      };

      let activity: CarActivity = 'unknown';
      if (minuteEndMs !== null) {
        const fresh = nowMs - minuteEndMs <= PSA_V1_DRIVING_FRESHNESS_MS;
        activity = fresh && running !== null && engineTurned(running) ? 'driving' : 'parked';
      }

      const lastMeasuredAt = maxOf([
        minuteEndMs,
        ...data.samples.map((sample) => sample.at),
        ...data.trips.map((trip) => trip.endedAt ?? trip.startedAt),
        ...data.maintenance.map((record) => record.at),
        ...data.alerts.map((alert) => alert.endedAt ?? alert.startedAt),
        ...data.ecoEvaluations.map((evaluation) => evaluation.at),
      ]);
      return { data, cursor: nextCursor, activity, lastMeasuredAt };
    },
  };
}
