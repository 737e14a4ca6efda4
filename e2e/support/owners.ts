import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { createUser, uiSignIn, uniqueEmail } from './accounts';
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

export type ImportedDrive = { vehicleId: string; tripIds: string[] };

/**
 * Imports the fixture's drive into a new car of the signed-in owner of `request`, through the
 * dashboard's own upload route (POST /api/imports, the import page's request).
 */
export async function importFixtureDrive(
  request: APIRequestContext,
  vehicle: string,
  fuel: 'petrol' | 'hybrid' = 'petrol',
): Promise<ImportedDrive> {
  const query = new URLSearchParams({
    vehicle,
    make: 'Seat',
    model: 'Leon',
    fuel,
    name: path.basename(DRIVE_FIXTURE),
  });
  const response = await request.post(`/api/imports?${query}`, {
    data: readFileSync(DRIVE_FIXTURE),
    headers: { 'content-type': 'text/csv' },
  });
  if (!response.ok())
    throw new Error(`the fixture's import answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as ImportedDrive;
}

/**
 * A fresh owner with one petrol car holding the fixture's drive, signed in on `page`. The drive
 * arrives through the upload route, not the CLI: a CLI process costs a tsx start-up per test on a
 * busy machine.
 */
export async function signInWithDrive(page: Page, tag: string): Promise<OwnerWithDrive> {
  const email = uniqueEmail(tag);
  await createUser(email);
  await uiSignIn(page, email);
  const report = await importFixtureDrive(page.request, 'Leon');
  const tripId = report.tripIds[0];
  if (!tripId) throw new Error('the fixture imported no trip');
  return { email, vehicleId: report.vehicleId, tripId };
}
