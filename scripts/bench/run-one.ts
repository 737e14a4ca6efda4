import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeMachine, mergeIntoDocument } from './render';
import type { BenchContext, Benchmark, BenchRow } from './types';

// Runs one benchmark module on its own and prints its rows, for benchmarks that need no app server
// (DB-level ones such as telemetry-api): `npx tsx --conditions=react-server scripts/bench/run-one.ts
// <module>`, where <module> is a file under scripts/bench/ without `.ts` (e.g. telemetry-api).
// The react-server condition lets lib's `server-only` modules load outside Next. Benchmarks that
// read baseUrl or chromiumPath need `npm run bench`, which starts the app and finds Chromium.
// With `--merge`, the rows replace the same benchmarks' rows in BENCHMARKS.md, as `npm run bench
// -- --only=… --merge` does, without an app (and its demo's background sync) loading the machine.

const name = process.argv[2];
if (!name || !/^[\w-]+$/.test(name)) {
  console.error('Usage: npx tsx --conditions=react-server scripts/bench/run-one.ts <module> [--merge]');
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
const rows: BenchRow[] = [];
try {
  for (const benchmark of benchmarks) {
    for (const row of await benchmark.run(context)) {
      rows.push(row);
      console.log(`${row.benchmark}\n  ${row.figure}\n  target ${row.target} [${row.status}]`);
    }
  }
} finally {
  rmSync(tmpDir, { recursive: true, force: true });
}
if (process.argv.includes('--merge')) {
  const document = path.join(process.cwd(), 'BENCHMARKS.md');
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(document, mergeIntoDocument(readFileSync(document, 'utf8'), rows, date, describeMachine()));
  console.log(`merged ${rows.length} rows into BENCHMARKS.md`);
}
