import { loadProjectEnv } from './support/load-env';

loadProjectEnv();
const { loadServerEnv } = await import('./support/server-env');
const env = await loadServerEnv();
const { prepareInstallation } = await import('../lib/setup');
const { applied } = await prepareInstallation(env);
console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is current.');
