import fc from 'fast-check';
import { expect } from 'vitest';
import { parseAlertPageParams } from '@/app/(dashboard)/alerts/_components/page-params';
import { isAlertCursor } from '@/lib/alerts/alerts';
import { CONNECT_ERRORS, connectErrorOf } from '@/lib/car-accounts/connect-errors';
import { formatBoardRef, parseBoardRef } from '@/lib/leaderboards/board-ref';
import { parseBoardSearch } from '@/lib/leaderboards/board-search';
import { safeCallbackPath } from '@/lib/safe-redirect';
import { ALERT_SEVERITIES, ALERT_STATES } from '@/lib/schemas/alerts';
import { tripFilterQuerySchema } from '@/lib/schemas/trips';
import {
  defaultSelection,
  MAX_SPAN_MS,
  parseSelection,
  RANGE_PRESETS,
  resolveRange,
  today,
} from '@/lib/telemetry-view/range';
import { tripFilterOfSearch } from '@/lib/trips/page-filter';

// TEST SUPPORT: the functions pages use to read their URL's `searchParams` (docs/security-tests.md
// IN-01), each with what its answer must be: a valid value, or a clear refusal (null, which the page
// turns into its 404, or the default the page falls back to). test/page-search-fuzz.test.ts checks
// these properties on generated search params; test/long/page-search-http.long-test.ts checks that
// no call takes long (catastrophic regular expressions or loops), on larger inputs.

export type Search = Record<string, string | string[] | undefined>;

const HOUR = 3_600_000;
/** The longest calendar range (a leap year) plus a daylight-saving hour at either end. */
const LONGEST_CALENDAR_MS = 366 * 24 * HOUR + 2 * HOUR;

/** A timezone the owner may have picked (their preference sets the page's zone). */
export const timeZones = fc.constantFrom(
  'UTC',
  'Europe/Paris',
  'America/Los_Angeles',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/St_Johns',
);

/** Text of every kind a URL can carry: garbage, unicode, numbers, dates, near-misses of valid values. */
function textArbitrary(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    // Long runs of the characters the date and id patterns look for: what a catastrophic regex chokes on.
    fc.string({
      unit: fc.constantFrom(...'0123456789-:T.Z+ ag/_'.split('')),
      minLength: maxLength / 10,
      maxLength,
    }),
    fc.string({ minLength: maxLength / 10, maxLength }),
    fc.uuid().map((id) => id),
    fc.uuid().map((id) => `group:${id}`),
    fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
    fc
      .tuple(
        fc.integer({ min: 0, max: 99_999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
      )
      .map(
        ([y, m, d]) =>
          `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      ),
    fc.integer().map(String),
    fc.double().map(String),
    fc.constantFrom(
      '',
      ' ',
      'live',
      'trip',
      'day',
      'week',
      'month',
      'year',
      'custom',
      'peer',
      'model',
      'everyone',
      'group:',
      'business',
      'personal',
      'untagged',
      'active',
      'history',
      'all',
      'critical',
      '0000-01-01',
      '0099-12-31',
      '9999-12-31',
      '275760-09-13',
      '1970-01-01T00:00:00Z',
      '-271821-04-20T00:00:00Z',
      '1e309',
      'NaN',
      '-0',
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/',
      '/%2F%2Fevil.example',
      'javascript:alert(1)',
      '__proto__',
      'constructor',
      '\u0000',
      '\u202e',
    ),
  );
}

const KEYS = [
  'range',
  'from',
  'to',
  'board',
  'offset',
  'vehicleId',
  'tag',
  'state',
  'severity',
  'cursor',
  'error',
  'callbackUrl',
  'failed',
  'linked',
  'disconnected',
  'reauthorized',
  '__proto__',
  'constructor',
];

/** Search params as Next hands them to a page: a string, repeated keys as an array, known and unknown keys. */
export function searchArbitrary(maxLength = 400): fc.Arbitrary<Search> {
  const text = textArbitrary(maxLength);
  const value = fc.oneof(text, fc.array(text, { minLength: 2, maxLength: 4 }), fc.constant(undefined));
  return fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), value, { maxKeys: 8 }),
    // A real key with a near-valid companion, so the parsers get past their first check.
    fc.record(
      { range: fc.constantFrom(...RANGE_PRESETS), from: text, to: text, board: text, offset: text },
      { requiredKeys: ['range'] },
    ),
  );
}

export type ParserCase = {
  name: string;
  /** Calls the parser as its page does, and asserts its answer is valid. Must not throw otherwise. */
  check: (search: Search, context: { now: number; timeZone: string }) => void;
};

const isInstant = (value: number) => Number.isFinite(value) && Math.abs(value) <= 8.64e15;

export const PARSER_CASES: ParserCase[] = [
  {
    // The Charts page: app/(dashboard)/vehicles/[vehicleId]/telemetry/page.tsx (and its client hook).
    name: 'telemetry range (parseSelection → resolveRange)',
    check(search, { now, timeZone }) {
      const selection = parseSelection(search);
      const range = resolveRange(selection ?? defaultSelection(now, timeZone), now, timeZone);
      expect(isInstant(range.from) && isInstant(range.to), JSON.stringify(range)).toBe(true);
      expect(range.from).toBeLessThan(range.to);
      expect(range.to - range.from).toBeLessThanOrEqual(
        selection?.preset === 'custom' || selection?.preset === 'trip' ? MAX_SPAN_MS : LONGEST_CALENDAR_MS,
      );
      // A day in the URL is that day on the owner's clock (not another century's).
      if (selection?.preset === 'day') expect(today(range.from, timeZone)).toEqual(selection.anchor);
      // The page and the client name the range in URLs and queries as ISO instants.
      new Date(range.from).toISOString();
      new Date(range.to).toISOString();
    },
  },
  {
    // The trips page: app/(dashboard)/trips/page.tsx.
    name: 'trips filter (tripFilterOfSearch)',
    check(search) {
      const filter = tripFilterOfSearch(search);
      expect(tripFilterQuerySchema.strict().parse(filter)).toEqual(filter);
    },
  },
  {
    // The leaderboard page: app/(dashboard)/vehicles/[vehicleId]/leaderboard/page.tsx (null: its 404).
    name: 'leaderboard board and offset (parseBoardSearch)',
    check(search) {
      const wanted = parseBoardSearch(search);
      if (wanted === null) return;
      expect(parseBoardRef(formatBoardRef(wanted.ref))).toEqual(wanted.ref);
      expect(Number.isSafeInteger(wanted.offset)).toBe(true);
      expect(wanted.offset).toBeGreaterThanOrEqual(0);
      expect(wanted.offset).toBeLessThanOrEqual(1_000_000);
    },
  },
  {
    // The alerts page: app/(dashboard)/alerts/page.tsx (a cursor it did not give out is dropped).
    name: 'alerts filters (parseAlertPageParams, isAlertCursor)',
    check(search) {
      const parsed = parseAlertPageParams(search);
      expect(ALERT_STATES).toContain(parsed.state);
      if (parsed.severity !== undefined) expect(ALERT_SEVERITIES).toContain(parsed.severity);
      if (parsed.vehicleId !== undefined) expect(parsed.vehicleId.length).toBeLessThanOrEqual(64);
      if (parsed.cursor !== undefined) {
        expect(parsed.cursor).toMatch(/^[A-Za-z0-9_-]{1,512}$/);
        expect(typeof isAlertCursor(parsed.cursor)).toBe('boolean');
      }
    },
  },
  {
    // The car accounts page: app/(dashboard)/settings/cars/page.tsx.
    name: 'car accounts error code (connectErrorOf)',
    check(search) {
      const code = connectErrorOf(search.error);
      if (code !== null) expect(CONNECT_ERRORS).toContain(code);
    },
  },
  {
    // The login page: app/(auth)/login/page.tsx (where to go after signing in).
    name: 'login callbackUrl (safeCallbackPath)',
    check(search) {
      const path = safeCallbackPath(search.callbackUrl);
      // Always a path on this site, whatever the URL said.
      expect(new URL(path, 'http://localhost').origin).toBe('http://localhost');
      expect(path.startsWith('/')).toBe(true);
    },
  },
];
