// Every page and API route that needs a signed-in owner. The access-control suite walks this
// list; a new protected page or route belongs here (and routes taking an object id also in
// ID_ROUTES) so that it is proven to refuse anonymous and foreign callers.

export const PROTECTED_PAGES = [
  '/',
  '/settings',
  '/vehicles/{vehicleId}',
  '/import',
  '/settings/cars',
  '/settings/cars/{accountId}',
  '/settings/cars/{accountId}/vehicles',
];

export const PROTECTED_API: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string }[] = [
  { method: 'GET', path: '/api/vehicles' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}' },
  { method: 'GET', path: '/api/account' },
  { method: 'PATCH', path: '/api/account' },
  { method: 'POST', path: '/api/imports' },
  { method: 'GET', path: '/api/car-accounts' },
  { method: 'GET', path: '/api/car-accounts/{accountId}' },
  { method: 'DELETE', path: '/api/car-accounts/{accountId}' },
];

export const ID_ROUTES = [
  '/api/vehicles/{vehicleId}',
  '/vehicles/{vehicleId}',
  '/api/car-accounts/{accountId}',
  '/settings/cars/{accountId}',
  '/settings/cars/{accountId}/vehicles',
];

/** Puts an id in every placeholder (anonymous checks need no real account: any id is refused). */
export function fill(path: string, id: string): string {
  return path.replace('{vehicleId}', id).replace('{accountId}', id);
}
