import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import fc from 'fast-check';
import { createTranslator } from 'next-intl';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ID_ACTIONS, OTHER_ACTIONS } from '@/e2e/support/route-registry';
import { createTokenCipher } from '@/lib/crypto/token-cipher';
import { connectCarAccount } from '@/lib/db/queries/car-accounts';
import { refreshStaleStandings } from '@/lib/db/queries/standings';
import { AppError } from '@/lib/errors';
import { createGroup } from '@/lib/leaderboards/groups';
import { joinPublicBoards } from '@/lib/leaderboards/listings';
import { createShareLink } from '@/lib/sharing/share-links';
import { PSA_BRANDS } from '@/lib/vehicle-api/psa-config';
import { en } from '@/messages/en';
import { openTestDatabase, type TestDatabase } from '../db-harness';
import { carWithScores, ranked } from '../standing-fixtures';
import { PER_CALL_BOUND_MS, timeOf } from './call-time';

// docs/security-tests.md IN-01 for the Server Actions: every action of the registry
// (e2e/support/route-registry.ts), called in-process as the pages call it, with generated FormData
// (garbage, huge, unicode, files, missing and repeated fields, unknown names, the owner's real ids
// mixed in), as the signed-in owner, as the demo and anonymously. What an action may do, exactly:
//   - return nothing (the plain form actions) or its state object, whose every text is a message
//     the action translated from the catalogue (messages/en) during that call: no raw error, no
//     stack trace, no English left over from lib/;
//   - redirect (Next's redirect(), here an error the mock throws) to a path on this site;
//   - throw AppError with a refusal's code (a 4xx: not signed in, forbidden, not found, …), which
//     Next shows as its error page with no detail;
//   - nothing else: any other throw (TypeError, a database error, a ZodError) fails the property.
// And every call is under a generous time bound (test/long/call-time.ts). The actions run on a
// real SQLite file; only the session, the database handle, Next's request-bound helpers and the
// maker's cloud (a local server that answers every call at once with 404, so that the time bound
// is about the action, not about the upstream client's retries) are replaced. Auth.js's own
// signIn/signOut are replaced too: their input (where to go after signing in) is checked instead.

const RUNS_PER_ACTION = 100;
const ORIGIN = 'http://localhost';

const { session, currentDb, cipher, config, signInMode, translated, CredentialsSignin } = vi.hoisted(() => ({
  // Auth.js's error for a refused sign-in (the package's entry needs Next's runtime to load).
  CredentialsSignin: class CredentialsSignin extends Error {
    code = 'credentials';
  },
  session: { user: null as null | { userId: string; isDemo: boolean; sessionId: string } },
  currentDb: { db: null as unknown },
  cipher: { value: null as unknown },
  config: { value: null as unknown },
  signInMode: { refuse: false, code: 'credentials' },
  translated: { texts: new Set<string>() },
}));

class Redirect extends Error {
  constructor(readonly url: string) {
    super(`redirect ${url}`);
  }
}

/** A path on this site (or refuse): what every redirect an action causes must be. */
function expectSitePath(url: string) {
  expect(new URL(url, ORIGIN).origin, url).toBe(ORIGIN);
  expect(url.startsWith('/') && !url.startsWith('//'), url).toBe(true);
}

vi.mock('next-auth', () => ({ CredentialsSignin }));
vi.mock('@/lib/auth', () => ({
  requireApiUser: async () => {
    if (!session.user) throw new AppError('unauthorized');
    return session.user;
  },
  // Auth.js: a sign-in either fails with CredentialsSignin or redirects to where it was asked to.
  signIn: async (_provider: string, options: { redirectTo?: string }) => {
    expectSitePath(options.redirectTo ?? '/');
    if (signInMode.refuse) {
      const error = new CredentialsSignin();
      error.code = signInMode.code;
      throw error;
    }
    throw new Redirect(options.redirectTo ?? '/');
  },
  signOut: async (options: { redirectTo?: string }) => {
    throw new Redirect(options.redirectTo ?? '/');
  },
}));
vi.mock('@/lib/db', () => ({ getDb: () => currentDb.db }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw new Redirect(url);
  },
}));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ 'x-forwarded-for': '203.0.113.7' }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
// The real English catalogue; a key it lacks throws. Every text it gives is remembered, so a
// returned state can be checked to hold translated messages only.
vi.mock('next-intl/server', async () => {
  const { createTranslator: translator } = await import('next-intl');
  const { en: messages } = await import('@/messages/en');
  return {
    getTranslations: async (namespace: string) => {
      const t = translator({
        locale: 'en',
        messages,
        namespace: namespace as never,
        onError: (error) => {
          throw error;
        },
      }) as unknown as (key: string, values?: Record<string, unknown>) => string;
      return (key: string, values?: Record<string, unknown>) => {
        const text = t(key, values);
        translated.texts.add(text);
        return text;
      };
    },
  };
});
vi.mock('@/lib/car-accounts/installation', () => ({
  getTokenCipher: () => cipher.value,
  getPsaConfig: async () => config.value,
}));

const auth = await import('@/app/(auth)/actions');
const dashboard = await import('@/app/(dashboard)/actions');
const cars = await import('@/app/(dashboard)/settings/cars/actions');
const carsV1 = await import('@/app/(dashboard)/settings/cars/connect-v1-action');
const leaderboard = await import('@/app/(dashboard)/vehicles/[vehicleId]/leaderboard/actions');
const score = await import('@/app/(dashboard)/vehicles/[vehicleId]/score/actions');

type Action = (...args: never[]) => Promise<unknown>;
/** Each registry action, and whether it takes a previous state before its form (useActionState). */
const ACTIONS: Record<
  (typeof ID_ACTIONS)[number] | (typeof OTHER_ACTIONS)[number],
  [Action, 'state' | 'form' | 'none']
> = {
  '(dashboard)/vehicles/[vehicleId]/leaderboard#joinPublicBoardsAction': [
    leaderboard.joinPublicBoardsAction,
    'form',
  ],
  '(dashboard)/vehicles/[vehicleId]/leaderboard#leavePublicBoardsAction': [
    leaderboard.leavePublicBoardsAction,
    'form',
  ],
  '(dashboard)/vehicles/[vehicleId]/leaderboard#renewPseudonymAction': [
    leaderboard.renewPseudonymAction,
    'form',
  ],
  '(dashboard)/vehicles/[vehicleId]/leaderboard#createGroupAction': [leaderboard.createGroupAction, 'state'],
  '(dashboard)/vehicles/[vehicleId]/leaderboard#renewInviteAction': [leaderboard.renewInviteAction, 'state'],
  '(dashboard)/vehicles/[vehicleId]/leaderboard#leaveGroupAction': [leaderboard.leaveGroupAction, 'form'],
  '(dashboard)/vehicles/[vehicleId]/leaderboard#joinGroupAction': [leaderboard.joinGroupAction, 'form'],
  '(dashboard)/vehicles/[vehicleId]/score#createShareLinkAction': [score.createShareLinkAction, 'state'],
  '(dashboard)/vehicles/[vehicleId]/score#revokeShareLinkAction': [score.revokeShareLinkAction, 'form'],
  '(dashboard)/settings/cars#linkVehiclesAction': [cars.linkVehiclesAction, 'state'],
  '(dashboard)/settings/cars#disconnectAction': [cars.disconnectAction, 'state'],
  '(dashboard)#signOutAction': [dashboard.signOutAction, 'none'],
  '(dashboard)#signOutEverywhereAction': [dashboard.signOutEverywhereAction, 'none'],
  '(dashboard)/settings/cars#connectV1CarAction': [carsV1.connectV1CarAction, 'state'],
  '(auth)#signInWithPassword': [auth.signInWithPassword, 'state'],
  '(auth)#signUpWithPassword': [auth.signUpWithPassword, 'state'],
  '(auth)#signInToDemo': [auth.signInToDemo, 'none'],
  '(auth)#signInWithMaker': [auth.signInWithMaker, 'form'],
};

/** The refusals an action may throw: AppError with a 4xx code (Next shows its error page, no detail). */
const REFUSALS = new Set([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
]);

const FIELD_NAMES = [
  'vehicleId',
  'groupId',
  'linkId',
  'accountId',
  'token',
  'name',
  'expiry',
  'board',
  'vehicle',
  'deleteData',
  'email',
  'password',
  'callbackUrl',
  'brand',
  'vin',
  'contract',
  '$ACTION_ID_x',
  '__proto__',
];

type OwnerIds = {
  vehicleId: string;
  groupId: string;
  linkId: string;
  accountId: string;
  invite: string;
  vin: string;
};

function valueArbitrary(ids: OwnerIds): fc.Arbitrary<string | File> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...Object.values(ids), `group:${ids.groupId}`) },
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ minLength: 1_000, maxLength: 100_000 }),
    fc.uuid(),
    fc.constantFrom(
      '',
      ' ',
      'on',
      'off',
      'never',
      '7',
      '30',
      '-1',
      '1e309',
      'NaN',
      'peugeot',
      'citroen',
      'Peugeot',
      'owner@example.com',
      'a long and uncommon passphrase',
      '//evil.example/',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '__proto__',
      '\u0000',
      '\u202e',
      'VF3AAAAAAAAAAAAAA',
      '<img src=x onerror=alert(1)>',
      "'; DROP TABLE vehicles;--",
    ),
    fc.integer().map(String),
    fc.double().map(String),
    fc.uint8Array({ maxLength: 2_000 }).map((bytes) => new File([bytes], 'upload.bin')),
  );
}

/** A form: known and unknown names, each absent, once or repeated. */
function formArbitrary(ids: OwnerIds): fc.Arbitrary<[string, string | File][]> {
  return fc.array(
    fc.tuple(
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FIELD_NAMES) }, fc.string({ maxLength: 12 })),
      valueArbitrary(ids),
    ),
    { maxLength: 10 },
  );
}

const toForm = (entries: [string, string | File][]) => {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  return form;
};

const STACK = /\n\s+at .+:\d+/;

/** Every string in a returned state: each must be a message the catalogue gave, or an id/token/echo. */
function checkState(name: string, state: unknown, echoed: Set<string>) {
  expect(
    typeof state === 'object' && state !== null && !Array.isArray(state),
    `${name}: ${String(state)}`,
  ).toBe(true);
  const record = state as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    expect(
      ['error', 'fieldErrors', 'values', 'email', 'token', 'groupId', 'linked'],
      `${name}: key ${key}`,
    ).toContain(key);
    const texts =
      typeof value === 'string' ? [value] : Object.values((value ?? {}) as Record<string, unknown>);
    for (const text of texts) {
      expect(typeof text, `${name}.${key}`).toBe('string');
      expect(text as string, `${name}.${key}`).not.toMatch(STACK);
      if (key === 'error' || key === 'fieldErrors')
        expect(
          translated.texts.has(text as string),
          `${name}.${key}: "${String(text).slice(0, 200)}" is not a translated message`,
        ).toBe(true);
      if (key === 'values' || key === 'email')
        expect(echoed.has(text as string) || text === '', `${name}.${key}`).toBe(true);
      if (key === 'token') expect(text).toMatch(/^[A-Za-z0-9_-]{43}$/);
      if (key === 'groupId') expect(text).toMatch(/^[0-9a-f-]{36}$/);
    }
  }
}

describe('every Server Action under generated FormData', () => {
  let database: TestDatabase;
  let maker: Server;

  beforeAll(async () => {
    maker = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => maker.listen(0, '127.0.0.1', resolve));
    const address = maker.address();
    const cloud = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    database = await openTestDatabase('sqlite');
    currentDb.db = database.db;
    cipher.value = createTokenCipher(randomBytes(32));
    config.value = {
      source: 'environment',
      apiBaseUrl: `${cloud}/connectedcar/v4`,
      v1BaseUrl: `${cloud}/dev/connectedcar/v1`,
      apps: PSA_BRANDS.map((brand) => ({
        brand,
        realm: `clientsB2C${brand}`,
        clientId: `fuzz-${brand}`,
        clientSecret: 'fuzz-secret',
        issuer: `${cloud}/am/oauth2`,
        authorizeUrl: `${cloud}/am/oauth2/authorize`,
        tokenUrl: `${cloud}/am/oauth2/access_token`,
        revokeUrl: `${cloud}/am/oauth2/token/revoke`,
        userinfoUrl: `${cloud}/am/oauth2/userinfo`,
      })),
    };
  });
  afterAll(async () => {
    await new Promise((resolve) => maker?.close(resolve));
    await database?.cleanup();
  });

  it('has a call for every action of the registry', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual([...ID_ACTIONS, ...OTHER_ACTIONS].sort());
  });

  /** A fresh owner with a scored car on the public boards, a group, a share link and a car account. */
  async function ownerWithEverything(): Promise<{ ownerId: string; ids: OwnerIds }> {
    const { db } = database;
    const now = Date.now();
    const car = await carWithScores(db, { trips: ranked(40), now });
    await refreshStaleStandings(db, { now });
    await joinPublicBoards(db, car.ownerId, car.vehicleId);
    const group = await createGroup(db, car.ownerId, car.vehicleId, 'Fuzzers');
    const link = await createShareLink(db, car.ownerId, car.vehicleId, { expiresInDays: null });
    const { account } = await connectCarAccount(db, cipher.value as ReturnType<typeof createTokenCipher>, {
      ownerId: car.ownerId,
      provider: 'psa-v4',
      brand: 'peugeot',
      makerSubject: `fuzz-${car.ownerId}`,
      tokens: { accessToken: 'a', refreshToken: 'r', expiresAt: now + 3_600_000, scopes: [] },
      now,
    });
    if (!group || !link) throw new Error('the fixture has no group or link');
    const vehicle = await db
      .selectFrom('vehicles')
      .select('vin')
      .where('id', '=', car.vehicleId)
      .executeTakeFirstOrThrow();
    return {
      ownerId: car.ownerId,
      ids: {
        vehicleId: car.vehicleId,
        groupId: group.id,
        linkId: link.id,
        accountId: account.id,
        invite: group.inviteToken,
        vin: vehicle.vin,
      },
    };
  }

  it.each(Object.entries(ACTIONS).map(([name, [action, shape]]) => [name, action, shape] as const))(
    '%s: returns its state or nothing, redirects on site, or refuses; never anything else',
    async (name, action, shape) => {
      const { ownerId, ids } = await ownerWithEverything();
      const slowest = { ms: 0 };
      const tally = { returned: 0, redirected: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(
          formArbitrary(ids),
          fc.constantFrom('owner', 'owner', 'owner', 'demo', 'anonymous'),
          fc.boolean(),
          fc.constantFrom('credentials', 'rate_limited'),
          fc.oneof(fc.constant({}), fc.object({ maxDepth: 1 })),
          async (entries, who, refuse, code, previous) => {
            session.user =
              who === 'anonymous' ? null : { userId: ownerId, isDemo: who === 'demo', sessionId: 'fuzz' };
            signInMode.refuse = refuse;
            signInMode.code = code;
            const echoed = new Set(
              entries.flatMap(([, value]) => (typeof value === 'string' ? [value] : [])),
            );
            const call = () => {
              const form = toForm(entries);
              const args = shape === 'state' ? [previous, form] : shape === 'form' ? [form] : [];
              return (action as (...args: unknown[]) => Promise<unknown>)(...args);
            };
            const where = `${name} as ${who} with ${JSON.stringify(entries.map(([n, v]) => [n, typeof v === 'string' ? v.slice(0, 60) : 'File']))}`;
            translated.texts.clear();
            const { ms, outcome } = await timeOf(call);
            slowest.ms = Math.max(slowest.ms, ms);
            if (outcome.ok) {
              tally.returned++;
              if (outcome.value !== undefined) checkState(where, outcome.value, echoed);
            } else if (outcome.error instanceof Redirect) {
              tally.redirected++;
              expectSitePath(outcome.error.url);
            } else if (outcome.error instanceof AppError) {
              tally.refused++;
              expect(
                REFUSALS.has(outcome.error.code),
                `${where}: AppError ${outcome.error.code} ${outcome.error.message}`,
              ).toBe(true);
            } else {
              expect.fail(
                `${where}: threw ${String(outcome.error)}\n${(outcome.error as Error)?.stack ?? ''}`.slice(
                  0,
                  2_000,
                ),
              );
            }
            expect(ms, `${where}: took ${ms.toFixed(0)} ms`).toBeLessThan(PER_CALL_BOUND_MS);
          },
        ),
        { numRuns: RUNS_PER_ACTION },
      );
      console.log(
        `[action-fuzz] ${name}: ${JSON.stringify(tally)} (with shrinking), slowest call ${slowest.ms.toFixed(0)} ms`,
      );
    },
    5 * 60_000,
  );
});

// The English catalogue is what the checks above compare with; a sanity check that it is loaded.
it('the catalogue the actions translate from is the real one', () => {
  const t = createTranslator({ locale: 'en', messages: en, namespace: 'share.owner' });
  expect(t('failed').length).toBeGreaterThan(0);
});
