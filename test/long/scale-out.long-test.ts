import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '@/lib/auth/accounts';
import { hashPassword } from '@/lib/auth/password';
import { SIGN_IN_LIMITS } from '@/lib/auth/throttle';
import { openPostgres } from '@/lib/db/client';
import { boardsOf } from '@/lib/db/queries/standings';
import { SCORING_VERSION } from '@/lib/db/queries/trip-scores';
import { setPasswordHash } from '@/lib/db/queries/users';
import { WORKER_DEFAULTS } from '@/lib/worker/sync-worker';
import { freePort } from '@/scripts/bench/app-server';
import { ensureBuild } from '@/scripts/bench/ensure-build';
import { installLeaseAudit, leaseIntervals, readLeaseAudit } from '@/scripts/support/lease-audit';
import { createPostgresDatabase } from '@/test/db-harness';
import { type AppInstance, startAppInstance } from './app-instance';
import {
  attemptSignIn,
  type BrowserSession,
  createBrowserSession,
  getJson,
  signIn,
  signOut,
} from './browser-session';
import { cloudSyncs, createCloudRequestLog } from './cloud-request-log';
import { checkIntegrity } from './db-state';
import {
  freshTokenKey,
  productionEnv,
  spawnWorker,
  startFrozenCloud,
  type WorkerChild,
  workerEnv,
} from './worker-harness';

// Scale-out (issue 8): Kinetic laid out as docs/deploy.md lays it out, on this machine — one
// PostgreSQL database migrated once (`npm run migrate`), two app instances of the one build
// (`next start` each, on its own port), two sync workers (`scripts/worker.ts` each), every process
// configured by its environment alone (the same AUTH_SECRET and TOKEN_ENCRYPTION_KEY; each its
// own KINETIC_DATA_DIR, which must stay empty, and the build folder must stay untouched: nothing
// is shared through files). The vehicle cloud runs in this process with its clock frozen, so the
// data stops changing once it is synced.
//
// - Sessions: one made on either instance works on the other; signed out on one, or revoked by
//   the operator's CLI (a third process), it is refused by both on the next request. Failed
//   sign-ins are counted once for both instances.
// - No car is synced by two workers at once, proven three ways and not by the absence of errors:
//   1. the database: a trigger (this test's database only, scripts/support/lease-audit.ts) records
//      every lease taken and given back; per car, no lease starts while another is open;
//   2. the cloud: each worker talks to its own listener of the cloud (its SIM_PORT), so the cloud
//      knows who asks; per car, no request of one worker is in flight while one of the other's is,
//      and each sync (a `status` request and the requests after it) comes from one worker only;
//   3. both together: every request a worker made about a car fell inside a lease of that car
//      held by that worker, and each worker's syncs counted by the cloud equal those recorded.
//   Both workers must have synced cars, and every car ends synced.
// - Counts and leaderboards: once the workers are quiet (and stopped), two owners' vehicles, trips,
//   alerts, scores and leaderboard pages (everyone, peer group, model) read through either instance
//   are equal, and equal to the database's own counts; the standings' bins that both workers moved
//   count each ranked car once; an ETag from one instance revalidates on the other; a write on one
//   instance (joining the public boards) is read back on the other.

const root = fileURLToPath(new URL('../../', import.meta.url));
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/**
 * 45 peers and the demo owner: 53 cars with this seed, more than three of a worker's passes lease
 * (WORKER_DEFAULTS.batchSize, 16), so the workers contend for them. A day and a half of driving
 * each (the Wednesday and the Thursday until 20:00) ranks a few of them.
 */
const WORLD = { seed: 'kinetic-scale-out', peers: 45, backfillDays: 1 } as const;
/** Each worker's least share of the cars: it was not left idle while the other synced. */
const MIN_CARS_PER_WORKER = 5;
const QUIET_TIMEOUT_MS = 180_000;
const BUILD_TIMEOUT_MS = 10 * 60_000;
const PASSWORD = 'correct horse battery staple';

const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The latest modification under `dir` (ms), and how many files it holds. */
function lastWrite(dir: string): { at: number; files: number } {
  let at = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    at = Math.max(at, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return { at, files };
}

/**
 * The cloud's frozen moment: 20:00 UTC on the latest Thursday at least an hour ago. It stays in
 * the standings' 30-day window (which follows real time), and a fixed weekday gives every run
 * two working days of driving, enough for a few cars to rank.
 */
function frozenMoment(now: number): number {
  for (let day = Math.floor(now / DAY_MS) * DAY_MS; ; day -= DAY_MS) {
    const at = day + 20 * HOUR_MS;
    if (new Date(day).getUTCDay() === 4 && at <= now - HOUR_MS) return at;
  }
}

describe('two app instances and two workers on one PostgreSQL', () => {
  const started = performance.now();
  const secrets = { AUTH_SECRET: randomBytes(32).toString('base64'), TOKEN_ENCRYPTION_KEY: freshTokenKey() };
  const dataDirs: string[] = [];
  const cloudLog = createCloudRequestLog();
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let handle: ReturnType<typeof openPostgres>;
  let cloud: Awaited<ReturnType<typeof startFrozenCloud>>;
  let apps: AppInstance[] = [];
  let workers: WorkerChild[] = [];
  let cars = 0;
  /** The build both instances serve, as it was before they started. */
  let build: { at: number; files: number };

  /** The environment every process gets: the database, the shared secrets, a data folder of its own. */
  const baseEnv = (): NodeJS.ProcessEnv => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kinetic-scale-out-'));
    dataDirs.push(dataDir);
    return {
      ...productionEnv(),
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: database.url,
      KINETIC_DATA_DIR: dataDir,
      ...secrets,
    };
  };
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

  beforeAll(async () => {
    const buildStarted = performance.now();
    await ensureBuild(root);
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    if (buildSeconds > 5) console.log(`[scale-out] built the app once: ${buildSeconds.toFixed(0)} s`);

    build = lastWrite(path.join(root, '.next'));
    database = await createPostgresDatabase();
    // Migrate once, from one place, before any instance starts (docs/deploy.md › Releasing).
    const migrate = await execFileAsync('npm', ['run', '-s', 'migrate'], { cwd: root, env: baseEnv() });
    console.log(`[scale-out] npm run migrate: ${migrate.stdout.trim()}`);
    handle = openPostgres(database.url, { max: 4 });
    await installLeaseAudit(handle.db);

    // Listener 0 for the app instances, 1 and 2 for the workers.
    cloud = await startFrozenCloud({
      ...WORLD,
      now: frozenMoment(Date.now()),
      listeners: 3,
      observe: cloudLog.observe,
    });
    for (let index = 0; index <= WORLD.peers; index++) cars += cloud.ctx.world.ownerAt(index).vehicles.length;

    const appEnv = {
      DEMO: '1',
      SIM_TEST_TOKENS: '1',
      SIM_PORT: String(cloud.ports[0]),
      SIM_PEERS: String(WORLD.peers),
    };
    const ports = [await freePort(), await freePort()];
    apps = await Promise.all(
      ports.map((port, index) =>
        startAppInstance(`app instance ${index + 1}`, port, { ...baseEnv(), ...appEnv }),
      ),
    );
    console.log(`[scale-out] ${apps.length} app instances ready at ${seconds()} s`);
    workers = [1, 2].map((listener) =>
      spawnWorker({
        ...workerEnv({
          database: { url: database.url },
          simPort: cloud.ports[listener] as number,
          peers: WORLD.peers,
          tokenKey: secrets.TOKEN_ENCRYPTION_KEY,
        }),
        ...baseEnv(),
        // Callbacks are subscribed for the first instance (the cloud delivers none here).
        PORT: String(ports[0]),
      }),
    );
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await Promise.all([...workers.map((worker) => worker.exited), ...apps.map((app) => app.stop())]);
    await cloud?.close();
    await handle?.close();
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    console.log(`[scale-out] whole file: ${seconds()} s`);
  });

  const [one, two] = [() => apps[0] as AppInstance, () => apps[1] as AppInstance];
  /** The same request, with the same cookies, through instance 1 and instance 2. */
  const onBoth = (session: BrowserSession, route: string) =>
    Promise.all([getJson(session, `${one().url}${route}`), getJson(session, `${two().url}${route}`)]);

  it('a session made on either instance works on the other; signed out or revoked, both refuse it', async () => {
    const email = `scale-out-${randomUUID().slice(0, 8)}@example.test`;
    const registered = await registerUser(handle.db, { email, password: PASSWORD }, null);
    expect(registered.ok).toBe(true);
    const account = (session: BrowserSession, app: AppInstance) => getJson(session, `${app.url}/api/account`);

    // Made on instance 1, used on instance 2: the same owner, the same answer.
    const browser = createBrowserSession();
    await signIn(browser, one().url, 'credentials', { email, password: PASSWORD });
    const onOne = await account(browser, one());
    const onTwo = await account(browser, two());
    expect(onTwo.status).toBe(200);
    expect((onTwo.body as { account: { email: string } }).account.email).toBe(email);
    expect(onTwo.body).toEqual(onOne.body);
    // The same session on both: the same owner answers, and the database holds one session row
    // for them (instance 2 opened none of its own). Only the rolling expiry moves per answer.
    const sessions = (await onBoth(browser, '/api/auth/session')).map(
      (answer) => (answer.body as { user: { id: string } }).user,
    );
    expect(sessions[1]?.id).toBe(registered.ok && registered.user.id);
    expect(sessions[1]).toEqual(sessions[0]);
    const rows = await handle.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', registered.ok ? registered.user.id : '')
      .execute();
    expect(rows).toHaveLength(1);

    // Signed out on instance 2; the cookie kept by a copy of the browser is refused by both.
    const kept = browser.copy();
    await signOut(browser, two().url);
    for (const app of [one(), two()]) {
      const answer = await account(kept, app);
      expect(answer.status, app.name).toBe(401);
      expect(answer.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }

    // Made on instance 2, revoked by the operator's CLI (a new password ends every session).
    const second = createBrowserSession();
    await signIn(second, two().url, 'credentials', { email, password: PASSWORD });
    expect((await account(second, one())).status).toBe(200);
    const newPassword = `${PASSWORD} again`;
    const cli = await execFileAsync(
      process.execPath,
      [
        '--conditions=react-server',
        '--import',
        'tsx',
        'scripts/kinetic.ts',
        'user',
        'reset-password',
        '--email',
        email,
        '--password',
        newPassword,
        '--json',
      ],
      { cwd: root, env: baseEnv() },
    );
    expect(JSON.parse(cli.stdout)).toEqual({ ok: true, email, sessionsEnded: 1 });
    for (const app of [one(), two()]) expect((await account(second, app)).status, app.name).toBe(401);
    const third = createBrowserSession();
    await signIn(third, one().url, 'credentials', { email, password: newPassword });
    expect((await account(third, two())).status).toBe(200);
    console.log(`[scale-out] sessions checked across instances at ${seconds()} s`);
  });

  it('counts failed sign-ins on both instances together', async () => {
    const email = `throttled-${randomUUID().slice(0, 8)}@example.test`;
    expect((await registerUser(handle.db, { email, password: PASSWORD }, null)).ok).toBe(true);
    // The account's allowance of wrong passwords, spent across the two instances…
    for (let attempt = 0; attempt < SIGN_IN_LIMITS.perAccount.max; attempt++) {
      const app = attempt % 2 === 0 ? one() : two();
      const refused = await attemptSignIn(createBrowserSession(), app.url, 'credentials', {
        email,
        password: 'not the password',
      });
      expect(refused.status, `attempt ${attempt + 1}`).toBe(302);
      expect(new URL(refused.location, app.url).searchParams.get('code')).toBe('credentials');
    }
    // …so the right one is throttled on either: one count, not one per instance.
    for (const app of [one(), two()]) {
      const throttled = await attemptSignIn(createBrowserSession(), app.url, 'credentials', {
        email,
        password: PASSWORD,
      });
      expect(throttled, app.name).toMatchObject({ status: 429, retryAfter: expect.any(String) });
    }
  });

  let progressAt = 0;
  const progress = (state: object) => {
    if (performance.now() - progressAt < 10_000) return;
    progressAt = performance.now();
    console.log(`[scale-out] ${seconds()} s: ${JSON.stringify(state)}`);
  };

  /** Every car synced with nothing left behind, every trip scored, every standing current. */
  async function isQuiet(): Promise<boolean> {
    const linked = workers.every((worker) => /(\d+) of \1 peers linked/.test(worker.output()));
    const { rows } = await sql<{
      states: number;
      unsynced: number;
      leased: number;
      failing: number;
      behind: number;
      unscored: number;
      stale: number;
    }>`
      select
        (select count(*)::int from sync_state) as states,
        (select count(*)::int from sync_state where last_synced_at is null) as unsynced,
        (select count(*)::int from sync_state where lease_owner is not null) as leased,
        (select count(*)::int from sync_state where failures > 0) as failing,
        (select count(*)::int from sync_state where cursor::jsonb ->> 'telemetryBehind' = '1') as behind,
        (select count(*)::int from trips t left join trip_scores s on s.trip_id = t.id
          where t.ended_at is not null and t.events is not null
            and (s.trip_id is null or s.version < ${SCORING_VERSION})) as unscored,
        (select count(*)::int from vehicle_standings where next_change_at <= ${Date.now()}) as stale
    `.execute(handle.db);
    const state = rows[0];
    if (!state) return false;
    progress({ linked, ...state });
    if (state.failing > 0) {
      throw new Error(`a sync failed:\n${workers.map((worker) => worker.output().slice(-1500)).join('\n')}`);
    }
    return (
      linked &&
      state.states === cars &&
      state.unsynced === 0 &&
      state.leased === 0 &&
      state.behind === 0 &&
      state.unscored === 0 &&
      state.stale === 0
    );
  }

  it('two workers share the cars: both sync, no car is synced by both at once, every car ends synced', async () => {
    const deadline = Date.now() + QUIET_TIMEOUT_MS;
    while (!(await isQuiet())) {
      if (Date.now() > deadline) {
        // What every connection of the database is doing: a stuck worker shows up here.
        const { rows } = await sql<Record<string, unknown>>`
          select pid, application_name, state, wait_event_type, wait_event,
            round(extract(epoch from now() - query_start)::numeric, 1) as seconds, left(query, 160) as query
          from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
          order by query_start
        `.execute(handle.db);
        throw new Error(
          `the workers did not finish:\n${workers.map((worker) => worker.output().slice(-3000)).join('\n')}\n` +
            `connections:\n${rows.map((row) => JSON.stringify(row)).join('\n')}`,
        );
      }
      for (const worker of workers) {
        if (worker.child.exitCode !== null)
          throw new Error(`a worker exited:\n${worker.output().slice(-2000)}`);
      }
      await sleep(500);
    }
    console.log(`[scale-out] workers quiet at ${seconds()} s`);
    // Stopped cleanly (SIGTERM: in-flight syncs finish, unstarted leases go back), so nothing moves now.
    for (const worker of workers) worker.kill('SIGTERM');
    for (const worker of workers) expect((await worker.exited).code, worker.output().slice(-2000)).toBe(0);

    // Every car of the cloud is one car here (both workers linked every owner), synced.
    const vehicles = await handle.db
      .selectFrom('car_account_vehicles as l')
      .innerJoin('sync_state as s', 's.vehicle_id', 'l.vehicle_id')
      .select(['l.vehicle_id', 'l.provider_vehicle_id', 's.last_synced_at'])
      .execute();
    const kineticId = new Map(vehicles.map((row) => [row.provider_vehicle_id, row.vehicle_id]));
    expect(vehicles).toHaveLength(cars);
    expect(kineticId.size).toBe(cars);
    expect(
      Number(
        (
          await handle.db
            .selectFrom('vehicles')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(cars);
    expect(vehicles.filter((row) => row.last_synced_at === null)).toEqual([]);
    expect((await checkIntegrity(handle.db, undefined)).problems).toEqual([]);

    // 1. The database's record of leases: per car, one holder at a time, every lease given back.
    const workerOf = (owner: string) =>
      workers.findIndex((worker) => owner.split(':')[1] === String(worker.pid));
    const audit = await readLeaseAudit(handle.db);
    const leases = leaseIntervals(audit);
    expect(leases.problems).toEqual([]);
    expect(audit.filter((row) => row.event === 'lease' && row.previous_owner !== null)).toEqual([]);
    expect(leases.intervals.every((lease) => workerOf(lease.worker) >= 0)).toBe(true);
    const syncedBy = [0, 1].map((index) =>
      leases.intervals.filter((lease) => lease.synced && workerOf(lease.worker) === index),
    );
    const carsBy = syncedBy.map((list) => new Set(list.map((lease) => lease.vehicle)));
    const syncedCars = new Set(
      leases.intervals.filter((lease) => lease.synced).map((lease) => lease.vehicle),
    );
    expect(syncedCars.size).toBe(cars);
    // Both did work: each synced cars of its own. A pass leases at most WORKER_DEFAULTS.batchSize
    // cars (16) and the next waits for it, so one worker never holds the whole fleet; a share of
    // at least MIN_CARS_PER_WORKER each says the other was not left idle.
    expect(cars).toBeGreaterThan(2 * WORKER_DEFAULTS.batchSize);
    for (const [index, set] of carsBy.entries()) {
      expect(set.size, `worker ${index + 1}'s cars`).toBeGreaterThanOrEqual(MIN_CARS_PER_WORKER);
    }
    const sharedCars = [...(carsBy[0] as Set<string>)].filter((car) => carsBy[1]?.has(car)).length;

    // 2. The cloud's record: who asked about which car, when.
    const { syncs, orphans } = cloudSyncs(cloudLog.requests);
    expect(orphans).toEqual([]);
    expect(cloudLog.overlaps).toEqual([]);
    expect(cloudLog.requests.filter((request) => request.endedAt === null)).toEqual([]);
    const aborted = cloudLog.requests.filter((request) => request.aborted).length;
    expect(syncs.filter((sync) => sync.listeners.size !== 1)).toEqual([]);
    expect(syncs.filter((sync) => sync.listeners.has(0))).toEqual([]);
    const bySyncCar = new Map<string, typeof syncs>();
    for (const sync of syncs) bySyncCar.set(sync.vehicle, [...(bySyncCar.get(sync.vehicle) ?? []), sync]);
    const overlapping = [...bySyncCar.values()].flatMap((list) =>
      list.slice(1).filter((sync, index) => sync.startedAt < (list[index] as (typeof list)[number]).endedAt),
    );
    expect(overlapping).toEqual([]);

    // 3. Both records together: each request inside a lease of its own worker, and as many syncs.
    const outsideLease = cloudLog.requests.filter((request) => {
      const vehicle = kineticId.get(request.vehicle);
      const worker = request.listener - 1;
      return !leases.intervals.some(
        (lease) =>
          lease.vehicle === vehicle &&
          workerOf(lease.worker) === worker &&
          Math.floor(lease.fromMicros / 1000) <= request.startedAt &&
          // A request given up on may end after its lease: the cloud notices the closed
          // connection only once it has computed the answer.
          (request.aborted ? request.startedAt : (request.endedAt as number)) <=
            Math.ceil(lease.toMicros / 1000),
      );
    });
    expect(outsideLease).toEqual([]);
    for (const [index, list] of syncedBy.entries()) {
      expect(
        syncs.filter((sync) => sync.listeners.has(index + 1)).length,
        `worker ${index + 1}'s syncs`,
      ).toBe(list.length);
    }

    console.log(
      `[scale-out] ${cars} cars, ${syncs.length} syncs (${syncedBy.map((list) => list.length).join(' + ')} by worker; ` +
        `${carsBy.map((set) => set.size).join(' and ')} cars each, ${sharedCars} synced by both at different times), ` +
        `${cloudLog.requests.length} requests of syncs to the cloud (${aborted} given up on; and ` +
        `${cloudLog.otherCarRequests()} about cars' callbacks), at most ${cloudLog.maxInFlightPerCar()} in flight per car; ` +
        `0 double syncs, 0 requests outside their worker's lease`,
    );
  });

  /**
   * One owner's dashboard data read through both instances with the same cookies: every answer
   * 200 and equal on both, and the counts equal to the database's.
   */
  async function compareOwner(browser: BrowserSession, ranked: number) {
    const both = async <T = unknown>(route: string): Promise<T> => {
      const [a, b] = await onBoth(browser, route);
      expect(a.status, `${route} on instance 1`).toBe(200);
      expect(b.status, `${route} on instance 2`).toBe(200);
      expect(b.body, route).toEqual(a.body);
      return a.body as T;
    };
    /** Every page of a keyset-paged list. */
    const allPages = async <T>(route: string, key: string): Promise<{ items: T[]; first: unknown }> => {
      const items: T[] = [];
      let first: unknown;
      let cursor: string | null = null;
      do {
        const page = await both<Record<string, unknown>>(
          `${route}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        first ??= page;
        items.push(...(page[key] as T[]));
        cursor = page.nextCursor as string | null;
      } while (cursor);
      return { items, first };
    };

    const { vehicles } = await both<{ vehicles: Array<{ id: string }> }>('/api/vehicles');
    expect(vehicles.length).toBeGreaterThan(0);
    const vehicleIds = vehicles.map((vehicle) => vehicle.id);
    await both('/api/car-accounts');
    await both('/api/alerts/summary');
    const alerts = await allPages<{ id: string }>('/api/alerts?state=all&limit=100', 'alerts');
    const trips = await allPages<{ id: string }>('/api/trips?limit=100', 'trips');
    const count = async (table: 'trips' | 'alerts') =>
      Number(
        (
          await handle.db
            .selectFrom(table)
            .where('vehicle_id', 'in', vehicleIds)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(trips.items.length).toBe(await count('trips'));
    expect((trips.first as { totals: { count: number } }).totals.count).toBe(trips.items.length);
    expect(alerts.items.length).toBe(await count('alerts'));

    // A cached answer from one instance is current on the other: the ETag is the body's.
    const route = `/api/trips?limit=100&vehicleId=${vehicleIds[0]}`;
    const fresh = await getJson(browser, `${one().url}${route}`);
    expect(fresh.etag).not.toBeNull();
    const revalidated = await browser.fetch(`${two().url}${route}`, {
      headers: { 'if-none-match': fresh.etag as string },
    });
    expect(revalidated.status).toBe(304);

    let publishedPages = 0;
    for (const id of vehicleIds) {
      await both(`/api/vehicles/${id}/score`);
      for (const board of ['everyone', 'peer', 'model']) {
        const page = await both<{ ranked: number; published: boolean; entries: unknown[] }>(
          `/api/vehicles/${id}/leaderboard?board=${board}`,
        );
        if (board === 'everyone') expect(page.ranked).toBe(ranked);
        if (page.published && page.entries.length > 0) publishedPages++;
      }
    }
    return {
      vehicleIds,
      cars: vehicles.length,
      trips: trips.items.length,
      alerts: alerts.items.length,
      publishedPages,
    };
  }

  it('counts and leaderboards read through either instance agree, with each other and with the database', async () => {
    // The standings' bins that two workers kept: each ranked car counted once on each of its boards.
    const standings = await handle.db
      .selectFrom('vehicle_standings')
      .select(['peer_group', 'model', 'bin'])
      .where('bin', 'is not', null)
      .execute();
    const expectedBins = new Map<string, number>();
    for (const row of standings) {
      for (const board of boardsOf({ peerGroup: row.peer_group as string, model: row.model as string })) {
        const key = `${board}|${row.bin}`;
        expectedBins.set(key, (expectedBins.get(key) ?? 0) + 1);
      }
    }
    const bins = await handle.db
      .selectFrom('standing_bins')
      .select(['board', 'bin', 'count'])
      .where('count', '>', 0)
      .execute();
    expect(new Map(bins.map((row) => [`${row.board}|${row.bin}`, Number(row.count)]))).toEqual(expectedBins);

    const ranked = standings.length;

    // Two owners: the demo owner ("Try the demo", signed in on instance 1), and the peer whose cars
    // have the most alerts, given a password as the operator would and signed in on instance 2.
    const demo = createBrowserSession();
    await signIn(demo, one().url, 'demo');
    const busiest = await handle.db
      .selectFrom('users as u')
      .innerJoin('vehicles as v', 'v.user_id', 'u.id')
      .innerJoin('alerts as a', 'a.vehicle_id', 'v.id')
      .select(['u.id', 'u.email', (eb) => eb.fn.countAll().as('alerts')])
      .where('u.email', 'like', '%@peers.kinetic.local')
      .groupBy(['u.id', 'u.email'])
      .orderBy('alerts', 'desc')
      .orderBy('u.email')
      .executeTakeFirstOrThrow();
    await setPasswordHash(handle.db, busiest.id, await hashPassword(PASSWORD));
    const peer = createBrowserSession();
    await signIn(peer, two().url, 'credentials', { email: busiest.email, password: PASSWORD });

    const seen: Awaited<ReturnType<typeof compareOwner>>[] = [];
    for (const browser of [demo, peer]) seen.push(await compareOwner(browser, ranked));
    const total = (key: 'cars' | 'trips' | 'alerts' | 'publishedPages') =>
      seen.reduce((sum, owner) => sum + owner[key], 0);
    expect(total('alerts')).toBeGreaterThan(0);
    expect(total('trips')).toBeGreaterThan(0);
    // Pages with entries were compared (the peers are listed; enough of them rank).
    expect(total('publishedPages')).toBeGreaterThan(0);

    // A write on instance 1 is what instance 2 reads: the demo car joins the public boards.
    const car = seen[0]?.vehicleIds[0] as string;
    const joined = await getJson(demo, `${one().url}/api/vehicles/${car}/leaderboard/listing`, {
      method: 'PUT',
    });
    expect(joined.status).toBe(200);
    const [first, second] = await onBoth(demo, `/api/vehicles/${car}/leaderboard?board=everyone`);
    expect(second.body).toEqual(first.body);
    expect((second.body as { me: unknown }).me).toMatchObject({
      listed: true,
      pseudonym: (joined.body as { pseudonym: string }).pseudonym,
    });

    // Nothing was shared, or even written, through the processes' data folders, nor the build.
    for (const dir of dataDirs) expect(readdirSync(dir), dir).toEqual([]);
    expect(lastWrite(path.join(root, '.next'))).toEqual(build);
    console.log(
      `[scale-out] both instances agree, for two owners: ${total('cars')} cars, ${total('trips')} trips, ` +
        `${total('alerts')} alerts, ${total('publishedPages')} leaderboard pages with entries (${ranked} cars ranked), ` +
        `at ${seconds()} s`,
    );
  });
});
