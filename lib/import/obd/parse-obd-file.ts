import 'server-only';
import type { Powertrain, Sample } from '@/lib/telemetry/model';
import {
  type ColumnPlan,
  looksLikeHeader,
  normalizeName,
  type ObdFormat,
  parseColumnMap,
  planColumns,
} from './columns';
import { type ConsumptionMethod, fuelConstantsFor, planConsumption } from './consumption';
import { type CsvChunk, type CsvProgress, type CsvSeparator, csvRecords } from './csv-records';
import { ObdImportError } from './errors';
import { RowReader, type RowSettings } from './read-row';
import { RepeatDetector } from './repeats';
import { checkZone, dateFromFileName, parseDay } from './times';
import type { MapTarget, Quantity } from './units';

// The OBD-II file import's parser: a CSV stream in, batches of normalised samples out, with every
// data row accounted for exactly once as parsed, rejected (with a reason) or repeated. It holds one
// chunk, one batch and a bounded window of recent instants, never the file. Storage is the
// caller's: it commits the batches in one transaction and counts `rowsDuplicate` against the
// database (a sample's natural key is vehicle + `at`; its `source.ref` names the file and row).

export type ParseObdOptions = {
  /** The file's name as uploaded: it names the rows in `ref` and may carry the date (`2017-08-07_…`). */
  fileName: string;
  /** `--format`; `auto` by default. */
  format?: ObdFormat;
  /** `--map <column>=<field>,…`, as typed. */
  map?: string;
  /** `--date YYYY-MM-DD` for times of day without a date. */
  date?: string;
  /** `--tz`: the IANA zone of times written without one. */
  timeZone?: string;
  /** The owner's time-zone setting, used when `--tz` is not given. */
  ownerTimeZone?: string;
  /** `--fuel`: what the file cannot say; needed to derive consumption from mass air flow. */
  fuel?: Powertrain;
  /** Data rows per batch (default 1000). */
  batchSize?: number;
};

export type ObdRejection = { row: number; reason: string };
export type ObdRepeat = { row: number; of: number };

export type ObdBatch = {
  samples: Sample[];
  rejections: ObdRejection[];
  /** Rows that repeat an earlier row of the file (same instant, same values): counted once. */
  repeats: ObdRepeat[];
};

export const MAX_REPORTED_REJECTIONS = 100;

export type ObdReport = {
  /** False until the whole file has been read. */
  done: boolean;
  fileName: string;
  format: 'torque' | 'csv' | undefined;
  separator: CsvSeparator | undefined;
  bytesRead: number;
  /** Data rows (not headers, not blank lines): rowsParsed + rowsRejected + rowsRepeated. */
  rowsRead: number;
  rowsParsed: number;
  rowsRejected: number;
  rowsRepeated: number;
  /** The first MAX_REPORTED_REJECTIONS rejections; every batch carries all of its own. */
  rejections: ObdRejection[];
  /** Header rows read, counting headers repeated part-way through the file. */
  headerRows: number;
  columns: { header: string; quantity: Quantity; unit: string; by: 'map' | 'torque' | 'csv' }[];
  ignoredColumns: string[];
  time: {
    zone: string;
    zoneSource: 'option' | 'owner' | 'default';
    /** The date given to times of day, when the file has such times. */
    date: string | undefined;
    dateSource: 'option' | 'file-name' | undefined;
    /** Rows timed by the elapsed-time column (their own time was missing or spreadsheet-rounded). */
    fromElapsed: number;
  };
  consumption: {
    /** The best method the file's columns allow. */
    method: ConsumptionMethod;
    reason: string | undefined;
    /** Rows whose consumption came from each method. */
    rows: Record<Exclude<ConsumptionMethod, 'none'>, number>;
    /** Rows whose fuel rate was derived from mass air flow. */
    fuelRateFromMaf: number;
    /** Derived values left out because they fell outside the model's range. */
    outOfRange: number;
  };
  positions: { zeroDropped: number; incompleteDropped: number };
  firstAt: number | undefined;
  lastAt: number | undefined;
};

export type ObdFileParse = {
  /** The batches, as the stream is read. Call once. */
  batches(): AsyncGenerator<ObdBatch>;
  /** The counts so far (`done` once the batches are exhausted): also the progress figure. */
  report(): ObdReport;
};

type Checked = {
  format: ObdFormat;
  map: Map<string, MapTarget>;
  zone: string;
  zoneSource: ObdReport['time']['zoneSource'];
  date: RowSettings['date'];
  batchSize: number;
};

/** Checks the options before reading a byte: a bad `--map`, `--tz` or `--date` is a usage error. */
function checkOptions(options: ParseObdOptions): Checked {
  const map = options.map === undefined ? new Map<string, MapTarget>() : parseColumnMap(options.map);
  const zone = options.timeZone
    ? checkZone(options.timeZone, '--tz')
    : options.ownerTimeZone
      ? checkZone(options.ownerTimeZone, "the owner's time zone")
      : 'UTC';
  const zoneSource = options.timeZone ? 'option' : options.ownerTimeZone ? 'owner' : 'default';
  if (options.date !== undefined && parseDay(options.date) === undefined) {
    throw new ObdImportError('bad_option', `--date "${options.date}" is not a YYYY-MM-DD date.`);
  }
  const fromName = dateFromFileName(options.fileName);
  const date: RowSettings['date'] =
    options.date !== undefined
      ? { day: options.date, source: 'option' }
      : fromName !== undefined
        ? { day: fromName, source: 'file-name' }
        : undefined;
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ObdImportError('bad_option', 'batchSize must be a positive whole number.');
  }
  return { format: options.format ?? 'auto', map, zone, zoneSource, date, batchSize };
}

/** The measured values of a sample in one string (fields in the order the reader sets them). */
function fingerprint(sample: Sample): string {
  let text = '';
  for (const key in sample) {
    if (key !== 'at' && key !== 'source') text += `${key}=${String(sample[key as keyof Sample])};`;
  }
  return text;
}

function baseName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() || 'file';
  return base.length > 400 ? base.slice(0, 400) : base;
}

export function parseObdFile(input: AsyncIterable<CsvChunk>, options: ParseObdOptions): ObdFileParse {
  const checked = checkOptions(options);
  const fuel = fuelConstantsFor(options.fuel);
  const progress: CsvProgress = { bytesRead: 0, separator: undefined };
  const report: ObdReport = {
    done: false,
    fileName: baseName(options.fileName),
    format: undefined,
    separator: undefined,
    bytesRead: 0,
    rowsRead: 0,
    rowsParsed: 0,
    rowsRejected: 0,
    rowsRepeated: 0,
    rejections: [],
    headerRows: 0,
    columns: [],
    ignoredColumns: [],
    time: {
      zone: checked.zone,
      zoneSource: checked.zoneSource,
      date: undefined,
      dateSource: undefined,
      fromElapsed: 0,
    },
    consumption: {
      method: 'none',
      reason: undefined,
      rows: { column: 0, fuel_rate: 0, maf: 0 },
      fuelRateFromMaf: 0,
      outOfRange: 0,
    },
    positions: { zeroDropped: 0, incompleteDropped: 0 },
    firstAt: undefined,
    lastAt: undefined,
  };
  let reader: RowReader | undefined;
  let started = false;

  const describePlan = (plan: ColumnPlan) => {
    report.format = plan.format;
    report.columns = [...plan.columns.values()]
      .flat()
      .sort((a, b) => a.index - b.index)
      .map(({ header, quantity, unit, by }) => ({ header, quantity, unit, by }));
    report.ignoredColumns = plan.ignored;
    const has = (quantity: Quantity) => (plan.columns.get(quantity)?.length ?? 0) > 0;
    const planned = planConsumption(
      { consumption: has('consumption'), fuelRate: has('fuelRate'), maf: has('maf'), speed: has('speed') },
      options.fuel,
    );
    report.consumption.method = planned.method;
    report.consumption.reason = planned.reason;
  };

  const headerPlan = (fields: string[]): ColumnPlan => {
    const names = fields.map(normalizeName);
    if (names.includes('pid') && names.includes('value')) {
      throw new ObdImportError(
        'unsupported_layout',
        'The file has one reading per row (PID and VALUE columns); export it with one column per reading instead.',
      );
    }
    const plan = planColumns(fields, checked.format, checked.map);
    if (!plan.columns.has('time')) {
      throw new ObdImportError(
        'no_time_column',
        plan.columns.has('elapsed')
          ? 'The file has only an elapsed-time column and no clock time to place it: add a time column, or name one with --map <column>=time.'
          : 'No column of the file gives the time of its rows: name it with --map <column>=time.',
      );
    }
    report.headerRows += 1;
    return plan;
  };

  // A header part-way through that cannot stand as one (no time column, a --map column missing)
  // is one bad row, not a reason to drop the whole file.
  let lastHeaderFailure: string[] | undefined;
  const tryHeaderPlan = (fields: string[]): ColumnPlan | undefined => {
    try {
      return headerPlan(fields);
    } catch (error) {
      if (!(error instanceof ObdImportError) || error.problem === 'unsupported_layout') throw error;
      lastHeaderFailure = fields;
      return undefined;
    }
  };
  const isHeaderLike = (fields: string[]) => lastHeaderFailure === fields;

  const sync = () => {
    report.bytesRead = progress.bytesRead;
    report.separator = progress.separator;
    if (!reader) return;
    const { stats } = reader;
    report.time.fromElapsed = stats.timeFromElapsed;
    if (stats.dateUsed && checked.date) {
      report.time.date = checked.date.day;
      report.time.dateSource = checked.date.source;
    }
    report.consumption.rows = { ...stats.consumption };
    report.consumption.fuelRateFromMaf = stats.fuelRateFromMaf;
    report.consumption.outOfRange = stats.derivedOutOfRange;
    report.positions = { zeroDropped: stats.zeroPositions, incompleteDropped: stats.incompletePositions };
  };

  async function* batches(): AsyncGenerator<ObdBatch> {
    if (started) throw new Error('parseObdFile: batches() can be read only once');
    started = true;
    const repeats = new RepeatDetector();
    let header: string[] | undefined;
    let batch: ObdBatch = { samples: [], rejections: [], repeats: [] };
    let rowsInBatch = 0;
    const settings: RowSettings = { fileName: report.fileName, zone: checked.zone, date: checked.date, fuel };

    for await (const records of csvRecords(input, progress)) {
      for (const { row, fields } of records) {
        if (fields.every((field) => field.trim() === '')) continue;
        if (!header || !reader) {
          const plan = headerPlan(fields);
          header = fields;
          reader = new RowReader(plan, settings);
          describePlan(plan);
          continue;
        }
        if (looksLikeHeader(fields, checked.format)) {
          if (fields.join('\u0000') === header.join('\u0000')) {
            report.headerRows += 1;
            continue;
          }
          const plan = tryHeaderPlan(fields);
          if (plan) {
            reader.replan(plan);
            describePlan(plan);
            header = fields;
            continue;
          }
        }
        report.rowsRead += 1;
        rowsInBatch += 1;
        const result = isHeaderLike(fields)
          ? { kind: 'rejected' as const, reason: 'the row looks like a header but names no time column' }
          : reader.read(fields, row);
        if (result.kind === 'rejected') {
          reject(batch, row, result.reason);
        } else {
          const { at } = result.sample;
          const check = repeats.check(at, fingerprint(result.sample), row);
          if (check.kind === 'repeat') {
            report.rowsRepeated += 1;
            batch.repeats.push({ row, of: check.of });
          } else if (check.kind === 'conflict') {
            reject(batch, row, `row ${check.with} has the same time with different readings`);
          } else {
            report.rowsParsed += 1;
            batch.samples.push(result.sample);
            report.firstAt = report.firstAt === undefined ? at : Math.min(report.firstAt, at);
            report.lastAt = report.lastAt === undefined ? at : Math.max(report.lastAt, at);
          }
        }
        if (rowsInBatch >= checked.batchSize) {
          sync();
          yield batch;
          batch = { samples: [], rejections: [], repeats: [] };
          rowsInBatch = 0;
        }
      }
    }
    if (!header) throw new ObdImportError('no_header', 'The file is empty: it has no header row.');
    sync();
    report.done = true;
    if (rowsInBatch > 0) yield batch;
  }

  const reject = (batch: ObdBatch, row: number, reason: string) => {
    report.rowsRejected += 1;
    batch.rejections.push({ row, reason });
    if (report.rejections.length < MAX_REPORTED_REJECTIONS) report.rejections.push({ row, reason });
  };

  return {
    batches,
    report: () => {
      sync();
      return structuredClone(report);
    },
  };
}

/** The whole file at once: for tests and small files (the import itself streams the batches). */
export async function readObdFile(
  input: AsyncIterable<CsvChunk>,
  options: ParseObdOptions,
): Promise<ObdBatch & { report: ObdReport }> {
  const parse = parseObdFile(input, options);
  const all: ObdBatch = { samples: [], rejections: [], repeats: [] };
  for await (const batch of parse.batches()) {
    all.samples.push(...batch.samples);
    all.rejections.push(...batch.rejections);
    all.repeats.push(...batch.repeats);
  }
  return { ...all, report: parse.report() };
}
