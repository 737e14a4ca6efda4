// Every page and API route that needs a signed-in owner. The access-control suite walks this
// list; a new protected page or route belongs here (and routes taking an object id also in
// ID_ROUTES) so that it is proven to refuse anonymous and foreign callers.

export const PROTECTED_PAGES = ['/', '/settings', '/vehicles/{vehicleId}'];

export const PROTECTED_API: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; path: string }[] = [
  { method: 'GET', path: '/api/vehicles' },
  { method: 'GET', path: '/api/vehicles/{vehicleId}' },
  { method: 'GET', path: '/api/account' },
  { method: 'PATCH', path: '/api/account' },
];

export const ID_ROUTES = ['/api/vehicles/{vehicleId}', '/vehicles/{vehicleId}'];

export function fill(path: string, vehicleId: string): string {
  return path.replace('{vehicleId}', vehicleId);
}
