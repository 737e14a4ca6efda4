import { loadProjectEnv } from './support/load-env';
import { simulatorProcess, supervise } from './support/supervisor';

// `npm run dev`: the development server with the embedded default's database, demo and simulator.
loadProjectEnv('development');
process.env.DEMO ??= '1';
process.env.SIM_TEST_TOKENS ??= '1';
process.env.NEXT_TELEMETRY_DISABLED = '1';

const { loadServerEnv } = await import('./support/server-env');
const env = await loadServerEnv();
const { prepareInstallation } = await import('../lib/setup');
await prepareInstallation(env);

supervise([
  simulatorProcess(process.env),
  {
    name: 'app',
    command: 'node_modules/.bin/next',
    args: ['dev', '--port', String(env.PORT)],
    env: process.env,
  },
]);
