import 'server-only';
import type { CarActivity } from '../vehicle-api/provider';

// When a car is synced next, from what it was doing as of this sync (the provider's `activity`).
//
// - driving: 30 s — the PSA box uploads every 30 s while driving (docs/simulator.md, v4 `status`),
//   so polling faster finds nothing new and polling slower lets the dashboard lag a whole upload;
// - charging: 5 min — the box uploads every 5 minutes while charging (same source);
// - parked and unknown: 5 min — a parked car uploads once at key-off; 5 min bounds how late we
//   notice it driving off (the v4 webhooks, when subscribed, tell us sooner);
// - asleep (no upload for 10 min, PSA_V4_SYNC_DEFAULTS.staleAfterMs): 15 min, doubling on every
//   sync that finds it still asleep, up to 2 h. A v4 poll only reads the cloud's copy (`status`);
//   it never sends a wake-up to the car, and the doubling keeps a car parked for weeks at about a
//   dozen requests a day.
//
// The doubling needs no extra column: the last interval is `nextSyncAt - lastSyncedAt` of the
// state the worker leased.

export const CADENCE_MS = {
  driving: 30_000,
  charging: 5 * 60_000,
  parked: 5 * 60_000,
  unknown: 5 * 60_000,
  asleepFirst: 15 * 60_000,
  asleepMax: 2 * 60 * 60_000,
} as const;

export type PreviousSync = {
  activity: CarActivity;
  lastSyncedAt: number | null;
  /** When the previous sync scheduled this one. */
  nextSyncAt: number;
};

/**
 * The next sync of a car with history left to fetch: as often as a driving car's (a month of
 * history arrives in about five minutes instead of hours), not faster — every batch is a write
 * transaction, and on the embedded SQLite a tighter loop over many backfilling cars kept the
 * write lock busy enough to make an owner's own writes (an import, a sign-in) wait past the
 * 5 s busy timeout.
 */
export const BACKLOG_DELAY_MS = CADENCE_MS.driving;

/** Milliseconds from now to the next sync of a car that is `activity` now. */
export function nextSyncDelay(activity: CarActivity, previous: PreviousSync): number {
  if (activity !== 'asleep') return CADENCE_MS[activity];
  if (previous.activity !== 'asleep' || previous.lastSyncedAt === null) return CADENCE_MS.asleepFirst;
  const lastInterval = previous.nextSyncAt - previous.lastSyncedAt;
  return Math.min(CADENCE_MS.asleepMax, Math.max(CADENCE_MS.asleepFirst, 2 * lastInterval));
}

/**
 * Backoff after a failed sync (5xx, timeouts, network — once the HTTP layer's own retries are
 * spent): full jitter, a uniform draw in [0, min(cap, base · 2^failures)) (the AWS Architecture
 * Blog's "Exponential Backoff and Jitter"), with a 1 s floor so a draw near zero does not put the
 * car straight back into the next lease. `failures` counts the failures before this one.
 * Base 30 s (one driving upload), cap 1 h.
 */
export const FAILURE_BACKOFF = { baseMs: 30_000, capMs: 60 * 60_000, floorMs: 1_000 } as const;

export type Backoff = { baseMs: number; capMs: number; floorMs: number };

export function failureBackoffDelay(
  failures: number,
  random: () => number,
  backoff: Backoff = FAILURE_BACKOFF,
): number {
  const exponent = Math.min(Math.max(0, failures), 30);
  const window = Math.min(backoff.capMs, backoff.baseMs * 2 ** exponent);
  return Math.max(backoff.floorMs, Math.floor(random() * window));
}

/**
 * Linking a simulated owner again after it failed (run-worker.ts: the demo's peers). A link is
 * one request per owner (listing its cars), and while the maker's API is down the resilient
 * layer's circuit breaker keeps even that from leaving (it fails at once): so a short backoff —
 * 2 s doubling, capped at 15 s — costs the maker nothing during an outage and links the peers
 * within seconds after it, instead of up to an hour later with a sync's backoff.
 */
export const LINK_RETRY_BACKOFF: Backoff = { baseMs: 2_000, capMs: 15_000, floorMs: 1_000 };
