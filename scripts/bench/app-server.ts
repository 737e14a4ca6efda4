import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ATTEMPTS, CONCURRENT_BUILD, ensureBuild, RETRY_DELAY_MS } from './ensure-build';

// Starts Kinetic the way `npm start` does, but on a spare port and a throwaway data folder, so a
// benchmark never touches the developer's `data/` or the app they may have running on 3000.

export type AppServer = {
  baseUrl: string;
  /** The embedded simulator's origin (`http://127.0.0.1:<SIM_PORT>`), for its /sim/* test endpoints. */
  simulatorUrl: string;
  startedAt: number;
  /** The app's KINETIC_DATA_DIR (its SQLite file is kinetic.db there). */
  dataDir: string;
  stop: () => Promise<void>;
};

const READY_TIMEOUT_MS = 10 * 60_000; // start.ts rebuilds first when the sources changed meanwhile.
const LOG_LINES = 40;

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, 'localhost', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port !== 0 && port !== 3000) return port;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type AppServerOptions = {
  /**
   * Variables set on top of the defaults below, e.g. `DATABASE_URL` (a benchmark's own PostgreSQL),
   * `SIM_PEERS` or `TOKEN_ENCRYPTION_KEY`.
   */
  env?: Record<string, string>;
};

export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  const port = await freePort();
  const simulatorPort = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kinetic-bench-data-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SIM_PORT: String(simulatorPort),
    KINETIC_DATA_DIR: dataDir,
    DEMO: '1',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  // A configured PostgreSQL would be shared with other work; the benchmark wants its own SQLite file
  // unless it brings its own database.
  delete env.DATABASE_URL;
  Object.assign(env, options.env);

  const startedAt = performance.now();
  // Own process group: start.ts puts next-server in a group of its own, and only a signal to the
  // whole group lets its supervisor stop that too.
  const child: ChildProcess = spawn(
    'node_modules/.bin/tsx',
    ['--conditions=react-server', 'scripts/start.ts'],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const pid = child.pid;
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    log.splice(0, Math.max(0, log.length - LOG_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let stopped = false;
  let ready = false;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // A server that dies mid-run turns every later figure into an error; its last words say why.
  child.once('exit', (code, signal) => {
    if (stopped || !ready) return;
    console.error(`[bench] the app stopped during the run (${signal ?? `exit ${code}`}); its last lines:`);
    for (const line of log) console.error(`[bench]   ${line}`);
  });

  // Last resort when bench.ts dies without reaching stop(): signals are synchronous, so they still go out.
  const onExit = () => {
    if (pid !== undefined) signalGroup(pid, 'SIGTERM');
  };
  process.once('exit', onExit);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
      // SIGTERM first: SIGKILL would leave next-server (in its own group) running as an orphan.
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    // The supervisor stops next-server before it exits; make sure the port really went quiet.
    for (let i = 0; i < 20 && (await answers(`${baseUrl}/api/health`)); i++) await sleep(500);
    if (await answers(`${baseUrl}/api/health`)) console.warn(`[bench] ${baseUrl} still answers after stop`);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the app exited before it was ready:\n${log.join('\n')}`);
      }
      if (await answers(`${baseUrl}/api/health`)) break;
      if (Date.now() > deadline) {
        throw new Error(`the app did not answer ${baseUrl}/api/health in time:\n${log.join('\n')}`);
      }
      await sleep(250);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  ready = true;
  return { baseUrl, simulatorUrl: `http://127.0.0.1:${simulatorPort}`, startedAt, dataDir, stop };
}

/**
 * Builds when the build is stale, then starts the app. start.ts builds again when the sources
 * changed after ensureBuild (others edit the app meanwhile), and that build can collide with
 * someone else's; both clear up once the other build ends.
 */
export async function startBuiltAppServer(root: string, options: AppServerOptions = {}): Promise<AppServer> {
  for (let attempt = 1; ; attempt++) {
    await ensureBuild(root);
    try {
      return await startAppServer(options);
    } catch (error) {
      if (attempt >= ATTEMPTS || !(error instanceof Error) || !CONCURRENT_BUILD.test(error.message))
        throw error;
      console.log(
        `[bench] the app's start-up build collided with another build; retrying in ${RETRY_DELAY_MS / 1000} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}
