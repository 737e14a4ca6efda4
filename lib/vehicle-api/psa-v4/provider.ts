import 'server-only';
import { z } from 'zod';
import { emptyVehicleData, type NormalizedVehicle, type Sample } from '../../telemetry/model';
import type {
  CarActivity,
  ProviderVehicleRef,
  SyncBatch,
  SyncCursor,
  VehicleDataProvider,
} from '../provider';
import type { PsaV4Client } from './client';
import {
  mergeSamples,
  normalizeAlert,
  normalizeMaintenance,
  normalizeTrip,
  normalizeVehicle,
  statusSamples,
  statusSnapshots,
  telemetrySample,
} from './normalize';
import type { PsaV4Alert, PsaV4Status, PsaV4Trip } from './schema';

// PSA Connected Car v4 as a VehicleDataProvider. One sync of one car, polled by the worker:
//   1. GET status (always: one request tells whether the car uploaded anything since last time);
//   2. only when it did (or a backlog remains): telemetry since the last message we have, and trips
//      since the last finished one — a sleeping car costs one request per poll;
//   3. alerts when the car uploaded or at least hourly; maintenance at most every 6 hours.
// The cursor holds a watermark per resource (the car's own timestamps, never our clock), so a
// repeated sync returns nothing twice and a sync after an outage fetches the whole gap. Telemetry
// is bounded per sync (`maxTelemetryPages`); what is left is fetched by the next sync
// (`telemetryBehind` in the cursor).

export type PsaV4ProviderOptions = {
  client: PsaV4Client;
  /** Our clock: only for "is the last upload stale" and the alert/maintenance cadences. */
  now?: () => number;
  /** How far back the first sync reaches (default 30 days: the cloud's history window). */
  backfillMs?: number;
  /** Telemetry pages per sync (default 5 × 2000 messages ≈ 2.8 h of driving). */
  maxTelemetryPages?: number;
  alertsEveryMs?: number;
  maintenanceEveryMs?: number;
  /** A status older than this no longer says what the car does now (default 10 min). */
  staleAfterMs?: number;
};

const HOUR_MS = 3_600_000;
export const PSA_V4_SYNC_DEFAULTS = {
  backfillMs: 30 * 24 * HOUR_MS,
  maxTelemetryPages: 5,
  alertsEveryMs: HOUR_MS,
  // The service counters move by whole days and hundreds of km.
  maintenanceEveryMs: 6 * HOUR_MS,
  // A driving car uploads every 30 s and a charging one every 5 min (docs/simulator.md, after the
  // PSA box's behaviour): 10 min without an upload means the box went to sleep.
  staleAfterMs: 10 * 60_000,
} as const;

const ms = z.number().int().nullable().catch(null);
const text = z.string().nullable().catch(null);

/** Our own cursor, read defensively: anything unreadable starts that resource over (a backfill). */
const cursorSchema = z.object({
  v: z.literal(1),
  statusAt: ms,
  telemetryAt: ms,
  telemetryBehind: z.number().int().catch(0),
  tripsAfter: ms,
  pendingTrip: text,
  alertsFrom: ms,
  alertsMark: text,
  alertsCheckedAt: ms,
  maintenanceAt: ms,
  maintenanceCheckedAt: ms,
  lastMeasuredAt: ms,
});
type PsaV4Cursor = z.infer<typeof cursorSchema>;

const EMPTY_CURSOR: PsaV4Cursor = {
  v: 1,
  statusAt: null,
  telemetryAt: null,
  telemetryBehind: 0,
  tripsAfter: null,
  pendingTrip: null,
  alertsFrom: null,
  alertsMark: null,
  alertsCheckedAt: null,
  maintenanceAt: null,
  maintenanceCheckedAt: null,
  lastMeasuredAt: null,
};

function readCursor(cursor: SyncCursor | null): PsaV4Cursor {
  const parsed = cursorSchema.safeParse(cursor);
  return parsed.success ? parsed.data : EMPTY_CURSOR;
}

const instant = (value: string) => Date.parse(value);
/** RFC 3339 at whole seconds (floored): ranges start inclusive, so nothing is skipped. */
const iso = (value: number) => new Date(Math.floor(value / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** What the status says the car is doing; a stale status means the box sleeps. */
export function activityOf(status: PsaV4Status | null, nowMs: number, staleAfterMs: number): CarActivity {
  if (!status) return 'unknown';
  if (nowMs - instant(status.createdAt) > staleAfterMs) return 'asleep';
  const ignition = status.ignition?.type;
  const powertrain = status.powertrain?.status;
  if (
    status.kinetic?.moving === true ||
    ignition === 'Start' ||
    ignition === 'StartUp' ||
    powertrain === 'Running' ||
    powertrain === 'Starting'
  ) {
    return 'driving';
  }
  const charging = status.energies?.some(
    (energy) => energy.type === 'Electric' && energy.extension?.electric?.charging?.status === 'InProgress',
  );
  return charging ? 'charging' : 'parked';
}

/** `updatedAt:id`, ordered: later updates, and at the same instant higher ids, come after. */
const alertKey = (alert: PsaV4Alert) => `${String(instant(alert.updatedAt)).padStart(15, '0')}:${alert.id}`;
/** A pending trip is re-sent only when it changed. */
const pendingKey = (trip: PsaV4Trip) => `${trip.id}@${trip.updatedAt ?? trip.createdAt}`;

export function createPsaV4Provider(options: PsaV4ProviderOptions): VehicleDataProvider {
  const { client } = options;
  const now = options.now ?? Date.now;
  const settings = { ...PSA_V4_SYNC_DEFAULTS, ...definedOnly(options) };

  return {
    provider: 'psa-v4',

    async listVehicles(): Promise<NormalizedVehicle[]> {
      const vehicles = await client.listVehicles();
      return vehicles.map(normalizeVehicle).filter((vehicle) => vehicle !== null);
    },

    async sync(vehicle: ProviderVehicleRef, given: SyncCursor | null): Promise<SyncBatch> {
      const id = vehicle.providerVehicleId;
      const cursor = readCursor(given);
      const next: PsaV4Cursor = { ...cursor };
      const data = emptyVehicleData();
      const ourNow = now();

      const status = await client.status(id);
      const statusAt = status ? instant(status.createdAt) : null;
      // The car's present as far as we know it: where a first sync counts its backfill from.
      const carNow = statusAt ?? ourNow;
      const backfillFrom = carNow - settings.backfillMs;
      const uploaded = statusAt !== null && (cursor.statusAt === null || statusAt > cursor.statusAt);

      const samples: Sample[] = [];
      if (uploaded && status) {
        const previous = cursor.statusAt;
        // Blocks not updated since the last status were delivered with it.
        samples.push(...statusSamples(status).filter((sample) => previous === null || sample.at > previous));
        // Range and privacy: the store keeps the newest of each, so a repeat is harmless.
        data.snapshots = statusSnapshots(status);
        next.statusAt = statusAt;
      }

      if (uploaded || cursor.telemetryBehind === 1 || cursor.telemetryAt === null) {
        const since = cursor.telemetryAt;
        const telemetry = await client.telemetry(id, {
          // From the last message we have, inclusive (its duplicate is dropped below): the API's
          // ranges are [from, to) at whole seconds, and `T/` reaches to the server's now.
          timestamps: [`${iso(since ?? backfillFrom)}/`],
          extensions: ['location'],
          maxPages: settings.maxTelemetryPages,
        });
        const fresh = telemetry.items
          .map(telemetrySample)
          .filter((sample) => sample !== null && (since === null || sample.at > since)) as Sample[];
        // Telemetry first: mergeSamples keeps its value when a status block has the same second.
        samples.unshift(...fresh);
        const last = fresh.reduce(
          (max, sample) => Math.max(max, sample.at),
          since ?? Number.NEGATIVE_INFINITY,
        );
        // Nothing yet: later syncs look from the backfill start, not from scratch every poll.
        next.telemetryAt = Number.isFinite(last) ? last : (since ?? backfillFrom - 1);
        next.telemetryBehind = telemetry.complete ? 0 : 1;
      }
      data.samples = mergeSamples(samples);

      if (uploaded || cursor.tripsAfter === null) {
        const after = cursor.tripsAfter;
        const trips = await client.trips(id, { timestamps: [`${iso(after ?? backfillFrom)}/`] });
        let pending: string | null = null;
        for (const trip of trips.items) {
          const normalized = normalizeTrip(trip);
          if (!normalized || (after !== null && normalized.startedAt <= after)) continue;
          if (normalized.endedAt === undefined) {
            pending = pendingKey(trip);
            if (pending !== cursor.pendingTrip) data.trips.push(normalized);
            continue;
          }
          data.trips.push(normalized);
          next.tripsAfter = Math.max(next.tripsAfter ?? Number.NEGATIVE_INFINITY, normalized.startedAt);
        }
        next.pendingTrip = pending;
        // Nothing finished yet: the next sync starts from the same point, not from the backfill again.
        next.tripsAfter ??= after ?? backfillFrom - 1;
      }

      if (
        uploaded ||
        cursor.alertsCheckedAt === null ||
        ourNow - cursor.alertsCheckedAt >= settings.alertsEveryMs
      ) {
        const from = cursor.alertsFrom ?? backfillFrom;
        const alerts = await client.alerts(id, { timestamps: [`${iso(from)}/`] });
        let mark = cursor.alertsMark;
        let nextFrom = from;
        let earliestActive = Number.POSITIVE_INFINITY;
        for (const alert of alerts.items) {
          const key = alertKey(alert);
          if (cursor.alertsMark === null || key > cursor.alertsMark) data.alerts.push(normalizeAlert(alert));
          if (mark === null || key > mark) mark = key;
          const started = instant(alert.startedAt);
          nextFrom = Math.max(nextFrom, started);
          if (alert.active) earliestActive = Math.min(earliestActive, started);
        }
        // An alert still on must be asked about again to see it end: the window starts at it.
        next.alertsFrom = Math.min(nextFrom, earliestActive);
        next.alertsMark = mark;
        next.alertsCheckedAt = ourNow;
        data.alerts.sort((a, b) => a.startedAt - b.startedAt);
      }

      if (
        cursor.maintenanceCheckedAt === null ||
        ourNow - cursor.maintenanceCheckedAt >= settings.maintenanceEveryMs
      ) {
        const maintenance = await client.maintenance(id);
        if (maintenance) {
          const record = normalizeMaintenance(maintenance);
          if (cursor.maintenanceAt === null || record.at > cursor.maintenanceAt) {
            data.maintenance.push(record);
            next.maintenanceAt = record.at;
          }
        }
        next.maintenanceCheckedAt = ourNow;
      }

      // The car's own measurements only: maintenance counters are the cloud's computation.
      const measured = [cursor.lastMeasuredAt, statusAt, ...data.samples.map((sample) => sample.at)].filter(
        (value): value is number => value !== null,
      );
      next.lastMeasuredAt = measured.length > 0 ? Math.max(...measured) : null;

      return {
        data,
        cursor: next,
        activity: activityOf(status, ourNow, settings.staleAfterMs),
        lastMeasuredAt: next.lastMeasuredAt,
        backlog: next.telemetryBehind === 1,
      };
    },
  };
}

/** The options that were given, so `undefined` does not override a default. */
function definedOnly(options: PsaV4ProviderOptions) {
  const { backfillMs, maxTelemetryPages, alertsEveryMs, maintenanceEveryMs, staleAfterMs } = options;
  return Object.fromEntries(
    Object.entries({ backfillMs, maxTelemetryPages, alertsEveryMs, maintenanceEveryMs, staleAfterMs }).filter(
      ([, value]) => value !== undefined,
    ),
  ) as Partial<typeof PSA_V4_SYNC_DEFAULTS>;
}
