import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PARSER_CASES, searchArbitrary, timeZones } from './page-search-parsers';

// docs/security-tests.md IN-01 for the pages' URLs: every function a page uses to read its
// `searchParams`, fed generated search params (garbage, unicode, repeated keys as arrays, unknown
// keys, near-misses of valid values, dates out of range), never throws and always answers a valid
// value or a clear refusal (test/page-search-parsers.ts says what each may answer). The same
// parsers under a per-call time bound, on larger inputs: test/long/page-search-http.long-test.ts.

describe('page search-param parsers under generated input', () => {
  it.each(PARSER_CASES.map((parser) => [parser.name, parser] as const))(
    '%s: never throws, answers a valid value or a refusal',
    (_name, parser) => {
      fc.assert(
        fc.property(
          searchArbitrary(),
          timeZones,
          fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
          (search, timeZone, now) => {
            expect(() => parser.check(search, { now, timeZone })).not.toThrow();
          },
        ),
        { numRuns: 500 },
      );
    },
  );
});
