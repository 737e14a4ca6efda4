import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, expect, type PlaywrightWorkerArgs, test } from '@playwright/test';
import { apiSignIn, createUser, openDatabase, uniqueEmail } from '../support/accounts';
import { giveOwnerObjects } from '../support/owner-objects';
import { DRIVE_FIXTURE } from '../support/owners';
import { ID_ACTIONS, OTHER_ACTIONS } from '../support/route-registry';
import { NO_PROXY_URL, REPO_ROOT } from '../support/servers';

// Server Actions are public endpoints (docs/security-tests.md AC-05): anyone who knows an action's
// id can POST to it, whatever page it was written for. This suite reads every action of the build
// from its manifest (.next/server/server-reference-manifest.json) and calls each one by a direct
// POST with its `Next-Action` id and a form in React's wire format (what a browser sends):
//   - anonymously, with owner B's ids: every action that needs an owner fails, and nothing of B's changes;
//   - as owner A with B's ids, and with ids that do not exist: both end alike, and nothing of B's changes;
//   - as the owner, the same calls do change things: the refusals above are about who calls.
// It runs against the instance whose proxy does not redirect anonymous callers, so that only the
// action's own check stands between the caller and the data. B's data is read as rows of the
// database, not through B's API.

type ManifestEntry = { workers: Record<string, unknown>; filename: string; exportedName: string };
type Action = { id: string; name: string; page: string };

/** `<folder under app/>#<export>`, the registry's naming. */
function actionsOfBuild(): Action[] {
  const manifest = JSON.parse(
    readFileSync(path.join(REPO_ROOT, '.next', 'server', 'server-reference-manifest.json'), 'utf8'),
  ) as { node: Record<string, ManifestEntry> };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: `${path.dirname(entry.filename).replace(/^app\//, '')}#${entry.exportedName}`,
    page: Object.keys(entry.workers)[0] ?? '',
  }));
}

/** The sign-in and sign-up forms, and signing out one's own session: no owner needed. */
const PUBLIC_ACTIONS = new Set([
  '(auth)#signInWithPassword',
  '(auth)#signUpWithPassword',
  '(auth)#signInToDemo',
  '(auth)#signInWithMaker',
  '(dashboard)#signOutAction',
]);

type Ids = { vehicleId: string; groupId: string; linkId: string; accountId: string; token: string };
/** An action's arguments: a form (useActionState actions get a previous state first), or none. */
type Args = { state?: boolean; form?: Record<string, string> } | null;

/** The form each action's page would post, filled with the given ids. */
function argsFor(name: string, ids: Ids, email: string): Args {
  const car = { vehicleId: ids.vehicleId };
  const recipes: Record<string, Args> = {
    '(dashboard)/vehicles/[vehicleId]/leaderboard#joinPublicBoardsAction': { form: car },
    '(dashboard)/vehicles/[vehicleId]/leaderboard#leavePublicBoardsAction': { form: car },
    '(dashboard)/vehicles/[vehicleId]/leaderboard#renewPseudonymAction': { form: car },
    '(dashboard)/vehicles/[vehicleId]/leaderboard#createGroupAction': {
      state: true,
      form: { ...car, name: 'Intruders' },
    },
    '(dashboard)/vehicles/[vehicleId]/leaderboard#renewInviteAction': {
      state: true,
      form: { ...car, groupId: ids.groupId },
    },
    '(dashboard)/vehicles/[vehicleId]/leaderboard#leaveGroupAction': {
      form: { ...car, groupId: ids.groupId },
    },
    '(dashboard)/vehicles/[vehicleId]/leaderboard#joinGroupAction': { form: { ...car, token: ids.token } },
    '(dashboard)/vehicles/[vehicleId]/score#createShareLinkAction': {
      state: true,
      form: { ...car, expiry: 'never' },
    },
    '(dashboard)/vehicles/[vehicleId]/score#revokeShareLinkAction': { form: { ...car, linkId: ids.linkId } },
    '(dashboard)/settings/cars#linkVehiclesAction': {
      state: true,
      form: { accountId: ids.accountId, vehicle: 'VF3ACTION0000001' },
    },
    '(dashboard)/settings/cars#disconnectAction': {
      state: true,
      form: { accountId: ids.accountId, deleteData: 'on' },
    },
    '(dashboard)/settings/cars#connectV1CarAction': {
      state: true,
      form: { brand: 'peugeot', vin: 'VF3ACTION0000002', contract: 'ACTION-CONTRACT-1' },
    },
    '(dashboard)#signOutAction': null,
    '(dashboard)#signOutEverywhereAction': null,
    '(auth)#signInWithPassword': { state: true, form: { email, password: 'not the password at all' } },
    '(auth)#signUpWithPassword': { state: true, form: { email, password: 'a brand new passphrase' } },
    '(auth)#signInToDemo': null,
    '(auth)#signInWithMaker': { form: { brand: 'peugeot' } },
  };
  const args = recipes[name];
  if (args === undefined) throw new Error(`no recipe for the action ${name}`);
  return args;
}

/** The page an action belongs to, as a URL (its dynamic segments filled with the car's id). */
function pageUrl(page: string, vehicleId: string): string {
  const segments = page
    .replace(/^app\//, '')
    .replace(/\/?page$/, '')
    .split('/')
    .filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment))
    .map((segment) => (segment === '[vehicleId]' ? vehicleId : segment.replace(/^\[.*\]$/, 'x')));
  return `/${segments.join('/')}`;
}

type Outcome = { status: number; redirect: string; result: string };

/**
 * POSTs an action as the React client does: header `Next-Action`, a multipart body whose field `0`
 * is the argument list (`$K1` stands for the form, whose fields come first under the prefix `_1_`).
 */
async function invoke(request: APIRequestContext, action: Action, args: Args, vehicleId: string) {
  const body = new FormData();
  for (const [field, value] of Object.entries(args?.form ?? {})) body.append(`_1_${field}`, value);
  // Last, as React sends it: the server reads the list as soon as it arrives, so the form's fields
  // must already be there.
  const list = args === null ? [] : [...(args.state ? [{}] : []), '$K1'];
  body.append('0', JSON.stringify(list));
  const response = await request.post(pageUrl(action.page, vehicleId), {
    headers: { 'next-action': action.id, accept: 'text/x-component', origin: NO_PROXY_URL },
    multipart: body,
    maxRedirects: 0,
  });
  const text = await response.text();
  // The flight answer's row 0 names the row holding the action's result ("a": "$@<row>").
  const rows = new Map(
    text
      .split('\n')
      .map((line) => /^([0-9a-f]+):(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1] as string, match[2] as string]),
  );
  const head = /"a":"\$@([0-9a-f]+)"/.exec(rows.get('0') ?? '');
  return {
    status: response.status(),
    redirect: response.headers()['x-action-redirect'] ?? '',
    result: head ? (rows.get(head[1] as string) ?? '') : '',
  } satisfies Outcome;
}

/** An outcome with the ids it was given named rather than spelled out. */
function named(outcome: Outcome, ids: Ids): Outcome {
  const replace = (text: string) =>
    Object.entries(ids).reduce((acc, [key, id]) => (id ? acc.replaceAll(id, `{${key}}`) : acc), text);
  return { status: outcome.status, redirect: replace(outcome.redirect), result: replace(outcome.result) };
}

type Owner = { email: string; userId: string; request: APIRequestContext; ids: Ids };

async function ownerWithObjects(playwright: PlaywrightWorkerArgs['playwright'], tag: string): Promise<Owner> {
  const email = uniqueEmail(tag);
  await createUser(email, { baseUrl: NO_PROXY_URL });
  const request = await playwright.request.newContext({ baseURL: NO_PROXY_URL });
  await apiSignIn(request, email);
  const query = new URLSearchParams({
    vehicle: `ACTIONS-${tag}`,
    make: 'Seat',
    model: 'Leon',
    fuel: 'petrol',
    name: path.basename(DRIVE_FIXTURE),
  });
  const imported = await request.post(`/api/imports?${query}`, {
    data: readFileSync(DRIVE_FIXTURE),
    headers: { 'content-type': 'text/csv' },
  });
  expect(imported.ok(), await imported.text()).toBe(true);
  const { vehicleId } = (await imported.json()) as { vehicleId: string };
  const { accountId } = giveOwnerObjects(email, vehicleId, NO_PROXY_URL);
  const link = await request.post(`/api/vehicles/${vehicleId}/share-links`, { data: { expiresInDays: 30 } });
  expect(link.ok()).toBe(true);
  const linkId = ((await link.json()) as { link: { id: string } }).link.id;
  expect((await request.put(`/api/vehicles/${vehicleId}/leaderboard/listing`)).ok()).toBe(true);
  const db = openDatabase(NO_PROXY_URL);
  const { id: userId } = db.prepare('select id from users where email = ?').get(email) as { id: string };
  db.close();
  return { email, userId, request, ids: { vehicleId, groupId: '', linkId, accountId, token: '' } };
}

/** Every row of B's that an action could touch, read straight from the database. */
function rowsOf(owner: Owner): string {
  const db = openDatabase(NO_PROXY_URL);
  try {
    const id = owner.userId;
    const all = (sql: string, ...params: string[]) => db.prepare(sql).all(...params);
    return JSON.stringify({
      user: all('select id, email, name, password_hash, disabled_at, updated_at from users where id = ?', id),
      sessions: all('select id, created_at, expires_at from sessions where user_id = ? order by id', id),
      vehicles: all('select id, label, vin from vehicles where user_id = ? order by id', id),
      accounts: all(
        'select id, status, maker_subject, tokens from car_accounts where user_id = ? order by id',
        id,
      ),
      accountVehicles: all(
        'select * from car_account_vehicles where car_account_id in (select id from car_accounts where user_id = ?) order by vin',
        id,
      ),
      links: all('select * from share_links where owner_id = ? order by id', id),
      // Scores and bins move with the worker's standings; who is listed, and as whom, does not.
      listings: all(
        'select vehicle_id, owner_id, pseudonym, listed_at from leaderboard_listings where owner_id = ?',
        id,
      ),
      groups: all('select id, name, owner_id, invite_token_hash from driver_groups where owner_id = ?', id),
      members: all(
        `select group_id, vehicle_id, owner_id, pseudonym, joined_at from driver_group_members
         where owner_id = ? or group_id in (select id from driver_groups where owner_id = ?) order by group_id, vehicle_id`,
        id,
        id,
      ),
    });
  } finally {
    db.close();
  }
}

const countOf = (sql: string, id: string) => {
  const db = openDatabase(NO_PROXY_URL);
  try {
    return (db.prepare(sql).get(id) as { n: number }).n;
  } finally {
    db.close();
  }
};

/** The invite an owner's new group got, from createGroupAction's answer. */
function createdGroup(outcome: Outcome): { groupId: string; token: string } {
  const state = JSON.parse(outcome.result) as { groupId?: string; token?: string };
  if (!state.groupId || !state.token) throw new Error(`no group was created: ${outcome.result}`);
  return { groupId: state.groupId, token: state.token };
}

test('every Server Action of the build, POSTed directly: anonymous callers and other owners change nothing', async ({
  playwright,
}) => {
  test.setTimeout(180_000);
  const actions = actionsOfBuild();
  const byName = new Map(actions.map((action) => [action.name, action]));
  // The manifest and the registry name the same actions: none escapes this suite or the matrix.
  expect([...byName.keys()].sort()).toEqual([...ID_ACTIONS, ...OTHER_ACTIONS].sort());
  const action = (name: string) => {
    const found = byName.get(name);
    if (!found) throw new Error(`the build has no action ${name}`);
    return found;
  };
  const createGroup = action('(dashboard)/vehicles/[vehicleId]/leaderboard#createGroupAction');

  const [a, b] = await Promise.all([ownerWithObjects(playwright, 'a'), ownerWithObjects(playwright, 'b')]);
  // Each owner makes a group through the action itself: the owner's own call does change things.
  const groupsOfB = `select count(*) as n from driver_groups where owner_id = ?`;
  expect(countOf(groupsOfB, b.userId)).toBe(0);
  Object.assign(
    b.ids,
    createdGroup(
      await invoke(b.request, createGroup, argsFor(createGroup.name, b.ids, b.email), b.ids.vehicleId),
    ),
  );
  expect(countOf(groupsOfB, b.userId)).toBe(1);
  const ofA = createdGroup(
    await invoke(a.request, createGroup, argsFor(createGroup.name, a.ids, a.email), a.ids.vehicleId),
  );
  // A's own invite, offered with B's car: joining B's car into A's group must fail too.
  b.ids.token = ofA.token;
  const before = rowsOf(b);

  const anonymous = await playwright.request.newContext({ baseURL: NO_PROXY_URL });
  for (const { name } of actions) {
    const outcome = await invoke(anonymous, action(name), argsFor(name, b.ids, b.email), b.ids.vehicleId);
    if (!PUBLIC_ACTIONS.has(name)) {
      // requireApiUser() threw: an error answer, no result, no redirect anywhere.
      expect(outcome.status, `${name} anonymous: ${outcome.result}`).toBe(500);
      expect(outcome.result, name).toMatch(/^E\{/);
      expect(outcome.redirect, name).toBe('');
    }
    expect(rowsOf(b), `B's rows after ${name}, anonymous`).toBe(before);
  }

  // A with B's ids, then with ids of nothing: the same answer, B unchanged. Signing out comes
  // last: it ends A's session.
  const last = ['(dashboard)#signOutAction', '(dashboard)#signOutEverywhereAction'];
  const order = [...actions.filter(({ name }) => !last.includes(name)), ...last.map(action)];
  for (const { name } of order) {
    const foreign = named(
      await invoke(a.request, action(name), argsFor(name, b.ids, a.email), b.ids.vehicleId),
      b.ids,
    );
    expect(rowsOf(b), `B's rows after ${name} as A`).toBe(before);
    if (!(ID_ACTIONS as readonly string[]).includes(name)) continue;
    const missingIds: Ids = {
      vehicleId: randomUUID(),
      groupId: randomUUID(),
      linkId: randomUUID(),
      accountId: randomUUID(),
      token: ofA.token,
    };
    const missing = named(
      await invoke(a.request, action(name), argsFor(name, missingIds, a.email), missingIds.vehicleId),
      missingIds,
    );
    expect(foreign, `${name}: B's ids and missing ones end alike`).toEqual(missing);
    expect(foreign.status, name).toBeLessThan(500);
  }
  // A's session is over now: the same call is refused like an anonymous one.
  const afterSignOut = await invoke(
    a.request,
    action('(dashboard)/vehicles/[vehicleId]/score#createShareLinkAction'),
    argsFor('(dashboard)/vehicles/[vehicleId]/score#createShareLinkAction', a.ids, a.email),
    a.ids.vehicleId,
  );
  expect(afterSignOut.status).toBe(500);

  // B's own call with the same recipe works: a new link.
  const linksOfB = `select count(*) as n from share_links where owner_id = ? and revoked_at is null`;
  const linksBefore = countOf(linksOfB, b.userId);
  const created = await invoke(
    b.request,
    action('(dashboard)/vehicles/[vehicleId]/score#createShareLinkAction'),
    argsFor('(dashboard)/vehicles/[vehicleId]/score#createShareLinkAction', b.ids, b.email),
    b.ids.vehicleId,
  );
  expect(created.result).toMatch(/"token":"/);
  expect(countOf(linksOfB, b.userId)).toBe(linksBefore + 1);
  await Promise.all([a.request.dispose(), b.request.dispose(), anonymous.dispose()]);
});
