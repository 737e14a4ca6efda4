import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './support/axe';
import { signInAsDemo } from './support/owners';
import { REPO_ROOT } from './support/servers';
import { expect, test } from './support/test';

// A walk through every dashboard page as the demo owner, on desktop and on a Pixel 7: each page
// renders its heading without an error, logs no console error, and passes axe at both sizes (the
// phone's layout, bottom bar and stacked cards, is different markup, not just narrower). Run by
// hand, it also leaves a full-page screenshot of each under test-results/screenshots/<project>/
// for people to look at (not compared pixel by pixel); CI keeps no artefact of a run, so there the
// screenshots are skipped (about a tenth of the walk's time) unless E2E_SCREENSHOTS=1 asks for them.
const SCREENSHOTS = !process.env.CI || process.env.E2E_SCREENSHOTS === '1';

// Thirteen pages, each with axe (and a screenshot): minutes on a busy 2-core machine. In
// two halves that may run side by side, so the walk is not the one long test the run waits for.
test.describe.configure({ timeout: 240_000, mode: 'parallel' });

type Stop = { name: string; path: (ids: DemoIds) => string };
type DemoIds = { combustion: string; electric: string; tripPath: string; chargePath: string | null };

const STOPS: readonly Stop[] = [
  { name: 'glance', path: (ids) => `/vehicles/${ids.combustion}` },
  { name: 'glance-electric', path: (ids) => `/vehicles/${ids.electric}` },
  // The week of today's UTC date (in any zone, a day of this week or the last).
  {
    name: 'charts',
    path: (ids) =>
      `/vehicles/${ids.combustion}/telemetry?range=week&from=${new Date().toISOString().slice(0, 10)}`,
  },
  { name: 'maintenance', path: (ids) => `/vehicles/${ids.combustion}/maintenance` },
  { name: 'score', path: (ids) => `/vehicles/${ids.combustion}/score` },
  { name: 'leaderboard', path: (ids) => `/vehicles/${ids.combustion}/leaderboard?board=everyone` },
  { name: 'charging', path: (ids) => `/vehicles/${ids.electric}/charging` },
  { name: 'charge', path: (ids) => ids.chargePath ?? `/vehicles/${ids.electric}/charging` },
  { name: 'trips', path: () => '/trips' },
  { name: 'trip', path: (ids) => ids.tripPath },
  { name: 'alerts', path: () => '/alerts' },
  { name: 'settings', path: () => '/settings' },
  { name: 'methodology', path: () => '/methodology' },
];

async function demoIds(page: Page): Promise<DemoIds> {
  const { vehicles } = (await (await page.request.get('/api/vehicles')).json()) as {
    vehicles: { id: string; powertrain: string }[];
  };
  const combustion = vehicles.find((vehicle) => vehicle.powertrain !== 'electric')?.id;
  const electric = vehicles.find((vehicle) => vehicle.powertrain === 'electric')?.id;
  if (!combustion || !electric)
    throw new Error('the demo owner should have a combustion and an electric car');
  const trips = (await (await page.request.get(`/api/trips?vehicleId=${combustion}&limit=1`)).json()) as {
    trips: { id: string }[];
  };
  const trip = trips.trips[0];
  if (!trip) throw new Error('the demo combustion car has no trip');
  const charges = (await (await page.request.get(`/api/charging?vehicleId=${electric}&limit=1`)).json()) as {
    charges: { id: string }[];
  };
  const charge = charges.charges[0];
  return {
    combustion,
    electric,
    tripPath: `/vehicles/${combustion}/trips/${trip.id}`,
    chargePath: charge ? `/vehicles/${electric}/charging/${charge.id}` : null,
  };
}

const HALVES = [STOPS.slice(0, 7), STOPS.slice(7)] as const;

for (const [index, stops] of HALVES.entries())
  test(
    `every dashboard page renders cleanly, passes axe, and is kept as a screenshot (part ${index + 1} of 2)`,
    { tag: '@phone' },
    async ({ page }, testInfo) => {
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error')
          consoleErrors.push(`${page.url()}: ${message.text()} (from ${message.location().url})`);
      });
      page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));

      await signInAsDemo(page);
      const ids = await demoIds(page);
      for (const stop of stops) {
        const response = await page.goto(stop.path(ids));
        expect(response?.status(), stop.name).toBe(200);
        await expect(page.getByRole('heading', { level: 1 }), stop.name).toBeVisible();
        await page.waitForLoadState('load');
        await expectNoSeriousViolations(page, stop.name);
        if (!SCREENSHOTS) continue;
        const file = `${REPO_ROOT}/test-results/screenshots/${testInfo.project.name}/${stop.name}.png`;
        await page.screenshot({ path: file, fullPage: true });
        await testInfo.attach(stop.name, { path: file, contentType: 'image/png' });
      }
      expect(consoleErrors).toEqual([]);
    },
  );
