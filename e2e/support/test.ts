import { test as base, expect } from '@playwright/test';
import { watchCsp } from './csp-watch';

let counter = 0;

// Every test browses from its own client address. The suite's many deliberate wrong passwords
// and sign-ups all come from 127.0.0.1, and the per-address throttle (docs/security-tests.md
// AC-14) would otherwise let one test lock out the next. The addresses are TEST-NET-3 values in a
// header; no traffic goes anywhere but localhost.
export const test = base.extend<{ clientAddress: string; cspWatch: undefined }>({
  clientAddress: [
    async ({ context }, use, testInfo) => {
      counter += 1;
      const address = `203.0.113.${((testInfo.workerIndex * 50 + counter) % 254) + 1}`;
      await context.setExtraHTTPHeaders({ 'x-forwarded-for': address });
      await use(address);
    },
    { auto: true },
  ],
  // Every browser context of a test is watched for HTML without a nonce CSP and for violations
  // (csp-watch.ts): its own, and those it opens with browser.newContext (a stranger on a phone
  // opening a shared link, a second device), which the wrapper below watches as they open.
  cspWatch: [
    async ({ context, browser }, use, testInfo) => {
      const watches = [await watchCsp(context)];
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const opened = await newContext(options);
        watches.push(await watchCsp(opened));
        return opened;
      };
      try {
        await use(undefined);
      } finally {
        browser.newContext = newContext;
      }
      const documents = watches.reduce((sum, watch) => sum + watch.documents, 0);
      // Summed over the run from the JSON report for docs/reliability.md.
      testInfo.annotations.push({ type: 'csp-documents', description: String(documents) });
      expect(
        watches.flatMap((watch) => watch.findings),
        `CSP findings over ${documents} HTML documents`,
      ).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
