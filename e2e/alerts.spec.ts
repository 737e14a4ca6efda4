import { readFile } from 'node:fs/promises';
import { giveOwnerAlert } from './support/owner-objects';
import { signInAsDemo, signInWithDrive } from './support/owners';
import { APP_URL } from './support/servers';
import { expect, test } from './support/test';

// Alerts and the service calendar. Reading and filtering use the demo owner (two simulated Peugeots
// with about 30 days of alerts and a service indicator). Acknowledging uses a fresh owner with one
// alert of its own: on the shared demo, the desktop and phone projects acknowledged the same list
// while live alerts kept arriving, and the card followed could slip off the first page.

test('acknowledges an alert and sees it marked', { tag: '@phone' }, async ({ page }) => {
  const owner = await signInWithDrive(page, 'ack');
  giveOwnerAlert(owner.vehicleId, APP_URL);
  await page.goto('/alerts?state=all');
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  // Grouped by severity: at least one group heading is there.
  await expect(
    page.getByRole('heading', { level: 2, name: /^(Critical|Warning|Information)/ }).first(),
  ).toBeVisible();

  const button = page.getByRole('button', { name: /^Acknowledge “/ }).first();
  await expect(button).toBeVisible();
  // Follow this card by its own id: once acknowledged, it no longer matches "has a button".
  const card = page.getByTestId('alert-card').filter({ has: button }).first();
  const cardId = await card.getAttribute('aria-labelledby');
  expect(cardId).toBeTruthy();
  const same = page.locator(`[aria-labelledby="${cardId}"]`);
  await expect(same).toContainText('Started');
  await expect(same).toContainText('Where');

  await button.click();
  await expect(same.getByTestId('alert-acknowledged')).toContainText('Acknowledged');

  // The server kept it: after a reload the card is still marked.
  await page.reload();
  await expect(page.locator(`[aria-labelledby="${cardId}"]`).getByTestId('alert-acknowledged')).toBeVisible();
});

test('filters alerts through the URL', async ({ page }) => {
  await signInAsDemo(page);
  await page.goto('/alerts?state=history&severity=warning');
  await expect(page.getByRole('link', { name: 'History' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByLabel('Severity')).toHaveValue('warning');
  // Only the warning group (or the empty message) shows.
  await expect(page.getByRole('heading', { level: 2, name: /^(Critical|Information)/ })).toHaveCount(0);
});

test('downloads the service date as an .ics calendar file', async ({ page }) => {
  const glance = await signInAsDemo(page);
  await page.goto(`${glance}/maintenance`);
  await expect(page.getByRole('heading', { level: 1, name: 'Maintenance' })).toBeVisible();
  await expect(page.getByTestId('service-forecast')).toBeVisible();

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: /Add to calendar/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^kinetic-service-.+\.ics$/);
  const path = await download.path();
  const text = await readFile(path, 'utf8');
  expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  expect(text).toContain('\r\nBEGIN:VEVENT\r\n');
  expect(text).toMatch(/\r\nDTSTART;VALUE=DATE:\d{8}\r\n/);
  expect(text).toMatch(/\r\nUID:service-[^\r\n]+@kinetic\r\n/);
  expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
});
