import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { BenchContext, Benchmark, BenchRow } from './types';

// The embedded demo's warm-up (interfaces.md: "after the first build, a usable demo within 30 s";
// issue 5: demo owner first, peers in the background). Measured from the moment the supervisor
// was started, by polling /api/health. It also runs first on purpose: the benchmarks after it
// measure the app in its steady state, not while the worker backfills a hundred peers' month
// (which cost the Lighthouse run on /login about 12 points when they overlapped) and then scores
// every trip of it.

// Peers count as in once their whole month is synced and scored (lib/health.ts): on this machine
// about 20 minutes for 100 peers, most of it the telemetry itself (~10 million readings).
const PEERS_TIMEOUT_MS = 40 * 60_000;
const SCORING_TIMEOUT_MS = 5 * 60_000;

/**
 * Trips still waiting for their score and standings still due, read from the app's SQLite file
 * (read-only): the worker scores the peers' month after syncing it, and that backlog is a core's
 * worth of work the page audits must not share.
 */
function scoringBacklog(dataDir: string): number | null {
  try {
    const database = new SQLite(path.join(dataDir, 'kinetic.db'), { readonly: true, fileMustExist: true });
    try {
      const pending = database
        .prepare(
          `select count(*) as n from trips t left join trip_scores s on s.trip_id = t.id
           where t.ended_at is not null and t.events is not null and s.trip_id is null`,
        )
        .get() as { n: number };
      const due = database
        .prepare('select count(*) as n from vehicle_standings where next_change_at <= ?')
        .get(Date.now()) as { n: number };
      return pending.n + due.n;
    } finally {
      database.close();
    }
  } catch {
    return null;
  }
}

async function waitForScoring(dataDir: string): Promise<{ seconds: number | null; left: number | null }> {
  const started = performance.now();
  let left: number | null = null;
  while (performance.now() - started < SCORING_TIMEOUT_MS) {
    left = scoringBacklog(dataDir);
    if (left === 0) return { seconds: (performance.now() - started) / 1000, left };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return { seconds: null, left };
}

type Demo = { ready: boolean; peersSynced: number; peersTotal: number };

async function demoState(baseUrl: string): Promise<Demo | null> {
  try {
    const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json()) as { demo?: Demo };
    return body.demo ?? null;
  } catch {
    return null;
  }
}

async function run(context: BenchContext): Promise<BenchRow[]> {
  const startedAt = context.serverStartedAt;
  let readyAfterS: number | null = null;
  let peersAfterS: number | null = null;
  let last: Demo | null = null;
  const deadline = performance.now() + PEERS_TIMEOUT_MS;
  while (performance.now() < deadline) {
    last = await demoState(context.baseUrl);
    const elapsedS = (performance.now() - startedAt) / 1000;
    if (last?.ready && readyAfterS === null) readyAfterS = elapsedS;
    if (last?.ready && last.peersSynced >= last.peersTotal) {
      peersAfterS = elapsedS;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const peers = last?.peersTotal ?? 0;
  const scoring = await waitForScoring(context.dataDir);
  return [
    {
      benchmark: 'demo warm-up: demo owner’s cars synced, from `npm start` (build done)',
      figure:
        readyAfterS === null
          ? `not ready within ${PEERS_TIMEOUT_MS / 60_000} min`
          : `${readyAfterS.toFixed(1)} s`,
      target: '≤ 30 s (interfaces.md)',
      status: readyAfterS !== null && readyAfterS <= 30 ? 'meets' : 'misses',
    },
    {
      benchmark: `demo warm-up: ${peers} simulated peers brought in — linked, 30 days each synced, every trip scored (/api/health peersSynced)`,
      figure:
        peersAfterS === null
          ? `${last?.peersSynced ?? 0} of ${peers} after ${PEERS_TIMEOUT_MS / 60_000} min`
          : `${peersAfterS.toFixed(0)} s`,
      target: 'background; report',
      status: 'report',
    },
    {
      benchmark: 'demo warm-up: then no trip left to score and no standing due (read from the file)',
      figure:
        scoring.seconds === null
          ? `${scoring.left ?? 'unknown'} left after ${SCORING_TIMEOUT_MS / 60_000} min`
          : `${scoring.seconds.toFixed(0)} s more`,
      target: 'background; report',
      status: 'report',
    },
  ];
}

export const demoWarmUp: Benchmark = { name: 'demo warm-up', run };
