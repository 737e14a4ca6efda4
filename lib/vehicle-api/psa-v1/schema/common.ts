import 'server-only';
import { z } from 'zod';

// Building blocks shared by every PSA "Connected Car Development" v1 (1.0.5, 2016) response schema.
//
// Reading rules, as for v4 (vehicle-apis.md §3.6, which the v1 portal does not restate [infer]):
// - Unknown fields are accepted and stripped (plain `z.object`), so a later API revision does not break us.
// - The v1 spec (Swagger 2.0) marks no response field as required. Only the fields that identify what an
//   answer is about (the VIN, a trip id, an aggregate's date) are required here; every measurement is
//   optional, because a car only reports the signals it has (an electric car has no fuel block).
// - Per-second maps are the exception: they are closed. Their keys are the seconds the spec lists for
//   that signal; `listsecond` may ask for fewer, so any subset (even none) is accepted, but a key the
//   spec does not list for the signal (`"5"` in a 10-second map) is refused as a malformed answer.
// - Units: the spec states none (vehicle-apis.md §7), and `unit=1` switches trips to imperial. Numbers are
//   therefore read unit-agnostically, with ranges wide enough for either unit system but narrow enough to
//   catch garbage (a 5,000 km/h speed, a 400 % fuel level).

/** Builds `["from", …, "to"]` every `step` seconds, as the string keys the spec uses. */
function seconds(from: number, to: number, step: number): [string, ...string[]] {
  const keys: string[] = [];
  for (let second = from; second <= to; second += step) keys.push(String(second));
  return keys as [string, ...string[]];
}

/** Every second of the sampled minute: accelerationVeh, turn/brake lights, infoDayAndNight. */
export const PSA_V1_EVERY_SECOND = seconds(1, 60, 1);
/** Every 10 s: modeBV, engineSpeed, instFuelConsumption. */
export const PSA_V1_EVERY_10_SECONDS = seconds(10, 60, 10);
/** Every 6 s: the geolocation maps (the spec's `near` text says positions are sampled every 10 s / 0.17 Hz). */
export const PSA_V1_EVERY_6_SECONDS = seconds(6, 60, 6);
/** Fog lights: seconds 30, 41 and 60 only. */
export const PSA_V1_FOG_SECONDS: [string, ...string[]] = ['30', '41', '60'];
/** Exterior temperature: second 41 only. */
export const PSA_V1_SECOND_41: [string, ...string[]] = ['41'];

/**
 * A per-second map `{ "<second>": value }`. Closed over the spec's seconds for the signal (unknown keys are
 * refused), open as to which of them are present (`listsecond` filters them).
 */
export function psaV1PerSecondSchema<V extends z.ZodType>(keys: [string, ...string[]], value: V) {
  return z.partialRecord(z.enum(keys), value);
}

/** A decimal written as text, the way v1 sends `fuelLevel`, positions and `instFuelConsumption`. */
const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

type Range = { min: number; max: number; int?: boolean };

/**
 * A number the spec types as `string` (e.g. `fuelLevel`, `latitude`). The text must be a plain decimal
 * (no blank, no comma, no `NaN`); it is parsed into a finite number and range-checked, so the adapter
 * works with numbers. A JSON number where the spec says string is refused: it would mean the server does
 * not follow the spec, which the contract tests must see.
 */
export function psaV1NumericTextSchema({ min, max, int = false }: Range) {
  const target = int ? z.int() : z.number();
  return z
    .string()
    .regex(DECIMAL_TEXT, { message: 'Expected a decimal number written as a string' })
    .transform(Number)
    .pipe(target.min(min).max(max));
}

/** A number the spec types as `number`, finite and range-checked. */
export function psaV1NumberSchema({ min, max, int = false }: Range) {
  return (int ? z.int() : z.number()).min(min).max(max);
}

/** 0 = off / inactive, 1 = on / active [infer: the names are binary, and the crash example uses 0/1]. */
export const psaV1FlagSchema = z.int().min(0).max(1);

/**
 * A small status code the spec does not tabulate (`gmpState`, `modeBV`, `modePrivacy`): a non-negative
 * integer; 15 is a generous ceiling for a 4-bit CAN field [infer].
 */
export const psaV1StateCodeSchema = z.int().min(0).max(15);

const COMPACT_DATE_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const rfc3339 = z.iso.datetime({ offset: true });

type DateTimeParts = [year: number, month: number, day: number, hour: number, minute: number, second: number];

/**
 * The fields of the spec's compact `yyyyMMddHHmmss` form (crash `lastUpdate: "20160803083640"`), month
 * 1–12, not checked against the calendar; null when `text` is not in that form. Shared with ../time.ts,
 * which reads the instant the schema has accepted.
 */
export function psaV1CompactDateTimeParts(text: string): DateTimeParts | null {
  const compact = COMPACT_DATE_TIME.exec(text);
  return compact ? (compact.slice(1).map(Number) as DateTimeParts) : null;
}

/** True when the parts name a real calendar instant (rejects 20240230…, hour 24). */
function isCalendarInstant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0) {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

function isPsaV1DateTime(text: string): boolean {
  const parts = psaV1CompactDateTimeParts(text);
  if (parts) return isCalendarInstant(...parts);
  return rfc3339.safeParse(text).success;
}

/**
 * A v1 timestamp (`lastUpdate`, `dateTripBegin`, `dateUpdate`, `dateAlertBegin`…). The spec declares a
 * bare `string`; its one example (crash `lastUpdate: "20160803083640"`) is `yyyyMMddHHmmss`, which is
 * accepted. RFC 3339 (the form of the successor v4 API) is accepted too [infer]. Nothing else: no
 * `2024-05-10 11:47`, no epoch numbers. The zone of the compact form is not stated; it is kept as text.
 */
export const psaV1DateTimeSchema = z
  .string()
  .refine(isPsaV1DateTime, { message: 'Expected yyyyMMddHHmmss or an RFC 3339 date-time' });

function dateNumberSchema(digits: 6 | 8) {
  return z.int().refine(
    (value) => {
      const text = String(value);
      if (text.length !== digits) return false;
      const year = Number(text.slice(0, 4));
      const month = Number(text.slice(4, 6));
      const day = digits === 8 ? Number(text.slice(6, 8)) : 1;
      return isCalendarInstant(year, month, day);
    },
    { message: digits === 8 ? 'Expected a yyyyMMdd number' : 'Expected a yyyyMM number' },
  );
}

/**
 * The `dateAggr` of a per-day eco-driving aggregate: a `number`, read as `yyyyMMdd` like the `fromday` and
 * `today` parameters that select it [infer: the spec gives no format].
 */
export const psaV1DayNumberSchema = dateNumberSchema(8);
/** The `dateAggr` of a per-month aggregate: `yyyyMM`, like `frommonth`/`tomonth` [infer]. */
export const psaV1MonthNumberSchema = dateNumberSchema(6);

/**
 * VIN: 17 characters of the ISO 3779 alphabet (no I, O, Q), like the spec's example `VF73AAHXTFJ807314`.
 * Required on every vehicle body: it is what ties an item of a POST `…/list` answer to a car.
 */
export const psaV1VinSchema = z
  .string()
  .regex(/^[A-HJ-NPR-Z0-9]{17}$/, { message: 'Expected a 17-character VIN' });

/** Contract number: an opaque non-empty string (the spec's example is `620324101`). */
export const psaV1ContractSchema = z.string().min(1);

/** Trip id: a number in the spec, an integer in practice (the example call's trips are counted). */
export const psaV1TripIdSchema = z.int().nonnegative();

/** The identity fields most v1 bodies end with. `lastUpdate` is absent from running data in the spec. */
export const psaV1VehicleFields = {
  vin: psaV1VinSchema,
  contract: psaV1ContractSchema.optional(),
  lastUpdate: psaV1DateTimeSchema.optional(),
};

/** Latitude, degrees (WGS 84 [infer]); the spec sends it as text. */
export const psaV1LatitudeTextSchema = psaV1NumericTextSchema({ min: -90, max: 90 });
/** Longitude, degrees; the spec sends it as text. */
export const psaV1LongitudeTextSchema = psaV1NumericTextSchema({ min: -180, max: 180 });

type Labelled<S extends Record<string, z.ZodType>, L extends z.ZodType> = {
  [K in keyof S]: z.ZodOptional<S[K]>;
} & {
  [K in keyof S & string as `${K}Label`]: z.ZodOptional<L>;
};

/**
 * An object whose every value `x` may come with a localized sibling `xLabel` (maintenance and eco-driving
 * bodies). Values and labels are all optional; a label, when present, must be complete.
 */
export function psaV1LabelledObjectSchema<S extends Record<string, z.ZodType>, L extends z.ZodType>(
  shape: S,
  label: L,
) {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(shape)) {
    fields[key] = value.optional();
    fields[`${key}Label`] = label.optional();
  }
  return z.object(fields as Labelled<S, L>);
}
