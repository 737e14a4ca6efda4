import path from 'node:path';
import { createUser, uiSignIn, uniqueEmail } from './support/accounts';
import { REPO_ROOT } from './support/servers';
import { expect, test } from './support/test';

// The import page end to end: a small Torque log through the browser's real upload (XMLHttpRequest
// with progress) into POST /api/imports, and the report it answers. The fixture, counted by hand
// (see lib/import/upload.test.ts): 183 data rows, 181 imported, 1 repeated, 1 unreadable (line
// 104), one drive. Each run signs in a fresh owner rather than the shared demo owner: the desktop
// and phone projects run in parallel, and a second import of the same file into the same car would
// import nothing (by design), nor should a test leave an extra car in the demo world.

const FIXTURE = path.join(REPO_ROOT, 'e2e', 'fixtures', 'torque-short-drive.csv');

test('uploads a Torque log with a progress bar and shows the report', async ({ page }) => {
  const email = uniqueEmail('import');
  await createUser(email);
  await uiSignIn(page, email);
  await page.goto('/import');
  await expect(page.getByRole('heading', { name: 'Import an OBD-II log' })).toBeVisible();

  await page.getByLabel('OBD-II log (CSV)', { exact: true }).setInputFiles(FIXTURE);
  // A new owner has no car yet: "A new vehicle…" is the only choice, and its fields show.
  await expect(page.getByLabel('Vehicle', { exact: true })).toHaveValue('new');
  await page.getByLabel('Name', { exact: true }).fill('Leon');
  await page.getByLabel('Make', { exact: true }).fill('Seat');
  await page.getByLabel('Model', { exact: true }).fill('Leon');
  await page.getByLabel('Fuel', { exact: true }).selectOption('petrol');
  await page.getByRole('button', { name: 'Upload and import' }).click();

  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible({ timeout: 20_000 });
  const progress = page.getByRole('progressbar', { name: 'Upload progress' });
  await expect(progress).toHaveJSProperty('value', 100);
  await expect(page.getByTestId('upload-percent')).toHaveText('100 %');

  await expect(report.getByTestId('rows-read')).toHaveText('183');
  await expect(report.getByTestId('rows-imported')).toHaveText('181');
  await expect(report.getByTestId('rows-duplicate')).toHaveText('1');
  await expect(report.getByTestId('rows-rejected')).toHaveText('1');
  await expect(report.getByTestId('rejections').getByRole('listitem')).toHaveCount(1);
  await expect(report.getByTestId('rejections')).toContainText('Line 104:');
  const trips = report.getByTestId('trips').getByRole('link');
  await expect(trips).toHaveCount(1);
  await expect(trips.first()).toHaveAttribute('href', /^\/vehicles\/[^/]+\/trips\/[^/]+$/);
  await expect(page.getByTestId('import-error')).toHaveCount(0);

  // The new car is now the owner's: the page offers it for the next upload.
  await expect(
    page.getByLabel('Vehicle', { exact: true }).getByRole('option', { name: /^Leon/ }),
  ).toHaveCount(1);
});
