import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { ExportFormat } from '../../schemas/account';
import { csvLine } from './csv';
import { type ExportRow, ownerPages, type PageListener, tableExists } from './reader';
import { EXPORT_TABLES, type ExportTable } from './tables';
import { zipStream } from './zip';

// "Export all my data": every table of EXPORT_TABLES, read page by page and written as it is read,
// so the answer streams out in constant memory whatever the owner's history. JSON is one document
// `{ format, version, exportedAt, tables: { <table>: [ {row}, … ], … } }`; CSV is a ZIP of one
// `<table>.csv` per table (header line even when empty) plus a README.txt. Times are epoch
// milliseconds (UTC) and measurements metric, as stored.

export const EXPORT_VERSION = 1;

export type ExportOptions = { pageSize?: number; onPage?: PageListener; now?: Date };

const encoder = new TextEncoder();

function outputRow(spec: ExportTable, row: ExportRow, parseJson: boolean): ExportRow {
  const out: ExportRow = {};
  for (const column of spec.columns) {
    const value = row[column];
    if (parseJson && typeof value === 'string' && spec.jsonColumns?.includes(column)) {
      try {
        out[column] = JSON.parse(value);
        continue;
      } catch {
        // Not valid JSON after all: kept as the text that was stored.
      }
    }
    out[column] = value ?? null;
  }
  return out;
}

async function presentTables(db: Kysely<Database>): Promise<ExportTable[]> {
  const present: ExportTable[] = [];
  for (const spec of EXPORT_TABLES) if (await tableExists(db, spec.name)) present.push(spec);
  return present;
}

/** The JSON document, one chunk per page of rows. */
export async function* jsonExport(
  db: Kysely<Database>,
  userId: string,
  options: ExportOptions = {},
): AsyncGenerator<Uint8Array> {
  const exportedAt = (options.now ?? new Date()).toISOString();
  const head = { format: 'kinetic-export', version: EXPORT_VERSION, exportedAt };
  yield encoder.encode(`${JSON.stringify(head).slice(0, -1)},"tables":{`);
  let firstTable = true;
  for (const spec of await presentTables(db)) {
    let text = `${firstTable ? '' : ','}\n${JSON.stringify(spec.name)}:[`;
    firstTable = false;
    let firstRow = true;
    for await (const page of ownerPages(db, spec, userId, options)) {
      for (const row of page) {
        text += `${firstRow ? '' : ','}\n${JSON.stringify(outputRow(spec, row, true))}`;
        firstRow = false;
      }
      yield encoder.encode(text);
      text = '';
    }
    yield encoder.encode(`${text}]`);
  }
  yield encoder.encode('\n}}\n');
}

async function* csvChunks(
  db: Kysely<Database>,
  spec: ExportTable,
  userId: string,
  options: ExportOptions,
): AsyncGenerator<Uint8Array> {
  yield encoder.encode(csvLine(spec.columns));
  for await (const page of ownerPages(db, spec, userId, options)) {
    let text = '';
    for (const row of page) {
      const out = outputRow(spec, row, false);
      text += csvLine(spec.columns.map((column) => out[column]));
    }
    yield encoder.encode(text);
  }
}

const README = `Kinetic data export
One CSV file per table (RFC 4180, UTF-8, comma-separated, first line = column names).
Times are epoch milliseconds (UTC); speeds in km/h, distances in km, fuel in litres, energy in kWh.
An empty cell means the value was not provided. Text cells that would start like a spreadsheet
formula (= + - @) are prefixed with an apostrophe.
`;

/** The ZIP of CSV files, chunk by chunk. */
export async function* csvZipExport(
  db: Kysely<Database>,
  userId: string,
  options: ExportOptions = {},
): AsyncGenerator<Uint8Array> {
  const tables = await presentTables(db);
  async function* entries() {
    yield {
      name: 'README.txt',
      chunks: (async function* () {
        yield encoder.encode(README);
      })(),
    };
    for (const spec of tables)
      yield { name: `${spec.name}.csv`, chunks: csvChunks(db, spec, userId, options) };
  }
  yield* zipStream(entries(), options.now ?? new Date());
}

/** A pull-driven stream: the next page is read only when the client has taken the previous one. */
export function toReadableStream(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          console.error('[export] failed mid-stream', error instanceof Error ? error.message : error);
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

export function exportFileName(format: ExportFormat, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  return format === 'json' ? `kinetic-export-${day}.json` : `kinetic-export-${day}.zip`;
}

export function exportChunks(
  db: Kysely<Database>,
  userId: string,
  format: ExportFormat,
  options: ExportOptions = {},
): AsyncGenerator<Uint8Array> {
  return format === 'json' ? jsonExport(db, userId, options) : csvZipExport(db, userId, options);
}
