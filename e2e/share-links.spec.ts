import { devices } from '@playwright/test';
import { expectNoSeriousViolations } from './support/axe';
import { signInAsDemo } from './support/owners';
import { expect, test } from './support/test';

// Issue 7's share walk-through: the demo owner creates a share link on the Score tab, the link
// opens in a fresh signed-out phone context (a pseudonym and a score, with a preview image, never
// indexed, nothing fetched from elsewhere, no VIN anywhere in the page), the owner revokes it, and
// the next request answers 404 — the same 404 as a token that never existed.

// Two browser contexts, a server-drawn preview image and axe: more than the default 30 s when the
// machine is busy.
test.describe.configure({ timeout: 120_000 });

test('a share link opens signed out on a phone, and answers 404 once revoked', async ({ page, browser }) => {
  const glance = await signInAsDemo(page);
  await page.goto(`${glance}/score`);
  const panel = page.getByTestId('share-panel');
  await panel.getByLabel('Link lasts').selectOption('7');
  await panel.getByRole('button', { name: 'Create a link' }).click();
  const field = panel.getByTestId('new-share-link');
  await expect(field).toHaveValue(/\/s\/[A-Za-z0-9_-]{43}$/);
  const url = await field.inputValue();
  const path = new URL(url).pathname;
  // The list shows the new link, active, by its pseudonym.
  const item = panel.getByTestId('share-links').getByRole('listitem').first();
  await expect(item).toContainText('Active');
  const pseudonym = (await item.getByTestId('share-link-pseudonym').textContent())?.trim() ?? '';
  expect(pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
  const vin = ((await (await page.request.get('/api/vehicles')).json()) as { vehicles: { vin: string }[] })
    .vehicles[0]?.vin;

  // A stranger on a phone: no cookies, no account.
  const stranger = await browser.newContext({ ...devices['Pixel 7'] });
  try {
    const phone = await stranger.newPage();
    const foreign: string[] = [];
    phone.on('request', (request) => {
      if (!request.url().startsWith(new URL(url).origin)) foreign.push(request.url());
    });
    const response = await phone.goto(path);
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(headers['cache-control']).toContain('no-store');
    await expect(phone.getByRole('heading', { level: 1, name: pseudonym })).toBeVisible();
    await expect(phone.getByTestId('shared-score')).toContainText('Last 30 days');
    await expect(phone.locator('meta[name="robots"]')).toHaveAttribute('content', /noindex/);
    const image = await phone.locator('meta[property="og:image"]').getAttribute('content');
    expect(image).toBeTruthy();
    await expect(phone.locator('meta[name="twitter:card"]')).toHaveAttribute(
      'content',
      'summary_large_image',
    );
    const preview = await stranger.request.get(image ?? '');
    expect(preview.status()).toBe(200);
    expect(preview.headers()['content-type']).toBe('image/png');
    // Nothing but the allow-list: the VIN is nowhere in the HTML or the RSC payload.
    const html = await (await stranger.request.get(path)).text();
    if (vin) expect(html).not.toContain(vin);
    expect(foreign).toEqual([]);
    await expectNoSeriousViolations(phone, 'shared score card');

    // The owner revokes it; the very next request is a 404, like a token that never existed.
    await page.reload();
    await panel.getByRole('button', { name: `Revoke the link shown as ${pseudonym}` }).click();
    await expect(panel.getByTestId('share-links').getByRole('listitem').first()).toContainText('Revoked');
    const revoked = await phone.goto(path);
    expect(revoked?.status()).toBe(404);
    const neverToken = 'A'.repeat(43);
    const never = await stranger.request.get(`/s/${neverToken}`);
    expect(never.status()).toBe(404);
    // The same page byte for byte, once the per-request CSP nonce and the token itself are set aside,
    // and the streamed RSC records taken in any order: the 404 record and the metadata race each
    // other, so two renders of one page may list them in either order (seen once in CI).
    const token = path.slice('/s/'.length);
    const comparable = (html: string, own: string) =>
      html
        .replace(/nonce[=:\\"]+[A-Za-z0-9+/=]+/g, 'nonce')
        .replaceAll(own, 'TOKEN')
        .split('\\n')
        .sort();
    expect(comparable(await never.text(), neverToken)).toEqual(
      comparable(await (await stranger.request.get(path)).text(), token),
    );
    expect((await stranger.request.get(image ?? '')).status()).toBe(404);
  } finally {
    await stranger.close();
  }
});

test('robots.txt keeps search engines off shared links by their prefix', async ({ request }) => {
  const robots = await (await request.get('/robots.txt')).text();
  expect(robots).toContain('Disallow: /s/');
});
