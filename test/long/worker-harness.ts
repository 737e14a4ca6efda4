import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SimClock } from '@/lib/simulator/clock';
import { createSimContext } from '@/lib/simulator/context';
import { FaultSwitchboard } from '@/lib/simulator/faults/switchboard';
import { oauthRoutes } from '@/lib/simulator/oauth/identity-provider';
import { createSimulatorServer } from '@/lib/simulator/server';
import { testRoutes } from '@/lib/simulator/test-endpoints';
import { createV4Routes } from '@/lib/simulator/v4/user-routes';

// TEST SUPPORT ONLY (long tests): the vehicle cloud in this process and the real sync worker
// (scripts/worker.ts) as a child process that the test can SIGKILL.

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The simulator with its /sim/* test endpoints, PSA v4 and the identity providers, on a free port,
 * its clock frozen at `now`. A frozen clock puts every call in one simulated second, so the
 * gateway's limits are lifted (as lib/worker/cloud-for-tests.ts does); `backfillDays: 0` serves
 * the clock's day only (from midnight UTC), which keeps a first sync small.
 */
export async function startFrozenCloud(options: {
  seed: string;
  peers: number;
  now: number;
  backfillDays: number;
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
  const server = createSimulatorServer(
    ctx,
    [oauthRoutes, testRoutes, createV4Routes({ rateLimit: { perSecond: 1e9, perDay: 1e9 } })],
    { webhooks: false },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { ctx, clock, server, port, origin: `http://127.0.0.1:${port}`, close };
}

/** A fresh TOKEN_ENCRYPTION_KEY, so the worker never creates a key file in the project's data folder. */
export const freshTokenKey = () => randomBytes(32).toString('base64');

/** The worker's configuration: the database, the cloud on `simPort`, the demo on, `peers` peers linked. */
export function workerEnv(input: {
  database: { url: string } | { sqliteFile: string };
  simPort: number;
  peers: number;
  tokenKey: string;
}): NodeJS.ProcessEnv {
  const { PATH, HOME, TMPDIR, LANG } = process.env;
  return {
    PATH,
    HOME,
    TMPDIR,
    LANG,
    NODE_ENV: 'production',
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
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
