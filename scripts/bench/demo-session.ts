import type { Browser, BrowserContext } from '@playwright/test';

// A signed-in demo session for benchmarks that measure signed-in pages: the real Try the demo
// button, so the session is exactly what a visitor gets.

export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

export type DemoSession = { storageState: StorageState; landedOn: string };

export async function signInToDemo(browser: Browser, baseUrl: string): Promise<DemoSession> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('button', { name: 'Try the demo' }).click();
    // The sign-in lands on `/`, which sends an owner with cars on to the first car's overview.
    await page.waitForURL((url) => url.pathname.startsWith('/vehicles/'), { timeout: 60_000 });
    return { storageState: await context.storageState(), landedOn: new URL(page.url()).pathname };
  } finally {
    await context.close();
  }
}

/** The `Cookie` header a request needs to be that session (for tools that are not Playwright). */
export function cookieHeader(state: StorageState): string {
  return state.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}
