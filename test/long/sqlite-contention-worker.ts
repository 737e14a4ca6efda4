import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { listAlerts } from '../../lib/alerts/alerts';
import { openSqlite } from '../../lib/db/client';
import { writeVehicleData } from '../../lib/db/queries/vehicle-data';
import { readTelemetry } from '../../lib/telemetry/query/read-telemetry';
import { ownerTripList } from '../../lib/trips/owner-trips';
import {
  batchOf,
  type Car,
  READ_KINDS,
  type ReaderResult,
  T0,
  type WorkerConfig,
  type WriterResult,
} from './sqlite-contention-load';

// TEST SUPPORT ONLY (sqlite-contention.long-test.ts, DB-04): one writer or one reader process on a
// shared SQLite file, opened as the app opens it (openSqlite: WAL, `begin immediate`, WriteTurns).
// Started by `fork` with tsx as a loader; it says `ready` once its database is open, starts at `go`,
// and writes what it measured to `config.out` as JSON. Instants are wall-clock milliseconds with
// sub-millisecond precision (timeOrigin + performance.now()), so the parent can lay every process's
// intervals on one time line.

const now = () => performance.timeOrigin + performance.now();

const errorOf = (error: unknown) => ({
  ...(typeof (error as { code?: unknown }).code === 'string'
    ? { code: (error as { code: string }).code }
    : {}),
  message: error instanceof Error ? error.message : String(error),
});

async function runWriter(
  config: Extract<WorkerConfig, { role: 'writer' }>,
  db: ReturnType<typeof openSqlite>['db'],
) {
  const result: WriterResult = {
    acknowledged: { transactions: 0, samples: 0, trips: 0, alerts: 0 },
    lockedAt: [],
    committedAt: [],
    calledAt: [],
    errors: [],
  };
  for (let k = 0; k < config.transactions; k++) {
    const data = batchOf(k);
    const calledAt = now();
    let lockedAt = 0;
    try {
      // storeVehicleData's own body (vehicle-data.ts), with the instant its callback starts, which is
      // when `begin immediate` has returned: this transaction holds the write lock from there.
      const stored = await db.transaction().execute((trx) => {
        lockedAt = now();
        return writeVehicleData(trx, config.car.vehicleId, data);
      });
      const committedAt = now();
      result.lockedAt.push(lockedAt);
      result.committedAt.push(committedAt);
      result.calledAt.push(calledAt);
      result.acknowledged.transactions++;
      result.acknowledged.samples += stored.samples;
      result.acknowledged.trips += stored.trips;
      result.acknowledged.alerts += stored.alerts;
    } catch (error) {
      result.errors.push({
        ...errorOf(error),
        // Diagnosis: whether `begin immediate` gave up, and after how long.
        phase: lockedAt === 0 ? 'begin' : 'in-transaction',
        afterMs: Math.round(now() - calledAt),
      });
    }
  }
  return result;
}

async function runReader(
  config: Extract<WorkerConfig, { role: 'reader' }>,
  db: ReturnType<typeof openSqlite>['db'],
  stopped: () => boolean,
) {
  const result: ReaderResult = { startedAt: [], endedAt: [], kind: [], tripCounts: {}, errors: [] };
  const windowMs = 15 * 60_000;
  for (let n = 0; !stopped(); n++) {
    const car = config.cars[(config.index + n) % config.cars.length] as Car;
    const kind = (config.index + n) % READ_KINDS.length;
    const startedAt = now();
    try {
      switch (READ_KINDS[kind]) {
        case 'telemetry-raw': {
          // A quarter of an hour of the car's drive, read raw (source.ts), sliding along the run's data.
          const from = T0 + (n % 12) * windowMs;
          await readTelemetry(db, car.ownerId, car.vehicleId, {
            metrics: ['speed', 'rpm', 'consumption'],
            from,
            to: from + windowMs,
            width: 800,
          });
          break;
        }
        case 'telemetry-minutes':
          // The whole day around the run: minute rollups.
          await readTelemetry(db, car.ownerId, car.vehicleId, {
            metrics: ['speed', 'fuel_level', 'altitude'],
            from: T0 - 6 * 3_600_000,
            to: T0 + 18 * 3_600_000,
            width: 400,
          });
          break;
        case 'trip-list': {
          const list = await ownerTripList(db, car.ownerId, { vehicleId: car.vehicleId });
          if (list === null) throw new Error(`the trip list did not find the owner's car ${car.vehicleId}`);
          const counts = result.tripCounts[car.vehicleId] ?? [];
          counts.push(list.totals.count);
          result.tripCounts[car.vehicleId] = counts;
          break;
        }
        case 'alert-list':
          await listAlerts(db, car.ownerId, { vehicleId: car.vehicleId, state: 'all', limit: 25 });
          break;
      }
      result.startedAt.push(startedAt);
      result.endedAt.push(now());
      result.kind.push(kind);
    } catch (error) {
      result.errors.push(errorOf(error));
    }
    // No pause between reads, the most a reader can press on the WAL (readers that never pause
    // kept SQLite's automatic checkpoints from emptying it: client.ts WriteTurns). Only the
    // parent's `stop` message is let in (better-sqlite3 answers synchronously).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return result;
}

async function main() {
  const config = JSON.parse(process.argv[2] ?? '') as WorkerConfig;
  const handle = openSqlite(config.file);
  let stop = false;
  let go: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    go = resolve;
  });
  process.on('message', (message) => {
    if (message === 'go') go();
    if (message === 'stop') stop = true;
  });
  process.send?.('ready');
  await started;
  const result =
    config.role === 'writer'
      ? await runWriter(config, handle.db)
      : await runReader(config, handle.db, () => stop);
  await handle.close();
  writeFileSync(config.out, JSON.stringify(result));
  process.disconnect?.();
}

await main();
