import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sqlitePathFor } from '@/lib/db/client';
import { SimClock } from '@/lib/simulator/clock';
import type { SimContext } from '@/lib/simulator/context';
import { createSimContext } from '@/lib/simulator/context';
import { FaultSwitchboard } from '@/lib/simulator/faults/switchboard';
import { oauthRoutes } from '@/lib/simulator/oauth/identity-provider';
import { createSimulatorServer } from '@/lib/simulator/server';
import { testRoutes } from '@/lib/simulator/test-endpoints';
import { createV4Routes } from '@/lib/simulator/v4/user-routes';
import type { TestDatabase } from '@/test/db-harness';

// TEST SUPPORT ONLY (long tests): the vehicle cloud in this process and the real sync worker
// (scripts/worker.ts) as a child process that the test can SIGKILL.

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Sees every request a cloud listener receives, before the simulator answers it. */
export type CloudRequestObserver = (
  request: IncomingMessage,
  response: ServerResponse,
  listener: number,
) => void;

/**
 * The simulator with its /sim/* test endpoints, PSA v4 and the identity providers, on a free port,
 * its clock frozen at `now`. A frozen clock puts every call in one simulated second, so the
 * gateway's limits are lifted (as lib/worker/cloud-for-tests.ts does); `backfillDays: 0` serves
 * the clock's day only (from midnight UTC), which keeps a first sync small.
 *
 * `listeners` (default 1) serves the same cloud on that many ports, one server each over the one
 * world, clock and v4 family: giving each client process its own port (its SIM_PORT) tells the
 * cloud which process sent a request, which `observe` is told.
 */
export async function startFrozenCloud(options: {
  seed: string;
  peers: number;
  now: number;
  backfillDays: number;
  listeners?: number;
  observe?: CloudRequestObserver;
}) {
  const clock = new SimClock({ now: options.now, frozen: true });
  const ctx = createSimContext({
    seed: options.seed,
    peers: options.peers,
    backfillDays: options.backfillDays,
    clock,
    testEndpoints: true,
    faults: new FaultSwitchboard(undefined, { seed: options.seed }),
  });
  const families = [oauthRoutes, testRoutes, createV4Routes({ rateLimit: { perSecond: 1e9, perDay: 1e9 } })];
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let listener = 0; listener < (options.listeners ?? 1); listener++) {
    const server = createSimulatorServer(ctx, families, { webhooks: false });
    const { observe } = options;
    // Ahead of the simulator's own handler, so the observer sees the request arrive first.
    if (observe)
      server.prependListener('request', (request, response) => observe(request, response, listener));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    ports.push((server.address() as AddressInfo).port);
  }
  const port = ports[0] as number;
  const close = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    ).then(() => undefined);
  return { ctx, clock, server: servers[0] as Server, port, ports, origin: `http://127.0.0.1:${port}`, close };
}

export type FrozenCloud = Awaited<ReturnType<typeof startFrozenCloud>>;

/** Every car of the cloud's world: the demo owner's and each peer's, with its owner's index. */
export function worldCars(ctx: SimContext) {
  return Array.from({ length: ctx.world.ownerCount }, (_, ownerIndex) =>
    ctx.world
      .ownerAt(ownerIndex)
      .vehicles.map((vehicle) => ({ ownerIndex, id: vehicle.id, vin: vehicle.vin })),
  ).flat();
}

/**
 * Counts the requests the cloud receives, per name, for which `kinds[name]` says yes to the path
 * (faulted or not: the count is taken before the fault layer decides).
 */
export function countRequests<K extends string>(server: Server, kinds: Record<K, (path: string) => boolean>) {
  const names = Object.keys(kinds) as K[];
  const counts = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  const listener = (request: { url?: string }) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    for (const name of names) if (kinds[name](path)) counts[name]++;
  };
  server.on('request', listener);
  return {
    counts: () => ({ ...counts }),
    stop: () => {
      server.off('request', listener);
    },
  };
}

/** One worker configuration over one test database: what the long tests drive rounds on. */
export type WorkerRun = { db: TestDatabase; env: NodeJS.ProcessEnv; sqliteFile: string | undefined };

export function workerRun(db: TestDatabase, simPort: number, peers: number, tokenKey: string): WorkerRun {
  const sqliteFile = db.engine === 'sqlite' ? sqlitePathFor(db.env) : undefined;
  const database = sqliteFile ? { sqliteFile } : { url: db.env.DATABASE_URL as string };
  return { db, sqliteFile, env: workerEnv({ database, simPort, peers, tokenKey }) };
}

/** Makes every car due now, as the passing of its cadence would. */
export async function makeEveryCarDue(run: WorkerRun): Promise<void> {
  await run.db.db.updateTable('sync_state').set({ next_sync_at: 0 }).execute();
}

/** A fresh TOKEN_ENCRYPTION_KEY, so the worker never creates a key file in the project's data folder. */
export const freshTokenKey = () => randomBytes(32).toString('base64');

/**
 * What every process a long test starts inherits: the shell's PATH, HOME, TMPDIR and LANG and
 * production mode, and nothing else of the test's environment (no stray DATABASE_URL or secrets).
 */
export function productionEnv(): NodeJS.ProcessEnv {
  const { PATH, HOME, TMPDIR, LANG } = process.env;
  return { PATH, HOME, TMPDIR, LANG, NODE_ENV: 'production' };
}

/** The worker's configuration: the database, the cloud on `simPort`, the demo on, `peers` peers linked. */
export function workerEnv(input: {
  database: { url: string } | { sqliteFile: string };
  simPort: number;
  peers: number;
  tokenKey: string;
}): NodeJS.ProcessEnv {
  return {
    ...productionEnv(),
    DATABASE_URL: 'url' in input.database ? input.database.url : `file:${input.database.sqliteFile}`,
    TOKEN_ENCRYPTION_KEY: input.tokenKey,
    DEMO: '1',
    SIM_TEST_TOKENS: '1',
    SIM_PORT: String(input.simPort),
    SIM_PEERS: String(input.peers),
  };
}

export type ChildUnderTest = {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when a line matching `pattern` is printed (rejects if the process exits first). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
};

export type WorkerChild = ChildUnderTest;

/**
 * One node process running `args` from the project's folder, its output kept. Started without npm
 * or a CLI wrapper in between, so the pid is the process's own (SIGKILL reaches it).
 */
export function spawnChild(name: string, args: string[], env: NodeJS.ProcessEnv): ChildUnderTest {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`the ${name} did not start`);
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
    for (const waiter of waiters) waiter();
  });
  return {
    pid: child.pid,
    child,
    output: () => text,
    exited,
    kill: (signal) => {
      if (!gone) child.kill(signal);
    },
    waitFor(pattern, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`the ${name} printed no ${pattern} within ${timeoutMs} ms:\n${text.slice(-2000)}`),
          );
        }, timeoutMs);
        function check() {
          if (pattern.test(text)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (gone) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`the ${name} exited before printing ${pattern}:\n${text.slice(-2000)}`));
          }
        }
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * `npm run worker` without npm and tsx's CLI wrapper in between: one node process with tsx as a
 * loader, so the pid is the worker's own (SIGKILL reaches it, and its lease owner id names it).
 */
export function spawnWorker(env: NodeJS.ProcessEnv): WorkerChild {
  return spawnChild('worker', ['--conditions=react-server', '--import', 'tsx', 'scripts/worker.ts'], env);
}

/** A small seeded generator (mulberry32), so a failing run can be replayed from its printed seed. */
export { seededRandom } from '@/scripts/support/seeded-random';
