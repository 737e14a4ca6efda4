import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:long` (scripts/test-long.ts): the slow tests kept out of `npm test`. Their files end
// in `.long-test.ts`, which the main config's `*.test.ts` patterns do not match.
const root = fileURLToPath(new URL('./', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: `${root}test/empty-module.ts` },
      { find: /^@\/(.*)$/, replacement: `${root}$1` },
    ],
  },
  test: {
    include: ['test/long/**/*.long-test.ts'],
    environment: 'node',
    pool: 'forks',
    // One file at a time: each starts worker processes and measures their timing.
    fileParallelism: false,
    // Measured: about 7 min per engine on 2 cores at a load average of 11 (other work running).
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
  },
});
