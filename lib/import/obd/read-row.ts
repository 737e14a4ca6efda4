import 'server-only';
import { type Sample, sampleSchema } from '@/lib/telemetry/model';
import { parseNumberCell } from './cells';
import type { ColumnPlan, PlannedColumn } from './columns';
import {
  type ConsumptionMethod,
  consumptionFromRate,
  type FuelConstants,
  fuelRateFromMaf,
} from './consumption';
import { ObdImportError } from './errors';
import { parseDay, parseTimeCell, zonedToUtc } from './times';
import { converterFor, type Quantity, unitsOf } from './units';

// One data row → one normalised sample, or a reason it cannot be one.
//
// Row, not field, is the unit of rejection: a cell that is not a number, has a unit we do not
// know, or is outside the model's physical range (lib/telemetry/model.ts, checked with the same
// schema validate.ts uses) rejects the whole row with the column and value named. A broken cell
// usually means a broken row (shifted columns, a half-written line), and keeping its neighbours
// would store values we have reason to doubt. What the file says is absent (`-`, empty) is simply
// absent. Values Kinetic derives itself (consumption, fuel rate from MAF) are left out when they
// fall outside the model's range — our arithmetic on a slow or idling car, not a fault in the
// file — and the report counts them.

const DAY_MS = 86_400_000;
const HALF_DAY_MS = DAY_MS / 2;
/** The model's bounds, for the values we derive (model.ts: fuelConsumptionLPer100km, fuelRateLph). */
const MAX_CONSUMPTION = 200;
const MAX_FUEL_RATE = 150;

export type RowResult = { kind: 'sample'; sample: Sample } | { kind: 'rejected'; reason: string };

export type RowStats = {
  timeFromElapsed: number;
  consumption: Record<Exclude<ConsumptionMethod, 'none'>, number>;
  fuelRateFromMaf: number;
  derivedOutOfRange: number;
  zeroPositions: number;
  incompletePositions: number;
  dateUsed: boolean;
};

export type RowSettings = {
  /** What `ref` names: the file's base name. */
  fileName: string;
  zone: string;
  /** `YYYY-MM-DD` for clock times without a date, and where it came from. */
  date: { day: string; source: 'option' | 'file-name' } | undefined;
  fuel: FuelConstants | undefined;
};

class RowRejection extends Error {}

type Reading = { value: number; column: PlannedColumn; raw: string };

export class RowReader {
  readonly stats: RowStats = {
    timeFromElapsed: 0,
    consumption: { column: 0, fuel_rate: 0, maf: 0 },
    fuelRateFromMaf: 0,
    derivedOutOfRange: 0,
    zeroPositions: 0,
    incompletePositions: 0,
    dateUsed: false,
  };
  /** Instant minus elapsed seconds, fixed by the first row that has both. */
  private anchor: number | undefined;
  private lastClock: number | undefined;
  private dayOffset = 0;
  private readonly dayStart: number | undefined;

  constructor(
    private plan: ColumnPlan,
    private readonly settings: RowSettings,
  ) {
    this.dayStart = settings.date ? parseDay(settings.date.day) : undefined;
  }

  /** A new header part-way through the file (Torque appends a log with its own header). */
  replan(plan: ColumnPlan): void {
    this.plan = plan;
  }

  read(fields: string[], row: number): RowResult {
    try {
      return { kind: 'sample', sample: this.sampleOf(fields, row) };
    } catch (error) {
      if (error instanceof RowRejection) return { kind: 'rejected', reason: error.message };
      throw error;
    }
  }

  private sampleOf(fields: string[], row: number): Sample {
    this.checkWidth(fields);
    const used: Partial<Record<keyof Sample, Reading>> = {};
    const speed = this.number('speed', fields);
    const rpm = this.number('rpm', fields);
    const fuelRate = this.number('fuelRate', fields);
    const maf = this.number('maf', fields);
    const consumption = this.number('consumption', fields);
    const altitude = this.number('altitude', fields);
    const odometer = this.number('odometer', fields);
    const fuelLevel = this.number('fuelLevel', fields);
    const batteryLevel = this.number('batteryLevel', fields);
    const throttle = this.number('throttle', fields);
    const coolant = this.number('coolant', fields);
    const at = this.instant(fields);

    const sample: Sample = {
      at,
      source: { provider: 'obd-import', ref: `${this.settings.fileName}#row ${row}` },
    };
    const put = (key: keyof Sample, reading: Reading | undefined) => {
      if (!reading) return;
      (sample as Record<string, unknown>)[key] = reading.value;
      used[key] = reading;
    };
    put('speedKmh', speed);
    put('engineRpm', rpm);
    put('fuelRateLph', fuelRate);
    this.position(fields, put);
    put('altitudeM', altitude);
    put('odometerKm', odometer);
    put('fuelLevelPct', fuelLevel);
    put('batteryLevelPct', batteryLevel);
    put('throttlePct', throttle);
    put('coolantC', coolant);
    this.derive(sample, { consumption, fuelRate, maf, speed }, put);

    if (Object.keys(sample).length <= 2) {
      throw new RowRejection('the row has a time but no reading Kinetic keeps');
    }
    const parsed = sampleSchema.safeParse(sample);
    if (!parsed.success) {
      throw new RowRejection(
        parsed.error.issues
          .map((issue) => {
            const key = issue.path[0];
            const reading = typeof key === 'string' ? used[key as keyof Sample] : undefined;
            const where = reading ? `${reading.column.header} "${reading.raw.trim()}" → ` : '';
            return `${where}${issue.path.join('.') || 'sample'}: ${issue.message}`;
          })
          .join('; '),
      );
    }
    return parsed.data;
  }

  private checkWidth(fields: string[]): void {
    const width = this.plan.width;
    if (fields.length < width) {
      throw new RowRejection(
        `the row has ${fields.length} cells but the header names ${width} columns (cut short?)`,
      );
    }
    if (fields.slice(width).some((field) => field.trim() !== '')) {
      throw new RowRejection(`the row has ${fields.length} cells but the header names ${width} columns`);
    }
  }

  /** The first reading among the quantity's columns, converted to the model's unit. */
  private number(quantity: Quantity, fields: string[]): Reading | undefined {
    for (const column of this.plan.columns.get(quantity) ?? []) {
      const raw = fields[column.index] ?? '';
      const cell = parseNumberCell(raw);
      if (cell.kind === 'absent') continue;
      if (cell.kind === 'invalid') throw new RowRejection(`${column.header} "${raw.trim()}" is not a number`);
      const unit = cell.unit !== '' ? cell.unit : column.unit;
      const convert = converterFor(quantity, unit);
      if (!convert) {
        throw new RowRejection(
          `${column.header} "${raw.trim()}": unknown unit "${unit}" (this column takes ${unitsOf(quantity).join(', ')})`,
        );
      }
      const value = convert(cell.value);
      // e.g. 0 mpg: no distance per fuel, so no consumption figure — the file's "no reading".
      if (value === undefined) return undefined;
      return { value, column, raw };
    }
    return undefined;
  }

  private instant(fields: string[]): number {
    const elapsed = this.number('elapsed', fields);
    for (const column of this.plan.columns.get('time') ?? []) {
      const raw = fields[column.index] ?? '';
      const cell = parseTimeCell(raw, this.settings.zone);
      if (cell.kind === 'absent') continue;
      if (cell.kind === 'invalid') throw new RowRejection(`${column.header}: ${cell.reason}`);
      if (cell.kind === 'coarse') {
        if (!elapsed) {
          throw new RowRejection(
            `${column.header} "${raw.trim()}" lost its precision in a spreadsheet (exponent form, ±${Math.round(cell.resolutionMs / 2000)} s) and the file has no elapsed-time column to fall back on`,
          );
        }
        this.anchor ??= cell.at - elapsed.value * 1000;
        return this.fromElapsed(elapsed.value);
      }
      const at = cell.kind === 'instant' ? cell.at : this.clockInstant(cell.msOfDay);
      if (elapsed) this.anchor ??= at - elapsed.value * 1000;
      return at;
    }
    if (elapsed && this.anchor !== undefined) return this.fromElapsed(elapsed.value);
    throw new RowRejection('the row has no time');
  }

  private fromElapsed(seconds: number): number {
    this.stats.timeFromElapsed += 1;
    return Math.round((this.anchor ?? 0) + seconds * 1000);
  }

  /** A time of day on the file's date; crossing midnight (a jump back of over 12 h) moves to the next day. */
  private clockInstant(msOfDay: number): number {
    if (this.dayStart === undefined) {
      throw new ObdImportError(
        'date_needed',
        'The file gives times of day without a date, and its name has no YYYY-MM-DD: pass --date YYYY-MM-DD.',
      );
    }
    this.stats.dateUsed = true;
    if (this.lastClock !== undefined) {
      if (msOfDay < this.lastClock - HALF_DAY_MS) this.dayOffset += 1;
      else if (msOfDay > this.lastClock + HALF_DAY_MS && this.dayOffset > 0) this.dayOffset -= 1;
    }
    this.lastClock = msOfDay;
    return zonedToUtc(this.dayStart + this.dayOffset * DAY_MS + msOfDay, this.settings.zone);
  }

  /** Latitude and longitude go together; 0,0 is what GPS loggers write without a fix. */
  private position(fields: string[], put: (key: keyof Sample, reading: Reading | undefined) => void): void {
    const latitude = this.number('latitude', fields);
    const longitude = this.number('longitude', fields);
    if (!latitude && !longitude) return;
    if (!latitude || !longitude) {
      this.stats.incompletePositions += 1;
      return;
    }
    if (latitude.value === 0 && longitude.value === 0) {
      this.stats.zeroPositions += 1;
      return;
    }
    put('latitude', latitude);
    put('longitude', longitude);
  }

  private derive(
    sample: Sample,
    readings: Record<'consumption' | 'fuelRate' | 'maf' | 'speed', Reading | undefined>,
    put: (key: keyof Sample, reading: Reading | undefined) => void,
  ): void {
    const { consumption, fuelRate, maf, speed } = readings;
    let rateFromMaf: number | undefined;
    if (!fuelRate && maf && this.settings.fuel) {
      rateFromMaf = fuelRateFromMaf(maf.value, this.settings.fuel);
      if (rateFromMaf >= 0 && rateFromMaf <= MAX_FUEL_RATE) {
        sample.fuelRateLph = rateFromMaf;
        this.stats.fuelRateFromMaf += 1;
      } else {
        this.stats.derivedOutOfRange += 1;
      }
    }
    if (consumption) {
      put('fuelConsumptionLPer100km', consumption);
      this.stats.consumption.column += 1;
      return;
    }
    const rate = fuelRate?.value ?? rateFromMaf;
    if (rate === undefined || !speed) return;
    const derived = consumptionFromRate(rate, speed.value);
    if (derived === undefined) return;
    if (!(derived >= 0 && derived <= MAX_CONSUMPTION)) {
      this.stats.derivedOutOfRange += 1;
      return;
    }
    sample.fuelConsumptionLPer100km = derived;
    this.stats.consumption[fuelRate ? 'fuel_rate' : 'maf'] += 1;
  }
}
