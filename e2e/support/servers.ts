import path from 'node:path';

// Two instances of the same build: the normal one, and one with the proxy's optimistic redirect
// switched off, which proves that pages and routes are protected by the data layer itself.
// E2E_PORT_OFFSET moves all four ports, so two checkouts can run their suites side by side.
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
export const APP_PORT = 3100 + offset;
export const NO_PROXY_PORT = 3101 + offset;
// Each instance runs its own simulated vehicle cloud, supervised beside it as `npm start` does.
export const APP_SIMULATOR_PORT = 4110 + offset;
export const NO_PROXY_SIMULATOR_PORT = 4111 + offset;
export const APP_SIMULATOR_URL = `http://localhost:${APP_SIMULATOR_PORT}`;
export const APP_URL = `http://localhost:${APP_PORT}`;
/** Peers the app instance's simulated world holds… */
export const E2E_SIM_PEERS = 4;
/** …of which its worker links and syncs this one in the background (a maker account another
 * Kinetic owner holds); the others (owners 2 to 4) are drivers new to Kinetic, who sign in or
 * connect with their maker account in the tests. Each linked peer is a month of history to sync
 * while the suite runs, so no more than the tests need. */
export const E2E_LINKED_PEERS = 1;
export const FIRST_UNLINKED_OWNER = E2E_LINKED_PEERS + 1;
export const NO_PROXY_URL = `http://localhost:${NO_PROXY_PORT}`;

const root = path.resolve(import.meta.dirname, '..', '..');
export const APP_DATA_DIR = path.join(root, '.reports', 'e2e', 'app');
export const NO_PROXY_DATA_DIR = path.join(root, '.reports', 'e2e', 'no-proxy');
export const REPO_ROOT = root;

export function dataDirFor(baseUrl: string): string {
  return baseUrl === NO_PROXY_URL ? NO_PROXY_DATA_DIR : APP_DATA_DIR;
}
