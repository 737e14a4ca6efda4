import 'server-only';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { getCarAccountStatuses } from '../db/queries/car-accounts';
import { refreshStaleStandings, snapshotBoards } from '../db/queries/standings';
import {
  type LeasedVehicle,
  leaseDueVehicles,
  recordSyncFailure,
  recordSyncResult,
  releaseLease,
  sanitizeSyncError,
} from '../db/queries/sync-state';
import { scorePendingTrips } from '../db/queries/trip-scores';
import { storeVehicleData } from '../db/queries/vehicle-data';
import type { Database } from '../db/schema';
import { processPendingWebhookEvents, pruneWebhookEvents } from '../ingest/webhooks/process';
import { validateVehicleData } from '../telemetry/validate';
import { UpstreamCircuitOpenError, UpstreamRateLimitedError } from '../vehicle-api/http/resilient';
import { type ProviderVehicleRef, ReauthorizationNeededError } from '../vehicle-api/provider';
import { BACKLOG_DELAY_MS, failureBackoffDelay, nextSyncDelay } from './cadence';
import type { AccountRef, ProviderFactory } from './providers';
import { createStopSignal } from './stop-signal';

// The sync worker: lease the cars that are due (each car to one worker at a time — SKIP LOCKED on
// PostgreSQL, the write lock on SQLite; lib/db/queries/car-accounts.ts), sync each through its
// account's provider, validate, store (quarantining what fails validation), and record the new
// cursor with the next sync time from the car's activity (cadence.ts). The cursor is written after
// the data: a crash in between re-fetches the same records next time, which the natural keys make
// harmless, and nothing acknowledged is ever skipped.
//
// Failures reschedule the car, never drop it:
// - 429 beyond what the HTTP layer waits in-line, or an open circuit: at the provider's retry time;
// - the account needs re-authorisation (the token store already marked it): the account's cars are
//   no longer leased (leaseDueVehicles leases active accounts only) until the owner links again —
//   its other cars in the same pass are skipped without a request;
// - anything else (5xx, timeouts, network, malformed answers): capped exponential backoff with full
//   jitter on the car's failure count.
// Errors are logged and stored sanitised (sanitizeSyncError): no tokens, keys or query strings.

export type SyncWorkerOptions = {
  db: Kysely<Database>;
  providers: ProviderFactory;
  workerId?: string;
  /** The worker's clock (the schedule); real time in production. */
  now?: () => number;
  random?: () => number;
  /** Cars leased per pass (default 16: twice the lanes, see WORKER_DEFAULTS). */
  batchSize?: number;
  /** Cars synced at once (default 8, the resilient layer's per-provider concurrency). */
  concurrency?: number;
  /** How long a lease holds (default 5 min): a crashed worker's cars are taken over after it. */
  leaseMs?: number;
  /** Pause after a pass that found nothing due (default 1 s). */
  idleMs?: number;
  log?: (line: string) => void;
};

export type PassResult = {
  leased: number;
  synced: number;
  failed: number;
  rateLimited: number;
  reauthorization: number;
  /** Leases given back unsynced because the worker is stopping. */
  released: number;
};

export type SyncWorker = {
  readonly workerId: string;
  /** One pass: lease a batch and sync it. */
  runOnce(): Promise<PassResult>;
  /** Passes until stop(). */
  run(): Promise<void>;
  /** Stops leasing, lets in-flight syncs finish and record, gives back the rest; resolves when done. */
  stop(): Promise<void>;
};

const WEBHOOK_EVENTS_PER_PASS = 200;
const WEBHOOK_PRUNE_EVERY_MS = 3_600_000;
/**
 * Trips scored per round (lib/db/queries/trip-scores.ts), one round every 2 s at most: a backlog
 * (a first sync, new formulas) drains at about 50 trips a second, a fifth of a core here, instead
 * of taking a whole core away from the app and the syncs.
 */
const TRIPS_SCORED_PER_ROUND = 100;
/** Standings computed per round: one car's 30 days of trip scores each, a few ms. */
const STANDINGS_PER_ROUND = 500;
const SCORING_EVERY_MS = 2_000;

export const WORKER_DEFAULTS = {
  // Twice the lanes: enough to keep every lane busy through a pass, few enough that a second
  // worker finds cars due. Leasing 50 while syncing 8 let the first worker hold every due car of
  // a small fleet for a whole pass while the others idled (the scale-out test saw 42 of 42 syncs
  // go to one worker of two).
  batchSize: 16,
  concurrency: 8,
  leaseMs: 5 * 60_000,
  idleMs: 1_000,
} as const;

type Outcome = 'synced' | 'failed' | 'rateLimited' | 'reauthorization' | 'released';

export function createSyncWorker(options: SyncWorkerOptions): SyncWorker {
  const { db, providers } = options;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? WORKER_DEFAULTS.batchSize;
  const concurrency = options.concurrency ?? WORKER_DEFAULTS.concurrency;
  const leaseMs = options.leaseMs ?? WORKER_DEFAULTS.leaseMs;
  const idleMs = options.idleMs ?? WORKER_DEFAULTS.idleMs;
  const log = options.log ?? ((line: string) => console.log(line));

  const signal = createStopSignal();
  let running: Promise<void> | null = null;

  async function loadAccounts(ids: string[]): Promise<Map<string, AccountRef & { status: string }>> {
    const rows = await getCarAccountStatuses(db, ids);
    return new Map(rows.map((row) => [row.id, row]));
  }

  async function fail(car: LeasedVehicle, error: string, nextSyncAt: number): Promise<void> {
    await recordSyncFailure(db, workerId, {
      vehicleId: car.vehicleId,
      provider: car.provider,
      error,
      nextSyncAt,
    });
  }

  async function syncOne(
    car: LeasedVehicle,
    account: (AccountRef & { status: string }) | undefined,
    reauthorization: Set<string>,
  ): Promise<Outcome> {
    if (account?.status !== 'active' || reauthorization.has(car.carAccountId)) {
      // Not leasable again until the owner links the account anew; then it syncs at once.
      await fail(car, 'the car account needs re-authorisation', now());
      return 'reauthorization';
    }
    try {
      const provider = providers.forAccount(account);
      const ref: ProviderVehicleRef = {
        providerVehicleId: car.providerVehicleId,
        ...(car.vin ? { vin: car.vin } : {}),
        ...(car.contract ? { contract: car.contract } : {}),
      };
      const batch = await provider.sync(ref, car.cursor);
      const { data, quarantined } = validateVehicleData(batch.data);
      const syncedAt = now();
      await storeVehicleData(db, car.vehicleId, data, quarantined, syncedAt);
      const recorded = await recordSyncResult(db, workerId, {
        vehicleId: car.vehicleId,
        provider: car.provider,
        cursor: batch.cursor,
        activity: batch.activity,
        lastMeasuredAt: batch.lastMeasuredAt,
        nextSyncAt: syncedAt + (batch.backlog ? BACKLOG_DELAY_MS : nextSyncDelay(batch.activity, car)),
        now: syncedAt,
        backlog: batch.backlog === true,
      });
      // Lost the lease (stalled past it): the data is stored (idempotent), the other worker's
      // cursor stands.
      if (!recorded) log(`[worker] lease of ${car.vehicleId} was taken over; its result was not recorded`);
      return 'synced';
    } catch (error) {
      const message = sanitizeSyncError(
        error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      );
      if (error instanceof ReauthorizationNeededError) {
        reauthorization.add(car.carAccountId);
        providers.forget(car.carAccountId);
        log(`[worker] account ${car.carAccountId} needs re-authorisation; its cars wait for the owner`);
        await fail(car, message, now());
        return 'reauthorization';
      }
      if (error instanceof UpstreamRateLimitedError || error instanceof UpstreamCircuitOpenError) {
        await fail(car, message, Math.max(error.retryAt, now()));
        return 'rateLimited';
      }
      const delay = failureBackoffDelay(car.failures, random);
      log(`[worker] sync of ${car.vehicleId} failed (${message}); retry in ${Math.round(delay / 1000)} s`);
      await fail(car, message, now() + delay);
      return 'failed';
    }
  }

  async function runOnce(): Promise<PassResult> {
    const result: PassResult = {
      leased: 0,
      synced: 0,
      failed: 0,
      rateLimited: 0,
      reauthorization: 0,
      released: 0,
    };
    if (signal.stopped) return result;
    const cars = await leaseDueVehicles(db, workerId, now(), leaseMs, batchSize);
    result.leased = cars.length;
    if (cars.length === 0) return result;
    const accounts = await loadAccounts([...new Set(cars.map((car) => car.carAccountId))]);
    const reauthorization = new Set<string>();
    let next = 0;
    const lane = async () => {
      while (next < cars.length) {
        const car = cars[next++] as LeasedVehicle;
        let outcome: Outcome;
        if (signal.stopped) {
          await releaseLease(db, workerId, car.vehicleId, car.provider);
          outcome = 'released';
        } else {
          outcome = await syncOne(car, accounts.get(car.carAccountId), reauthorization);
        }
        result[outcome]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, cars.length) }, lane));
    return result;
  }

  /**
   * The webhook receiver stores events and answers at once (app/api/webhooks/psa); each pass applies
   * the stored ones (exactly once, whichever worker claims them) and, now and then, drops settled
   * events older than the replay window.
   */
  let prunedAt = 0;
  async function applyWebhookEvents(): Promise<void> {
    try {
      const result = await processPendingWebhookEvents(db, WEBHOOK_EVENTS_PER_PASS, { now: now() });
      if (result.failed > 0) log(`[worker] webhooks: ${result.done} applied, ${result.failed} failed`);
      if (now() - prunedAt > WEBHOOK_PRUNE_EVERY_MS) {
        prunedAt = now();
        await pruneWebhookEvents(db, now());
      }
    } catch (error) {
      log(`[worker] webhooks: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`);
    }
  }

  /**
   * Finished trips are scored after the passes that stored them, not inside the write: scoring
   * reads every reading of the trip again, and the write lock should not wait for it.
   */
  let scoredAt = Number.NEGATIVE_INFINITY;
  async function scoreTrips(): Promise<void> {
    if (now() - scoredAt < SCORING_EVERY_MS) return;
    scoredAt = now();
    try {
      const scored = await scorePendingTrips(db, {
        limit: TRIPS_SCORED_PER_ROUND,
        now: now(),
        // One trip that cannot be scored must not hold back every owner's scores behind it.
        onError: (tripId, error) =>
          log(
            `[worker] scoring trip ${tripId}: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
          ),
      });
      const refreshed = await refreshStaleStandings(db, { now: now(), limit: STANDINGS_PER_ROUND });
      // The daily copy of the bins waits for the backlog: a copy taken halfway through would be
      // kept as that day's for good.
      if (scored < TRIPS_SCORED_PER_ROUND && refreshed < STANDINGS_PER_ROUND) await snapshotBoards(db, now());
    } catch (error) {
      log(`[worker] scoring: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`);
    }
  }

  async function loop(): Promise<void> {
    while (!signal.stopped) {
      let pass: PassResult;
      try {
        pass = await runOnce();
      } catch (error) {
        // The database went away for a moment: keep the worker alive, try again after a pause.
        log(
          `[worker] pass failed: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
        );
        pass = { leased: 0, synced: 0, failed: 0, rateLimited: 0, reauthorization: 0, released: 0 };
      }
      await applyWebhookEvents();
      await scoreTrips();
      if (pass.leased > 0 && pass.leased > pass.synced) {
        log(
          `[worker] pass: ${pass.synced} synced, ${pass.failed} failed, ${pass.rateLimited} rate-limited, ` +
            `${pass.reauthorization} awaiting re-authorisation`,
        );
      }
      // A full batch means more may be due: go again at once.
      if (pass.leased < batchSize && !signal.stopped) {
        await signal.sleep(idleMs);
      }
    }
  }

  return {
    workerId,
    runOnce,
    run() {
      running ??= loop();
      return running;
    },
    async stop() {
      signal.stop();
      await running;
    },
  };
}
