import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiRoute, PROTECTED_API, PUBLIC_API } from '../../e2e/support/route-registry';
import type { ActiveSession } from '../../lib/db/queries/sessions';
import { openTestDatabase, type TestDatabase } from '../db-harness';
import { carWithScores, ranked } from '../standing-fixtures';
import { PER_CALL_BOUND_MS, timeOf } from './call-time';

// Bad input, property-based (issue 8; docs/security-tests.md part B): every API route of the
// registry, called as a signed-in owner with generated path parameters, query strings and bodies
// (valid ids of the owner's car mixed with garbage: empty, huge, unicode, traversal, numbers,
// JSON of every shape, bodies that are not JSON, wrong content types). The handlers run exactly
// as app/api builds them, on a real SQLite file; only the session, the database handle and the
// request-bound helpers of Next and next-intl (cookies, translations) are replaced. Every answer must be below 500, and every refusal the documented error shape with no
// stack trace; and every call within the per-call time bound (test/long/call-time.ts: no input
// makes a handler loop or backtrack for long).

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 1_000);

const { requireApiUser, currentDb } = vi.hoisted(() => ({
  requireApiUser: vi.fn(),
  currentDb: { db: null as unknown },
}));
vi.mock('@/lib/auth', () => ({
  requireApiUser,
  requireUser: requireApiUser,
  getCurrentUser: requireApiUser,
  auth: async () => null,
}));
vi.mock('@/lib/db', () => ({
  getDb: () => currentDb.db,
  getDbHandle: () => ({ db: currentDb.db, engine: 'sqlite', close: async () => {} }),
}));
// One owner sends thousands of requests a minute here: the per-owner budget (tested on its own in
// lib/http/owner-rate-limit.test.ts and lib/route-handler.test.ts) would answer most with a 429 and
// leave the parsers unexercised.
vi.mock('@/lib/http/owner-rate-limit', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/http/owner-rate-limit')>()),
  ownerRateLimiter: { spend: () => null },
}));
// Request-bound helpers of Next and next-intl have no request here: the smallest stand-ins.
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: () => undefined,
    getAll: () => [],
    has: () => false,
    set: () => {},
    delete: () => {},
  }),
  headers: async () => new Headers(),
}));
vi.mock('next-intl/server', () => ({
  getTranslations: async () => (key: string) => key,
  getTimeZone: async () => 'UTC',
  getLocale: async () => 'en',
}));

/** next-auth's own endpoints are its library's to fuzz; the rest of the registry is ours. */
const FUZZED = [...PROTECTED_API, ...PUBLIC_API].filter((route) => !route.path.startsWith('/api/auth/'));

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

async function handlerOf(route: ApiRoute): Promise<Handler> {
  const folder = route.path
    .replace(/^\/api/, '')
    .replaceAll(/\{(\.\.\.)?(\w+)\}/g, (_m, dots, name) => `[${dots ?? ''}${name}]`);
  const module = (await import(/* @vite-ignore */ `../../app/api${folder}/route.ts`)) as Record<
    string,
    unknown
  >;
  const handler = module[route.method];
  if (typeof handler !== 'function') throw new Error(`${route.method} ${route.path} has no handler`);
  return handler as Handler;
}

const garbage = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ minLength: 300, maxLength: 5_000 }),
  fc.uuid(),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../../etc/passwd',
    '%00',
    '\u0000',
    'null',
    'undefined',
    '-1',
    '0',
    '1e309',
    'NaN',
    '[]',
    '{}',
    '__proto__',
    'constructor',
  ),
  fc.integer().map(String),
  fc.double().map(String),
);

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];

function bodyArbitrary(): fc.Arbitrary<{ body: string | undefined; type: string | undefined }> {
  return fc.oneof(
    fc.constant({ body: undefined, type: undefined }),
    fc.record({ body: fc.json(), type: fc.constantFrom(...JSON_TYPES) }),
    fc.record({
      body: fc
        .dictionary(
          fc.constantFrom(
            'tag',
            'expiresInDays',
            'board',
            'name',
            'locale',
            'units',
            'timeZone',
            'confirm',
            'password',
            'email',
            'x',
          ),
          fc.jsonValue(),
        )
        .map((value) => JSON.stringify(value)),
      type: fc.constantFrom(...JSON_TYPES),
    }),
    fc.record({
      body: fc.string({ maxLength: 2_000 }),
      type: fc.constantFrom(...JSON_TYPES, 'text/plain', 'text/csv', 'application/x-www-form-urlencoded'),
    }),
    fc.record({
      body: fc.string({ minLength: 70_000, maxLength: 300_000 }),
      type: fc.constantFrom(...JSON_TYPES),
    }),
  );
}

describe('every API route under generated input', () => {
  let database: TestDatabase;
  let vehicleId = '';

  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
    currentDb.db = database.db;
    const car = await carWithScores(database.db, { trips: ranked(66), now: Date.now() });
    vehicleId = car.vehicleId;
    // The whole signed-in user, as the session gate answers it (lib/db/queries/sessions.ts).
    const owner: ActiveSession = {
      sessionId: 'fuzz',
      userId: car.ownerId,
      email: 'fuzz-owner@example.invalid',
      name: null,
      isDemo: false,
      timeZone: null,
    };
    requireApiUser.mockResolvedValue(owner);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it.each(FUZZED.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s answers below 500, refusals in the error shape',
    async (_name, route) => {
      const handler = await handlerOf(route);
      const names = [...route.path.matchAll(/\{(?:\.\.\.)?(\w+)\}/g)].map((match) => match[1] as string);
      const param = fc.oneof(garbage, fc.constant(vehicleId));
      const query = fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(
              'vehicleId',
              'from',
              'to',
              'width',
              'metrics',
              'board',
              'offset',
              'cursor',
              'limit',
              'state',
              'severity',
              'deleteData',
              'q',
            ),
            fc.string({ maxLength: 20 }),
          ),
          fc.oneof(garbage, fc.constant(vehicleId)),
        ),
        { maxLength: 6 },
      );
      let slowest = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...names.map(() => param)),
          query,
          bodyArbitrary(),
          async (values, pairs, body) => {
            const params: Record<string, string | string[]> = {};
            names.forEach((name, index) => {
              params[name] = route.path.includes(`{...${name}}`)
                ? [values[index] as string]
                : (values[index] as string);
            });
            const search = new URLSearchParams(pairs).toString();
            const headers: Record<string, string> = {};
            if (body.type) headers['content-type'] = body.type;
            const request = new Request(`http://localhost${route.path}${search ? `?${search}` : ''}`, {
              method: route.method,
              headers,
              ...(body.body !== undefined && route.method !== 'GET' ? { body: body.body } : {}),
            });
            // The request's body can be read once: each timed try gets its own copy.
            const { ms, outcome } = await timeOf(async () => {
              const response = await handler(request.clone(), { params: Promise.resolve(params) });
              return { response, text: await response.text() };
            });
            const where = `${route.method} ${route.path} ${JSON.stringify(params).slice(0, 200)} ?${search.slice(0, 200)}`;
            if (!outcome.ok) throw outcome.error;
            const { response, text } = outcome.value as { response: Response; text: string };
            slowest = Math.max(slowest, ms);
            expect(ms, `${where}: took ${ms.toFixed(0)} ms`).toBeLessThan(PER_CALL_BOUND_MS);
            expect(response.status, `${where}: ${text.slice(0, 300)}`).toBeLessThan(500);
            expect(text, where).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
            if (response.status >= 400 && (response.headers.get('content-type') ?? '').includes('json')) {
              const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
              expect(typeof error?.code, where).toBe('string');
              expect(typeof error?.message, where).toBe('string');
            }
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      );
      console.log(`[route-fuzz] ${route.method} ${route.path}: slowest call ${slowest.toFixed(0)} ms`);
    },
    10 * 60_000,
  );
});
