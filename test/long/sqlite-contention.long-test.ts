import { type ChildProcess, fork } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type DbHandle, openSqlite, sqliteDatabaseOf } from '@/lib/db/client';
import { migrateToLatest } from '@/lib/db/migrate';
import { createUser } from '@/lib/db/queries/users';
import { createVehicle } from '@/lib/db/queries/vehicles';
import {
  type Car,
  READ_KINDS,
  type ReaderResult,
  type WorkerConfig,
  type WriterResult,
} from './sqlite-contention-load';

// DB-04 (docs/security-tests.md): write contention on the SQLite file without SQLITE_BUSY reaching
// a caller. Four writer processes each commit 1,000 of Kinetic's own write transactions (one car's
// batch through writeVehicleData in a `begin immediate` transaction, as storeVehicleData does:
// samples, their rollups and trip summaries, a trip every 10th, an alert every 25th) while eight
// reader processes run Kinetic's own reads (telemetry raw and from rollups, the trip list with its
// totals, the alert list) for at least 60 s. Separate processes, each opening the file with
// openSqlite as the app, the worker and the CLI do: better-sqlite3 is synchronous, so only
// processes contend for real. Must hold:
// - no error at all reaches a writer or a reader (SQLITE_BUSY included): a writer waits its turn
//   for the write lock (lib/db/client.ts WriteTurns); WAL readers never wait for it;
// - every acknowledged batch is stored: per car, the samples, trips and alerts its writer was told
//   were committed, and the minute rollups count every sample;
// - readers are not blocked by writers: reads complete while a writer holds the write lock, and in
//   every second of the run (no timed threshold: latency is reported, not asserted);
// - readers see committed data only and never go back in time: a car's trip count never decreases;
// - the WAL stays bounded: under 64 MB at its peak during the run, after the run as Kinetic's own
//   policy leaves it (SQLite's automatic checkpoints, journal_size_limit, WriteTurns' RESTART
//   checkpoint past 16 MB), and after a TRUNCATE checkpoint.
// Measured figures (latencies, waits, the WAL's size over time) are printed, not asserted.

const root = fileURLToPath(new URL('../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./sqlite-contention-worker.ts', import.meta.url));

const WRITERS = 4;
const READERS = 8;
const TRANSACTIONS_PER_WRITER = 1000;
/** Readers run at least this long, and until the last writer is done. */
const MIN_RUN_MS = 60_000;
const WAL_BOUND_BYTES = 64 * 1024 * 1024;
const WAL_SAMPLE_MS = 50;

const now = () => performance.timeOrigin + performance.now();

type Child = {
  process: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
};

function startChild(config: WorkerConfig): Child {
  const child = fork(WORKER, [JSON.stringify(config)], {
    cwd: root,
    execArgv: ['--conditions=react-server', '--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', (message) => {
      if (message === 'ready') resolve();
    });
    void exited.then((code) => reject(new Error(`a ${config.role} exited (${code}) before ready:\n${text}`)));
  });
  // The rejection is read through `ready`; once ready, a later exit is not a failure of it.
  ready.catch(() => {});
  return { process: child, ready, exited, output: () => text };
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

/** The union of [start, end] intervals, merged and in order. */
function union(intervals: [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** The merged, ordered interval that holds `at`, if any (binary search). */
function spanAt(merged: readonly [number, number][], at: number): [number, number] | undefined {
  let low = 0;
  let high = merged.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = merged[mid] as [number, number];
    if (at < span[0]) high = mid - 1;
    else if (at > span[1]) low = mid + 1;
    else return span;
  }
  return undefined;
}

const walSize = (file: string) => {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
};

/** Errors counted by code, phase and message, for the report. */
function errorSummary(
  errors: readonly { code?: string; message: string; phase?: string; afterMs?: number }[],
) {
  const counts: Record<string, { n: number; afterMs: number[] }> = {};
  for (const error of errors) {
    const key = [error.code, error.phase, error.message].filter(Boolean).join(' / ');
    const entry = counts[key] ?? { n: 0, afterMs: [] };
    entry.n++;
    if (error.afterMs !== undefined) entry.afterMs.push(error.afterMs);
    counts[key] = entry;
  }
  return Object.fromEntries(
    Object.entries(counts).map(([key, { n, afterMs }]) => [
      key,
      afterMs.length > 0 ? `${n} (after ${Math.min(...afterMs)} to ${Math.max(...afterMs)} ms)` : `${n}`,
    ]),
  );
}

/** The WAL's largest size in each 10 s of the run. */
function walPer10s(timeline: readonly { at: number; size: number }[], from: number): number[] {
  const out: number[] = [];
  for (const { at, size } of timeline) {
    const slot = Math.max(0, Math.floor((at - from) / 10_000));
    out[slot] = Math.max(out[slot] ?? 0, size);
  }
  return Array.from(out, (size) => size ?? 0);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('SQLite under write contention (DB-04)', () => {
  let folder: string | undefined;
  let handle: DbHandle | undefined;
  const children: Child[] = [];

  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await handle?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it(`${WRITERS} writer processes × ${TRANSACTIONS_PER_WRITER} transactions and ${READERS} reader processes: no error, nothing lost, reads never blocked, WAL bounded`, {
    timeout: 300_000,
  }, async () => {
    const began = now();
    folder = await mkdtemp(join(tmpdir(), 'kinetic-contention-'));
    const file = join(folder, 'kinetic.db');
    handle = openSqlite(file);
    const { db } = handle;
    await migrateToLatest(db);
    const cars: Car[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const owner = await createUser(db, { email: `owner-${i}@contention.test`, passwordHash: null });
      const vehicle = await createVehicle(db, owner.id, {
        label: `Car ${i}`,
        brand: 'Peugeot',
        model: '308',
        powertrain: 'petrol',
        vin: `VF3ABCDEFGH00000${i}`,
      });
      cars.push({ ownerId: owner.id, vehicleId: vehicle.id });
    }

    const writerOut = cars.map((_, i) => join(folder as string, `writer-${i}.json`));
    const readerOut = Array.from({ length: READERS }, (_, i) => join(folder as string, `reader-${i}.json`));
    const writers = cars.map((car, i) =>
      startChild({
        role: 'writer',
        file,
        out: writerOut[i] as string,
        car,
        transactions: TRANSACTIONS_PER_WRITER,
      }),
    );
    const readers = readerOut.map((out, index) => startChild({ role: 'reader', file, out, cars, index }));
    children.push(...writers, ...readers);
    await Promise.all(children.map((child) => child.ready));
    const readyAt = now();

    // The WAL's size through the run, sampled from this (otherwise idle) process.
    let walPeak = walSize(file);
    const walTimeline: { at: number; size: number }[] = [];
    const sampler = setInterval(() => {
      const size = walSize(file);
      walPeak = Math.max(walPeak, size);
      walTimeline.push({ at: now(), size });
    }, WAL_SAMPLE_MS);

    const goAt = now();
    for (const child of children) child.process.send('go');
    const writerCodes = await Promise.all(writers.map((writer) => writer.exited));
    const writersDoneAt = now();
    const rest = goAt + MIN_RUN_MS - now();
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    for (const reader of readers) reader.process.send('stop');
    const readerCodes = await Promise.all(readers.map((reader) => reader.exited));
    const stoppedAt = now();
    clearInterval(sampler);
    walPeak = Math.max(walPeak, walSize(file));

    for (const [i, code] of [...writerCodes, ...readerCodes].entries()) {
      expect(code, (children[i] as Child).output().slice(-3000)).toBe(0);
    }
    const writerResults = await Promise.all(
      writerOut.map(async (out) => JSON.parse(await readFile(out, 'utf8')) as WriterResult),
    );
    const readerResults = await Promise.all(
      readerOut.map(async (out) => JSON.parse(await readFile(out, 'utf8')) as ReaderResult),
    );

    // The WAL as Kinetic's own checkpoint policy leaves it, then after a TRUNCATE checkpoint through
    // the app's handle, with every other process gone.
    const walAfterRun = walSize(file);
    const sqlite = sqliteDatabaseOf(db);
    if (!sqlite) throw new Error('openSqlite gave no better-sqlite3 handle');
    const checkpoint = sqlite.pragma('wal_checkpoint(TRUNCATE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    const walAfterCheckpoint = walSize(file);

    // Read latencies and progress.
    const reads = readerResults.flatMap((result) =>
      result.startedAt.map((startedAt, i) => ({
        startedAt,
        endedAt: result.endedAt[i] as number,
        kind: READ_KINDS[result.kind[i] as number],
      })),
    );
    const latencies = reads.map((read) => read.endedAt - read.startedAt).sort((a, b) => a - b);
    const slowest = [...reads]
      .sort((a, b) => b.endedAt - b.startedAt - (a.endedAt - a.startedAt))
      .slice(0, 5);
    const locks = union(
      writerResults.flatMap((result) =>
        result.lockedAt.map((lockedAt, i): [number, number] => [lockedAt, result.committedAt[i] as number]),
      ),
    );
    const lockHeldMs = locks.reduce((sum, [start, end]) => sum + end - start, 0);
    const readsDuringWrites = reads.filter((read) => spanAt(locks, read.endedAt) !== undefined).length;
    // Reads that began and completed while the write lock stayed held throughout.
    const readsWithinOneWrite = reads.filter((read) => {
      const span = spanAt(locks, read.startedAt);
      return span !== undefined && read.endedAt <= span[1];
    }).length;
    const seconds = Math.floor((writersDoneAt - goAt) / 1000);
    const readsPerSecond = Array.from({ length: seconds }, () => 0);
    for (const read of reads) {
      const second = Math.floor((read.endedAt - goAt) / 1000);
      if (second >= 0 && second < seconds) readsPerSecond[second] = (readsPerSecond[second] as number) + 1;
    }
    // Per transaction: the wait for the write lock, and the time from holding it to the commit's
    // return (the commit's automatic checkpoint included).
    const waitMs = writerResults
      .flatMap((result) => result.lockedAt.map((lockedAt, i) => lockedAt - (result.calledAt[i] as number)))
      .sort((a, b) => a - b);
    const heldMs = writerResults
      .flatMap((result) =>
        result.committedAt.map((committedAt, i) => committedAt - (result.lockedAt[i] as number)),
      )
      .sort((a, b) => a - b);
    const spread = (sorted: readonly number[]) =>
      `median ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${quantile(sorted, 0.99).toFixed(1)} ms, worst ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`;
    const byKind = Object.fromEntries(
      READ_KINDS.map((kind) => {
        const sorted = reads
          .filter((read) => read.kind === kind)
          .map((read) => read.endedAt - read.startedAt)
          .sort((a, b) => a - b);
        return [
          kind,
          `${sorted.length} reads, median ${quantile(sorted, 0.5).toFixed(1)} ms, worst ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`,
        ];
      }),
    );

    console.log(
      [
        `[DB-04] writers: ${writerResults.map((result) => result.acknowledged.transactions).join(' + ')} transactions committed in ${((writersDoneAt - goAt) / 1000).toFixed(1)} s` +
          `; wait for the lock: ${spread(waitMs)}; lock to commit: ${spread(heldMs)};` +
          ` write lock held ${((100 * lockHeldMs) / (writersDoneAt - goAt)).toFixed(0)} % of that time`,
        `[DB-04] readers: ${reads.length} reads in ${((stoppedAt - goAt) / 1000).toFixed(1)} s; latency median ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, worst ${(latencies.at(-1) ?? 0).toFixed(1)} ms`,
        ...Object.entries(byKind).map(([kind, text]) => `[DB-04]   ${kind}: ${text}`),
        `[DB-04] reads completed while a writer held the write lock: ${readsDuringWrites}; begun and completed within one write-lock span: ${readsWithinOneWrite}; fewest reads in a 1 s window while writers ran: ${Math.min(...readsPerSecond)}`,
        `[DB-04] WAL, largest per 10 s: ${walPer10s(walTimeline, goAt).map(mb).join(', ')}`,
        `[DB-04] slowest reads: ${slowest.map((read) => `${read.kind} ${(read.endedAt - read.startedAt).toFixed(0)} ms at +${((read.startedAt - goAt) / 1000).toFixed(1)} s`).join('; ')}`,
        `[DB-04] WAL: peak ${mb(walPeak)}, ${mb(walAfterRun)} after the run (Kinetic's own checkpoints), ${mb(walAfterCheckpoint)} after wal_checkpoint(TRUNCATE) ${JSON.stringify(checkpoint[0])}`,
        `[DB-04] errors: writers ${JSON.stringify(errorSummary(writerResults.flatMap((result) => result.errors)))}, readers ${JSON.stringify(errorSummary(readerResults.flatMap((result) => result.errors)))}; processes ready after ${((readyAt - began) / 1000).toFixed(1)} s, whole test ${((now() - began) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );

    // No error reached any caller: no SQLITE_BUSY, nothing else either.
    expect(writerResults.flatMap((result) => result.errors)).toEqual([]);
    expect(readerResults.flatMap((result) => result.errors)).toEqual([]);

    // Every acknowledged batch is stored, derived rollups included.
    for (const [i, car] of cars.entries()) {
      const acknowledged = (writerResults[i] as WriterResult).acknowledged;
      expect(acknowledged.transactions).toBe(TRANSACTIONS_PER_WRITER);
      const count = async (table: 'samples' | 'trips' | 'alerts') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select(sql<number>`count(*)`.as('n'))
              .where('vehicle_id', '=', car.vehicleId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const minuteSamples = await db
        .selectFrom('sample_rollups')
        .select(sql<number>`sum(samples_n)`.as('n'))
        .where('vehicle_id', '=', car.vehicleId)
        .where('resolution', '=', 'minute')
        .executeTakeFirstOrThrow();
      expect({
        samples: await count('samples'),
        trips: await count('trips'),
        alerts: await count('alerts'),
        rolledUp: Number(minuteSamples.n),
      }).toEqual({
        samples: acknowledged.samples,
        trips: acknowledged.trips,
        alerts: acknowledged.alerts,
        rolledUp: acknowledged.samples,
      });
    }
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');

    // Readers were not blocked by writers: reads completed while the write lock was held, and
    // reads completed in every second while the writers ran.
    expect(reads.length).toBeGreaterThan(0);
    expect(readsDuringWrites).toBeGreaterThan(0);
    expect(readsPerSecond.filter((n) => n === 0)).toEqual([]);
    // Each reader saw each car's trips only grow: committed data, never an older snapshot.
    for (const result of readerResults) {
      for (const counts of Object.values(result.tripCounts)) {
        expect(counts.every((n, i) => i === 0 || n >= (counts[i - 1] as number))).toBe(true);
      }
    }

    // The WAL stayed bounded during the run and is below the bound after a checkpoint.
    expect(walPeak).toBeLessThan(WAL_BOUND_BYTES);
    expect(walAfterRun).toBeLessThan(WAL_BOUND_BYTES);
    expect(checkpoint[0]?.busy).toBe(0);
    expect(walAfterCheckpoint).toBeLessThan(WAL_BOUND_BYTES);
  });
});
