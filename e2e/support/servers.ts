import path from 'node:path';

// Two instances of the same build: the normal one, and one with the proxy's optimistic redirect
// switched off, which proves that pages and routes are protected by the data layer itself.
export const APP_PORT = 3100;
export const NO_PROXY_PORT = 3101;
// Each instance runs its own simulated vehicle cloud, supervised beside it as `npm start` does.
export const APP_SIMULATOR_PORT = 4110;
export const NO_PROXY_SIMULATOR_PORT = 4111;
export const APP_SIMULATOR_URL = `http://localhost:${APP_SIMULATOR_PORT}`;
export const APP_URL = `http://localhost:${APP_PORT}`;
/** Peers each instance's simulated world holds, and its worker links and syncs in the background. */
export const E2E_SIM_PEERS = 4;
export const NO_PROXY_URL = `http://localhost:${NO_PROXY_PORT}`;

const root = path.resolve(import.meta.dirname, '..', '..');
export const APP_DATA_DIR = path.join(root, '.reports', 'e2e', 'app');
export const NO_PROXY_DATA_DIR = path.join(root, '.reports', 'e2e', 'no-proxy');
export const REPO_ROOT = root;

export function dataDirFor(baseUrl: string): string {
  return baseUrl === NO_PROXY_URL ? NO_PROXY_DATA_DIR : APP_DATA_DIR;
}
