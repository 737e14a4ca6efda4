import 'server-only';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import {
  callbackIdsOfAccount,
  forgetAccountSubscription,
  getAccountCallbackId,
  leaseAccountsToSubscribe,
  recordAccountCallback,
  recordMonitor,
  SubscriptionLeaseLostError,
  settleSubscription,
  subscriptionFailures,
  vehiclesToMonitor,
} from '../db/queries/callback-subscriptions';
import { sanitizeSyncError } from '../db/queries/sync-state';
import type { Database } from '../db/schema';
import type { Env } from '../env-schema';
import { generateWebhookSecret, webhookSubscriptionAttributes } from '../ingest/webhooks/secret';
import { ReauthorizationNeededError } from '../vehicle-api/provider';
import { PsaV4ApiError } from '../vehicle-api/psa-v4/client';
import type { PsaV4CallbackSubscribe, PsaV4MonitorParameter } from '../vehicle-api/psa-v4/schema';
import { failureBackoffDelay } from './cadence';
import type { AccountRef, CallbackClients, ProviderFactory } from './providers';
import { createStopSignal } from './stop-signal';

// The worker subscribes each active PSA v4 account with linked cars to PSA's push channel
// (vehicle-apis.md §4.2, docs/simulator.md "Webhooks"): one webhook callback per account, whose
// target is Kinetic's receiver (POST /api/webhooks/psa) and whose attributes carry the
// subscription's secret (Header `x-kinetic-secret`) and the car's VIN (Body `vin=$vin`) —
// webhookSubscriptionAttributes; then, per linked car, two monitors: trip start/stop (with the trip
// resource) and new alerts. The events then arrive between polls and the worker applies them
// (lib/ingest/webhooks/process.ts).
//
// Exactly one callback per account, across restarts and across workers:
// - a worker leases the account first (callback_subscriptions, lib/db/queries/callback-subscriptions.ts);
// - before creating a callback it lists the account's callbacks at PSA: one already aimed at this
//   receiver (created by a worker that crashed before recording it, or by a former link of the same
//   maker identity) is adopted by re-subscribing it (PUT) with a fresh secret, and any further ones
//   are deleted; only when there is none is one created;
// - the callback is recorded with its secret's hash only while the lease holds; a monitor is
//   looked for on the car before one is created, and recorded once it exists.
// A failure is retried with the sync worker's backoff (cadence.ts: full jitter, up to 1 h).

export const TRIPS_MONITOR_LABEL = 'kinetic-trips';
export const ALERTS_MONITOR_LABEL = 'kinetic-alerts';
export const MONITOR_LABELS = [TRIPS_MONITOR_LABEL, ALERTS_MONITOR_LABEL] as const;
export const CALLBACK_LABEL = 'kinetic';
export const WEBHOOK_PATH = '/api/webhooks/psa';

/**
 * The two monitors: trips (start and stop, each with the trip resource, so a finished trip arrives
 * whole) and new alerts (`obj.alert` values carry the alerts themselves). The simulator fires both
 * (docs/simulator.md: "trip start and stop, new alerts").
 */
export const MONITORS: Record<(typeof MONITOR_LABELS)[number], PsaV4MonitorParameter> = {
  [TRIPS_MONITOR_LABEL]: {
    label: TRIPS_MONITOR_LABEL,
    extendedEventParam: ['vehicle.trip'],
    triggerParam: {
      triggers: [
        { name: 'start', data: { data: 'vehicle.trip.start', op: 'onChange' } },
        { name: 'stop', data: { data: 'vehicle.trip.stop', op: 'onChange' } },
      ],
      boolExp: 'start | stop',
    },
  },
  [ALERTS_MONITOR_LABEL]: {
    label: ALERTS_MONITOR_LABEL,
    triggerParam: {
      triggers: [{ name: 'alert', data: { data: 'vehicle.alert', op: 'onChange' } }],
      boolExp: 'alert',
    },
  },
};

/** Where PSA posts: `AUTH_URL` (the app's public origin) when set, else this machine's port. */
export function webhookTargetFromEnv(env: Pick<Env, 'AUTH_URL' | 'PORT'>): string {
  const origin = env.AUTH_URL ? new URL(env.AUTH_URL).origin : `http://localhost:${env.PORT}`;
  return `${origin}${WEBHOOK_PATH}`;
}

export function callbackSubscribeBody(target: string, secret: string): PsaV4CallbackSubscribe {
  return {
    label: CALLBACK_LABEL,
    type: ['Monitor'],
    callback: {
      webhook: { name: CALLBACK_LABEL, target, attributes: webhookSubscriptionAttributes(secret) },
    },
  };
}

export type CallbackSubscriberOptions = {
  db: Kysely<Database>;
  providers: ProviderFactory & CallbackClients;
  /** The receiver's URL (webhookTargetFromEnv). */
  target: string;
  workerId?: string;
  now?: () => number;
  random?: () => number;
  /** Accounts per pass (default 10). */
  batchSize?: number;
  /** How long a lease holds (default 2 min): a crashed worker's account is taken over after it. */
  leaseMs?: number;
  /** Pause between passes of run() (default 15 s). */
  intervalMs?: number;
  log?: (line: string) => void;
};

export type SubscribePassResult = { leased: number; subscribed: number; failed: number };

export type CallbackSubscriber = {
  /** One pass: lease the accounts that need it and subscribe them. */
  runOnce(): Promise<SubscribePassResult>;
  run(): Promise<void>;
  stop(): Promise<void>;
};

export const SUBSCRIBER_DEFAULTS = { batchSize: 10, leaseMs: 2 * 60_000, intervalMs: 15_000 } as const;

const isGone = (error: unknown) => error instanceof PsaV4ApiError && error.status === 404;

export function createCallbackSubscriber(options: CallbackSubscriberOptions): CallbackSubscriber {
  const { db, providers, target } = options;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? SUBSCRIBER_DEFAULTS.batchSize;
  const leaseMs = options.leaseMs ?? SUBSCRIBER_DEFAULTS.leaseMs;
  const intervalMs = options.intervalMs ?? SUBSCRIBER_DEFAULTS.intervalMs;
  const log = options.log ?? ((line: string) => console.log(line));
  const signal = createStopSignal();
  let running: Promise<void> | null = null;

  /** The account's callback at PSA: the recorded one, an adopted one, or a new one. */
  async function ensureCallback(account: AccountRef): Promise<string> {
    const recorded = await getAccountCallbackId(db, account.id);
    if (recorded) return recorded;
    const client = providers.callbacksFor(account);
    const secret = generateWebhookSecret();
    const body = callbackSubscribeBody(target, secret);
    const ours = (await client.listCallbacks()).filter(
      (callback) => callback.subscribe.callback.webhook?.target === target,
    );
    let callbackId: string;
    const [adopted, ...extra] = ours;
    if (adopted) {
      await client.updateCallback(adopted.id, body);
      callbackId = adopted.id;
      for (const duplicate of extra) await client.deleteCallback(duplicate.id);
    } else {
      callbackId = (await client.createCallback(body)).callbackId;
    }
    await recordAccountCallback(db, { workerId, accountId: account.id, callbackId, secret, now: now() });
    return callbackId;
  }

  async function ensureMonitors(account: AccountRef, callbackId: string): Promise<void> {
    const client = providers.callbacksFor(account);
    for (const vehicle of await vehiclesToMonitor(db, account.id, callbackId, MONITOR_LABELS)) {
      const existing = await client.listMonitors(vehicle.providerVehicleId, callbackId);
      for (const label of vehicle.missing as (typeof MONITOR_LABELS)[number][]) {
        const found = existing.find((monitor) => monitor.monitor.label === label);
        const monitorId =
          found?.monitorId ??
          (await client.createMonitor(vehicle.providerVehicleId, callbackId, MONITORS[label])).monitorId;
        await recordMonitor(db, {
          accountId: account.id,
          providerVehicleId: vehicle.providerVehicleId,
          label,
          callbackId,
          monitorId,
          now: now(),
        });
      }
    }
  }

  async function subscribe(account: AccountRef): Promise<boolean> {
    try {
      const callbackId = await ensureCallback(account);
      try {
        await ensureMonitors(account, callbackId);
      } catch (error) {
        // The callback is gone at PSA (deleted from another app): forget it; the retry recreates it.
        if (isGone(error)) await forgetAccountSubscription(db, account.id, callbackId);
        throw error;
      }
      await settleSubscription(db, { workerId, accountId: account.id, now: now(), ok: true });
      return true;
    } catch (error) {
      if (error instanceof SubscriptionLeaseLostError) return false;
      if (error instanceof ReauthorizationNeededError) providers.forget(account.id);
      const message = sanitizeSyncError(
        error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      );
      const failures = await subscriptionFailures(db, account.id);
      const delay = failureBackoffDelay(failures, random);
      log(
        `[worker] subscribing account ${account.id} to callbacks failed (${message}); retry in ${Math.round(delay / 1000)} s`,
      );
      await settleSubscription(db, {
        workerId,
        accountId: account.id,
        now: now(),
        ok: false,
        error: message,
        nextAttemptAt: now() + delay,
      });
      return false;
    }
  }

  async function runOnce(): Promise<SubscribePassResult> {
    const accounts = await leaseAccountsToSubscribe(db, {
      workerId,
      now: now(),
      leaseMs,
      limit: batchSize,
      labels: MONITOR_LABELS,
    });
    const result: SubscribePassResult = { leased: accounts.length, subscribed: 0, failed: 0 };
    // One account after another: a handful of calls each, and the sync passes need the budget more.
    for (const account of accounts) {
      if (signal.stopped) break;
      if (await subscribe(account)) result.subscribed++;
      else result.failed++;
    }
    return result;
  }

  async function loop(): Promise<void> {
    while (!signal.stopped) {
      try {
        const pass = await runOnce();
        if (pass.subscribed > 0) log(`[worker] callbacks: ${pass.subscribed} account(s) subscribed`);
      } catch (error) {
        log(
          `[worker] callbacks: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
        );
      }
      if (signal.stopped) break;
      await signal.sleep(intervalMs);
    }
  }

  return {
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

export type UnsubscribeResult = {
  /** Callbacks deleted at PSA (or already gone there). */
  deleted: string[];
  /** Callbacks PSA could not be asked to delete (no tokens, refused, unreachable): they expire there. */
  failed: string[];
};

/**
 * Unsubscribes a car account: deletes its callbacks at PSA (their monitors go with them), then
 * forgets them here (their stored events with them) — whatever PSA answered, so a delivery that
 * still comes is refused as unknown. Call it while the account still holds its tokens, i.e. BEFORE
 * revoking them and before disconnectCarAccount. Never throws for an upstream failure: it reports.
 */
export async function unsubscribeAccount(
  deps: { db: Kysely<Database>; providers: ProviderFactory & CallbackClients; log?: (line: string) => void },
  account: AccountRef,
): Promise<UnsubscribeResult> {
  const result: UnsubscribeResult = { deleted: [], failed: [] };
  const callbackIds = await callbackIdsOfAccount(deps.db, account.id);
  for (const callbackId of callbackIds) {
    try {
      await deps.providers.callbacksFor(account).deleteCallback(callbackId);
      result.deleted.push(callbackId);
    } catch (error) {
      result.failed.push(callbackId);
      (deps.log ?? console.error)(
        `[callbacks] could not delete callback of account ${account.id} at PSA: ${sanitizeSyncError(error instanceof Error ? error.message : String(error))}`,
      );
    }
  }
  await forgetAccountSubscription(deps.db, account.id);
  return result;
}
