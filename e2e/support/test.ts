import { test as base, expect } from '@playwright/test';

let counter = 0;

// Every test browses from its own client address. The suite's many deliberate wrong passwords
// and sign-ups all come from 127.0.0.1, and the per-address throttle (docs/security-tests.md
// AC-14) would otherwise let one test lock out the next. The addresses are TEST-NET-3 values in a
// header; no traffic goes anywhere but localhost.
export const test = base.extend<{ clientAddress: string }>({
  clientAddress: [
    async ({ context }, use, testInfo) => {
      counter += 1;
      const address = `203.0.113.${((testInfo.workerIndex * 50 + counter) % 254) + 1}`;
      await context.setExtraHTTPHeaders({ 'x-forwarded-for': address });
      await use(address);
    },
    { auto: true },
  ],
});

export { expect };
