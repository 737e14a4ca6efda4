import { setPriority } from 'node:os';
import { loadProjectEnv } from './support/load-env';

// `npm run simulator`: the simulated vehicle cloud on SIM_PORT (default 4010).
loadProjectEnv('production');
// The cloud generates physics on demand, heavily while the worker backfills the demo's peers: a
// slightly lower priority (nice 5; the worker runs at 10) keeps the dashboard responsive meanwhile.
try {
  setPriority(5);
} catch {
  // Not permitted here: run at the normal priority.
}
const { loadServerEnv } = await import('./support/server-env');
const env = await loadServerEnv();
const { createSimContext } = await import('../lib/simulator/context');
const { createSimulatorServer } = await import('../lib/simulator/server');

const { FaultSwitchboard } = await import('../lib/simulator/faults/switchboard');
// SIM_FAULTS was validated with the env; SIM_SEED also seeds which requests the faults hit.
const faults = new FaultSwitchboard(env.SIM_FAULTS, { seed: env.SIM_SEED });
const ctx = createSimContext({
  seed: env.SIM_SEED,
  peers: env.SIM_PEERS,
  backfillDays: env.SIM_BACKFILL_DAYS,
  testEndpoints: env.SIM_TEST_TOKENS,
  faults,
});
const { world } = ctx;
const server = createSimulatorServer(ctx);

function faultsNote(count: number): string {
  if (count === 0) return '';
  return `, ${count} fault rule${count === 1 ? '' : 's'} from SIM_FAULTS`;
}

server.on('error', (error) => {
  console.error(`[simulator] cannot listen on port ${env.SIM_PORT}: ${error.message}`);
  process.exit(1);
});
server.listen(env.SIM_PORT, () => {
  console.log(
    `Vehicle cloud on http://localhost:${env.SIM_PORT} — seed "${env.SIM_SEED}", ${world.ownerCount} owners` +
      (env.SIM_TEST_TOKENS ? ', test endpoints on' : '') +
      faultsNote(faults.get().rules.length),
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
