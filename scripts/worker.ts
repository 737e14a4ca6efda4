import { setPriority } from 'node:os';
import { loadProjectEnv } from './support/load-env';

// `npm run worker`: the sync worker (lib/worker/run-worker.ts), supervised by `npm start`. SIGTERM
// or Ctrl-C: in-flight syncs finish and record, unstarted leases are given back, then it exits.
loadProjectEnv('production');
// Background work: backfilling a month for every linked car is CPU-heavy, and on a small machine
// the dashboard must stay responsive meanwhile. A lower scheduling priority (nice 10) lets the app
// and the simulator go first; the worker still gets every idle cycle.
try {
  setPriority(10);
} catch {
  // Not permitted here (some containers): run at the normal priority.
}
const { loadServerEnv } = await import('./support/server-env');
const env = await loadServerEnv();
const { getDbHandle } = await import('../lib/db');
const { tokenCipherFromEnv } = await import('../lib/crypto/token-cipher');
const { startWorkerProcess } = await import('../lib/worker/run-worker');

const handle = getDbHandle();
let running: Awaited<ReturnType<typeof startWorkerProcess>>;
try {
  running = await startWorkerProcess({ env, db: handle.db, cipher: tokenCipherFromEnv(env) });
} catch (error) {
  console.error(`[worker] ${error instanceof Error ? error.message : String(error)}`);
  await handle.close();
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing in-flight syncs…`);
    void running
      .stop()
      .then(() => handle.close())
      .then(() => process.exit(0));
  });
}
