import type { BrowserContext } from '@playwright/test';
import { APP_URL, NO_PROXY_URL } from './servers';

// Issue 8 ("nonce CSP on every HTML response with zero violations in the e2e run"): every browser
// context a test opens is watched. Two kinds of finding:
// - an HTML document from Kinetic without a nonce-based Content-Security-Policy header;
// - a violation the browser reports (Chromium logs each one to the console, "… violates the following
//   Content Security Policy directive …"; the page's own `securitypolicyviolation` events are logged
//   the same way by the init script, so one that Chromium reports without a console line still counts).
// A watched test fails on its first finding, naming the URL.

const KINETIC_ORIGINS = new Set([new URL(APP_URL).origin, new URL(NO_PROXY_URL).origin]);
const VIOLATION_MARK = '[csp-violation]';

export type CspWatch = {
  /** HTML documents from Kinetic seen so far. */
  readonly documents: number;
  /** Everything wrong seen so far, one line each. */
  readonly findings: readonly string[];
};

export async function watchCsp(context: BrowserContext): Promise<CspWatch> {
  const state = { documents: 0, findings: [] as string[] };
  await context.addInitScript((mark: string) => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `${mark} ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${location.href}`,
      );
    });
  }, VIOLATION_MARK);

  context.on('console', (message) => {
    const text = message.text();
    if (text.includes(VIOLATION_MARK) || /Content Security Policy/i.test(text))
      state.findings.push(`violation: ${text.slice(0, 300)}`);
  });
  context.on('response', async (response) => {
    if (response.request().resourceType() !== 'document') return;
    const url = new URL(response.url());
    if (!KINETIC_ORIGINS.has(url.origin)) return;
    const headers = await response.allHeaders().catch(() => undefined);
    if (!headers || !(headers['content-type'] ?? '').startsWith('text/html')) return;
    // A document the service worker answered from its cache carries the headers it was stored with.
    state.documents += 1;
    const policy = headers['content-security-policy'] ?? '';
    if (!/script-src [^;]*'nonce-[A-Za-z0-9+/=]{16,}'/.test(policy))
      state.findings.push(`no nonce CSP on ${url.pathname}${url.search} (${response.status()}): "${policy}"`);
  });
  return state;
}
