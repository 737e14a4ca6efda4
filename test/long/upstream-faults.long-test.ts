import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCarAccounts } from '@/lib/db/queries/car-accounts';
import { toCarAccountDto } from '@/lib/schemas/car-account';
import type { FaultRule } from '@/lib/simulator/faults/rules';
import type { FaultTally } from '@/lib/simulator/faults/switchboard';
import { messagesFor } from '@/messages';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { checkIntegrity, type DataState, readDataState, summarizeAll, TABLES } from './db-state';
import {
  countRequests,
  type FrozenCloud,
  freshTokenKey,
  makeEveryCarDue,
  spawnWorker,
  startFrozenCloud,
  type WorkerChild,
  type WorkerRun,
  workerRun,
  worldCars,
} from './worker-harness';

// Issue 8, "Upstream faults": the real worker (scripts/worker.ts, as `npm run worker` runs it)
// syncs a small simulated world while the simulator's fault switchboard (lib/simulator/faults/)
// makes 30 % of the PSA v4 calls fail — 429 with a short Retry-After, 500/503, requests held and
// dropped unanswered, connection resets, bodies that are not JSON, bodies cut in half, 401 "invalid
// token" — and delays a few more. The faults stay on the whole run; the worker's own retries must
// get everything through. Afterwards every car holds exactly what a fault-free run of the same
// seed and clock holds: the same samples, trips and alerts (counts, checksums, then record by
// record), the database passes its integrity checks, and no natural key is held twice.
//
// A second run revokes one owner's grant at the provider mid-run (fault kind `token_revoked`: the
// gateway revokes the grant it was shown, and the refresh is then refused) while every other
// owner's access token expires between rounds (the cloud's clock moves hours, its tokens last
// 3599 s): the revoked owner's account ends in "re-authorisation needed", as the owner's API and
// settings page show it, with its data intact up to the revocation; the others refresh and end
// equal to the reference.
//
// Rounds: each cloud's clock is frozen at one position per round (the same seed and clock give
// the same data). One worker runs through all rounds, so its token managers, rate-limit gate and
// circuit breaker live across them. Between rounds the test parks every car (no sync due) and
// waits until no lease is held, so no sync straddles a clock move; then it moves the clock and
// makes every car due, as the passing of the cadence would. A round ends when every car of an
// active account has synced since the move, holds no lease, has no failure outstanding and no
// backlog. The three runs (reference, faults, revocation) each have a cloud of their own, of the
// same seed, and run side by side.
//
// The worker's schedule runs on real time: a sync that fails after the HTTP layer's retries (four
// attempts, 0.5–30 s jitter in-line) is rescheduled 1 s–1 h later (cadence.ts failureBackoffDelay).
// The test lets that backoff pass by making such a car due again once its lease is released, as the
// crash test lets a dead worker's leases run out; it counts how often. There is no setting that
// shortens the backoff, and the test does not need one. What it leaves alone: the circuit
// breaker's 30 s cool-down (a car made due while the breaker is open fails again at once, without
// a request) and the peers' link retries (run-worker.ts), both in-process timers.

/** Small world: the demo owner's two cars and a few peers; history from the first day's midnight. */
const WORLD = { seed: 'kinetic-fault-test', peers: 4, backfillDays: 0 } as const;
/**
 * One frozen clock position per round, on a Wednesday: in the morning commute, after it, after the
 * evening one. More than an hour apart, so every access token expires between rounds.
 */
const ROUNDS = ['2026-03-04T07:40:00Z', '2026-03-04T09:30:00Z', '2026-03-04T18:30:00Z'].map((iso) =>
  Date.parse(iso),
);
/** The round at which the second run revokes one owner's grant (0-based): the others sync on after it. */
const REVOKE_ROUND = 1;

const V4 = '/connectedcar/v4';
const isV4 = (path: string) => path.startsWith(`${V4}/`);
/** The identity providers' token endpoints (`/{brand}/am/oauth2/access_token`): refreshes here. */
const isTokenGrant = (path: string) => path.endsWith('/am/oauth2/access_token');
/** Faults touch the PSA v4 API only: the identity providers' token endpoints answer normally. */
const V4_ENDPOINTS = [`${V4}/**`];
/** The share of v4 calls that fail. */
const FAILING_SHARE = 0.3;
/** What fails, in equal parts; params keep each fault quick (a 1 s Retry-After, a 300 ms hold). */
const FAILING_KINDS: Pick<FaultRule, 'kind' | 'params'>[] = [
  { kind: 'rate_limit', params: { retryAfterS: 1 } },
  { kind: 'server_error' },
  // Held unanswered, then the connection is dropped: what a client sees of a hung upstream, short
  // of its own 15 s timeout.
  { kind: 'timeout', params: { latencyMs: 300 } },
  { kind: 'reset' },
  { kind: 'malformed' },
  { kind: 'truncated' },
  { kind: 'token_expired' },
];
/** Besides the failures, this share of v4 calls answers correctly but late. */
const SLOW_SHARE = 0.05;
const SLOW_MS = 150;

/**
 * The rules: the switchboard takes the first rule that fires, each drawing on its own, so rule i
 * fires on share sᵢ of the calls when its rate is sᵢ / (1 − s₁ − … − sᵢ₋₁).
 */
function faultRules(): FaultRule[] {
  const shares = [
    ...FAILING_KINDS.map((fault) => ({ ...fault, share: FAILING_SHARE / FAILING_KINDS.length })),
    { kind: 'latency' as const, params: { latencyMs: SLOW_MS }, share: SLOW_SHARE },
  ];
  let before = 0;
  return shares.map(({ share, ...fault }) => {
    const rate = share / (1 - before);
    before += share;
    return { ...fault, rate, endpoints: V4_ENDPOINTS };
  });
}

const ROUND_TIMEOUT_MS = 120_000;
const POLL_MS = 100;
/** Parked cars are due this far ahead: never during a test. */
const PARKED_UNTIL = Date.parse('2100-01-01T00:00:00Z');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tail = (worker: WorkerChild) => worker.output().slice(-3000);

type RunOptions = {
  /** Before round `round` starts (its clock is set, its cars not yet due). */
  beforeRound?: (round: number) => void | Promise<void>;
  /** The cars whose account should end the round in "re-authorisation needed" (vehicle ids). */
  revokedAt?: (round: number) => ReadonlySet<string>;
};

type RunResult = {
  /** The data after each round. */
  states: DataState[];
  roundMs: number[];
  /** Failed syncs whose backoff the test let pass. */
  retriedSyncs: number;
  output: string;
};

/** Each linked car's sync state and its account's status, by the car's id in the cloud. */
async function syncStateOf(run: WorkerRun) {
  return run.db.db
    .selectFrom('sync_state as s')
    .innerJoin('car_account_vehicles as l', 'l.vehicle_id', 's.vehicle_id')
    .innerJoin('car_accounts as a', 'a.id', 'l.car_account_id')
    .select([
      'l.provider_vehicle_id as cloudId',
      'a.status',
      's.last_synced_at',
      's.lease_owner',
      's.failures',
      's.backlog',
      's.next_sync_at',
    ])
    .execute();
}

/** Parks every car and waits until no sync is in flight: nothing straddles the next clock move. */
async function settle(run: WorkerRun, worker: WorkerChild): Promise<void> {
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  for (;;) {
    await run.db.db
      .updateTable('sync_state')
      .set({ next_sync_at: PARKED_UNTIL })
      .where('lease_owner', 'is', null)
      .execute();
    const rows = await run.db.db.selectFrom('sync_state').select(['lease_owner', 'next_sync_at']).execute();
    if (rows.every((row) => row.lease_owner === null && row.next_sync_at === PARKED_UNTIL)) return;
    if (Date.now() > deadline) throw new Error(`syncs did not settle:\n${tail(worker)}`);
    await sleep(POLL_MS);
  }
}

/**
 * Runs the rounds with one worker and answers the data after each. `cars` is the world's cars;
 * those `revokedAt` names must end each round with their account out of the active state instead
 * of synced.
 */
async function syncRounds(
  cloud: FrozenCloud,
  run: WorkerRun,
  cars: readonly { id: string }[],
  options: RunOptions = {},
): Promise<RunResult> {
  const states: DataState[] = [];
  const roundMs: number[] = [];
  let retriedSyncs = 0;
  let worker: WorkerChild | null = null;
  try {
    for (const [round, position] of ROUNDS.entries()) {
      if (worker) await settle(run, worker);
      cloud.clock.set({ now: position, frozen: true });
      await options.beforeRound?.(round);
      const since = Date.now();
      await makeEveryCarDue(run);
      worker ??= spawnWorker(run.env);
      const revoked = options.revokedAt?.(round) ?? new Set<string>();
      const deadline = since + ROUND_TIMEOUT_MS;
      for (;;) {
        const output = worker.output();
        const rows = await syncStateOf(run);
        const done =
          new RegExp(`${WORLD.peers} of ${WORLD.peers} peers linked`).test(output) &&
          rows.length === cars.length &&
          rows.every((row) =>
            revoked.has(row.cloudId)
              ? row.status !== 'active' && row.lease_owner === null
              : row.status === 'active' &&
                row.lease_owner === null &&
                row.last_synced_at !== null &&
                row.last_synced_at >= since &&
                row.failures === 0 &&
                row.backlog === 0,
          );
        if (done) break;
        if (Date.now() > deadline) {
          throw new Error(`round ${round + 1} did not finish: ${JSON.stringify(rows)}\n${tail(worker)}`);
        }
        // Let the backoff of failed syncs pass: due now, once the worker has released them.
        const retried = await run.db.db
          .updateTable('sync_state')
          .set({ next_sync_at: 0 })
          .where('failures', '>', 0)
          .where('lease_owner', 'is', null)
          .where('next_sync_at', '>', 0)
          .executeTakeFirst();
        retriedSyncs += Number(retried.numUpdatedRows);
        await sleep(POLL_MS);
      }
      roundMs.push(Date.now() - since);
      states.push(await readDataState(run.db.db));
    }
    const output = worker?.output() ?? '';
    return { states, roundMs, retriedSyncs, output };
  } finally {
    if (worker) {
      worker.kill('SIGTERM');
      await worker.exited;
    }
  }
}

/**
 * What the worker's pass lines add up to: syncs that failed after the HTTP layer's retries, and
 * syncs put off by a 429 longer than the in-line wait or by the open circuit breaker (these repeat
 * about once a second while the breaker is open, since the test makes the car due again at once).
 */
function failedSyncs(output: string): { failed: number; putOff: number } {
  let failed = 0;
  let putOff = 0;
  for (const match of output.matchAll(/pass: \d+ synced, (\d+) failed, (\d+) rate-limited/g)) {
    failed += Number(match[1]);
    putOff += Number(match[2]);
  }
  return { failed, putOff };
}

function describeTally(tally: FaultTally, v4Calls: number): string {
  const served = Object.values(tally.faults).reduce((sum, count) => sum + (count ?? 0), 0);
  const failing = served - (tally.faults.latency ?? 0);
  const kinds = Object.entries(tally.faults)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  return `${v4Calls} v4 calls, ${failing} failed (${((100 * failing) / Math.max(1, v4Calls)).toFixed(1)} %) + ${tally.faults.latency ?? 0} slow: ${kinds}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const roundsOf = (result: RunResult) => result.roundMs.map(seconds).join(' / ');

/** A peer whose grant the revocation run revokes; the demo owner's and the other peers' go on. */
const REVOKED_OWNER = 1;

describe.each(ENGINES)('the sync worker against a faulty PSA v4 API, on %s', (engine) => {
  const referenceDb = useTestDatabase(engine);
  const faultyDb = useTestDatabase(engine);
  const revokedDb = useTestDatabase(engine);
  const tokenKey = freshTokenKey();
  // Three clouds of the same seed: the same world and, at the same clock, the same data. Each run
  // drives its own cloud's clock, so the reference and the revocation run sync while the faulty
  // run waits out its faults (a 429's second, retries' jitter, an open breaker's cool-down), which
  // keeps the file within its time; each test awaits the runs it checks.
  let clean: FrozenCloud;
  let faulty: FrozenCloud;
  let revoking: FrozenCloud;
  let cars: ReturnType<typeof worldCars>;
  let referenceRun: Promise<RunResult>;
  let revocationRun: Promise<RevocationResult>;

  type RevocationResult = RunResult & {
    run: WorkerRun;
    revokedCars: ReadonlySet<string>;
    /** Each account's token version after the first round. */
    versionsAfterFirstRound: ReadonlyMap<string, number>;
    tokenRevokedServed: number;
    seconds: number;
  };

  /** The revocation run: one owner's grant revoked at REVOKE_ROUND; every token expires between rounds. */
  async function revocation(run: WorkerRun): Promise<RevocationResult> {
    const started = performance.now();
    const revokedCars = new Set(cars.filter((car) => car.ownerIndex === REVOKED_OWNER).map((car) => car.id));
    const versionsAfterFirstRound = new Map<string, number>();
    const result = await syncRounds(revoking, run, cars, {
      async beforeRound(round) {
        if (round === 1) {
          const rows = await run.db.db.selectFrom('car_accounts').select(['id', 'token_version']).execute();
          for (const row of rows) versionsAfterFirstRound.set(row.id, row.token_version);
        }
        if (round === REVOKE_ROUND) {
          revoking.ctx.faults.set({
            rules: [{ kind: 'token_revoked', rate: 1, endpoints: V4_ENDPOINTS, vehicles: [...revokedCars] }],
          });
        }
      },
      revokedAt: (round) => (round >= REVOKE_ROUND ? revokedCars : new Set()),
    });
    return {
      ...result,
      run,
      revokedCars,
      versionsAfterFirstRound,
      tokenRevokedServed: revoking.ctx.faults.tally().faults.token_revoked ?? 0,
      seconds: (performance.now() - started) / 1000,
    };
  }

  beforeAll(async () => {
    clean = await startFrozenCloud({ ...WORLD, now: ROUNDS[0] as number });
    faulty = await startFrozenCloud({ ...WORLD, now: ROUNDS[0] as number });
    revoking = await startFrozenCloud({ ...WORLD, now: ROUNDS[0] as number });
    cars = worldCars(clean.ctx);
    expect(worldCars(faulty.ctx)).toEqual(cars);
    expect(worldCars(revoking.ctx)).toEqual(cars);
    const calls = countRequests(clean.server, { v4: isV4 });
    referenceRun = syncRounds(clean, workerRun(referenceDb(), clean.port, WORLD.peers, tokenKey), cars).then(
      (reference) => {
        calls.stop();
        const final = reference.states[reference.states.length - 1] as DataState;
        const samples = [...final.values()].reduce((sum, car) => sum + car.samples.size, 0);
        console.log(
          `[faults] ${engine}: reference, ${cars.length} cars, ${samples} samples, ${calls.counts().v4} v4 calls, ` +
            `rounds ${roundsOf(reference)}`,
        );
        return reference;
      },
    );
    revocationRun = revocation(workerRun(revokedDb(), revoking.port, WORLD.peers, tokenKey));
    // Awaited by the tests; a failure is theirs to report.
    referenceRun.catch(() => {});
    revocationRun.catch(() => {});
  });

  afterAll(async () => {
    await Promise.allSettled([referenceRun, revocationRun]);
    await Promise.all([clean?.close(), faulty?.close(), revoking?.close()]);
  });

  it('loses nothing and doubles nothing while 30 % of the calls fail', async () => {
    const started = performance.now();
    const run = workerRun(faultyDb(), faulty.port, WORLD.peers, tokenKey);
    const calls = countRequests(faulty.server, { v4: isV4, tokenGrants: isTokenGrant });
    faulty.ctx.faults.set({ rules: faultRules() });
    const result = await syncRounds(faulty, run, cars);
    const tally = faulty.ctx.faults.tally();
    calls.stop();

    const reference = await referenceRun;
    const final = reference.states[reference.states.length - 1] as DataState;
    // The reference must give the faults something to break: every car, and thousands of samples.
    expect(final.size).toBe(cars.length);
    expect([...final.values()].reduce((sum, car) => sum + car.samples.size, 0)).toBeGreaterThan(1000);

    for (const [round, state] of result.states.entries()) {
      expect(summarizeAll(state), `round ${round + 1} equals the reference`).toEqual(
        summarizeAll(reference.states[round] as DataState),
      );
    }
    // Every record of the reference once, none beside: equal contents, not only equal checksums.
    const stored = await readDataState(run.db.db);
    for (const [vin, car] of final) {
      for (const table of TABLES) expect(stored.get(vin)?.[table], `${vin} ${table}`).toEqual(car[table]);
    }
    const integrity = await checkIntegrity(run.db.db, run.sqliteFile);
    expect(integrity.problems).toEqual([]);
    // No account was given up on: a 401 is refreshed and retried, not taken for a revocation.
    const accounts = await run.db.db.selectFrom('car_accounts').select(['status', 'status_reason']).execute();
    expect(accounts.filter((account) => account.status !== 'active')).toEqual([]);

    // The faults were served: every kind asked for, at about the share asked for.
    const v4Calls = calls.counts().v4;
    for (const { kind } of [...FAILING_KINDS, { kind: 'latency' as const }]) {
      expect(tally.faults[kind as keyof FaultTally['faults']] ?? 0, kind).toBeGreaterThan(0);
    }
    const failing =
      Object.values(tally.faults).reduce((sum, count) => sum + (count ?? 0), 0) - (tally.faults.latency ?? 0);
    expect(failing / v4Calls).toBeGreaterThan(0.2);
    expect(failing / v4Calls).toBeLessThan(0.4);
    const syncs = failedSyncs(result.output);
    console.log(
      `[faults] ${engine}: ${ROUNDS.length} rounds, ${describeTally(tally, v4Calls)}; ` +
        `${calls.counts().tokenGrants} token requests; syncs failed after in-line retries ${syncs.failed}, ` +
        `put off by a long 429 or the open breaker ${syncs.putOff} (repeats included), backoffs let pass ` +
        `${result.retriedSyncs}; ` +
        `rounds ${roundsOf(result)}; ${seconds(performance.now() - started)}`,
    );
  });

  it('ends a revoked grant in "sign in again needed" and keeps refreshing expired tokens', async () => {
    const [reference, result] = await Promise.all([referenceRun, revocationRun]);
    const { revokedCars } = result;
    expect(result.tokenRevokedServed).toBeGreaterThan(0);

    const final = reference.states[reference.states.length - 1] as DataState;
    const beforeRevocation = reference.states[REVOKE_ROUND - 1] as DataState;
    const revokedVins = new Set(cars.filter((car) => revokedCars.has(car.id)).map((car) => car.vin));
    const { db, sqliteFile } = result.run;
    const stored = await readDataState(db.db);
    // The revoked owner's cars keep what they had before the revocation, once; everyone else's
    // equal the reference's end.
    for (const [vin, car] of final) {
      const expected = revokedVins.has(vin) ? beforeRevocation.get(vin) : car;
      for (const table of TABLES) {
        expect(stored.get(vin)?.[table], `${vin} ${table}`).toEqual(expected?.[table]);
      }
    }
    expect(summarizeAll(result.states[REVOKE_ROUND - 1] as DataState)).toEqual(
      summarizeAll(beforeRevocation),
    );
    const integrity = await checkIntegrity(db.db, sqliteFile);
    expect(integrity.problems).toEqual([]);

    // What the owners see: GET /api/car-accounts and /settings/cars render toCarAccountDto.
    const accounts = await db.db
      .selectFrom('car_accounts as a')
      .innerJoin('car_account_vehicles as l', 'l.car_account_id', 'a.id')
      .select(['a.id', 'a.user_id', 'a.token_version', 'l.provider_vehicle_id as cloudId'])
      .execute();
    const labels = messagesFor('en').cars.list.status;
    const shown = new Map<string, string>();
    for (const account of accounts) {
      const [dto] = (await listCarAccounts(db.db, account.user_id)).map(toCarAccountDto);
      expect(dto?.id).toBe(account.id);
      if (!dto) continue;
      shown.set(dto.id, labels[dto.status]);
      if (revokedCars.has(account.cloudId)) {
        expect(dto).toMatchObject({ status: 'reauthorization_needed', statusReason: 'grant_refused' });
        // Its cars still show their last sync: the data stays, only syncing stops.
        expect(dto.vehicles.every((vehicle) => vehicle.sync === 'synced')).toBe(true);
      } else {
        expect(dto.status).toBe('active');
        // Its token expired between every two rounds (the clock moved hours; tokens last 3599 s)
        // and was refreshed each time: the stored tokens changed at least once per later round.
        const before = result.versionsAfterFirstRound.get(account.id) ?? Number.POSITIVE_INFINITY;
        expect(account.token_version - before, `${account.id} refreshed`).toBeGreaterThanOrEqual(
          ROUNDS.length - 1,
        );
      }
    }
    const revokedAccounts = accounts.filter((account) => revokedCars.has(account.cloudId));
    const others = new Set(accounts.filter((account) => !revokedCars.has(account.cloudId)).map((a) => a.id));
    console.log(
      `[faults] ${engine}: grant revoked at round ${REVOKE_ROUND + 1}: ${revokedCars.size} car(s), account shows ` +
        `"${shown.get(revokedAccounts[0]?.id ?? '')}"; ${others.size} other accounts refreshed after each expiry and ` +
        `show "${labels.active}"; rounds ${roundsOf(result)}; ${seconds(result.seconds * 1000)}`,
    );
  });
});
