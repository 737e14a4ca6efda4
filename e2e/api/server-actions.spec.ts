import { randomUUID } from 'node:crypto';
import { type APIRequestContext, expect, type PlaywrightWorkerArgs, test } from '@playwright/test';
import { apiSignIn, createUser, openDatabase, uniqueEmail } from '../support/accounts';
import { giveOwnerObjects } from '../support/owner-objects';
import { importFixtureDrive } from '../support/owners';
import { ID_ACTIONS, OTHER_ACTIONS } from '../support/route-registry';
import {
  type Action,
  type ActionIds,
  type Args,
  actionOutcome,
  actionRequest,
  actionsOfBuild,
  argsFor,
  type Outcome,
  PUBLIC_ACTIONS,
} from '../support/server-actions';
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

/** POSTs an action as a browser does (e2e/support/server-actions.ts). */
async function invoke(request: APIRequestContext, action: Action, args: Args, vehicleId: string) {
  const { path: url, headers, body } = actionRequest(action, args, vehicleId, NO_PROXY_URL);
  const response = await request.post(url, { headers, multipart: body, maxRedirects: 0 });
  return actionOutcome(response.status(), response.headers()['x-action-redirect'], await response.text());
}

/** An outcome with the ids it was given named rather than spelled out. */
function named(outcome: Outcome, ids: ActionIds): Outcome {
  const replace = (text: string) =>
    Object.entries(ids).reduce((acc, [key, id]) => (id ? acc.replaceAll(id, `{${key}}`) : acc), text);
  return { status: outcome.status, redirect: replace(outcome.redirect), result: replace(outcome.result) };
}

type Owner = { email: string; userId: string; request: APIRequestContext; ids: ActionIds };

async function ownerWithObjects(playwright: PlaywrightWorkerArgs['playwright'], tag: string): Promise<Owner> {
  const email = uniqueEmail(tag);
  await createUser(email, { baseUrl: NO_PROXY_URL });
  const request = await playwright.request.newContext({ baseURL: NO_PROXY_URL });
  await apiSignIn(request, email);
  const { vehicleId } = await importFixtureDrive(request, `ACTIONS-${tag}`);
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
  const actions = actionsOfBuild(REPO_ROOT);
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
    const missingIds: ActionIds = {
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
