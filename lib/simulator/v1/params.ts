import { DAY_MS } from '../fleet/vehicle-timeline';
import { V1Error } from './gateway';

// The query parameters of v1 (vehicle-apis.md §7): `contract` on every car operation; `locale`
// (`fr_FR`) and `brand` (`P` Peugeot, `C` Citroën or DS) on the labelled ones; `unit` 0 metric
// (default) or 1 imperial; `listsecond` ("1,2,3") picks seconds of the per-second maps; date
// ranges `from`/`to` and `fromday`/`today` (`yyyyMMdd`), `frommonth`/`tomonth` (`yyyyMM`), `day`;
// `limit` (default 10). A repeated parameter is ambiguous and refused. Dates are UTC days.

export type V1Brand = 'P' | 'C';
/** How a labelled answer is written: its language and units. */
export type V1Presentation = { locale: string; imperial: boolean };

export function single(url: URL, name: string): string | undefined {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) throw new V1Error(400, `Query parameter ${name} must be given only once.`);
  return values[0];
}

export function required(url: URL, name: string): string {
  const value = single(url, name);
  if (value === undefined || value === '') throw new V1Error(400, `Query parameter ${name} is required.`);
  return value;
}

export function readContract(url: URL): string {
  const contract = required(url, 'contract');
  if (contract.length > 64) throw new V1Error(400, 'Query parameter contract is too long.');
  return contract;
}

export function readLocale(url: URL): string {
  const locale = required(url, 'locale');
  if (!/^[a-z]{2}_[A-Z]{2}$/.test(locale)) {
    throw new V1Error(400, 'Query parameter locale must look like fr_FR.');
  }
  return locale;
}

/** `brand` when given (null when absent); checked against the car by the route table. */
export function readBrand(url: URL): V1Brand | null {
  const brand = single(url, 'brand');
  if (brand === undefined) return null;
  if (brand !== 'P' && brand !== 'C') throw new V1Error(400, 'Query parameter brand must be P or C.');
  return brand;
}

export function readImperial(url: URL): boolean {
  const unit = single(url, 'unit') ?? '0';
  if (unit !== '0' && unit !== '1') throw new V1Error(400, 'Query parameter unit must be 0 or 1.');
  return unit === '1';
}

/**
 * The labelled operations' `locale` and `brand` (both required; the route table checks the brand
 * against the car) and `unit`.
 */
export function readPresentation(url: URL): V1Presentation {
  const locale = readLocale(url);
  if (readBrand(url) === null) throw new V1Error(400, 'Query parameter brand is required.');
  return { locale, imperial: readImperial(url) };
}

/**
 * The referentials' optional `locale` and `brand` (the spec's default for both is ""): absent or
 * empty means English and every brand; anything given must be well formed. [infer] Both brands'
 * cars raise the same alerts and carry the same texts, so `brand` does not change the answer.
 */
export function readReferentialLocale(url: URL): string {
  if (single(url, 'brand')) readBrand(url);
  const locale = single(url, 'locale');
  return locale === undefined || locale === '' ? 'en_GB' : readLocale(url);
}

/** The v1 brand letter of a car: P for Peugeot, C for Citroën and DS. */
export const brandLetter = (brand: string): V1Brand => (brand === 'peugeot' ? 'P' : 'C');

/**
 * `listsecond`: the seconds (1–60) of the per-second maps to answer, or null for all of them
 * (absent or empty). Anything else than a comma-separated list of those numbers is a 400.
 */
export function readListSecond(url: URL): ReadonlySet<number> | null {
  const text = single(url, 'listsecond');
  if (text === undefined || text.trim() === '') return null;
  const seconds = new Set<number>();
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (!/^\d{1,2}$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > 60) {
      throw new V1Error(400, 'Query parameter listsecond must list seconds 1 to 60, like 1,2,3.');
    }
    seconds.add(Number(trimmed));
  }
  return seconds;
}

/** A `yyyyMMdd` parameter as the UTC day index (days since 1970-01-01). */
export function readDay(url: URL, name: string): number {
  const text = required(url, name);
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  const date = new Date(ms);
  if (!match || Number.isNaN(ms) || date.getUTCDate() !== Number(match[3]) || date.getUTCFullYear() < 2000) {
    throw new V1Error(400, `Query parameter ${name} must be a date like 20240131.`);
  }
  return Math.floor(ms / DAY_MS);
}

/** A `yyyyMM` parameter as `{ year, month }` (month 1–12). */
export function readMonth(url: URL, name: string): { year: number; month: number } {
  const text = required(url, name);
  const match = /^(\d{4})(\d{2})$/.exec(text);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12 || year < 2000) {
    throw new V1Error(400, `Query parameter ${name} must be a month like 202401.`);
  }
  return { year, month };
}

/** A day range `[fromDay, toDay]` (inclusive); refused when reversed or longer than `maxDays`. */
export function readDayRange(url: URL, fromName: string, toName: string, maxDays = 366) {
  const fromDay = readDay(url, fromName);
  const toDay = readDay(url, toName);
  if (toDay < fromDay) throw new V1Error(400, `${toName} must not be before ${fromName}.`);
  if (toDay - fromDay + 1 > maxDays) throw new V1Error(400, `A range covers at most ${maxDays} days.`);
  return { fromDay, toDay };
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 1000;

/** `limit`: how many items at most; DEFAULT_LIMIT when absent. */
export function readLimit(url: URL): number {
  const text = single(url, 'limit');
  if (text === undefined || text === '') return DEFAULT_LIMIT;
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_LIMIT) {
    throw new V1Error(400, `Query parameter limit must be a whole number from 1 to ${MAX_LIMIT}.`);
  }
  return Number(text);
}
