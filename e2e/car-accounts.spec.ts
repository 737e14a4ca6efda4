import { readFileSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import { createUser, uiSignIn, uiSignUp, uniqueEmail } from './support/accounts';
import { expectNoSeriousViolations } from './support/axe';
import { giveOwnerCarNotices, HOSTILE_CAR_LABEL } from './support/owner-objects';
import { DRIVE_FIXTURE, DRIVE_START } from './support/owners';
import { APP_SIMULATOR_URL, APP_URL, FIRST_UNLINKED_OWNER } from './support/servers';
import { expect, test } from './support/test';

// Signing in with the maker and connecting a car, through the simulated identity providers' own
// sign-in pages: the whole OAuth round trip (state and PKCE included) in a real browser.

type SimOwner = { email: string; brand: string; vehicles: { vin: string }[] };

const APP_NAMES: Record<string, string> = {
  peugeot: 'MyPeugeot',
  citroen: 'MyCitroën',
  ds: 'MyDS',
  opel: 'MyOpel',
};

async function simulatedOwner(request: APIRequestContext, index: number): Promise<SimOwner> {
  const response = await request.get(`${APP_SIMULATOR_URL}/sim/owners?offset=${index}&limit=1`);
  const body = (await response.json()) as { owners: SimOwner[] };
  const owner = body.owners[0];
  if (!owner) throw new Error(`the simulator has no owner ${index}`);
  return owner;
}

/** The maker's sign-in page (served by the simulator), as the owner fills it in. */
async function signInAtMaker(page: Page, owner: SimOwner): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${APP_SIMULATOR_URL}/${owner.brand}/am/oauth2/authorize`));
  await page.getByLabel('E-mail').fill(owner.email);
  await page.getByLabel('Password').fill('sim-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an owner new to Kinetic signs in with the maker and finds their cars', { tag: '@phone' }, async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const owner = await simulatedOwner(request, FIRST_UNLINKED_OWNER);
  await page.goto('/login');
  await page.getByRole('button', { name: APP_NAMES[owner.brand] }).click();
  await signInAtMaker(page, owner);
  // Back in Kinetic, signed in: the same consent linked the cars.
  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/(vehicles\/.*)?$/);
  await page.goto('/settings/cars');
  const account = page.getByTestId('car-account');
  await expect(account).toHaveCount(1);
  await expect(account).toContainText(APP_NAMES[owner.brand] ?? '');
  await expect(account).toContainText('Connected');
  for (const vehicle of owner.vehicles) await expect(account).toContainText(vehicle.vin);
  // Never matched by e-mail: the Kinetic account is not the maker profile's address.
  await page.goto('/settings');
  await expect(page.getByTestId('account-email')).not.toHaveText(owner.email);
});

test('an owner with a local account connects a car, picks it, watches the first sync, then disconnects', async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  // One maker identity per project: desktop and phone run at the same time.
  const owner = await simulatedOwner(
    request,
    FIRST_UNLINKED_OWNER + (testInfo.project.name === 'mobile' ? 2 : 1),
  );
  await uiSignUp(page, uniqueEmail('connects'));
  await expect(page).toHaveURL('/');

  await page.goto('/settings/cars');
  await page.getByRole('link', { name: APP_NAMES[owner.brand] }).click();
  await signInAtMaker(page, owner);

  await expect(page.getByRole('heading', { name: 'Pick your cars' })).toBeVisible();
  for (const vehicle of owner.vehicles) await expect(page.getByText(vehicle.vin)).toBeVisible();
  await page.getByRole('button', { name: 'Link these cars' }).click();

  const total = owner.vehicles.length;
  await expect(page.getByText(`First sync: ${total} of ${total}`)).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('sync-progress')).toContainText('Synced');

  await page.getByLabel('Also delete everything Kinetic stored for these cars').check();
  await page.getByRole('button', { name: /^Disconnect/ }).click();
  await expect(page.getByRole('main').getByRole('status')).toContainText('Disconnected');
  await expect(page.getByTestId('car-account')).toContainText('Disconnected');
  const vehicles = (await (await page.request.get('/api/vehicles')).json()) as { vehicles: unknown[] };
  expect(vehicles.vehicles).toEqual([]);
});

test('a maker account another Kinetic owner holds cannot be connected again', async ({ page, request }) => {
  test.setTimeout(60_000);
  // Owner 1 is a peer the demo's worker linked: its maker identity belongs to that Kinetic user.
  const owner = await simulatedOwner(request, 1);
  await uiSignUp(page, uniqueEmail('taken-maker'));
  await expect(page).toHaveURL('/');
  await page.goto('/settings/cars');
  await page.getByRole('link', { name: APP_NAMES[owner.brand] }).click();
  await signInAtMaker(page, owner);
  await expect(page.getByRole('main').getByRole('alert')).toContainText(
    'already connected to another Kinetic account',
  );
  await expect(page.getByTestId('car-account')).toHaveCount(0);
});

test('the demo cannot disconnect its cars', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto('/settings/cars');
  await page.getByRole('link', { name: 'Details' }).first().click();
  await expect(page.getByText('disconnecting is turned off in the demo')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Disconnect/ })).toHaveCount(0);
});

test('an owner sees what the maker left them: sign in again, rate-limited until when, stale data with its gaps, and car names as plain text', async ({
  page,
}) => {
  const email = uniqueEmail('car-notices');
  await createUser(email);
  const notices = giveOwnerCarNotices(email, APP_URL);
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await uiSignIn(page, email);
  await page.goto('/settings/cars');
  const accounts = page.getByTestId('car-account');
  await expect(accounts).toHaveCount(2);

  // UP-05: the account the maker stopped accepting says so, and offers to sign in again.
  const citroen = accounts.filter({ hasText: 'MyCitroën' });
  await expect(citroen).toContainText('Sign in again needed');
  await expect(citroen.getByRole('alert')).toHaveText(
    'MyCitroën no longer accepts Kinetic’s access (it expired or was revoked), so these cars are not syncing.',
  );
  await expect(citroen.getByRole('link', { name: 'Sign in with MyCitroën again' })).toBeVisible();

  // UP-01: the rate-limited car says until when (in the owner's time zone, hours and minutes).
  const peugeot = accounts.filter({ hasText: 'MyPeugeot' });
  await expect(peugeot.getByTestId('rate-limited')).toHaveText(
    /^MyPeugeot is rate-limiting Kinetic: next update at \d{1,2}:\d{2}( [AP]M)?$/,
  );
  await expect(peugeot).toContainText('Connected');

  // IN-06: the maker's car name, markup and SQL included, is shown as text: no element, no dialog.
  await expect(peugeot).toContainText(HOSTILE_CAR_LABEL);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expectNoSeriousViolations(page, '/settings/cars with notices');
  const glancePage = await page.goto(`/vehicles/${notices.hostileVehicleId}`);
  expect(glancePage?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HOSTILE_CAR_LABEL);
  // UP-07: the car whose syncs fail (here rate-limited) says since when it was not updated.
  const stale = page.getByTestId('glance-sync-stale');
  await expect(stale).toContainText('Stale: not updated since');
  // UP-01 on the dashboard too: the rate limit and the next update.
  await expect(stale).toContainText(/The car maker is rate-limiting Kinetic: next update at \d{1,2}:\d{2}/);
  await expectNoSeriousViolations(page, 'a stale car’s glance');
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  const listed = (await (await page.request.get('/api/vehicles')).json()) as {
    vehicles: { id: string; label: string }[];
  };
  expect(listed.vehicles.find((vehicle) => vehicle.id === notices.hostileVehicleId)?.label).toBe(
    HOSTILE_CAR_LABEL,
  );
  expect(dialogs).toEqual([]);

  // UP-07, charts keep gaps: two drives an hour apart (the fixture, then the same an hour later,
  // through the import route) draw the speed line in two pieces, never joined across the hour.
  const drive = readFileSync(DRIVE_FIXTURE, 'utf8');
  const hourLater = drive.replace(/07:0(\d):(\d\d)/g, '08:0$1:$2');
  let leonId = '';
  for (const [name, csv] of [
    ['first.csv', drive],
    ['second.csv', hourLater],
  ] as const) {
    const query = new URLSearchParams({ vehicle: 'Leon', make: 'Seat', model: 'Leon', fuel: 'petrol', name });
    const imported = await page.request.post(`/api/imports?${query}`, {
      data: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status()).toBe(200);
    leonId = ((await imported.json()) as { vehicleId: string }).vehicleId;
  }
  const window = new URLSearchParams({
    range: 'custom',
    from: new Date(DRIVE_START - 5 * 60_000).toISOString(),
    to: new Date(DRIVE_START + 70 * 60_000).toISOString(),
  });
  await page.goto(`/vehicles/${leonId}/telemetry?${window}`);
  const speed = page.getByTestId('telemetry-charts').getByRole('figure').first();
  const line = speed.locator('path.recharts-line-curve');
  await expect(line).toHaveCount(1, { timeout: 20_000 });
  expect(((await line.getAttribute('d')) ?? '').match(/M/g)?.length).toBe(2);
});
