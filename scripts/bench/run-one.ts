import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchContext, Benchmark } from './types';

// Runs one benchmark module on its own and prints its rows, for benchmarks that need no app server
// (DB-level ones such as telemetry-api): `npx tsx --conditions=react-server scripts/bench/run-one.ts
// <module>`, where <module> is a file under scripts/bench/ without `.ts` (e.g. telemetry-api).
// The react-server condition lets lib's `server-only` modules load outside Next. Benchmarks that
// read baseUrl or chromiumPath need `npm run bench`, which starts the app and finds Chromium.

const name = process.argv[2];
if (!name || !/^[\w-]+$/.test(name)) {
  console.error('Usage: npx tsx --conditions=react-server scripts/bench/run-one.ts <module>');
  process.exit(2);
}
const exports = (await import(`./${name}.ts`)) as Record<string, unknown>;
const benchmarks = Object.values(exports).filter(
  (value): value is Benchmark =>
    typeof value === 'object' && value !== null && 'run' in value && 'name' in value,
);
if (benchmarks.length === 0) {
  console.error(`scripts/bench/${name}.ts exports no Benchmark.`);
  process.exit(2);
}
const tmpDir = mkdtempSync(path.join(tmpdir(), `kinetic-bench-${name}-`));
const context: BenchContext = {
  baseUrl: 'http://localhost:0',
  chromiumPath: '',
  tmpDir,
  serverStartedAt: performance.now(),
  dataDir: tmpDir,
};
try {
  for (const benchmark of benchmarks) {
    for (const row of await benchmark.run(context))
      console.log(`${row.benchmark}\n  ${row.figure}\n  target ${row.target} [${row.status}]`);
  }
} finally {
  rmSync(tmpDir, { recursive: true, force: true });
}
