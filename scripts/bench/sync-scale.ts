import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createTokenCipher } from '../../lib/crypto/token-cipher';
import { openPostgres } from '../../lib/db/client';
import { migrateToLatest } from '../../lib/db/migrate';
import { createProviderFactory } from '../../lib/worker/providers';
import {
  appsOf,
  linkSimulatedOwner,
  type SimOwner,
  simulatorTestApi,
} from '../../lib/worker/simulated-owners';
import { installLeaseAudit, type LeaseAuditRow, readLeaseAudit } from '../support/lease-audit';
import { createScratchDatabase } from '../support/scratch-database';
import { startTestPostgres } from '../support/test-postgres';
import { freePort } from './app-server';
import type { Benchmark, BenchRow } from './types';
import { formatInteger } from './types';

// Sync at scale (issue 5, "Benchmarks"): SYNC_SCALE_VEHICLES simulated cars (default 10,000) synced
// by two worker processes (scripts/worker.ts, as `npm run worker` runs them) sharing one
// PostgreSQL: how many cars a minute the first pass syncs, and whether any car was ever synced by
// two workers at once.
//
// - The vehicle cloud runs in its own process (scripts/simulator.ts) with a world big enough for the
//   cars, its clock set to 06:00 UTC on a Wednesday and running at real speed, and SIM_BACKFILL_DAYS=0:
//   it serves the clock's day only, so each first sync reads the car's status, its telemetry and trips
//   since midnight, its alerts and maintenance — about what a car costs on every later day, rather
//   than the one-off 30-day backfill (which the ingest rows measure). The gateway's own limits apply.
// - The owners are linked before the clock starts, the way the worker links the demo's peers
//   (lib/worker/simulated-owners.ts: POST /sim/tokens, GET /user/vehicles, then linkVehicles), 16 at
//   a time. The workers then find every car due.
// - Double syncs: a trigger on sync_state (this benchmark's database only) writes every lease change
//   to an audit table — taken (by whom, taking it from whom) and given back (synced or failed) — in
//   commit order per car. A car leased while another worker's lease of it is still open is a double
//   sync; so is a lease taken over before its holder gave it back.
// - At most SYNC_SCALE_MINUTES (default 10) of syncing: a pass that does not finish by then is reported
//   with the rate measured so far and the time the whole pass would take at that rate.
// Run alone: `npx tsx --conditions=react-server scripts/bench/sync-scale.ts` prints the row.

const VEHICLES = Number(process.env.SYNC_SCALE_VEHICLES ?? 10_000);
const MAX_SYNC_MS = Number(process.env.SYNC_SCALE_MINUTES ?? 10) * 60_000;
const LINK_CONCURRENCY = 16;
const CLOCK = '2026-03-04T06:00:00Z';
const SEED = 'kinetic-sync-scale';
const WORKERS = 2;
const LINK_LEAD_MS = 30 * 60_000;

const root = fileURLToPath(new URL('../../', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Child = { process: ChildProcess; output: () => string; stop(): Promise<void> };

/** A project script in its own node process (tsx as a loader, so signals reach it directly). */
function startScript(script: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', script], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const append = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => text,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForOutput(child: Child, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(child.output())) {
    if (child.process.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${pattern} from the child:\n${child.output().slice(-2000)}`);
    }
    await sleep(100);
  }
}

/** Replays the audit per car: a lease taken while another one is open is a double sync. */
function analyse(rows: readonly LeaseAuditRow[]) {
  const open = new Map<string, string>();
  const firstSynced = new Map<string, number>();
  const perWorker = new Map<string, number>();
  let doubles = 0;
  let takeovers = 0;
  let syncs = 0;
  for (const row of rows) {
    if (row.event === 'lease') {
      if (row.previous_owner !== null) takeovers++;
      if (open.has(row.vehicle_id)) doubles++;
      open.set(row.vehicle_id, row.worker);
    } else {
      if (open.get(row.vehicle_id) !== row.worker) doubles++;
      open.delete(row.vehicle_id);
      if (row.synced) {
        syncs++;
        perWorker.set(row.worker, (perWorker.get(row.worker) ?? 0) + 1);
        if (!firstSynced.has(row.vehicle_id))
          firstSynced.set(row.vehicle_id, Math.floor(row.atMicros / 1000));
      }
    }
  }
  return { doubles, takeovers, syncs, firstSynced, perWorker, stillOpen: open.size };
}

async function linkOwners(input: {
  origin: string;
  db: ReturnType<typeof openPostgres>['db'];
  key: Buffer;
}): Promise<{ owners: number; vehicles: number }> {
  const api = simulatorTestApi(input.origin);
  const first = await api.owners(0, 1);
  const cipher = createTokenCipher(input.key);
  const providers = createProviderFactory({
    db: input.db,
    cipher,
    psaV4: {
      apiBaseUrl: `${input.origin}/connectedcar/v4`,
      tokenUrl: `${input.origin}/am/oauth2/access_token`,
      apps: appsOf(first),
    },
  });
  const options = { db: input.db, cipher, api, providers, registerRefresh: () => {} };
  // Owners 1… (0 is the demo owner, whom each worker links itself) until their cars make VEHICLES.
  const wanted: SimOwner[] = [];
  let cars = 0;
  for (let offset = 1; cars < VEHICLES && offset < first.total; offset += 1000) {
    const page = await fetch(`${input.origin}/sim/owners?offset=${offset}&limit=1000`).then(
      (response) => response.json() as Promise<{ owners: (SimOwner & { vehicles: unknown[] })[] }>,
    );
    for (const owner of page.owners) {
      if (cars >= VEHICLES) break;
      wanted.push({ email: owner.email, name: owner.name, brand: owner.brand });
      cars += owner.vehicles.length;
    }
  }
  let next = 0;
  let linked = 0;
  const lane = async () => {
    while (next < wanted.length) {
      const owner = wanted[next++] as SimOwner;
      const { vehicles } = await linkSimulatedOwner(options, owner, false);
      linked += vehicles.length;
    }
  };
  await Promise.all(Array.from({ length: LINK_CONCURRENCY }, lane));
  return { owners: wanted.length, vehicles: linked };
}

async function measure(serverUrl: string): Promise<BenchRow[]> {
  const database = await createScratchDatabase(serverUrl, 'kinetic_bench_sync');
  const handle = openPostgres(database.url, { max: 20 });
  const children: Child[] = [];
  try {
    await migrateToLatest(handle.db);
    await installLeaseAudit(handle.db);

    const key = randomBytes(32);
    const simPort = await freePort();
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      SIM_PORT: String(simPort),
      SIM_TEST_TOKENS: '1',
      TOKEN_ENCRYPTION_KEY: key.toString('base64'),
    };
    const simulator = startScript('scripts/simulator.ts', {
      ...base,
      SIM_SEED: SEED,
      // About 1.17 cars an owner: enough owners for VEHICLES cars.
      SIM_PEERS: String(Math.min(100_000, Math.ceil(VEHICLES / 1.1) + 100)),
      SIM_BACKFILL_DAYS: '0',
    });
    children.push(simulator);
    await waitForOutput(simulator, /Vehicle cloud on/, 60_000);
    const origin = `http://127.0.0.1:${simPort}`;
    const setClock = (body: object) =>
      fetch(`${origin}/sim/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // Linking runs on a clock that starts LINK_LEAD_MS before the pass, at real speed (the gateway's
    // per-second limit needs a moving clock); the pass then starts at CLOCK in every run. Tokens
    // issued meanwhile live an hour of that clock, longer than lead and pass together.
    await setClock({ now: new Date(Date.parse(CLOCK) - LINK_LEAD_MS).toISOString(), rate: 1, frozen: false });

    const linkStarted = performance.now();
    const { owners, vehicles } = await linkOwners({ origin, db: handle.db, key });
    const linkSeconds = (performance.now() - linkStarted) / 1000;
    console.log(
      `[bench] sync-scale: ${owners} owners, ${vehicles} cars linked in ${linkSeconds.toFixed(0)} s`,
    );
    const clock = (await (await fetch(`${origin}/sim/clock`)).json()) as { now: string };
    if (Date.parse(clock.now) > Date.parse(CLOCK))
      throw new Error(`linking took longer than ${LINK_LEAD_MS / 60_000} min`);
    await setClock({ now: CLOCK, rate: 1, frozen: false });

    const workerEnv = {
      ...base,
      DATABASE_URL: database.url,
      DEMO: '1',
      SIM_PEERS: '0',
    };
    const started = Date.now();
    for (let i = 0; i < WORKERS; i++) children.push(startScript('scripts/worker.ts', workerEnv));
    const total = async () =>
      Number(
        (
          await handle.db
            .selectFrom('sync_state')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const syncedCount = async () =>
      Number(
        (
          await handle.db
            .selectFrom('sync_state')
            .where('last_synced_at', 'is not', null)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    let synced = 0;
    let cars = vehicles;
    while (Date.now() - started < MAX_SYNC_MS) {
      await sleep(2_000);
      cars = await total();
      synced = await syncedCount();
      if (synced >= cars && cars >= vehicles) break;
      for (const worker of children.slice(1)) {
        if (worker.process.exitCode !== null)
          throw new Error(`a worker exited:\n${worker.output().slice(-2000)}`);
      }
    }
    const elapsedMs = Date.now() - started;
    await Promise.all(children.slice(1).map((worker) => worker.stop()));

    const audit = analyse(await readLeaseAudit(handle.db));
    const counts = await sql<{ samples: string; trips: string; failures: string }>`
      select (select count(*) from samples) as samples, (select count(*) from trips) as trips,
        (select count(*) from sync_state where failures > 0) as failures
    `.execute(handle.db);
    const stats = counts.rows[0] ?? { samples: '0', trips: '0', failures: '0' };
    // The pass's rate: from the workers' start to the last car's first sync (or to the cut-off).
    const times = [...audit.firstSynced.values()].sort((a, b) => a - b);
    const complete = synced >= cars;
    const spanMs = complete && times.length > 0 ? (times[times.length - 1] as number) - started : elapsedMs;
    const perMinute = (audit.firstSynced.size / spanMs) * 60_000;
    const split = [...audit.perWorker.values()].map(formatInteger).join(' + ');
    const what =
      `status, telemetry and trips since midnight (${formatInteger(Number(stats.samples))} samples, ` +
      `${formatInteger(Number(stats.trips))} trips), alerts and maintenance`;
    const pass = complete
      ? `all ${formatInteger(cars)} cars in ${(spanMs / 1000).toFixed(0)} s`
      : `${formatInteger(audit.firstSynced.size)} of ${formatInteger(cars)} cars in the ${(MAX_SYNC_MS / 60_000).toFixed(0)}-minute cut-off; ` +
        `the whole pass would take about ${(cars / perMinute).toFixed(0)} min at this rate`;
    return [
      {
        benchmark: `Sync of ${formatInteger(vehicles)} simulated vehicles (+ the demo's 2) by ${WORKERS} workers on one PostgreSQL, first pass: ${what}`,
        figure:
          `${formatInteger(perMinute)} vehicles/min, ${audit.doubles} double syncs (${pass}; ` +
          `syncs per worker ${split}; ${audit.takeovers} lease takeovers, ${stats.failures} cars with a failed sync; ` +
          `linking ${formatInteger(owners)} owners took ${linkSeconds.toFixed(0)} s, not counted)`,
        target: 'zero double syncs; vehicles/min reported',
        status: audit.doubles === 0 && audit.stillOpen === 0 ? 'meets' : 'misses',
      },
    ];
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await handle.close();
    await database.drop();
  }
}

async function run(): Promise<BenchRow[]> {
  const server = await startTestPostgres();
  try {
    return await measure(server.url);
  } finally {
    await server.stop();
  }
}

export const syncScale: Benchmark = { name: 'sync-scale', run };

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const row of await run()) console.log(`${row.benchmark}: ${row.figure} [${row.status}]`);
}
