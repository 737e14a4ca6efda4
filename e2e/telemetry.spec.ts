import type { Page, Request } from '@playwright/test';
import { expect, test } from './support/test';

// The Charts page (telemetry explorer) as the demo owner sees it, on desktop and on a Pixel 7:
// three synchronised charts, ranges in the URL, zoom (drag on desktop; buttons and a pinch on the
// phone) asking for finer data, the table view, and the live range sliding forward. The demo cars
// have about 30 days of backfilled driving, so the tests look at the last seven days, which have
// data whatever the time of day the suite runs; the live test only needs the window to move (the
// car may be parked), and the e2e servers run the simulator clock in real time.

const DAY_MS = 86_400_000;

// Sign-in, a chart page and several refetches: more than the default 30 s on a busy 2-core machine.
test.describe.configure({ timeout: 60_000 });

function isSeriesRequest(request: Request): boolean {
  const url = new URL(request.url());
  return /\/api\/vehicles\/[^/]+\/telemetry$/.test(url.pathname) && request.method() === 'GET';
}

/** A series request whose window satisfies `test` (the page may also refetch at its measured width). */
function seriesWhere(test: (window: { from: number; to: number; width: number }) => boolean) {
  return (request: Request) => isSeriesRequest(request) && test(windowOf(request));
}

function windowOf(request: Request): { from: number; to: number; width: number } {
  const url = new URL(request.url());
  return {
    from: Date.parse(url.searchParams.get('from') ?? ''),
    to: Date.parse(url.searchParams.get('to') ?? ''),
    width: Number(url.searchParams.get('width')),
  };
}

async function openCharts(page: Page): Promise<string> {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/vehicles/'), { timeout: 20_000 });
  await page
    .getByRole('navigation', { name: /^Sections of / })
    .getByRole('link', { name: 'Charts' })
    .click();
  await page.waitForURL(/\/vehicles\/[^/]+\/telemetry/);
  const match = /\/vehicles\/([^/]+)\/telemetry/.exec(page.url());
  return match?.[1] ?? '';
}

async function lastWeek(page: Page, vehicleId: string) {
  const to = Date.now();
  const from = to - 7 * DAY_MS;
  const query = new URLSearchParams({
    range: 'custom',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });
  await page.goto(`/vehicles/${vehicleId}/telemetry?${query}`);
  // The chart code loads lazily after the page: give a busy machine time for it.
  await expect(page.getByTestId('telemetry-charts').getByRole('figure')).toHaveCount(3, { timeout: 20_000 });
}

test('shows three charts and refetches when the range changes', { tag: '@phone' }, async ({ page }) => {
  const vehicleId = await openCharts(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Charts' })).toBeVisible();
  const charts = page.getByTestId('telemetry-charts');
  await expect(charts.getByRole('figure')).toHaveCount(3);
  // The default is today; the Day button says so.
  const period = page.getByRole('group', { name: 'Period' });
  await expect(period.getByRole('button', { name: 'Day' })).toHaveAttribute('aria-pressed', 'true');

  const weekRequest = page.waitForRequest(seriesWhere((w) => w.to - w.from > 6 * DAY_MS));
  await period.getByRole('button', { name: 'Week' }).click();
  const week = windowOf(await weekRequest);
  // A calendar week on the owner's clock: seven days, give or take a DST hour.
  expect(Math.abs(week.to - week.from - 7 * DAY_MS)).toBeLessThanOrEqual(3_600_000);
  await expect(page).toHaveURL(/range=week/);
  await expect(period.getByRole('button', { name: 'Week' })).toHaveAttribute('aria-pressed', 'true');

  // The range is in the URL: reloading shows the same week, and the previous period steps back.
  await page.reload();
  await expect(
    page.getByRole('group', { name: 'Period' }).getByRole('button', { name: 'Week' }),
  ).toHaveAttribute('aria-pressed', 'true');
  const previous = page.waitForRequest(seriesWhere((w) => w.to === week.from));
  await page.getByRole('button', { name: 'Previous period' }).click();
  const before = windowOf(await previous);
  expect(before.to).toBe(week.from);
  expect(vehicleId).not.toBe('');
});

test('zooming asks for a narrower window', { tag: '@phone' }, async ({ page, isMobile }) => {
  const vehicleId = await openCharts(page);
  await lastWeek(page, vehicleId);
  const speed = page.getByTestId('telemetry-charts').getByRole('figure').first();
  await expect(speed.locator('.recharts-wrapper, p').first()).toBeVisible();
  const box = await page.getByTestId('telemetry-charts').boundingBox();
  if (!box) throw new Error('the charts have no box');

  const zoomed = page.waitForRequest(seriesWhere((w) => w.to - w.from < 7 * DAY_MS * 0.6));
  if (isMobile) {
    // The accessible fallback of the pinch: the zoom buttons.
    await page.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: 'Zoom in' }).click();
  } else {
    // Drag across the plot (it starts 48 px in, after the value axis).
    const y = box.y + 60;
    await page.mouse.move(box.x + 90, y);
    await page.mouse.down();
    await page.mouse.move(box.x + 160, y, { steps: 5 });
    await page.mouse.move(box.x + 220, y, { steps: 5 });
    await page.mouse.up();
  }
  await zoomed;
  const reset = page.getByRole('button', { name: 'Reset zoom' });
  await expect(reset).toBeVisible();

  // Back to the whole week (from the cache: no request needed).
  await reset.click();
  await expect(reset).toBeHidden();

  if (isMobile) {
    // A two-finger pinch on the charts, as pointer events: the fingers spread apart.
    const pinched = page.waitForRequest(seriesWhere((w) => w.to - w.from < 7 * DAY_MS * 0.5));
    await page.getByTestId('telemetry-charts').evaluate((element) => {
      const stack = element.firstElementChild;
      if (!stack) throw new Error('no chart stack');
      const rect = stack.getBoundingClientRect();
      // The middle of the plot (it starts 48 px in and ends 12 px before the right edge).
      const mid = rect.left + 48 + (rect.width - 60) / 2;
      const fire = (type: string, pointerId: number, clientX: number) =>
        stack.dispatchEvent(
          new PointerEvent(type, {
            pointerId,
            pointerType: 'touch',
            clientX,
            clientY: rect.top + 80,
            bubbles: true,
          }),
        );
      fire('pointerdown', 11, mid - 20);
      fire('pointerdown', 12, mid + 20);
      fire('pointermove', 11, mid - 80);
      fire('pointermove', 12, mid + 80);
      fire('pointerup', 11, mid - 80);
      fire('pointerup', 12, mid + 80);
    });
    await pinched;
    await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
  }
});

test('the table view shows the same data with a caption and headers', async ({ page }) => {
  const vehicleId = await openCharts(page);
  await lastWeek(page, vehicleId);
  await page.getByRole('button', { name: 'Show as table' }).click();
  const table = page.getByTestId('telemetry-table');
  await expect(table).toBeVisible();
  await expect(table.locator('caption')).toContainText('Readings from');
  await expect(table.getByRole('columnheader', { name: 'Time' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: /^Speed \((km\/h|mph)\)$/ })).toBeVisible();
  expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Show as charts' }).click();
  await expect(table).toBeHidden();
  await expect(page.getByTestId('telemetry-charts').getByRole('figure')).toHaveCount(3);
});

test('the live range slides forward', { tag: '@phone' }, async ({ page }) => {
  // A parked car is polled every 30 s, a driving one every 5 s. The page runs on Playwright's
  // clock, which flows like the real one, and the test jumps over the wait instead of sitting it
  // out: the next poll must come, with a window that ends later and still spans 15 minutes.
  await page.clock.install();
  await openCharts(page);
  const first = page.waitForRequest(seriesWhere((w) => w.to - w.from === 15 * 60_000));
  await page.getByRole('group', { name: 'Period' }).getByRole('button', { name: 'Live' }).click();
  await expect(page).toHaveURL(/range=live/);
  await expect(page.getByTestId('live-status')).toBeVisible();
  const a = windowOf(await first);
  expect(a.to - a.from).toBe(15 * 60_000);

  let b: { from: number; to: number } | undefined;
  page.on('request', (request) => {
    if (isSeriesRequest(request) && windowOf(request).to > a.to) b ??= windowOf(request);
  });
  // The next poll is scheduled once the last answer is in; jump again until it has fired.
  await expect
    .poll(
      async () => {
        if (!b) await page.clock.fastForward(31_000);
        return b !== undefined;
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(true);
  expect(b?.to).toBeGreaterThan(a.to);
  expect(b && b.to - b.from).toBe(15 * 60_000);
  await expect(page.getByTestId('telemetry-charts').getByRole('figure')).toHaveCount(3);
});
