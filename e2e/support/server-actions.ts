import { readFileSync } from 'node:fs';
import path from 'node:path';

// Calling Server Actions the way a browser does, by a direct POST: the actions of a build (from its
// manifest), a form recipe for each, and React's wire format for the request and the answer. Used
// by e2e/api/server-actions.spec.ts (AC-05) and test/long/auth-over-http.long-test.ts (AC-10).

type ManifestEntry = { workers: Record<string, unknown>; filename: string; exportedName: string };
export type Action = { id: string; name: string; page: string };

/** `<folder under app/>#<export>`, the registry's naming. */
export function actionsOfBuild(root: string): Action[] {
  const manifest = JSON.parse(
    readFileSync(path.join(root, '.next', 'server', 'server-reference-manifest.json'), 'utf8'),
  ) as { node: Record<string, ManifestEntry> };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: `${path.dirname(entry.filename).replace(/^app\//, '')}#${entry.exportedName}`,
    page: Object.keys(entry.workers)[0] ?? '',
  }));
}

/** The sign-in and sign-up forms, and signing out one's own session: no owner needed. */
export const PUBLIC_ACTIONS = new Set([
  '(auth)#signInWithPassword',
  '(auth)#signUpWithPassword',
  '(auth)#signInToDemo',
  '(auth)#signInWithMaker',
  '(dashboard)#signOutAction',
]);

export type ActionIds = {
  vehicleId: string;
  groupId: string;
  linkId: string;
  accountId: string;
  token: string;
};
/** An action's arguments: a form (useActionState actions get a previous state first), or none. */
export type Args = { state?: boolean; form?: Record<string, string> } | null;

/** The form each action's page would post, filled with the given ids. */
export function argsFor(name: string, ids: ActionIds, email: string): Args {
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
export function pageUrl(page: string, vehicleId: string): string {
  const segments = page
    .replace(/^app\//, '')
    .replace(/\/?page$/, '')
    .split('/')
    .filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment))
    .map((segment) => (segment === '[vehicleId]' ? vehicleId : segment.replace(/^\[.*\]$/, 'x')));
  return `/${segments.join('/')}`;
}

export type Outcome = { status: number; redirect: string; result: string };

/**
 * The request for an action as the React client sends it: header `Next-Action`, a multipart body
 * whose field `0` is the argument list (`$K1` stands for the form, whose fields come first under
 * the prefix `_1_`), posted to the action's page.
 */
export function actionRequest(action: Action, args: Args, vehicleId: string, origin: string) {
  const body = new FormData();
  for (const [field, value] of Object.entries(args?.form ?? {})) body.append(`_1_${field}`, value);
  // Last, as React sends it: the server reads the list as soon as it arrives, so the form's fields
  // must already be there.
  const list = args === null ? [] : [...(args.state ? [{}] : []), '$K1'];
  body.append('0', JSON.stringify(list));
  return {
    path: pageUrl(action.page, vehicleId),
    headers: { 'next-action': action.id, accept: 'text/x-component', origin },
    body,
  };
}

/** How an action call ended: the status, where it redirects, and the action's own result row. */
export function actionOutcome(status: number, redirect: string | null | undefined, text: string): Outcome {
  // The flight answer's row 0 names the row holding the action's result ("a": "$@<row>").
  const rows = new Map(
    text
      .split('\n')
      .map((line) => /^([0-9a-f]+):(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1] as string, match[2] as string]),
  );
  const head = /"a":"\$@([0-9a-f]+)"/.exec(rows.get('0') ?? '');
  return { status, redirect: redirect ?? '', result: head ? (rows.get(head[1] as string) ?? '') : '' };
}
