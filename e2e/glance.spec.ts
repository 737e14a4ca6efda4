import { expect, test } from './support/test';

// The vehicle glance with the demo owner (two simulated Peugeots: one combustion, one electric,
// about 30 days of driving, alerts and maintenance). Reads every card, then checks the switcher:
// the overview (/) reopens the car opened last. Read-only: the shared demo world is not changed.

const CARDS = [
  'glance-energy',
  'glance-activity',
  'glance-location',
  'glance-odometer',
  'glance-service',
  'glance-alerts',
  'glance-score',
] as const;

test('the demo glance shows every card with its freshness, and the switcher remembers the car', {
  tag: '@phone',
}, async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  // The overview redirects to a vehicle's glance.
  await page.waitForURL(/\/vehicles\/[^/]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  for (const card of CARDS) await expect(page.getByTestId(card)).toBeVisible();
  // Each card with a value says how fresh it is.
  await expect(page.getByTestId('glance-odometer').getByTestId('freshness')).toHaveText(
    /updated .+|no data since .+|not available for this car/,
  );
  await expect(page.getByTestId('glance-odometer')).toContainText(/\d.*(km|mi)/);
  await expect(page.getByTestId('glance-energy')).toContainText('%');
  await expect(page.getByTestId('glance-energy')).toContainText(/range/i);
  await expect(page.getByTestId('glance-activity').getByTestId('activity-state')).toHaveText(
    /Driving|Parked|Not known/,
  );
  await expect(page.getByTestId('glance-location')).toContainText(/Last seen at|privacy mode|not available/);
  await expect(page.getByTestId('glance-score-rank')).toHaveText(
    /Better than \d+% of \d+ drivers|The only ranked driver|Ranked once the car has/,
  );
  await expect(page.getByTestId('glance-service')).toContainText(/day|overdue|not available/i);

  // Two cars: the switcher lists both; open the other one.
  const switcher = page.getByTestId('vehicle-switcher');
  await expect(switcher.getByRole('link')).toHaveCount(2);
  const first = page.url();
  const other = switcher.locator('a:not([aria-current="page"])').first();
  const otherName = (await other.textContent())?.trim() ?? '';
  await other.click();
  await page.waitForURL((url) => url.href !== first);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(otherName);
  await expect(switcher.getByRole('link', { name: otherName })).toHaveAttribute('aria-current', 'page');
  const second = page.url();

  // The overview reopens the car opened last (the cookie is set once the page has shown).
  const secondId = new URL(second).pathname.split('/').pop() ?? '';
  await expect
    .poll(async () => (await page.context().cookies()).find((c) => c.name === 'kinetic-vehicle')?.value)
    .toBe(secondId);
  await page.goto('/');
  await page.waitForURL(second);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(otherName);
});

test("another owner's vehicle id answers the glance API with 404", async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.waitForURL(/\/vehicles\/[^/]+$/);
  const response = await page.request.get('/api/vehicles/not-a-vehicle-of-yours/glance');
  expect(response.status()).toBe(404);
  expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'No such vehicle.' } });
  const id = new URL(page.url()).pathname.split('/').pop() ?? '';
  const ok = await page.request.get(`/api/vehicles/${id}/glance`);
  expect(ok.status()).toBe(200);
  const etag = ok.headers().etag ?? '';
  expect(etag).toMatch(/^W\//);
  const again = await page.request.get(`/api/vehicles/${id}/glance`, { headers: { 'If-None-Match': etag } });
  // Unchanged since: a bodiless 304 (a car that moves in between may legitimately answer 200).
  expect([200, 304]).toContain(again.status());
});
