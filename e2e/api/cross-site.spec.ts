import { type APIRequestContext, expect, test } from '@playwright/test';
import { apiSignIn, createUser, uniqueEmail } from '../support/accounts';

// Requests another site's page could make with the owner's cookies (docs/security-tests.md AC-06
// Server Actions, AC-07 route handlers), and the session cookie's attributes (AC-08). The cookie
// is SameSite=Lax, so a real browser would not even send it cross-site; these requests carry it
// anyway, as a browser with a weaker cookie policy would, to prove the server's own check.

const EVIL = 'https://evil.example';

/** The form's action id, from the hidden field React renders for progressive enhancement. */
function actionIdOf(html: string, buttonText: string): string {
  const forms = html.split('<form').slice(1);
  const form = forms.find((markup) => markup.slice(0, markup.indexOf('</form>')).includes(buttonText));
  const id = form ? /name="\$ACTION_ID_([0-9a-f]+)"/.exec(form)?.[1] : undefined;
  if (!id) throw new Error(`no server action form with "${buttonText}" on the page`);
  return id;
}

async function signedIn(request: APIRequestContext, tag: string): Promise<void> {
  const email = uniqueEmail(tag);
  await createUser(email);
  await apiSignIn(request, email);
}

/** Posts the action as a no-JavaScript form would (multipart, the id as a field name). */
function postAction(request: APIRequestContext, id: string, headers: Record<string, string>) {
  return request.post('/settings', {
    multipart: { [`$ACTION_ID_${id}`]: '' },
    headers,
    maxRedirects: 0,
  });
}

test('a Server Action posted from another origin is refused and changes nothing (AC-06)', async ({
  playwright,
  browser,
  baseURL,
}) => {
  const request = await playwright.request.newContext({ baseURL });
  try {
    const email = uniqueEmail('action-origin');
    await createUser(email);
    await apiSignIn(request, email);
    const html = await (await request.get('/settings')).text();
    const signOutEverywhere = actionIdOf(html, 'Sign out everywhere');
    const host = new URL(baseURL as string).host;

    // A foreign origin, and the opaque `null` a browser sends from a sandboxed frame or a page
    // with no-referrer: both refused.
    for (const origin of [EVIL, 'null']) {
      const refused = await postAction(request, signOutEverywhere, { origin });
      expect(refused.status(), origin).toBeGreaterThanOrEqual(400);
      expect(await refused.text()).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      // Still signed in: sign-out-everywhere did not run.
      expect((await request.get('/api/vehicles')).status(), origin).toBe(200);
    }

    // Next.js compares Origin with X-Forwarded-Host when there is one, so a caller that sets both
    // passes its check; but a page on another site cannot: a custom header makes the browser ask
    // first (a CORS preflight), and Kinetic grants no other origin anything.
    const preflight = await request.fetch('/settings', {
      method: 'OPTIONS',
      headers: {
        origin: EVIL,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-forwarded-host, next-action',
      },
    });
    expect(preflight.headers()['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers()['access-control-allow-headers']).toBeUndefined();

    // A real browser on another origin of the same site (so the SameSite=Lax cookie does travel)
    // submitting the action's form, plainly and with no-referrer: Chromium sends an Origin header
    // on every POST (the page's, or `null`), never none, and both are refused.
    const attackerOrigin = `http://localhost:${Number(new URL(baseURL as string).port) + 50}`;
    const context = await browser.newContext({ storageState: await request.storageState() });
    try {
      const page = await context.newPage();
      for (const referrer of ['strict-origin-when-cross-origin', 'no-referrer']) {
        await page.route(`${attackerOrigin}/**`, (route) =>
          route.fulfill({
            contentType: 'text/html',
            body: `<!doctype html><meta name="referrer" content="${referrer}">
              <form method="post" enctype="multipart/form-data" action="${baseURL}/settings">
                <input type="hidden" name="$ACTION_ID_${signOutEverywhere}" value="">
              </form><script>document.forms[0].submit()</script>`,
          }),
        );
        const posted = page.waitForRequest(
          (sent) => sent.method() === 'POST' && sent.url().endsWith('/settings'),
        );
        await page.goto(`${attackerOrigin}/attacker.html`);
        const sent = await posted;
        const headers = await sent.allHeaders();
        expect(headers.origin, referrer).toBe(referrer === 'no-referrer' ? 'null' : attackerOrigin);
        expect(headers.cookie ?? '', `${referrer}: the session cookie travelled`).toMatch(
          /authjs\.session-token/,
        );
        const answer = await sent.response();
        expect(answer?.status(), referrer).toBeGreaterThanOrEqual(400);
        expect((await request.get('/api/vehicles')).status(), referrer).toBe(200);
        await page.unroute(`${attackerOrigin}/**`);
      }
    } finally {
      await context.close();
    }

    // With no Origin at all Next.js runs the action by design (action-handler.js: "handcrafted
    // requests can't contain user credentials that haven't been shared willingly"): no browser
    // sends such a POST (above), so only a caller already holding the session cookie can, and
    // it could call the action from our own origin just as well. The session ends.
    const bare = await postAction(request, signOutEverywhere, {});
    expect(bare.status()).toBeLessThan(500);
    expect((await request.get('/api/vehicles')).status()).toBe(401);

    // The same request from our own origin is a real call: the session ends.
    await apiSignIn(request, email);
    expect((await request.get('/api/vehicles')).status()).toBe(200);
    await postAction(request, signOutEverywhere, { origin: `http://${host}` });
    expect((await request.get('/api/vehicles')).status()).toBe(401);
  } finally {
    await request.dispose();
  }
});

test('state-changing routes refuse requests from another site, reads stay open (AC-07)', async ({
  playwright,
  baseURL,
}) => {
  const request = await playwright.request.newContext({ baseURL });
  try {
    await signedIn(request, 'route-origin');
    // A text/plain upload and a bodiless POST: what a cross-site form or fetch can send without
    // a preflight.
    const attempts = [
      () =>
        request.post('/api/imports?vehicle=Evil', {
          data: 'Device Time,Speed\n',
          headers: { 'content-type': 'text/plain', origin: EVIL },
        }),
      () => request.post('/api/alerts/1/acknowledge', { headers: { origin: EVIL } }),
      () => request.patch('/api/account', { data: { timeZone: 'Europe/Paris' }, headers: { origin: EVIL } }),
      () =>
        request.post('/api/imports?vehicle=Evil', {
          data: 'x',
          headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
        }),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(response.status()).toBe(403);
      expect(await response.json()).toEqual({
        error: { code: 'forbidden', message: 'Requests from other sites are refused.' },
      });
    }
    // Nothing was imported.
    expect(await (await request.get('/api/vehicles')).json()).toEqual({ vehicles: [] });
    // A read with a foreign Origin is not a write: answered as usual.
    expect((await request.get('/api/vehicles', { headers: { origin: EVIL } })).status()).toBe(200);
  } finally {
    await request.dispose();
  }
});

test('the session and CSRF cookies are HttpOnly, SameSite=Lax, host-wide and small (AC-08)', async ({
  playwright,
  baseURL,
}) => {
  const request = await playwright.request.newContext({ baseURL });
  try {
    const email = uniqueEmail('cookies');
    await createUser(email);
    const csrf = await request.get('/api/auth/csrf');
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await request.post('/api/auth/callback/credentials', {
      form: { csrfToken, email, password: 'correct horse battery staple', callbackUrl: '/' },
      maxRedirects: 0,
    });
    expect(signIn.status()).toBe(302);
    // The session token never travels in a URL.
    expect(signIn.headers().location ?? '').not.toMatch(/token|session/i);

    const setCookies = [...csrf.headersArray(), ...signIn.headersArray()]
      .filter((header) => header.name.toLowerCase() === 'set-cookie')
      .map((header) => header.value);
    const cookie = (name: RegExp) => {
      const found = setCookies.find((line) => name.test(line.split('=')[0] ?? ''));
      if (!found)
        throw new Error(`no ${name} cookie among ${setCookies.map((line) => line.split('=')[0]).join(', ')}`);
      return found;
    };
    // Over plain HTTP (this test server) Auth.js drops the __Secure-/__Host- prefixes and Secure;
    // behind HTTPS (AUTH_URL https://…) it adds them.
    for (const line of [
      cookie(/^(__Secure-)?authjs\.session-token$/),
      cookie(/^(__Host-)?authjs\.csrf-token$/),
    ]) {
      const attributes = line.split(';').map((part) => part.trim().toLowerCase());
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      expect(attributes).toContain('path=/');
      expect(attributes.some((part) => part.startsWith('domain='))).toBe(false);
      expect(line.length).toBeLessThanOrEqual(4096);
    }
  } finally {
    await request.dispose();
  }
});
