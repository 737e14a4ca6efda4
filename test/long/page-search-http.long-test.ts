import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTECTED_PAGES, PUBLIC_PAGES } from '@/e2e/support/route-registry';
import { hashPassword } from '@/lib/auth/password';
import { sqlitePathFor } from '@/lib/db/client';
import { refreshStaleStandings } from '@/lib/db/queries/standings';
import { createGroup } from '@/lib/leaderboards/groups';
import { joinPublicBoards } from '@/lib/leaderboards/listings';
import { createShareLink } from '@/lib/sharing/share-links';
import { freePort } from '@/scripts/support/test-postgres';
import { openTestDatabase, type TestDatabase } from '@/test/db-harness';
import { PARSER_CASES, type Search, searchArbitrary, timeZones } from '../page-search-parsers';
import { carWithScores, ranked } from '../standing-fixtures';
import { type AppChild, AppClient, appEnv, ensureBuild, freshAuthSecret, startApp } from './app-harness';
import { PER_CALL_BOUND_MS, timeOf } from './call-time';
import { freshTokenKey } from './worker-harness';

// docs/security-tests.md IN-01 for the pages' URLs, the parts that take time:
//   1. every page search-param parser (test/page-search-parsers.ts) on large generated input (up to
//      50,000 characters a value, long runs of the characters its patterns look for) answers each
//      call within the per-call bound (test/long/call-time.ts): no catastrophic regex, no loop.
//   2. a sample over HTTP against the production build (`next start`): SAMPLE random GETs, signed
//      in as an owner with a car, trips, a group and a share link, of every page of the registry
//      (ids: the owner's real ones or garbage) with generated search params. No answer is a 5xx,
//      each is a page, a redirect or a 404, and no HTML carries a stack trace.

const PARSER_RUNS = 200;
const SAMPLE = 200;
const PASSWORD = 'a long and uncommon passphrase';
const EMAIL = 'page-search-owner@example.test';
/** A stack frame, raw or escaped in the RSC payload inside the HTML. */
const STACK = /(\n|\\n)\s+at .+:\d+:\d+/;

describe('page search-param parsers: per-call time bound on large input', () => {
  it.each(PARSER_CASES.map((parser) => [parser.name, parser] as const))(
    '%s: every call within the bound',
    async (_name, parser) => {
      let slowest = 0;
      await fc.assert(
        fc.asyncProperty(searchArbitrary(50_000), timeZones, async (search, timeZone) => {
          const { ms, outcome } = await timeOf(() => parser.check(search, { now: Date.now(), timeZone }));
          slowest = Math.max(slowest, ms);
          if (!outcome.ok) throw outcome.error;
          expect(ms, `${JSON.stringify(search).slice(0, 300)}: ${ms.toFixed(0)} ms`).toBeLessThan(
            PER_CALL_BOUND_MS,
          );
        }),
        { numRuns: PARSER_RUNS },
      );
      console.log(`[page-search] ${parser.name}: slowest call ${slowest.toFixed(1)} ms`);
    },
  );
});

describe('pages with generated search params over HTTP (next start)', () => {
  let db: TestDatabase;
  let dataDir: string;
  let app: AppChild | undefined;
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    const build = ensureBuild();
    if (build.built) console.log(`[page-search] built the app first: ${build.seconds.toFixed(0)} s`);
    db = await openTestDatabase('sqlite');
    const now = Date.now();
    const car = await carWithScores(db.db, { trips: ranked(30), now, email: EMAIL });
    await db.db
      .updateTable('users')
      .set({ password_hash: await hashPassword(PASSWORD) })
      .where('id', '=', car.ownerId)
      .execute();
    await refreshStaleStandings(db.db, { now });
    await joinPublicBoards(db.db, car.ownerId, car.vehicleId);
    const group = await createGroup(db.db, car.ownerId, car.vehicleId, 'Sample group');
    const link = await createShareLink(db.db, car.ownerId, car.vehicleId, { expiresInDays: null });
    const trips = await db.db
      .selectFrom('trips')
      .select('id')
      .where('vehicle_id', '=', car.vehicleId)
      .execute();
    ids.vehicleId = [car.vehicleId];
    ids.tripId = trips.slice(0, 3).map((trip) => trip.id);
    ids.token = [group?.inviteToken ?? '', link?.token ?? ''].filter(Boolean);
    dataDir = await mkdtemp(join(tmpdir(), 'kinetic-page-search-'));
    app = await startApp({
      ...appEnv({
        database: { sqliteFile: sqlitePathFor(db.env) as string },
        port: await freePort(),
        dataDir,
        authSecret: freshAuthSecret(),
        tokenKey: freshTokenKey(),
      }),
      // No vehicle cloud: a port nothing listens on (the pages that ask for the maker's apps get none).
      SIM_PORT: String(await freePort()),
    });
  });
  afterAll(async () => {
    app?.kill('SIGKILL');
    await app?.exited;
    await db?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`${SAMPLE} GETs of the pages with garbage search params: no 5xx, no stack trace`, async () => {
    if (!app) throw new Error('no app');
    const origin = app.origin;
    const owner = new AppClient('owner', () => origin);
    await owner.signIn(EMAIL, PASSWORD);
    const pages = [...PROTECTED_PAGES, ...PUBLIC_PAGES];
    const garbageId = fc.oneof(fc.string({ maxLength: 40 }), fc.uuid(), fc.constantFrom('..', '%00', '0'));
    const statuses = new Map<number, number>();
    const samples = fc.sample(
      fc.record({
        page: fc.constantFrom(...pages),
        real: fc.boolean(),
        garbage: garbageId,
        pick: fc.nat(),
        search: searchArbitrary(300),
      }),
      { numRuns: SAMPLE, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    for (const sample of samples) {
      const path = sample.page.replaceAll(/\{(\w+)\}/g, (_whole, name: string) => {
        const own = ids[name] ?? [];
        const value =
          sample.real && own.length > 0 ? (own[sample.pick % own.length] as string) : sample.garbage;
        return encodeURIComponent(value);
      });
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(sample.search as Search))
        for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
          query.append(key, item);
      const url = `${path}${query.size > 0 ? `?${query}` : ''}`;
      const outcome = await owner.request(url, { headers: { accept: 'text/html' } });
      if (outcome.kind !== 'answer') throw new Error(`${url.slice(0, 300)}: ${outcome.kind}`);
      statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      expect([200, 303, 307, 308, 404], `${url.slice(0, 300)}: ${outcome.status}`).toContain(outcome.status);
      expect(outcome.text, url.slice(0, 300)).not.toMatch(STACK);
    }
    console.log(`[page-search] ${SAMPLE} GETs: ${JSON.stringify(Object.fromEntries(statuses))}`);
    // The sample reached real pages, not only refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(SAMPLE / 4);
  });
});
