import 'server-only';
import type { Kysely } from 'kysely';
import { isPostgres } from '../db/client';
import { isPostgresError } from '../db/errors';
import { refreshRollups } from '../db/queries/rollups';
import { ensureSamplePartitions } from '../db/queries/sample-upsert';
import { writeVehicleData } from '../db/queries/vehicle-data';
import { createVehicle, getVehicleByLabel } from '../db/queries/vehicles';
import type { Database, VehicleRow } from '../db/schema';
import { emptyVehicleData, type Powertrain, type Sample } from '../telemetry/model';
import type { CsvChunk } from './obd/csv-records';
import {
  MAX_REPORTED_REJECTIONS,
  type ObdRejection,
  type ParseObdOptions,
  parseObdFile,
} from './obd/parse-obd-file';

// An OBD-II log into an owner's car (interfaces.md › `import`): the file is parsed as it streams
// and every batch is written inside ONE transaction, so a file is committed whole or not at all
// (a refusal part-way — no date for clock times, an unclosed quote — stores nothing). Each data
// row is counted once: imported, duplicate (a repeat inside the file, or an instant already
// stored for this car from an import) or rejected with its reason. The same file imported again
// imports nothing and names the same trips.

export type ImportObdOptions = Omit<ParseObdOptions, 'ownerTimeZone'> & {
  ownerId: string;
  /** `--vehicle`: the owner's car with this label, created when missing. */
  vehicleLabel?: string;
  make?: string;
  model?: string;
  fuel?: Powertrain;
};

export type ImportObdReport = {
  rowsRead: number;
  rowsImported: number;
  rowsDuplicate: number;
  rowsRejected: number;
  rejections: ObdRejection[];
  vehicleId: string;
  tripIds: string[];
};

/** Derives and writes the trips of the imported samples; returns their public ids. */
export type ImportTripDeriver = (
  trx: Kysely<Database>,
  vehicle: VehicleRow,
  fromMs: number,
  toMs: number,
) => Promise<string[]>;

export const DEFAULT_IMPORT_LABEL = 'OBD import';
const PROVIDER = 'obd-import';

/**
 * The owner's car named `label`, or a new one. An imported car has no VIN the file could tell, so
 * its `vin` column holds `import:<label>` — unique per owner as the column requires, and never a
 * real VIN (those have 17 characters and no colon).
 */
async function vehicleFor(db: Kysely<Database>, options: ImportObdOptions): Promise<VehicleRow> {
  const label = options.vehicleLabel ?? DEFAULT_IMPORT_LABEL;
  const existing = await getVehicleByLabel(db, options.ownerId, label);
  if (existing) return existing;
  return createVehicle(db, options.ownerId, {
    label,
    brand: options.make ?? 'unknown',
    model: options.model ?? 'unknown',
    powertrain: options.fuel ?? 'unknown',
    vin: `import:${label}`,
  });
}

/** How many of these instants this car already has from an import (the file's rows stored before). */
async function storedInstants(
  trx: Kysely<Database>,
  vehicleId: string,
  samples: readonly Sample[],
): Promise<number> {
  if (samples.length === 0) return 0;
  const row = await trx
    .selectFrom('samples')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('vehicle_id', '=', vehicleId)
    .where('provider', '=', PROVIDER)
    .where(
      'at',
      'in',
      samples.map((sample) => sample.at),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function importObdFile(
  db: Kysely<Database>,
  input: AsyncIterable<CsvChunk>,
  options: ImportObdOptions,
  deriveTrips: ImportTripDeriver,
  ownerTimeZone?: string,
): Promise<ImportObdReport> {
  const parse = parseObdFile(input, { ...options, ...(ownerTimeZone ? { ownerTimeZone } : {}) });
  return db.transaction().execute(async (trx) => {
    // The car is looked up (or created) once the first batch's partitions exist: see below.
    let vehicle: VehicleRow | undefined;
    let alreadyStored = 0;
    let firstAt = Number.POSITIVE_INFINITY;
    let lastAt = Number.NEGATIVE_INFINITY;
    for await (const batch of parse.batches()) {
      // PostgreSQL: the batch's months get their partitions before anything else touches
      // `samples` or `vehicles`. Creating one locks `samples` wholly and `vehicles` against writes
      // (the partition's foreign key); a transaction that had already read `samples` or created
      // its car, and then asked for those locks, deadlocked with another doing the same — two
      // owners' uploads into a month with no partition yet, one answered 500.
      let batchFirst = Number.POSITIVE_INFINITY;
      let batchLast = Number.NEGATIVE_INFINITY;
      for (const sample of batch.samples) {
        batchFirst = Math.min(batchFirst, sample.at);
        batchLast = Math.max(batchLast, sample.at);
      }
      if (isPostgres(trx) && batch.samples.length > 0)
        await ensureSamplePartitions(trx, batchFirst, batchLast);
      vehicle ??= await vehicleFor(trx, options);
      alreadyStored += await storedInstants(trx, vehicle.id, batch.samples);
      await writeVehicleData(
        trx,
        vehicle.id,
        { ...emptyVehicleData(), samples: batch.samples },
        [],
        undefined,
        {
          deriveLater: true,
        },
      );
      firstAt = Math.min(firstAt, batchFirst);
      lastAt = Math.max(lastAt, batchLast);
    }
    // A file with no readings still names its car, as before.
    vehicle ??= await vehicleFor(trx, options);
    const report = parse.report();
    // Rollups once for the file's span (not per batch: a batch's edge minutes would be recomputed
    // by the next one anyway), in the same transaction: the file and its rollups commit together.
    if (Number.isFinite(firstAt)) await refreshRollups(trx, vehicle.id, firstAt, lastAt);
    const tripIds = Number.isFinite(firstAt) ? await deriveTrips(trx, vehicle, firstAt, lastAt) : [];
    return {
      rowsRead: report.rowsRead,
      rowsImported: report.rowsParsed - alreadyStored,
      rowsDuplicate: report.rowsRepeated + alreadyStored,
      rowsRejected: report.rowsRejected,
      rejections: report.rejections.slice(0, MAX_REPORTED_REJECTIONS),
      vehicleId: vehicle.id,
      tripIds,
    };
  });
}

const DEADLOCK_DETECTED = '40P01';
const IMPORT_ATTEMPTS = 4;

/**
 * importObdFile, run again from a fresh read of the file when PostgreSQL ended it as a deadlock's
 * victim. importObdFile creates partitions before it takes other locks, but a file spanning
 * several months creates the later ones while it holds locks, so two such imports at once can
 * still deadlock; PostgreSQL then aborts one, for its client to try again (the partition exists by
 * then). `open` is called once per attempt.
 */
export async function importObdFileRetrying(
  db: Kysely<Database>,
  open: () => AsyncIterable<CsvChunk>,
  options: ImportObdOptions,
  deriveTrips: ImportTripDeriver,
  ownerTimeZone?: string,
): Promise<ImportObdReport> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await importObdFile(db, open(), options, deriveTrips, ownerTimeZone);
    } catch (error) {
      if (attempt >= IMPORT_ATTEMPTS || !isPostgresError(error, DEADLOCK_DETECTED)) throw error;
    }
  }
}
