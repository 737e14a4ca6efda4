import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { createUser, PASSWORD, uiSignIn, uniqueEmail } from './support/accounts';
import { signInAsDemo, signInWithDrive } from './support/owners';
import { expect, test } from './support/test';

// Settings end to end: units, language, export and account deletion. The demo owner is shared by
// the desktop and phone projects running side by side, so only the refusal to delete it uses it;
// units (with an imported drive to show), language, export (5 an hour per owner) and deletion use
// a fresh owner each.

async function saveUnits(page: Page, speed: 'kmh' | 'mph'): Promise<void> {
  await page.goto('/settings');
  const units = page.getByTestId('settings-units');
  await units.getByLabel('Speed and distance').selectOption(speed);
  await units.getByRole('button', { name: 'Save units' }).click();
  await expect(units.getByRole('status')).toHaveText('Saved.');
}

test('a trip speaks mph and miles once the units say so', { tag: '@phone' }, async ({ page }) => {
  // A fresh owner: the demo is shared by both projects, and a units change would race.
  const owner = await signInWithDrive(page, 'units');
  const trip = `/vehicles/${owner.vehicleId}/trips/${owner.tripId}`;
  await page.goto(trip);
  await expect(page.getByRole('main')).toContainText(/\bkm\/h\b/);
  await saveUnits(page, 'mph');
  await page.goto(trip);
  await expect(page.getByRole('main')).toContainText(/\bmph\b/);
  await expect(page.getByRole('main')).toContainText(/\d mi/);
  await expect(page.getByRole('main')).not.toContainText(/\bkm\/h\b/);
});

test('switches the language to French and back', async ({ page }) => {
  const email = uniqueEmail('language');
  await createUser(email);
  await uiSignIn(page, email);
  await page.goto('/settings');
  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('fr');
  await page.getByRole('button', { name: 'Save language' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Réglages' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  // It sticks across a full reload (the cookie), then back to English.
  await page.reload();
  await page.getByRole('combobox', { name: 'Langue', exact: true }).selectOption('en');
  await page.getByRole('button', { name: 'Enregistrer la langue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('exports all the data as a JSON download', async ({ page }) => {
  const email = uniqueEmail('export');
  await createUser(email);
  await uiSignIn(page, email);
  await page.goto('/settings');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^kinetic-export-\d{4}-\d{2}-\d{2}\.json$/);
  const file = await download.path();
  const document = JSON.parse(await readFile(file, 'utf8')) as {
    format: string;
    tables: Record<string, Record<string, unknown>[]>;
  };
  expect(document.format).toBe('kinetic-export');
  expect(document.tables.users?.[0]?.email).toBe(email.toLowerCase());
  expect(document.tables.users?.[0]).not.toHaveProperty('password_hash');
  expect(document.tables.sessions?.length).toBeGreaterThanOrEqual(1);
});

test('the demo account cannot be deleted', async ({ page }) => {
  await signInAsDemo(page);
  await page.goto('/settings');
  const section = page.getByTestId('settings-delete');
  await expect(section).toContainText('The shared demo account cannot be deleted.');
  await section.getByLabel('Type your e-mail address or DELETE to confirm').fill('DELETE');
  await section.getByRole('button', { name: 'Delete my account and data' }).click();
  await expect(section).toContainText('is shared by every visitor, so it cannot be deleted. Create your own');
  await expect(page).toHaveURL(/\/settings$/);
  await page.reload();
  await expect(page.getByTestId('account-email')).toHaveText('demo@kinetic.local');
});

test('a fresh owner deletes their account and lands on the sign-in page', async ({ page }) => {
  const email = uniqueEmail('delete');
  await createUser(email);
  await uiSignIn(page, email);
  await page.goto('/settings');
  const section = page.getByTestId('settings-delete');
  await section.getByLabel('Type your e-mail address or DELETE to confirm').fill(email);
  await section.getByRole('button', { name: 'Delete my account and data' }).click();
  await page.waitForURL(/\/login/);
  // The account is gone: its password no longer signs in, and the dashboard asks to sign in.
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That e-mail and password do not match an account.')).toBeVisible();
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login/);
});

test('the app is installable: manifest, service worker and icons are served without a session', {
  tag: '@phone',
}, async ({ request }) => {
  const manifest = await request.get('/manifest.webmanifest', { maxRedirects: 0 });
  expect(manifest.status()).toBe(200);
  const body = (await manifest.json()) as { display: string; icons: { sizes: string }[] };
  expect(body.display).toBe('standalone');
  expect(body.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  const worker = await request.get('/sw.js', { maxRedirects: 0 });
  expect(worker.status()).toBe(200);
  expect(worker.headers()['content-type']).toMatch(/javascript/);
  // Browsers ask for /favicon.ico whatever the page declares; a 404 there is a console error.
  const favicon = await request.get('/favicon.ico', { maxRedirects: 0 });
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()['content-type']).toMatch(/icon/);
});

test('the last glance opened stays readable offline, saying so', { tag: '@phone' }, async ({
  page,
  context,
}) => {
  const owner = await signInWithDrive(page, 'offline');
  const glance = `/vehicles/${owner.vehicleId}`;
  await page.goto(glance);
  // The service worker registers after the first load; once it controls the page, the next
  // visit of the glance goes through it and is kept.
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 20_000,
  });
  await page.goto(glance);
  await expect(page.getByRole('heading', { level: 1, name: 'Leon' })).toBeVisible();
  await page.waitForFunction(
    async () => {
      const names = await caches.keys();
      for (const name of names)
        if (await (await caches.open(name)).match('/__kinetic/last-glance')) return true;
      return false;
    },
    undefined,
    { timeout: 20_000 },
  );

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Leon' })).toBeVisible();
  await expect(page.getByTestId('offline-banner')).toContainText('Offline');
  await context.setOffline(false);
});
