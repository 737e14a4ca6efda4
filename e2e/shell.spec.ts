import type { Page } from '@playwright/test';
import { createUser, uiSignIn, uniqueEmail } from './support/accounts';
import { expectNoSeriousViolations } from './support/axe';
import { expect, test } from './support/test';

function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
});

test('navigation is a sidebar on wide screens and a bottom bar on phones', { tag: '@phone' }, async ({
  page,
  isMobile,
}) => {
  const email = uniqueEmail('shell');
  await createUser(email);
  await uiSignIn(page, email);
  const sidebar = page.getByTestId('sidebar-nav');
  const bottom = page.getByTestId('bottom-nav');
  if (isMobile) {
    await expect(bottom).toBeVisible();
    await expect(sidebar).toBeHidden();
    await bottom.getByRole('link', { name: 'Settings' }).click();
    await expect(page).toHaveURL('/settings');
    await expect(bottom.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  } else {
    await expect(sidebar).toBeVisible();
    await expect(bottom).toBeHidden();
    await sidebar.getByRole('link', { name: 'Settings' }).click();
    await expect(page).toHaveURL('/settings');
    await expect(sidebar.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  }
});

test('light, dark and system themes apply and persist', async ({ page }) => {
  const email = uniqueEmail('theme');
  await createUser(email);
  await page.emulateMedia({ colorScheme: 'dark' });
  await uiSignIn(page, email);
  await page.goto('/settings');
  const html = page.locator('html');
  // System (the default) follows the device.
  await expect(html).toHaveClass(/\bdark\b/);

  const appearance = page.getByRole('main').getByRole('group', { name: 'Theme' });
  await appearance.getByText('Light', { exact: true }).click();
  await expect(html).toHaveClass(/\blight\b/);
  await page.reload();
  await expect(html).toHaveClass(/\blight\b/);

  await appearance.getByText('Dark', { exact: true }).click();
  await expect(html).toHaveClass(/\bdark\b/);

  await appearance.getByText('System', { exact: true }).click();
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).not.toHaveClass(/\bdark\b/);
});

test('pages hydrate under the CSP with no violations or console errors', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/login');
  // A control that needs JavaScript: the sign-in form's inline validation round trip.
  await page.getByLabel('E-mail').fill(uniqueEmail('csp'));
  await page.getByLabel('Password').fill('a wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That e-mail and password do not match an account.')).toBeVisible();
  expect(await cspViolations(page)).toEqual([]);

  const email = uniqueEmail('csp-dashboard');
  await createUser(email);
  await uiSignIn(page, email);
  await page.goto('/settings');
  await page.getByRole('main').getByText('Dark', { exact: true }).click();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  expect(await cspViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test.describe('accessibility (axe: no serious or critical violations)', () => {
  // Several axe runs and page loads; on a busy 2-core machine that is more than the default 30 s.
  test.slow();

  for (const path of ['/login', '/signup']) {
    test(`${path}`, async ({ page }) => {
      await page.goto(path);
      await expectNoSeriousViolations(page, path);
    });
  }

  test('signed-in pages, light and dark', async ({ page }) => {
    const email = uniqueEmail('axe');
    await createUser(email);
    await uiSignIn(page, email);
    await expectNoSeriousViolations(page, '/');
    // The dashboard's own pages (settings included) are checked by the tour (dashboard-tour.spec.ts).
    for (const path of ['/settings/cars', '/import']) {
      await page.goto(path);
      await expectNoSeriousViolations(page, path);
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoSeriousViolations(page, '/import (dark)');
    await page.goto('/settings');
    await expectNoSeriousViolations(page, '/settings (dark)');
  });
});
