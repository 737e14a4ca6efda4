import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openSqlite, sqliteDatabaseOf } from '../../lib/db/client';
import { migrateToLatest } from '../../lib/db/migrate';
import { refreshRollups } from '../../lib/db/queries/rollups';
import { createUser } from '../../lib/db/queries/users';
import { writeVehicleData } from '../../lib/db/queries/vehicle-data';
import { createVehicle } from '../../lib/db/queries/vehicles';
import type { TelemetryMetric } from '../../lib/schemas/telemetry';
import { emptyVehicleData, type Sample } from '../../lib/telemetry/model';
import { readTelemetry } from '../../lib/telemetry/query/read-telemetry';
import { type Drive, driveDays } from './telemetry-api/drive-year';
import { type Benchmark, type BenchRow, formatInteger } from './types';

// The telemetry API's server time and payload (issue 6, "Targets"): one car holding a year of 1 Hz
// driving, about an hour a day (1.4 million samples, with their minute, hour and day rollups), in
// a SQLite file opened as the app opens it. Timed: the function the route calls (readTelemetry:
// ownership and availability, the source read, M4) plus JSON serialisation, for the explorer's
// ranges — live (15 min), a trip (1 h), day, week, month, year — at 400 and 1,600 CSS px, 40
// rounds over all cases after 5 of warm-up; p95 per case, the worst named. Sized: the gzip of the JSON of three series
// (speed, rpm, consumption), the largest answer per width named. The HTTP layer (auth, ETag) is
// not in the figure: docs/performance.md T12 measures route overhead on its own.
// Run alone: `npx tsx --conditions=react-server scripts/bench/run-one.ts telemetry-api`.

const DAYS = 365;
const START = Date.UTC(2025, 10, 1);
const WRITE_DAYS_PER_TRANSACTION = 30;
const WARM_UP_RUNS = 5;
const RUNS = 40;
const P95_TARGET_MS = 30;
const GZIP_TARGETS_KB: Record<number, number> = { 400: 15, 1600: 50 };
const WIDTHS = [400, 1600] as const;
const METRICS: TelemetryMetric[] = ['speed', 'rpm', 'consumption'];

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number;
}

type Case = { name: string; from: number; to: number };

async function run({ tmpDir }: { tmpDir: string }): Promise<BenchRow[]> {
  const handle = openSqlite(path.join(tmpDir, 'telemetry-api.db'));
  try {
    const db = handle.db;
    await migrateToLatest(db);
    const owner = await createUser(db, { email: 'telemetry-bench@example.com', passwordHash: null });
    const vehicle = await createVehicle(db, owner.id, {
      label: 'Bench 208',
      brand: 'peugeot',
      model: '208',
      powertrain: 'petrol',
      vin: 'VF3TELEMETRY00001',
    });

    // Stored through the write path (natural keys, merge upsert), derived once at the end as the
    // file import does (deriveLater): one rollup refresh over the year, not one per batch.
    const generationStarted = performance.now();
    let pending: Sample[][] = [];
    let count = 0;
    const flush = async () => {
      const samples = pending.flat();
      pending = [];
      count += samples.length;
      await db.transaction().execute((trx) =>
        writeVehicleData(trx, vehicle.id, { ...emptyVehicleData(), samples }, [], Date.now(), {
          deriveLater: true,
        }),
      );
    };
    const drives: Drive[] = [];
    for (const day of driveDays(START, DAYS)) {
      drives.push(...day.drives);
      pending.push(day.samples);
      if (pending.length >= WRITE_DAYS_PER_TRANSACTION) await flush();
    }
    await flush();
    const first = drives[0];
    const lastDrive = drives[drives.length - 1];
    if (!first || !lastDrive) throw new Error('the generator made no drives');
    await refreshRollups(db, vehicle.id, first.startedAt, lastDrive.endedAt);
    const generationS = (performance.now() - generationStarted) / 1000;

    // "Now" is ten minutes into the year's last drive: the live range has the car driving.
    const now = lastDrive.startedAt + 10 * MIN;
    const cases: Case[] = [
      { name: 'live 15 min', from: now - 15 * MIN, to: now },
      { name: 'trip 1 h', from: lastDrive.startedAt - 5 * MIN, to: lastDrive.startedAt + 55 * MIN },
      { name: 'day', from: now - DAY, to: now },
      { name: 'week', from: now - 7 * DAY, to: now },
      { name: 'month', from: now - 30 * DAY, to: now },
      { name: 'year', from: now - 365 * DAY, to: now },
    ];

    // A settled database, as a server that has been up a while reads it: the WAL folded into the
    // main file, and the generation's garbage collected before the clock starts.
    sqliteDatabaseOf(db)?.pragma('wal_checkpoint(TRUNCATE)');
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // Rounds over every case, so a burst of load from elsewhere on the machine spreads over all
    // cases instead of landing on one.
    const all = WIDTHS.flatMap((width) =>
      cases.map((range) => ({ ...range, width, times: [] as number[], body: '' })),
    );
    const once = (c: (typeof all)[number]) =>
      readTelemetry(db, owner.id, vehicle.id, {
        metrics: METRICS,
        from: c.from,
        to: c.to,
        width: c.width,
      }).then((answer) => JSON.stringify(answer));
    for (let round = 0; round < WARM_UP_RUNS + RUNS; round++) {
      for (const c of all) {
        const started = performance.now();
        c.body = await once(c);
        if (round >= WARM_UP_RUNS) c.times.push(performance.now() - started);
      }
    }
    const results = all.map((c) => ({
      label: `${c.name} @ ${c.width} px`,
      p95Ms: p95(c.times),
      gzipBytes: gzipSync(c.body).length,
      width: c.width,
      resolution: (JSON.parse(c.body) as { resolution: string }).resolution,
    }));

    const worst = results.reduce((a, b) => (b.p95Ms > a.p95Ms ? b : a));
    const rows: BenchRow[] = [
      {
        benchmark:
          `Telemetry API read p95, SQLite, one car with a year of 1 Hz driving ` +
          `(${formatInteger(count)} samples; generated and stored in ${generationS.toFixed(0)} s); ` +
          `${cases.length} ranges × widths ${WIDTHS.join(' and ')}, ${RUNS} runs each`,
        figure:
          `worst p95 ${worst.p95Ms.toFixed(1)} ms (${worst.label}, ${worst.resolution}); ` +
          results.map((r) => `${r.label} ${r.p95Ms.toFixed(1)}`).join(', '),
        target: `≤ ${P95_TARGET_MS} ms for any range`,
        status: worst.p95Ms <= P95_TARGET_MS ? 'meets' : 'misses',
      },
    ];
    for (const width of WIDTHS) {
      const ofWidth = results.filter((r) => r.width === width);
      const largest = ofWidth.reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
      const target = GZIP_TARGETS_KB[width] ?? 0;
      rows.push({
        benchmark: `Telemetry API answer, gzip, 3 series at ${width} px`,
        figure:
          `largest ${(largest.gzipBytes / 1024).toFixed(1)} KB (${largest.label}, ${largest.resolution}); ` +
          ofWidth.map((r) => `${r.label.split(' @')[0]} ${(r.gzipBytes / 1024).toFixed(1)}`).join(', '),
        target: `≤ ${target} KB`,
        status: largest.gzipBytes <= target * 1024 ? 'meets' : 'misses',
      });
    }
    return rows;
  } finally {
    await handle.close();
  }
}

export const telemetryApi: Benchmark = { name: 'telemetry API', run };
