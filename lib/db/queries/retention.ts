import 'server-only';
import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../client';
import { isPostgresError } from '../errors';
import type { Database } from '../schema';
import { refreshRollups } from './rollups';
import { summarizeStoredTrips } from './trip-summaries';

// Retention of raw samples (issue 5, "Rollups"): samples older than a cutoff are dropped; rollups,
// trips (with their events), alerts and everything else stay. The rules:
//
//  1. The cutoff falls back to 00:00 UTC of its day, and for each car to the start of any trip
//     that runs across it: a minute, an hour, a day or a trip is either wholly kept or wholly
//     dropped, so no rollup or trip summary is ever recomputed from half its samples
//     (rollups.ts rule 2, trip-summaries.ts rule 4).
//  2. Nothing is dropped before it is rolled up. The write path refreshes rollups in the batch's
//     own transaction, so normally everything is; but samples stored some other way (or before
//     the hook existed) would be lost from the charts. So each range is checked first: its sample
//     count against the `samples_n` of its minute rollups (a count, far cheaper than rolling up
//     again), and refreshed where they differ, in the same transaction as the delete. Finished
//     provider trips of the range not yet summarized are summarized then too.
//  3. PostgreSQL: a monthly partition (`samples_YYYYMM`, vehicle-data.ts) wholly before the cutoff
//     is dropped as a whole — after the check of rule 2, car by car — in its own short
//     transaction that waits at most LOCK_TIMEOUT for its lock (dropping locks the parent table;
//     a drop that cannot get it is left for the next pass rather than queueing every writer
//     behind it). The rest, in the partition the cutoff falls in, is deleted as on SQLite.
//  4. SQLite (and that last partition): car by car, at most `chunkRows` samples per transaction,
//     each chunk ending on a minute boundary, so a writer waits for one chunk at most.

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
export const DEFAULT_CHUNK_ROWS = 5_000;
const LOCK_TIMEOUT = '2s';
const LOCK_NOT_AVAILABLE = '55P03';

export type PruneOptions = {
  /** Samples measured before this instant (epoch ms; see rule 1) are dropped. */
  olderThanMs: number;
  chunkRows?: number;
};

export type PruneReport = {
  /** The cutoff after rule 1's day alignment (per car it may be earlier). */
  cutoffMs: number;
  droppedPartitions: string[];
  /** Partitions whose lock was not granted in time; the next pass tries again. */
  skippedPartitions: string[];
  deletedSamples: number;
  /** Ranges that were not rolled up (rule 2) and were refreshed before being dropped. */
  refreshedRanges: number;
};

const minuteStart = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/** The cutoff for a car: the day-aligned cutoff, or the start of a trip that runs across it. */
async function cutoffFor(db: Kysely<Database>, cutoffMs: number, vehicleId?: string): Promise<number> {
  let query = db
    .selectFrom('trips')
    .select((eb) => eb.fn.min('started_at').as('start'))
    .where('started_at', '<', cutoffMs)
    .where((eb) => eb(eb.fn.coalesce('ended_at', 'observed_until'), '>=', cutoffMs));
  if (vehicleId !== undefined) query = query.where('vehicle_id', '=', vehicleId);
  const row = await query.executeTakeFirst();
  const start = row?.start === null || row?.start === undefined ? null : Number(row.start);
  return start === null ? cutoffMs : Math.min(cutoffMs, minuteStart(start));
}

/**
 * Rule 2 for one car and [fromMs, toMs) (minute-aligned, or starting at the car's first sample):
 * refreshes the rollups if the samples there are not all counted. Returns whether it had to.
 */
async function ensureRolledUp(
  trx: Kysely<Database>,
  vehicleId: string,
  fromMs: number,
  toMs: number,
): Promise<boolean> {
  const samples = await trx
    .selectFrom('samples')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('vehicle_id', '=', vehicleId)
    .where('at', '>=', fromMs)
    .where('at', '<', toMs)
    .executeTakeFirst();
  const counted = await trx
    .selectFrom('sample_rollups')
    .select((eb) => eb.fn.sum<number | null>('samples_n').as('n'))
    .where('vehicle_id', '=', vehicleId)
    .where('resolution', '=', 'minute')
    .where('bucket_start', '>=', minuteStart(fromMs))
    .where('bucket_start', '<', toMs)
    .executeTakeFirst();
  const stored = Number(samples?.n ?? 0);
  if (stored === 0 || stored === Number(counted?.n ?? 0)) return false;
  await refreshRollups(trx, vehicleId, fromMs, toMs - 1);
  return true;
}

/** `samples_YYYYMM` partitions and their month, on PostgreSQL. */
/**
 * Rule 2's trips, in a transaction of their own before the delete's: a summary takes a few hundred
 * milliseconds per hour of driving, which the delete's transaction (and so the writers waiting
 * for it) need not include. Samples that arrive in between bring their own summary (the hook).
 */
async function summarizeBeforeDropping(
  db: Kysely<Database>,
  vehicleId: string,
  fromMs: number,
  toMs: number,
) {
  await db
    .transaction()
    .execute((trx) => summarizeStoredTrips(trx, vehicleId, { fromMs, toMs: toMs - 1, onlyMissing: true }));
}

async function samplePartitions(db: Kysely<Database>) {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'samples'`.execute(db);
  const out: { name: string; fromMs: number; toMs: number }[] = [];
  for (const { name } of rows) {
    const match = /^samples_(\d{4})(\d{2})$/.exec(name);
    if (!match) continue;
    const year = Number(match[1]);
    const month = Number(match[2]) - 1;
    out.push({ name, fromMs: Date.UTC(year, month, 1), toMs: Date.UTC(year, month + 1, 1) });
  }
  return out.sort((a, b) => a.fromMs - b.fromMs);
}

async function vehicleIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('vehicles').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** Rule 3: whole partitions before the cutoff (and before any trip that runs across it). */
async function dropWholePartitions(db: Kysely<Database>, cutoffMs: number, report: PruneReport) {
  const limit = await cutoffFor(db, cutoffMs);
  const partitions = (await samplePartitions(db)).filter((partition) => partition.toMs <= limit);
  if (partitions.length === 0) return;
  const vehicles = await vehicleIds(db);
  for (const partition of partitions) {
    for (const vehicleId of vehicles) {
      await summarizeBeforeDropping(db, vehicleId, partition.fromMs, partition.toMs);
      const refreshed = await db
        .transaction()
        .execute((trx) => ensureRolledUp(trx, vehicleId, partition.fromMs, partition.toMs));
      if (refreshed) report.refreshedRanges++;
    }
    try {
      await db.transaction().execute(async (trx) => {
        await sql.raw(`set local lock_timeout = '${LOCK_TIMEOUT}'`).execute(trx);
        await sql.raw(`drop table if exists ${partition.name}`).execute(trx);
      });
      report.droppedPartitions.push(partition.name);
    } catch (error) {
      if (!isPostgresError(error, LOCK_NOT_AVAILABLE)) throw error;
      report.skippedPartitions.push(partition.name);
    }
  }
}

/** Rule 4 for one car: chunks of at most `chunkRows` samples in [fromMs, cutoff). */
async function deleteInChunks(
  db: Kysely<Database>,
  vehicleId: string,
  fromMs: number,
  cutoffMs: number,
  chunkRows: number,
  report: PruneReport,
) {
  let next = fromMs;
  for (;;) {
    const first = await db
      .selectFrom('samples')
      .select('at')
      .where('vehicle_id', '=', vehicleId)
      .where('at', '>=', next)
      .where('at', '<', cutoffMs)
      .orderBy('at')
      .limit(1)
      .executeTakeFirst();
    if (first === undefined) return;
    const start = Number(first.at);
    const beyond = await db
      .selectFrom('samples')
      .select('at')
      .where('vehicle_id', '=', vehicleId)
      .where('at', '>=', start)
      .where('at', '<', cutoffMs)
      .orderBy('at')
      .offset(chunkRows)
      .limit(1)
      .executeTakeFirst();
    // The chunk ends on a minute boundary (never inside a minute), at least one minute on.
    const end =
      beyond === undefined
        ? cutoffMs
        : Math.max(minuteStart(Number(beyond.at)), minuteStart(start) + MINUTE_MS);
    await summarizeBeforeDropping(db, vehicleId, start, end);
    const deleted = await db.transaction().execute(async (trx) => {
      if (await ensureRolledUp(trx, vehicleId, start, end)) report.refreshedRanges++;
      const result = await trx
        .deleteFrom('samples')
        .where('vehicle_id', '=', vehicleId)
        .where('at', '>=', start)
        .where('at', '<', end)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
    report.deletedSamples += deleted;
    next = end;
  }
}

/**
 * Drops raw samples measured before `olderThanMs` (rule 1 aligns it), keeping rollups, trips,
 * events and every other table. Safe to run while writers write, and again at any time: a pass
 * with nothing to drop reads a few index entries per car.
 */
export async function pruneRawSamples(db: Kysely<Database>, options: PruneOptions): Promise<PruneReport> {
  const cutoffMs = Math.floor(options.olderThanMs / DAY_MS) * DAY_MS;
  const chunkRows = Math.max(1, Math.floor(options.chunkRows ?? DEFAULT_CHUNK_ROWS));
  const report: PruneReport = {
    cutoffMs,
    droppedPartitions: [],
    skippedPartitions: [],
    deletedSamples: 0,
    refreshedRanges: 0,
  };
  let fromMs = Number.MIN_SAFE_INTEGER;
  if (isPostgres(db)) {
    await dropWholePartitions(db, cutoffMs, report);
    // Whole partitions left (a lock not granted, or a trip across the cutoff) wait for the next
    // pass rather than being deleted row by row: only the cutoff's own month is deleted here.
    const date = new Date(cutoffMs);
    fromMs = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
  for (const vehicleId of await vehicleIds(db)) {
    const vehicleCutoff = await cutoffFor(db, cutoffMs, vehicleId);
    await deleteInChunks(db, vehicleId, fromMs, vehicleCutoff, chunkRows, report);
  }
  return report;
}
