import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AppServer, startBuiltAppServer } from './bench/app-server';
import { chartMount } from './bench/chart-mount';
import { demoWarmUp } from './bench/demo-warm-up';
import { firstLoadJs } from './bench/first-load-js';
import { glanceOutage } from './bench/glance-outage';
import { healthThroughput } from './bench/health-throughput';
import { ingest } from './bench/ingest';
import { leaderboardHttp } from './bench/leaderboard-http';
import { lighthousePages } from './bench/lighthouse';
import { lighthouseBaseline } from './bench/lighthouse-baseline';
import { load } from './bench/load';
import { noisyNeighbour } from './bench/noisy-neighbour';
import { ranking } from './bench/ranking';
import { describeMachine, mergeIntoDocument, renderDocument, renderTable } from './bench/render';
import { scale } from './bench/scale';
import { simulatorGeneration } from './bench/simulator-generation';
import { simulatorLoad } from './bench/simulator-load';
import { simulatorV1Webhooks } from './bench/simulator-v1-webhooks';
import { syncScale } from './bench/sync-scale';
import { telemetryApi } from './bench/telemetry-api';
import type { Benchmark, BenchRow } from './bench/types';
import { ensureChromium } from './support/chromium';

// `npm run bench`: runs every registered benchmark against a freshly started production build and
// rewrites BENCHMARKS.md with one table (docs/interfaces.md). New benchmarks add a module under
// scripts/bench/ and an entry here.

const BENCHMARKS: readonly Benchmark[] = [
  // First: it waits for the demo's background warm-up, so the others measure a settled app.
  demoWarmUp,
  lighthousePages,
  lighthouseBaseline,
  firstLoadJs,
  chartMount,
  healthThroughput,
  simulatorGeneration,
  simulatorLoad,
  simulatorV1Webhooks,
  ingest,
  telemetryApi,
  syncScale,
  scale,
  // Starts its own app twice (SQLite, then PostgreSQL), with 50 owners of its own.
  load,
  // Its own app again, without the demo: 21 owners, one of them flooding.
  noisyNeighbour,
  // Its own app: the demo owner without peers, then every call to the simulated cloud failing.
  glanceOutage,
  // Late: it writes a 10,000-member group into the demo's file.
  leaderboardHttp,
  ranking,
];

// `npm run bench -- --only=lighthouse,telemetry` runs the benchmarks whose names contain one of the
// words (case-insensitive) and prints their rows without rewriting BENCHMARKS.md (a partial table
// would hide the other figures); with `--merge` too, their rows replace the same benchmarks' rows
// in BENCHMARKS.md (new ones are added), each row keeping its own date.
const onlyArg = process.argv.slice(2).find((arg) => arg.startsWith('--only='));
const only = onlyArg
  ?.slice('--only='.length)
  .split(',')
  .map((word) => word.trim().toLowerCase())
  .filter(Boolean);
const selected = only
  ? BENCHMARKS.filter((benchmark) => only.some((word) => benchmark.name.toLowerCase().includes(word)))
  : BENCHMARKS;

const root = process.cwd();
const started = performance.now();
const date = new Date().toISOString().slice(0, 10);
const machine = describeMachine();
// Taken before anything starts, so it shows what else was loading the machine.
const loadAverage = os
  .loadavg()
  .map((value) => value.toFixed(2))
  .join(' / ');
const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'kinetic-bench-'));

let server: AppServer | undefined;
let interrupted = false;
const cleanUp = async () => {
  await server?.stop();
  rmSync(tmpDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n[bench] ${signal}: stopping the app…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const buildId = () => {
  try {
    return readFileSync(path.join(root, '.next', 'BUILD_ID'), 'utf8').trim();
  } catch {
    return 'none';
  }
};

function shortMessage(error: unknown): string {
  const line = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'failed';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

const rows: BenchRow[] = [];
try {
  // Standalone benchmarks start what they measure themselves; the shared app only when another needs it.
  let chromiumPath = '';
  if (selected.some((benchmark) => !benchmark.standalone)) {
    chromiumPath = await ensureChromium();
    server = await startBuiltAppServer(root);
    console.log(`[bench] Kinetic is up on ${server.baseUrl} (build ${buildId()})`);
  }
  for (const benchmark of selected) {
    console.log(`[bench] ${benchmark.name}…`);
    try {
      if (benchmark.standalone) rows.push(...(await benchmark.run({ tmpDir })));
      else if (!server) throw new Error('no app was started');
      else
        rows.push(
          ...(await benchmark.run({
            baseUrl: server.baseUrl,
            chromiumPath,
            tmpDir,
            serverStartedAt: server.startedAt,
            dataDir: server.dataDir,
          })),
        );
    } catch (error) {
      // One broken benchmark must not cost the others their figures.
      console.error(`[bench] ${benchmark.name} failed:`, error);
      rows.push({
        benchmark: benchmark.name,
        figure: `error: ${shortMessage(error)}`,
        target: '—',
        status: 'misses',
      });
    }
  }
} finally {
  await cleanUp();
}

// An interrupted run would otherwise overwrite good figures with the errors of a half-stopped app.
if (interrupted) await new Promise(() => {});

const table = renderTable(rows, date, machine);
const document = path.join(root, 'BENCHMARKS.md');
const merge = process.argv.includes('--merge');
if (!only) writeFileSync(document, renderDocument(table, machine, loadAverage));
else if (merge)
  writeFileSync(document, mergeIntoDocument(readFileSync(document, 'utf8'), rows, date, machine));
console.log(`\n${table}\n`);
console.log(
  `[bench] ${only ? (merge ? 'merged its rows into BENCHMARKS.md' : 'ran') : 'wrote BENCHMARKS.md'} in ${Math.round((performance.now() - started) / 1000)} s`,
);
