import { spawnSync } from 'node:child_process';
import { isBuildCurrent } from './support/build-hash';
import { loadProjectEnv } from './support/load-env';
import { simulatorProcess, supervise, waitForHttp, workerProcess } from './support/supervisor';

// `npm start`: Kinetic in production mode. Builds when there is no build or the sources changed,
// brings the database to the latest schema, then supervises the simulator, the app and the sync
// worker until Ctrl-C (any one stopping stops all three).

Object.assign(process.env, { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' });
loadProjectEnv('production');
// The embedded default: no real provider is configured, so the demo and the simulated vehicle
// cloud (with its test endpoints) are on unless turned off. A configured PSA application turns
// both off (interfaces.md › Addresses and processes).
const { realProviderConfigured } = await import('../lib/env-schema');
const embedded = !realProviderConfigured(process.env);
if (embedded) {
  process.env.DEMO ??= '1';
  process.env.SIM_TEST_TOKENS ??= '1';
}

const { loadServerEnv } = await import('./support/server-env');
const env = await loadServerEnv();
const { prepareInstallation } = await import('../lib/setup');

const root = process.cwd();
if (!isBuildCurrent(root)) {
  console.log('[start] building Kinetic (first start or changed sources)…');
  const build = spawnSync('node_modules/.bin/tsx', ['--conditions=react-server', 'scripts/build.ts'], {
    stdio: 'inherit',
    env: process.env,
  });
  if (build.status !== 0) {
    console.error('[start] the build failed; see above.');
    process.exit(1);
  }
}

const { applied } = await prepareInstallation(env).catch((error: unknown) => {
  // A missing secret or an unreachable database: the message says which, a stack would not help.
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
if (applied.length > 0) console.log(`[start] applied migrations: ${applied.join(', ')}`);
console.log(
  `[start] database: ${env.databaseEngine === 'sqlite' ? `SQLite under ${env.dataDir}` : 'PostgreSQL'}`,
);

supervise([
  ...(embedded ? [simulatorProcess(process.env)] : []),
  {
    name: 'app',
    command: 'node_modules/.bin/next',
    // Idle keep-alive sockets live 65 s, longer than the usual load balancer's 60 s, so a client
    // never reuses a socket the server is closing at that very moment (an ECONNRESET race).
    args: ['start', '--port', String(env.PORT), '--keepAliveTimeout', '65000'],
    env: process.env,
  },
  // After the migrations above; it waits for the simulator itself, then links the demo and syncs.
  workerProcess(process.env),
]);

if (await waitForHttp(`http://localhost:${env.PORT}/api/health`, 60_000)) {
  console.log(
    `[start] Kinetic is ready on http://localhost:${env.PORT}${env.DEMO ? ' (demo: press "Try the demo")' : ''}`,
  );
} else {
  console.error('[start] the app did not answer /api/health within 60 s.');
}
