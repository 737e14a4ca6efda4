import 'server-only';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import { listTrips } from '../db/queries/trips';
import { getUserByEmail } from '../db/queries/users';
import { getVehicleByLabel } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { type ImportTripDeriver, importObdFileRetrying } from '../import/import-obd';
import { ObdImportError } from '../import/obd/errors';
import { POWERTRAINS } from '../telemetry/model';
import { tripJson } from '../trips/trip-json';
import { CommandError, type CommandResult, parseOrUsage, UsageError, z } from './output';

// `import <file>` and `trips` (interfaces.md › Command line): an OBD-II log into an owner's car,
// and the owner's trips as the dashboard will show them.

export async function ownerOrFail(db: Kysely<Database>, email: string) {
  const user = await getUserByEmail(db, email);
  if (!user) throw new CommandError('not_found', `No account uses ${email}.`);
  return user;
}

const importOptions = z.object({
  owner: z.string().min(1),
  vehicle: z.string().min(1).max(100).optional(),
  make: z.string().min(1).max(50).optional(),
  model: z.string().min(1).max(100).optional(),
  fuel: z.enum(POWERTRAINS).optional(),
  format: z.enum(['auto', 'torque', 'csv']).optional(),
  map: z.string().min(1).max(2000).optional(),
  tz: z.string().min(1).max(100).optional(),
  date: z.string().min(1).max(20).optional(),
});

export async function importCommand(
  db: Kysely<Database>,
  file: string | undefined,
  options: Record<string, unknown>,
  deriveTrips: ImportTripDeriver,
): Promise<CommandResult> {
  if (!file) throw new UsageError('import needs the file to read: import <file> --owner <email>');
  const input = parseOrUsage(importOptions, options);
  const owner = await ownerOrFail(db, input.owner);
  try {
    if (!(await stat(file)).isFile()) throw new CommandError('bad_request', `${file} is not a file.`);
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError('not_found', `Cannot read ${file}.`);
  }
  try {
    const report = await importObdFileRetrying(
      db,
      () => createReadStream(file),
      {
        ownerId: owner.id,
        fileName: basename(file),
        ...(input.vehicle ? { vehicleLabel: input.vehicle } : {}),
        ...(input.make ? { make: input.make } : {}),
        ...(input.model ? { model: input.model } : {}),
        ...(input.fuel ? { fuel: input.fuel } : {}),
        ...(input.format ? { format: input.format } : {}),
        ...(input.map ? { map: input.map } : {}),
        ...(input.tz ? { timeZone: input.tz } : {}),
        ...(input.date ? { date: input.date } : {}),
      },
      deriveTrips,
      owner.time_zone ?? undefined,
    );
    return {
      json: report,
      text:
        `Imported ${report.rowsImported} of ${report.rowsRead} rows (${report.rowsDuplicate} duplicate, ` +
        `${report.rowsRejected} rejected) into vehicle ${report.vehicleId}; ${report.tripIds.length} trip(s).`,
    };
  } catch (error) {
    if (error instanceof ObdImportError) throw new CommandError('bad_request', error.message);
    throw error;
  }
}

const instant = z.iso.datetime({ offset: true }).transform((text) => Date.parse(text));
const tripsOptions = z.object({
  owner: z.string().min(1),
  vehicle: z.string().min(1).max(100).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

// The item shape lives in lib/trips/trip-json.ts, shared with the dashboard's API.
export { tripJson };

export async function tripsCommand(
  db: Kysely<Database>,
  options: Record<string, unknown>,
): Promise<CommandResult> {
  const input = parseOrUsage(tripsOptions, options);
  const owner = await ownerOrFail(db, input.owner);
  let vehicleId: string | undefined;
  if (input.vehicle) {
    const vehicle = await getVehicleByLabel(db, owner.id, input.vehicle);
    if (!vehicle)
      throw new CommandError('not_found', `${input.owner} has no vehicle labelled ${input.vehicle}.`);
    vehicleId = vehicle.id;
  }
  const trips = (
    await listTrips(db, owner.id, {
      ...(vehicleId ? { vehicleId } : {}),
      ...(input.from !== undefined ? { fromMs: input.from } : {}),
      ...(input.to !== undefined ? { toMs: input.to } : {}),
    })
  ).map(tripJson);
  return { json: { trips }, text: `${trips.length} trip(s).` };
}
