// `npm run test:long`: the slow tests kept out of `npm test` (vitest.long.config.mts: the worker
// and app crash tests, …), ending with the same one line CI reads: `N passed, N failed[, N skipped]`.
// Uses TEST_DATABASE_URL when set, else starts a throwaway PostgreSQL cluster like `npm test`
// (the app crash test runs a cluster of its own too, since it restarts it).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killRunningCommands, run } from './support/run';
import { startTestPostgres, type TestPostgres } from './support/test-postgres';

const root = fileURLToPath(new URL('..', import.meta.url));
const reports = join(root, '.reports');
const output = join(reports, 'vitest-long.json');

type Counts = { passed: number; failed: number; skipped: number };

function readReport(): Counts | undefined {
  try {
    const report = JSON.parse(readFileSync(output, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  } catch {
    return undefined;
  }
}

let database: TestPostgres | undefined;

async function main(): Promise<Counts> {
  mkdirSync(reports, { recursive: true });
  let databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) {
    database = await startTestPostgres();
    databaseUrl = database.url;
    console.log(`PostgreSQL: ${databaseUrl}`);
  }
  const { code, seconds } = await run(
    join(root, 'node_modules', '.bin', 'vitest'),
    [
      'run',
      '--config=vitest.long.config.mts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${output}`,
      ...process.argv.slice(2),
    ],
    { env: { ...process.env, TEST_DATABASE_URL: databaseUrl }, cwd: root },
  );
  console.log(`long tests: ${seconds.toFixed(1)} s`);
  const counts = readReport();
  if (!counts) {
    console.error(`Vitest wrote no report (${output}); counting the run as one failure.`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  // A runner that exits non-zero without a failed test still counts as one failure.
  return code !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killRunningCommands('SIGTERM');
    void (database?.stop() ?? Promise.resolve()).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

let counts: Counts;
try {
  counts = await main();
} catch (error) {
  console.error(error);
  counts = { passed: 0, failed: 1, skipped: 0 };
} finally {
  await database?.stop();
}
const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
console.log(`${counts.passed} passed, ${counts.failed} failed${skipped}`);
process.exitCode = counts.failed > 0 ? 1 : 0;
