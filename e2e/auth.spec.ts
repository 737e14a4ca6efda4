import type { APIRequestContext } from '@playwright/test';
import { apiSignIn, createUser, PASSWORD, runCli, uiSignIn, uiSignUp, uniqueEmail } from './support/accounts';
import { expect, test } from './support/test';

test('sign up, reach the empty dashboard, sign out, sign back in', { tag: '@phone' }, async ({ page }) => {
  const email = uniqueEmail('new-owner');
  await uiSignUp(page, email);
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { name: 'No cars yet' })).toBeVisible();

  await page.goto('/settings');
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login/);

  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);

  await uiSignIn(page, email);
  await expect(page.getByRole('heading', { name: 'No cars yet' })).toBeVisible();
});

test('sign-up refuses bad input inline and creates nothing', async ({ page }) => {
  const email = uniqueEmail('rejected');
  await page.goto('/signup');
  await page.getByLabel('E-mail').fill('not-an-address');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a valid e-mail address.')).toBeVisible();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page).toHaveURL(/\/signup/);

  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('eleven char');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page.getByLabel('E-mail')).toHaveValue(email);

  // Long enough, but one of the most common passwords (NIST 800-63B): refused, saying why. (The
  // answer above refilled the form with the new address and an empty password: wait for it.)
  await expect(page.getByLabel('Password')).toHaveValue('');
  await page.getByLabel('Password').fill('Qwerty123456');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('This password is one of the most common ones: choose another.')).toBeVisible();
  await expect(page).toHaveURL(/\/signup/);

  // Nothing was created: signing in with that address fails like any wrong password.
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('Qwerty123456');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('That e-mail and password do not match an account.')).toBeVisible();
});

test('sign-up says when an address is taken, in any letter case', async ({ page }) => {
  const email = uniqueEmail('taken');
  await createUser(email);
  await uiSignUp(page, email.toUpperCase());
  await expect(page.getByText('An account already uses this e-mail address.')).toBeVisible();
});

test('wrong password and unknown account get the same message', async ({ page }) => {
  const email = uniqueEmail('known');
  await createUser(email);
  const messages: string[] = [];
  for (const [address, password] of [
    [email, 'not the right password'],
    [uniqueEmail('unknown'), PASSWORD],
  ] as const) {
    await page.goto('/login');
    await page.getByLabel('E-mail').fill(address);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /\S/ });
    await expect(alert).toBeVisible();
    messages.push((await alert.textContent()) ?? '');
  }
  expect(messages[0]).toBe('That e-mail and password do not match an account.');
  expect(messages[1]).toBe(messages[0]);
});

test('repeated wrong passwords are throttled for that account', async ({ page }) => {
  const email = uniqueEmail('throttled');
  await createUser(email);
  await page.goto('/login');
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(`wrong password ${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('That e-mail and password do not match an account.')).toBeVisible();
  }
  // Even the right password is refused until the window passes.
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Too many attempts. Wait a minute, then try again.')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test('Try the demo signs in as the demo owner', { tag: '@phone' }, async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Try the demo' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  await page.goto('/settings');
  await expect(page.getByTestId('account-email')).toHaveText('demo@kinetic.local');
  // The demo account is shared: no signing out strangers, and no list of their devices.
  await expect(page.getByRole('button', { name: 'Sign out everywhere' })).toHaveCount(0);
  await expect(page.getByTestId('session-list').getByRole('listitem')).toHaveCount(1);
});

test('a cookie replayed after sign-out is refused', async ({ page, browser, baseURL }) => {
  const email = uniqueEmail('replay');
  await createUser(email);
  await uiSignIn(page, email);
  const cookies = await page.context().cookies();

  await page.goto('/settings');
  await page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login/);

  const replay = await browser.newContext({ baseURL });
  await replay.addCookies(cookies);
  const api = await replay.request.get('/api/vehicles');
  expect(api.status()).toBe(401);
  const replayPage = await replay.newPage();
  await replayPage.goto('/settings');
  await expect(replayPage).toHaveURL(/\/login/);
  await replay.close();
});

test('signing in always issues a new session cookie: one planted before sign-in never becomes signed in (no fixation)', async ({
  page,
  playwright,
  baseURL,
}) => {
  const SESSION = 'authjs.session-token';
  const sessionCookie = async () =>
    (await page.context().cookies()).find((cookie) => cookie.name === SESSION)?.value;
  // The attacker's own well-formed session cookie, kept after the attacker signed out (its session
  // row is gone), is planted in the victim's browser before the victim signs in.
  const attacker = uniqueEmail('fixer');
  const victim = uniqueEmail('fixed');
  await createUser(attacker);
  await createUser(victim);
  const attackerApi = await playwright.request.newContext({ baseURL });
  await apiSignIn(attackerApi, attacker);
  const planted = (await attackerApi.storageState()).cookies.find((cookie) => cookie.name === SESSION);
  if (!planted) throw new Error('the attacker got no session cookie');
  const { csrfToken } = (await (await attackerApi.get('/api/auth/csrf')).json()) as { csrfToken: string };
  await attackerApi.post('/api/auth/signout', { form: { csrfToken }, maxRedirects: 0 });
  await page.context().addCookies([planted]);
  expect(await sessionCookie()).toBe(planted.value);

  await uiSignIn(page, victim);
  const issued = await sessionCookie();
  expect(issued).toBeDefined();
  expect(issued).not.toBe(planted.value);
  const account = async (request: APIRequestContext, cookie?: string) =>
    request.get('/api/account', cookie ? { headers: { cookie: `${SESSION}=${cookie}` } } : {});
  const mine = await account(page.request);
  expect(((await mine.json()) as { account: { email: string } }).account.email).toBe(victim);
  // The planted cookie, which the attacker still holds, opens nothing: not the victim's account.
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await account(anonymous, planted.value)).status()).toBe(401);

  // Signing in again (after signing out) issues yet another cookie, never an earlier one.
  await page.goto('/settings');
  await page.getByRole('main').getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await uiSignIn(page, victim);
  const again = await sessionCookie();
  expect(again).toBeDefined();
  expect([planted.value, issued]).not.toContain(again);
  expect((await account(anonymous, issued)).status()).toBe(401);
  expect((await account(anonymous, again)).status()).toBe(200);
  await Promise.all([attackerApi.dispose(), anonymous.dispose()]);
});

test('sign out everywhere ends the other sessions too', async ({ page, browser, baseURL }) => {
  const email = uniqueEmail('everywhere');
  await createUser(email);
  const other = await browser.newContext({ baseURL });
  const otherPage = await other.newPage();
  await uiSignIn(otherPage, email);
  expect((await other.request.get('/api/vehicles')).status()).toBe(200);

  await uiSignIn(page, email);
  await page.goto('/settings');
  await expect(page.getByTestId('session-list').getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/login/);

  expect((await other.request.get('/api/vehicles')).status()).toBe(401);
  await other.close();
});

test('a foreign callbackUrl never leaves the site', async ({ page, baseURL }) => {
  const email = uniqueEmail('redirect');
  await createUser(email);
  await page.goto('/login?callbackUrl=%2F%2Fevil.example%2Fphish');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  expect(new URL(page.url()).origin).toBe(new URL(baseURL ?? '').origin);
});

test('a disabled account is signed out on its next request', async ({ page }) => {
  // A CLI process (a tsx start-up) on a busy machine.
  test.slow();
  const email = uniqueEmail('disabled');
  await createUser(email);
  await uiSignIn(page, email);
  expect((await page.request.get('/api/vehicles')).status()).toBe(200);
  expect(runCli(['user', 'disable', '--email', email])).toMatchObject({ ok: true, sessionsEnded: 1 });
  expect((await page.request.get('/api/vehicles')).status()).toBe(401);
});

test('a self-hoster creates an account and resets its password with the CLI', async ({ page }) => {
  // Two CLI processes (a tsx start-up each) on a busy machine.
  test.slow();
  const email = uniqueEmail('self-hosted');
  expect(runCli(['user', 'create', '--email', email, '--password', PASSWORD, '--name', 'Sam'])).toMatchObject(
    {
      user: { email, name: 'Sam' },
    },
  );
  await uiSignIn(page, email);
  await expect(page.getByRole('heading', { name: 'Welcome, Sam' })).toBeVisible();

  const newPassword = 'a brand new passphrase';
  expect(runCli(['user', 'reset-password', '--email', email, '--password', newPassword])).toMatchObject({
    ok: true,
    sessionsEnded: 1,
  });
  // The reset ended the browser's session.
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login/);
  await uiSignIn(page, email, newPassword);
  await expect(page.getByRole('heading', { name: 'Welcome, Sam' })).toBeVisible();
});
