import { defineConfig, devices } from '@playwright/test';
import {
  APP_DATA_DIR,
  APP_PORT,
  APP_SIMULATOR_PORT,
  APP_URL,
  E2E_LINKED_PEERS,
  E2E_SIM_PEERS,
  NO_PROXY_DATA_DIR,
  NO_PROXY_PORT,
  NO_PROXY_SIMULATOR_PORT,
} from './e2e/support/servers';
import { CHROMIUM_ARGS, DEBIAN_CHROMIUM } from './scripts/support/chromium-flags';

const CI = Boolean(process.env.CI);

// Debian's Chromium: Playwright's own download cannot be reached from here.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM,
  args: ['--headless', ...CHROMIUM_ARGS],
};

function server(port: number, simulatorPort: number, dataDir: string, extraEnv: Record<string, string> = {}) {
  return {
    command: 'node_modules/.bin/tsx --conditions=react-server scripts/e2e-server.ts',
    url: `http://localhost:${port}/api/health`,
    timeout: 180_000,
    // Never reuse: a server left from an earlier run may be serving an older build.
    reuseExistingServer: false,
    // The supervisor stops its children on SIGTERM; the default SIGKILL would orphan them.
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      PORT: String(port),
      SIM_PORT: String(simulatorPort),
      SIM_PEERS: String(E2E_SIM_PEERS),
      DEMO_LINKED_PEERS: String(E2E_LINKED_PEERS),
      KINETIC_DATA_DIR: dataDir,
      DEMO: '1',
      NEXT_TELEMETRY_DISABLED: '1',
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: './e2e',
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: CI ? 'line' : 'list',
  use: { baseURL: APP_URL, launchOptions, trace: 'retain-on-failure' },
  webServer: [
    server(APP_PORT, APP_SIMULATOR_PORT, APP_DATA_DIR),
    // Only the anonymous-access suite browses this one, with accounts it writes itself: no demo and
    // no simulated peers, so its worker and simulator idle instead of syncing a world all run long.
    server(NO_PROXY_PORT, NO_PROXY_SIMULATOR_PORT, NO_PROXY_DATA_DIR, {
      KINETIC_PROXY_AUTH: 'off',
      DEMO: '0',
      SIM_PEERS: '0',
      DEMO_LINKED_PEERS: '0',
    }),
  ],
  projects: [
    { name: 'api', testMatch: 'api/**/*.spec.ts', use: { ...devices['Desktop Chrome'] } },
    { name: 'desktop', testIgnore: 'api/**', use: { ...devices['Desktop Chrome'] } },
    // The phone runs the journeys whose layout or input differs on a phone (tagged @phone: the
    // issue's walk-through, navigation, charts and zoom, the offline glance, the page tour). Flows
    // that only exercise the server (throttling, sessions, the CLI, exports, refusals) run once, on
    // the desktop: twice would only double the suite's time on two cores.
    { name: 'mobile', testIgnore: 'api/**', grep: /@phone/, use: { ...devices['Pixel 7'] } },
  ],
});
