import { readFile } from 'node:fs/promises';
import { signInAsDemo, signInWithDrive } from './support/owners';
import { expect, test } from './support/test';

// Trips end to end. Reading (the list, infinite scroll, a trip's route and summary, the CSV export)
// browses as the demo owner, whose month of driving fills several pages; tagging changes data, so
// it runs as a fresh owner with one imported drive (the desktop and phone projects run in
// parallel and must not race on the demo's tags).

const CSV_HEADER =
  'Trip ID,Vehicle,Started (UTC),Ended (UTC),Distance (km),Duration (s),Moving (s),Idle (s),' +
  'Average speed (km/h),Max speed (km/h),Fuel used (L),Energy used (kWh),' +
  'Fuel consumption (L/100km),Energy consumption (kWh/100km),Events,Tag';

test('lists the demo trips, loads more on scroll, opens a trip and exports CSV', { tag: '@phone' }, async ({
  page,
}) => {
  await signInAsDemo(page);
  await page.goto('/trips');
  await expect(page.getByRole('heading', { name: 'Trips', level: 1 })).toBeVisible();
  await expect(page.getByTestId('trip-totals')).toBeVisible();

  const rows = page.getByTestId('trip-list').getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  const firstPage = await rows.count();
  // A month of two cars' driving is more than one page (25): scrolling to the end loads more.
  expect(firstPage).toBe(25);
  await page.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(firstPage);

  // The CSV of the same filter, as a download.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^kinetic-trips-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = await download.path();
  const text = await readFile(file, 'utf8');
  const lines = text.split('\r\n');
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines.length).toBeGreaterThan(firstPage + 1);

  // The newest trip: its route and summary.
  await rows.first().getByRole('link').click();
  await page.waitForURL(/\/vehicles\/[^/]+\/trips\/[^/]+$/);
  await expect(page.getByRole('heading', { name: /^Trip of / })).toBeVisible();
  await expect(page.getByTestId('trip-summary')).toContainText('Distance');
  await expect(page.getByTestId('route-map')).toBeVisible();
  await expect(page.getByTestId('route-map').locator('path').first()).toHaveAttribute('d', /^M[\d.]+ [\d.]+/);
});

test('tags a trip business, keeps it after a reload, and clears it', async ({ page }) => {
  const owner = await signInWithDrive(page, 'trips-tag');
  await page.goto(`/vehicles/${owner.vehicleId}/trips/${owner.tripId}`);
  const tag = page.getByTestId('trip-tag');
  await expect(tag.getByRole('radio', { name: 'None' })).toBeChecked();

  await tag.getByRole('radio', { name: 'Business' }).check();
  await expect(tag.getByRole('radio', { name: 'Business' })).toBeChecked();
  await expect(tag).toContainText('Tag saved.');
  await page.reload();
  await expect(page.getByTestId('trip-tag').getByRole('radio', { name: 'Business' })).toBeChecked();

  // The list's tag filter finds it; the untagged filter does not.
  await page.goto('/trips?tag=business');
  await expect(page.getByTestId('trip-list').getByRole('listitem')).toHaveCount(1);
  await page.goto('/trips?tag=untagged');
  await expect(page.getByText('No trips match this filter.')).toBeVisible();

  await page.goto(`/vehicles/${owner.vehicleId}/trips/${owner.tripId}`);
  await page.getByTestId('trip-tag').getByRole('radio', { name: 'None' }).check();
  await expect(page.getByTestId('trip-tag')).toContainText('Tag saved.');
});
