import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, type APIResponse, expect, test } from '@playwright/test';
import { openDatabase } from '../support/accounts';
import { expectNonceCsp } from '../support/nonce-csp';
import { sealTokensIntoAccount } from '../support/owner-objects';
import { changedColumns, ownerSnapshot, snapshotChanges } from '../support/owner-snapshot';
import { type FullOwner, ownerWithEverything } from '../support/owner-with-everything';
import { fillIds, PROTECTED_API, PROTECTED_PAGES, PUBLIC_PAGES } from '../support/route-registry';
import { dataDirFor, NO_PROXY_URL } from '../support/servers';

// What a signed-in owner's pages and reads give away, and what they change (docs/security-tests.md):
// - AC-16: every page of the route registry, as HTML and as its RSC payload (`RSC: 1`), and every
//   GET route, fetched as owner A, holds none of the server's secrets, no password hash, not A's
//   upstream tokens or session token, and nothing of owner B's;
// - AC-07: the same sweep changes none of A's rows in any table;
// - PV-08: the leaderboard page and API and the shared page carry no position field and none of
//   the coordinates A's car recorded;
// - AC-17: signed-in HTML is `private, no-store`, and A and B loading their dashboard, car and
//   leaderboard pages concurrently each only ever see their own canary.

// The instance whose worker has no demo world to sync, so that it scores the owners' imported
// drives within a round or two (the snapshot below waits for that). For a signed-in owner it is the
// same build and the same proxy as the other; only its optimistic redirect of strangers is off.
const BASE = NO_PROXY_URL;

/** The fixture's drive was recorded at 52.52 N, 13.400000 to 13.40018x E. */
const COORDINATES = /52\.52|13\.400\d/;

type Answer = {
  what: string;
  status: number;
  contentType: string;
  cacheControl: string;
  etag: string;
  vary: string;
  csp: string;
  body: string;
};

const GET_ROUTES = PROTECTED_API.filter((route) => route.method === 'GET');

/** A group of A's with an invite token A knows, for the invite page (/join/{token}). */
function giveOwnerGroup(owner: FullOwner): string {
  const token = randomBytes(32).toString('base64url');
  const db = openDatabase(BASE);
  try {
    const user = db.prepare('select id from users where email = ?').get(owner.email.toLowerCase()) as {
      id: string;
    };
    db.prepare(
      'insert into driver_groups (id, name, owner_id, invite_token_hash, created_at) values (?, ?, ?, ?, ?)',
    ).run(randomUUID(), 'Canary club', user.id, createHash('sha256').update(token).digest('hex'), Date.now());
  } finally {
    db.close();
  }
  return token;
}

/**
 * A GET as the owner; with `rsc`, the page's RSC payload. Next answers an RSC request without its
 * cache-busting `_rsc` parameter with a 307 to the same path with one: that hop is followed.
 */
async function getAs(request: APIRequestContext, url: string, rsc = false): Promise<APIResponse> {
  const headers: Record<string, string> = rsc ? { RSC: '1' } : {};
  const response = await request.get(url, { headers, maxRedirects: 0 });
  const hop = new URL(response.headers().location ?? '/', BASE);
  if (rsc && response.status() === 307 && hop.pathname === new URL(url, BASE).pathname)
    return request.get(`${hop.pathname}${hop.search}`, { headers, maxRedirects: 0 });
  return response;
}

function rowOf<T>(sql: string, ...params: unknown[]): T {
  const db = openDatabase(BASE);
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

test('owner A’s pages and reads leak nothing, change nothing, and never mix with B’s (AC-16, AC-07, PV-08, AC-17)', async ({
  playwright,
}) => {
  test.setTimeout(240_000);
  const [a, b] = await Promise.all([
    ownerWithEverything(playwright, BASE, 'leak-a'),
    ownerWithEverything(playwright, BASE, 'leak-b'),
  ]);
  try {
    const upstream = { accessToken: `at-canary-${randomUUID()}`, refreshToken: `rt-canary-${randomUUID()}` };
    const sealed = sealTokensIntoAccount(a.ids.accountId, upstream, BASE);
    const inviteToken = giveOwnerGroup(a);
    const userA = rowOf<{ id: string; password_hash: string }>(
      'select id, password_hash from users where email = ?',
      a.email.toLowerCase(),
    );
    const userB = rowOf<{ password_hash: string }>(
      'select password_hash from users where email = ?',
      b.email.toLowerCase(),
    );
    const vinB = rowOf<{ vin: string }>('select vin from vehicles where id = ?', b.ids.vehicleId).vin;
    const session = (await a.request.storageState()).cookies.find((cookie) =>
      /authjs\.session-token/.test(cookie.name),
    );
    expect(session?.value.length).toBeGreaterThan(20);

    /** Strings no answer to A may contain, by what they are. */
    const forbidden: Record<string, string> = {
      AUTH_SECRET: readFileSync(path.join(dataDirFor(BASE), 'auth-secret'), 'utf8').trim(),
      TOKEN_ENCRYPTION_KEY: readFileSync(path.join(dataDirFor(BASE), 'token-encryption-key'), 'utf8').trim(),
      'the data folder (database path)': dataDirFor(BASE),
      'the database file': 'kinetic.db',
      'a password hash': '$argon2',
      "A's password hash": userA.password_hash,
      "B's password hash": userB.password_hash,
      "A's upstream access token": upstream.accessToken,
      "A's upstream refresh token": upstream.refreshToken,
      "A's sealed tokens": sealed,
      "A's session token": session?.value as string,
      "B's e-mail": b.email,
      "B's car name": b.label,
      "B's VIN": vinB,
      "B's share token": b.shareToken,
      ...Object.fromEntries(Object.entries(b.ids).map(([name, id]) => [`B's ${name}`, id])),
    };

    const pages = [
      ...PROTECTED_PAGES.map((page) =>
        page === '/join/{token}' ? `/join/${inviteToken}` : fillIds(page, a.ids),
      ),
      ...PUBLIC_PAGES.map((page) => page.replace('{token}', a.shareToken)),
    ];
    const reads = GET_ROUTES.map((route) => {
      const url = fillIds(route.path, a.ids);
      return route.query ? `${url}?${fillIds(route.query, a.ids)}` : url;
    });

    const fetchAnswer = async (what: string, url: string, rsc = false) => {
      const response = await getAs(a.request, url, rsc);
      const responseHeaders = response.headers();
      return {
        what,
        status: response.status(),
        contentType: responseHeaders['content-type'] ?? '',
        cacheControl: responseHeaders['cache-control'] ?? '',
        etag: responseHeaders.etag ?? '',
        vary: responseHeaders.vary ?? '',
        csp: responseHeaders['content-security-policy'] ?? '',
        body: await response.text(),
      } satisfies Answer;
    };

    // AC-07: A's rows before and after every GET of the registry. First the worker finishes with
    // the imported drives (it scores new trips and refreshes the cars' standings within a round or
    // two), so that what follows is the sweep's doing alone.
    await expect
      .poll(
        () =>
          rowOf<{ unscored: number; stale: number }>(
            `select
               (select count(*) from trips where vehicle_id in (?, ?)
                  and id not in (select trip_id from trip_scores)) as unscored,
               (select count(*) from vehicles v left join vehicle_standings s on s.vehicle_id = v.id
                  where v.id in (?, ?) and (s.vehicle_id is null or s.next_change_at = 0)) as stale`,
            a.ids.vehicleId,
            b.ids.vehicleId,
            a.ids.vehicleId,
            b.ids.vehicleId,
          ),
        { timeout: 60_000, intervals: [250] },
      )
      .toEqual({ unscored: 0, stale: 0 });
    const owner = { userId: userA.id, email: a.email };
    const before = ownerSnapshot(BASE, owner);
    const answers: Answer[] = [];
    for (const page of pages) {
      answers.push(await fetchAnswer(`${page} (HTML)`, page));
      answers.push(await fetchAnswer(`${page} (RSC)`, page, true));
    }
    for (const url of reads) answers.push(await fetchAnswer(url, url));
    const { rate_limits, car_accounts, vehicle_standings, leaderboard_listings, ...changes } =
      snapshotChanges(before, ownerSnapshot(BASE, owner));
    expect(changes, "A's rows after every GET of the registry").toEqual({});
    // What reads write by design, and nothing more of it:
    // - the account export counts against its hourly limit (lib/settings/account.ts);
    expect(rate_limits?.added.map((row) => JSON.parse(row).key)).toEqual([`account-export:${userA.id}`]);
    // - the car picker asks the maker's cloud for the account's cars: the cloud refused the canary
    //   tokens, and the account now says "sign in again" (what the worker would record too);
    expect(changedColumns(car_accounts ?? { added: [], removed: [] }, ['id'])).toEqual([
      { key: JSON.stringify([a.ids.accountId]), columns: ['status', 'status_reason', 'updated_at'] },
    ]);
    expect(car_accounts?.added.map((row) => JSON.parse(row).status)).toEqual(['reauthorization_needed']);
    // - a car's standing is a cache of values derived from its trips, computed by the first read
    //   that finds it due (lib/db/queries/driver-standing.ts) if the worker has not, and copied
    //   into its board listing. Only those derived columns may differ (none did in the runs so
    //   far: the worker had refreshed them above).
    for (const { key } of changedColumns(vehicle_standings ?? { added: [], removed: [] }, ['vehicle_id']))
      expect(key).toBe(JSON.stringify([a.ids.vehicleId]));
    for (const { columns } of changedColumns(leaderboard_listings ?? { added: [], removed: [] }, [
      'vehicle_id',
    ]))
      expect(['bin', 'model', 'peer_group', 'score']).toEqual(expect.arrayContaining(columns));

    // AC-16: every answer, page by page.
    expect(answers).toHaveLength(pages.length * 2 + reads.length);
    const nonces = new Set<string>();
    for (const answer of answers) {
      // HD-01 on every page of the registry, signed in: the nonce CSP, fresh each time.
      if (answer.contentType.startsWith('text/html')) {
        const nonce = expectNonceCsp(answer.what, answer.csp, answer.body);
        expect(nonces.has(nonce), `${answer.what}: a nonce seen before`).toBe(false);
        nonces.add(nonce);
      }
      expect(answer.status, answer.what).toBeLessThan(500);
      for (const [name, value] of Object.entries(forbidden))
        expect(answer.body.includes(value), `${answer.what} holds ${name}`).toBe(false);
      // AC-17: no shared cache may keep anything answered to A, and no cache at all a page. The
      // dashboard's ETag'd JSON reads (docs/api.md) may stay in A's own browser, keyed by the
      // session cookie, so that a revalidation can answer 304.
      const cache = answer.cacheControl.split(/,\s*/);
      expect(cache, answer.what).toContain('private');
      if (!cache.includes('no-store')) {
        expect(answer.what, 'a page without no-store').not.toMatch(/ \((HTML|RSC)\)$/);
        expect(answer.etag, answer.what).toMatch(/^W\/"/);
        expect(answer.vary, answer.what).toMatch(/\bCookie\b/i);
      }
    }
    // Every page answered A with its HTML (signed in, /login and /signup send A home instead).
    for (const page of pages) {
      const answer = answers.find((candidate) => candidate.what === `${page} (HTML)`);
      const home = page === '/' || page === '/login' || page === '/signup';
      expect(answer?.status, page).toBe(home ? 307 : 200);
      if (!home) expect(answer?.contentType, page).toMatch(/^text\/html/);
    }
    expect(nonces.size).toBeGreaterThanOrEqual(pages.length - 3);
    // The sweep saw real pages: A's own car is named in its page and in that page's RSC payload.
    const carPage = `/vehicles/${a.ids.vehicleId}`;
    for (const form of ['HTML', 'RSC']) {
      const answer = answers.find((candidate) => candidate.what === `${carPage} (${form})`);
      expect(answer?.status, form).toBe(200);
      expect(answer?.body, form).toContain(a.label);
    }
    expect(answers.find((answer) => answer.what === `${carPage} (RSC)`)?.contentType).toMatch(
      /^text\/x-component/,
    );

    // PV-08: the boards and the shared page carry no position, neither as a field nor as a value.
    const positionFree = [
      `/vehicles/${a.ids.vehicleId}/leaderboard (HTML)`,
      `/vehicles/${a.ids.vehicleId}/leaderboard (RSC)`,
      `/join/${inviteToken} (HTML)`,
      `/join/${inviteToken} (RSC)`,
      `/s/${a.shareToken} (HTML)`,
      `/s/${a.shareToken} (RSC)`,
      `/api/vehicles/${a.ids.vehicleId}/leaderboard`,
    ];
    const coordinates = rowOf<{ n: number }>(
      'select count(*) as n from samples where vehicle_id = ? and latitude = 52.52',
      a.ids.vehicleId,
    );
    expect(coordinates.n).toBeGreaterThan(100);
    for (const what of positionFree) {
      const answer = answers.find((candidate) => candidate.what === what);
      expect(answer?.status, what).toBe(200);
      const body = answer?.body ?? '';
      expect(body, what).not.toMatch(
        /\\?"(lat|lng|lon|latitude|longitude|coordinates|position|positions|route|heading|geometry)\\?"\s*:/i,
      );
      expect(body, what).not.toMatch(COORDINATES);
    }
    // AC-16: nor does any other page that shows no map. The car's glance (its last place) and the
    // trip page (its route) do, which proves the check sees coordinates where they are.
    const mapPages = [`/vehicles/${a.ids.vehicleId}`, `/vehicles/${a.ids.vehicleId}/trips/${a.ids.tripId}`];
    for (const answer of answers.filter((candidate) => / \((HTML|RSC)\)$/.test(candidate.what))) {
      const page = answer.what.replace(/ \((HTML|RSC)\)$/, '');
      if (mapPages.includes(page)) continue;
      expect(answer.body, answer.what).not.toMatch(COORDINATES);
    }
    const glance = answers.find((candidate) => candidate.what === `/vehicles/${a.ids.vehicleId} (RSC)`);
    expect(glance?.body).toMatch(COORDINATES);

    // AC-17: A and B load their dashboard (which opens their car), car and leaderboard pages
    // concurrently, 50 times each, as HTML and as RSC in turn.
    const owners = [a, b] as const;
    const tasks = owners.flatMap((me, index) => {
      const other = owners[1 - index] as FullOwner;
      const urls = ['/', `/vehicles/${me.ids.vehicleId}`, `/vehicles/${me.ids.vehicleId}/leaderboard`];
      return urls.flatMap((url) => Array.from({ length: 50 }, (_, round) => ({ me, other, url, round })));
    });
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const { me, other, url, round } = tasks[next++] as (typeof tasks)[number];
        const rsc = round % 2 === 1;
        const response = await getAs(me.request, url, rsc);
        const where = `${me.label} ${url}${rsc ? ' (RSC)' : ''} #${round}`;
        const body = await response.text();
        if (url === '/') {
          // The dashboard opens the owner's car: a 307, or in RSC a redirect instruction.
          const target = rsc ? body : (response.headers().location ?? '');
          if (response.status() !== (rsc ? 200 : 307) || !target.includes(`/vehicles/${me.ids.vehicleId}`))
            failures.push(`${where}: ${response.status()} to ${target.slice(0, 200)}`);
          if (body.includes(other.ids.vehicleId)) failures.push(`${where}: names the other owner's car`);
          continue;
        }
        const cache = response.headers()['cache-control'] ?? '';
        if (response.status() !== 200) failures.push(`${where}: ${response.status()}`);
        if (!body.includes(me.label)) failures.push(`${where}: without its own canary`);
        if (body.includes(other.label) || body.includes(other.email))
          failures.push(`${where}: holds ${other.label}'s canary`);
        if (!/\bprivate\b/.test(cache) || !/\bno-store\b/.test(cache)) failures.push(`${where}: "${cache}"`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(tasks).toHaveLength(300);
    expect(failures).toEqual([]);
  } finally {
    await Promise.all([a.request.dispose(), b.request.dispose()]);
  }
});
