// Every page and API route that needs a signed-in owner. The access-control suites walk this
// list: e2e/api/anonymous-access.spec.ts (anonymous callers, in every request shape) and
// e2e/api/owner-matrix.spec.ts (every entry with an id in its path or query, as another owner and
// with ids that do not exist). test/route-registry.test.ts fails when app/ has a page or route
// this file does not name.

export const PROTECTED_PAGES = [
  '/',
  '/settings',
  '/vehicles/{vehicleId}',
  '/vehicles/{vehicleId}/telemetry',
  '/vehicles/{vehicleId}/maintenance',
  '/vehicles/{vehicleId}/charging',
  '/vehicles/{vehicleId}/charging/{chargeId}',
  '/vehicles/{vehicleId}/trips/{tripId}',
  '/vehicles/{vehicleId}/score',
  '/vehicles/{vehicleId}/leaderboard',
  '/join/{token}',
  '/trips',
  '/alerts',
  '/import',
  '/settings/cars',
  '/settings/cars/{accountId}',
  '/settings/cars/{accountId}/vehicles',
];

export type ApiRoute = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** A valid query string (after `?`; `{vehicleId}` filled like the path), so that a refusal is about the ids. */
  query?: string;
  /** A valid JSON body, for the same reason. */
  body?: unknown;
};

/** A range the telemetry routes accept (within their 5-year limit). */
export const RANGE = 'from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z';

export const PROTECTED_API: ApiRoute[] = [
  { method: 'GET', path: '/api/vehicles' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/glance' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/telemetry', query: `metrics=speed&${RANGE}&width=200` },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/telemetry/marks', query: RANGE },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/maintenance' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/maintenance.ics' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/trips/{tripId}' },
  { method: 'PUT', path: '/api/vehicles/{vehicleId}/trips/{tripId}/tag', body: { tag: 'business' } },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/charging/{chargeId}' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/score' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/leaderboard' },
  { method: 'PUT', path: '/api/vehicles/{vehicleId}/leaderboard/listing' },
  { method: 'DELETE', path: '/api/vehicles/{vehicleId}/leaderboard/listing' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/share-links' },
  { method: 'POST', path: '/api/vehicles/{vehicleId}/share-links', body: { expiresInDays: null } },
  { method: 'DELETE', path: '/api/vehicles/{vehicleId}/share-links/{linkId}' },
  { method: 'GET', path: '/api/trips', query: 'vehicleId={vehicleId}' },
  { method: 'GET', path: '/api/trips/export.csv', query: 'vehicleId={vehicleId}' },
  { method: 'GET', path: '/api/charging', query: 'vehicleId={vehicleId}' },
  { method: 'GET', path: '/api/alerts', query: 'vehicleId={vehicleId}' },
  { method: 'GET', path: '/api/alerts/summary' },
  { method: 'POST', path: '/api/alerts/{alertId}/acknowledge' },
  { method: 'GET', path: '/api/account' },
  { method: 'PATCH', path: '/api/account' },
  { method: 'DELETE', path: '/api/account' },
  { method: 'GET', path: '/api/account/export' },
  { method: 'POST', path: '/api/imports' },
  { method: 'GET', path: '/api/car-accounts' },
  { method: 'GET', path: '/api/car-accounts/{accountId}' },
  { method: 'DELETE', path: '/api/car-accounts/{accountId}' },
];

/**
 * Pages and routes anyone may call, each for a reason: signing in and up, the public methodology
 * and shared pages (their token is the only key), health checks, the maker's webhooks (signed),
 * the car-account redirects (they send anonymous callers to /login themselves) and the API's 404
 * for unknown paths. test/route-registry.test.ts fails when app/ gains a page or route that is in
 * neither list.
 */
export const PUBLIC_PAGES = ['/login', '/signup', '/methodology', '/s/{token}'];

export const PUBLIC_API: ApiRoute[] = [
  { method: 'GET', path: '/api/health' },
  { method: 'GET', path: '/api/auth/{...nextauth}' },
  { method: 'POST', path: '/api/auth/{...nextauth}' },
  { method: 'POST', path: '/api/webhooks/psa' },
  { method: 'GET', path: '/api/car-accounts/connect/{brand}' },
  { method: 'GET', path: '/api/car-accounts/callback/{brand}' },
  { method: 'GET', path: '/api/{...path}' },
  { method: 'POST', path: '/api/{...path}' },
  { method: 'PUT', path: '/api/{...path}' },
  { method: 'PATCH', path: '/api/{...path}' },
  { method: 'DELETE', path: '/api/{...path}' },
];

/** Puts an id in every placeholder (anonymous checks need no real account: any id is refused). */
export function fill(path: string, id: string): string {
  return path.replaceAll(/\{(vehicleId|accountId|tripId|chargeId|alertId|linkId|token)\}/g, id);
}

export type Ids = Record<'vehicleId' | 'tripId' | 'chargeId' | 'alertId' | 'accountId' | 'linkId', string>;

/** Puts each object's own id in its placeholder. */
export function fillIds(template: string, ids: Ids): string {
  return template.replaceAll(/\{(\w+)\}/g, (whole, name: string) =>
    name in ids ? encodeURIComponent(ids[name as keyof Ids]) : whole,
  );
}

/** Whether a page or route takes an object id (in its path, or its query for the lists). */
export const takesId = (template: string) => /\{\w+\}/.test(template);

/**
 * Server actions (every `'use server'` module of app/, as `<folder>#<export>`). Those that take an object id in
 * their form are proven by test/server-action-matrix.test.ts (another owner's ids change nothing
 * and answer like missing ones); the others take none. test/route-registry.test.ts fails when an
 * action is in neither list.
 */
export const ID_ACTIONS = [
  '(dashboard)/vehicles/[vehicleId]/leaderboard#joinPublicBoardsAction',
  '(dashboard)/vehicles/[vehicleId]/leaderboard#leavePublicBoardsAction',
  '(dashboard)/vehicles/[vehicleId]/leaderboard#renewPseudonymAction',
  '(dashboard)/vehicles/[vehicleId]/leaderboard#createGroupAction',
  '(dashboard)/vehicles/[vehicleId]/leaderboard#renewInviteAction',
  '(dashboard)/vehicles/[vehicleId]/leaderboard#leaveGroupAction',
  '(dashboard)/vehicles/[vehicleId]/leaderboard#joinGroupAction',
  '(dashboard)/vehicles/[vehicleId]/score#createShareLinkAction',
  '(dashboard)/vehicles/[vehicleId]/score#revokeShareLinkAction',
  '(dashboard)/settings/cars#linkVehiclesAction',
  '(dashboard)/settings/cars#disconnectAction',
] as const;

export const OTHER_ACTIONS = [
  '(dashboard)#signOutAction',
  '(dashboard)#signOutEverywhereAction',
  // Links a car by VIN and contract for the signed-in owner (no object id of Kinetic's).
  '(dashboard)/settings/cars#connectV1CarAction',
  // The sign-in and sign-up forms (no session yet, no object id).
  '(auth)#signInWithPassword',
  '(auth)#signUpWithPassword',
  '(auth)#signInToDemo',
  '(auth)#signInWithMaker',
];
