import 'server-only';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ActiveSession } from '../db/queries/sessions';
import { getVehicle, getVehicleByLabel } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { searchParamsOf } from '../route-handler';
import { POWERTRAINS, type Powertrain } from '../telemetry/model';
import {
  type ImportObdOptions,
  type ImportObdReport,
  type ImportTripDeriver,
  importObdFileRetrying,
} from './import-obd';
import { spoolUpload, uploadTooLarge } from './upload-spool';

// `POST /api/imports` (docs/api.md): an OBD-II log uploaded from the dashboard, with the CLI
// `import` command's options in the query string and its JSON report as the answer
// (interfaces.md › import). The body is the file itself, not multipart: the browser sends a File
// as-is with XMLHttpRequest (which reports upload progress), and the server reads it as a plain
// byte stream with nothing to unwrap. Next's proxy, which buffers and truncates request bodies
// past `proxyClientMaxBodySize` (10 MB by default), does not run on /api/* (see proxy.ts).

/** 200 MB: twice the 100 MB file issue 5 asks to stream, so a long real log still fits. */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

const DEFAULT_FILE_NAME = 'upload.csv';

// The same names and limits as the CLI's flags (lib/cli/vehicle-data-commands.ts), plus the id
// of an existing car (the page picks cars by id; labels need not be unique) and the file name,
// which a raw body cannot carry and which may hold the log's date (`2017-08-07_…`).
export const importUploadParamsSchema = z
  .strictObject({
    vehicleId: z.string().min(1).max(64).optional(),
    vehicle: z.string().trim().min(1).max(100).optional(),
    make: z.string().trim().min(1).max(50).optional(),
    model: z.string().trim().min(1).max(100).optional(),
    fuel: z.enum(POWERTRAINS).optional(),
    format: z.enum(['auto', 'torque', 'csv']).optional(),
    map: z.string().min(1).max(2000).optional(),
    tz: z.string().min(1).max(100).optional(),
    date: z.string().min(1).max(20).optional(),
    name: z.string().min(1).max(255).optional(),
  })
  .refine((params) => !(params.vehicleId && params.vehicle), {
    message: 'Give either vehicleId (an existing car) or vehicle (a label), not both.',
    path: ['vehicle'],
  })
  .refine((params) => !(params.vehicleId && (params.make || params.model)), {
    message: 'make and model describe a new car; an existing car (vehicleId) keeps its own.',
    path: ['make'],
  });

export type ImportUploadParams = z.infer<typeof importUploadParamsSchema>;

export type ImportUploadDeps = {
  db: Kysely<Database>;
  user: Pick<ActiveSession, 'userId' | 'timeZone'>;
  deriveTrips: ImportTripDeriver;
  maxBytes?: number;
};

// Envelopes a client might send by mistake: their framing would be read as CSV rows.
const ENVELOPE_TYPES = /^\s*(multipart\/|application\/x-www-form-urlencoded|application\/([\w.+-]+\+)?json)/i;

function refuseEnvelopes(request: Request): void {
  const contentType = request.headers.get('content-type') ?? '';
  if (ENVELOPE_TYPES.test(contentType))
    throw new AppError(
      'unsupported_media_type',
      'Send the file itself as the request body (text/csv or application/octet-stream), with the options in the query string.',
    );
}

function fileNameOf(name: string | undefined): string {
  // Only the base name: it names rows in `source.ref` and must not carry a client's folders.
  const base = name ? basename(name.replaceAll('\\', '/')) : '';
  return base.length > 0 ? base : DEFAULT_FILE_NAME;
}

function powertrainOf(value: string): Powertrain | undefined {
  return (POWERTRAINS as readonly string[]).includes(value) ? (value as Powertrain) : undefined;
}

/**
 * The import's target as importObdFile names it (by label). An existing car is looked up by id
 * in the owner's scope, so another owner's car is a 404 exactly like a missing one. Its label
 * must name it alone: importObdFile picks the oldest car with a label, and writing into a
 * different car than the one chosen is worse than refusing.
 */
async function targetOf(
  db: Kysely<Database>,
  ownerId: string,
  params: ImportUploadParams,
): Promise<Pick<ImportObdOptions, 'vehicleLabel' | 'make' | 'model' | 'fuel'>> {
  if (!params.vehicleId) {
    return {
      ...(params.vehicle ? { vehicleLabel: params.vehicle } : {}),
      ...(params.make ? { make: params.make } : {}),
      ...(params.model ? { model: params.model } : {}),
      ...(params.fuel ? { fuel: params.fuel } : {}),
    };
  }
  const vehicle = await getVehicle(db, ownerId, params.vehicleId);
  if (!vehicle) throw new AppError('not_found', 'No such vehicle.');
  const byLabel = await getVehicleByLabel(db, ownerId, vehicle.label);
  if (byLabel?.id !== vehicle.id)
    throw new AppError(
      'conflict',
      `Another of your cars is also labelled “${vehicle.label}”: rename one of them before importing into it.`,
    );
  // A car's known fuel lets the parser derive consumption from mass air flow.
  const fuel = params.fuel ?? powertrainOf(vehicle.powertrain);
  return { vehicleLabel: vehicle.label, ...(fuel ? { fuel } : {}) };
}

export async function handleImportUpload(request: Request, deps: ImportUploadDeps): Promise<ImportObdReport> {
  const maxBytes = deps.maxBytes ?? MAX_UPLOAD_BYTES;
  refuseEnvelopes(request);
  const params = importUploadParamsSchema.parse(searchParamsOf(request));
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw uploadTooLarge(maxBytes);
  const target = await targetOf(deps.db, deps.user.userId, params);

  const upload = await spoolUpload(request.body, maxBytes);
  const inputs: Readable[] = [];
  const open = () => {
    const input = upload.open();
    inputs.push(input);
    return input;
  };
  try {
    return await importObdFileRetrying(
      deps.db,
      open,
      {
        ownerId: deps.user.userId,
        fileName: fileNameOf(params.name),
        ...target,
        ...(params.format ? { format: params.format } : {}),
        ...(params.map ? { map: params.map } : {}),
        ...(params.tz ? { timeZone: params.tz } : {}),
        ...(params.date ? { date: params.date } : {}),
      },
      deps.deriveTrips,
      deps.user.timeZone ?? undefined,
    );
  } finally {
    // A refusal may come before the parser has read (or closed) the file.
    for (const input of inputs) input.destroy();
    await upload.dispose();
  }
}
