// Every page and API route that needs a signed-in owner. The access-control suite walks this
// list; a new protected page or route belongs here (and routes taking an object id also in
// ID_ROUTES) so that it is proven to refuse anonymous and foreign callers.

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

export const PROTECTED_API: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string }[] = [
  { method: 'GET', path: '/api/vehicles' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/glance' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/telemetry' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/telemetry/marks' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/maintenance' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/maintenance.ics' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/trips/{tripId}' },
  { method: 'PUT', path: '/api/vehicles/{vehicleId}/trips/{tripId}/tag' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/charging/{chargeId}' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/score' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/leaderboard' },
  { method: 'PUT', path: '/api/vehicles/{vehicleId}/leaderboard/listing' },
  { method: 'DELETE', path: '/api/vehicles/{vehicleId}/leaderboard/listing' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}/share-links' },
  { method: 'POST', path: '/api/vehicles/{vehicleId}/share-links' },
  { method: 'DELETE', path: '/api/vehicles/{vehicleId}/share-links/{linkId}' },
  { method: 'GET', path: '/api/trips' },
  { method: 'GET', path: '/api/trips/export.csv' },
  { method: 'GET', path: '/api/charging' },
  { method: 'GET', path: '/api/alerts' },
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

export const PUBLIC_API: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string }[] = [
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

export const ID_ROUTES = [
  '/api/vehicles/{vehicleId}',
  '/api/vehicles/{vehicleId}/glance',
  '/api/vehicles/{vehicleId}/telemetry',
  '/api/vehicles/{vehicleId}/telemetry/marks',
  '/api/vehicles/{vehicleId}/maintenance',
  '/api/vehicles/{vehicleId}/maintenance.ics',
  '/vehicles/{vehicleId}',
  '/vehicles/{vehicleId}/telemetry',
  '/vehicles/{vehicleId}/maintenance',
  '/vehicles/{vehicleId}/charging',
  '/api/car-accounts/{accountId}',
  '/settings/cars/{accountId}',
  '/settings/cars/{accountId}/vehicles',
];

/** Puts an id in every placeholder (anonymous checks need no real account: any id is refused). */
export function fill(path: string, id: string): string {
  return path.replaceAll(/\{(vehicleId|accountId|tripId|chargeId|alertId|linkId|token)\}/g, id);
}
