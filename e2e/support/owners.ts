import path from 'node:path';
import { type Page, test } from '@playwright/test';
import { createUser, runCli, uiSignIn, uniqueEmail } from './accounts';
import { REPO_ROOT } from './servers';

// Who a dashboard test browses as. The demo owner is shared by every test and both projects
// (desktop and phone run in parallel), so tests that CHANGE things (units, tags, deletion) browse
// as a fresh owner whose one car holds a short real drive imported from an OBD log; tests that
// only read, or change something they restore, may use the demo.

export const DRIVE_FIXTURE = path.join(REPO_ROOT, 'e2e', 'fixtures', 'torque-short-drive.csv');
/** The fixture's drive: 2 March 2026 from 07:00:00 UTC, 183 rows at 1 Hz. */
export const DRIVE_START = Date.UTC(2026, 2, 2, 7, 0, 0);

export async function signInAsDemo(page: Page): Promise<string> {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.waitForURL(/\/vehicles\/[^/]+$/, { timeout: 30_000 });
  return new URL(page.url()).pathname;
}

export type OwnerWithDrive = { email: string; vehicleId: string; tripId: string };

/** A fresh owner with one petrol car holding the fixture's drive, signed in on `page`. */
export async function signInWithDrive(page: Page, tag: string): Promise<OwnerWithDrive> {
  // A CLI process (tsx start-up and an import) comes on top of the test's own steps.
  test.info().setTimeout(test.info().timeout + 30_000);
  const email = uniqueEmail(tag);
  await createUser(email);
  const report = runCli([
    'import',
    DRIVE_FIXTURE,
    '--owner',
    email,
    '--vehicle',
    'Leon',
    '--make',
    'Seat',
    '--model',
    'Leon',
    '--fuel',
    'petrol',
  ]) as { vehicleId: string; tripIds: string[] };
  const tripId = report.tripIds[0];
  if (!tripId) throw new Error('the fixture imported no trip');
  await uiSignIn(page, email);
  return { email, vehicleId: report.vehicleId, tripId };
}
