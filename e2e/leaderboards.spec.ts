import { devices } from '@playwright/test';
import { expectNoSeriousViolations } from './support/axe';
import { signInAsDemo } from './support/owners';
import { expect, test } from './support/test';

// Issue 7's leaderboards, end to end, as the demo owner: joining the public boards is opt-in and
// leaving is at once; a private group made with the demo car has an invite page, a board with the
// car marked first, and shares that board to a signed-out phone — where a group of one shows no
// score — until the link is revoked (404); leaving deletes the group and its invite (404). The demo
// owner is shared with other tests: everything it changes here it undoes.

test.describe.configure({ timeout: 120_000 });

test('public boards are opt-in; a private group: invite, its board shared to a phone, revoked, left', async ({
  page,
  browser,
}) => {
  const glance = await signInAsDemo(page);
  const board = `${glance}/leaderboard?board=everyone`;
  await page.goto(board);
  const listing = page.getByTestId('listing');
  const summary = page.getByTestId('leaderboard-summary');
  await expect(page.getByTestId('leaderboard-title')).toHaveText('Every Kinetic driver');
  // The demo owner shares the demo with other tests: whatever a run left, start unlisted.
  const leave = listing.getByRole('button', { name: 'Leave the public boards' });
  if (await leave.isVisible()) await leave.click();
  await expect(listing.getByRole('button', { name: 'Join the public boards' })).toBeVisible();
  const listedNow = async () => Number(/(\d+) listed/.exec((await summary.textContent()) ?? '')?.[1] ?? 0);
  const before = await listedNow();
  // Opt-in: the car is ranked (the "You" line) but listed only after joining.
  await expect(page.getByTestId('leaderboard-me')).toContainText(
    /You: \d+ of \d+, better than \d+% of them\./,
  );
  await listing.getByRole('button', { name: 'Join the public boards' }).click();
  await expect(listing).toContainText(/Listed as [A-Z][a-z]+ [A-Z][a-z]+ \d{2}/);
  expect(await listedNow()).toBe(before + 1);
  // The e2e world has too few listed peers for a public board to show anyone (fewer than 5).
  await expect(page.getByTestId('leaderboard-unpublished')).toContainText('at least 5');
  await expectNoSeriousViolations(page, 'leaderboard');
  // Leaving is at once.
  await leave.click();
  await expect(listing.getByRole('button', { name: 'Join the public boards' })).toBeVisible();
  expect(await listedNow()).toBe(before);

  // A group of one, made with the demo car: the invite page names it; joining again with the same
  // car is harmless and opens the group's board, where the car is first and marked.
  const groups = page.getByTestId('groups');
  await groups.getByLabel('Group name').fill('Demo crew');
  await groups.getByRole('button', { name: 'Create a group' }).click();
  const invite = groups.getByTestId('new-invite-link');
  await expect(invite).toHaveValue(/\/join\/[A-Za-z0-9_-]{43}$/);
  const invitePath = new URL(await invite.inputValue()).pathname;

  await page.goto(invitePath);
  await expect(page.getByRole('heading', { level: 1, name: 'Join Demo crew' })).toBeVisible();
  await page.getByRole('button', { name: 'Join the group' }).click();
  await page.waitForURL(/\/leaderboard\?board=group:/);
  await expect(page.getByTestId('leaderboard-title')).toHaveText('Demo crew');
  await expect(page.getByTestId('leaderboard-summary')).toContainText('1 member');
  const mine = page.getByTestId('leaderboard-entries').locator('tr[aria-current="true"]');
  await expect(mine).toContainText('(you)');
  await expect(mine.locator('td').first()).toHaveText('1');

  // Share the group's board, open it signed out on a phone: the name, and no score below five.
  const panel = page.getByTestId('share-panel');
  await expect(panel).toContainText('Share this board');
  await panel.getByRole('button', { name: 'Create a link' }).click();
  const field = panel.getByTestId('new-share-link');
  await expect(field).toHaveValue(/\/s\/[A-Za-z0-9_-]{43}$/);
  const sharedPath = new URL(await field.inputValue()).pathname;
  const stranger = await browser.newContext({ ...devices['Pixel 7'] });
  try {
    const phone = await stranger.newPage();
    const response = await phone.goto(sharedPath);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['x-robots-tag']).toBe('noindex, nofollow');
    await expect(phone.getByTestId('shared-board')).toContainText('Demo crew');
    await expect(phone.getByTestId('leaderboard-unpublished')).toBeVisible();
    await expect(phone.locator('meta[property="og:image"]')).toHaveAttribute('content', /opengraph-image/);
    await expectNoSeriousViolations(phone, 'shared board');

    // Revoked: 404 at once.
    const item = panel.getByTestId('share-links').getByRole('listitem').first();
    await item.getByRole('button', { name: /^Revoke the link shown as / }).click();
    await expect(panel.getByTestId('share-links').getByRole('listitem').first()).toContainText('Revoked');
    expect((await phone.goto(sharedPath))?.status()).toBe(404);
  } finally {
    await stranger.close();
  }

  // Leaving: the last member out deletes the group, and its invite opens nothing.
  await page
    .getByTestId('group-membership')
    .getByRole('button', { name: 'Leave the group Demo crew' })
    .click();
  await page.waitForURL(/\/leaderboard$/);
  await expect(page.getByTestId('groups')).toContainText('This car is in no group yet.');
  expect((await page.goto(invitePath))?.status()).toBe(404);
});
