import type { IncomingMessage } from 'node:http';

// The `hostile_names` fault: the maker's cloud names the car with markup and an SQL fragment, as a
// compromised or careless upstream could (security-tests.md IN-06: upstream data is untrusted
// input). The fault layer marks the request; the v4 vehicle resources read the mark when they name
// the car (`label`, and `branding.label`).

/** Script-carrying markup and an SQL injection string in one name. */
export const HOSTILE_VEHICLE_NAME = `<img src=x onerror=alert(1)> '; DROP TABLE trips;--`;

const marked = new WeakSet<IncomingMessage>();

export function markHostileNames(request: IncomingMessage): void {
  marked.add(request);
}

/** The name this request's answer gives the car instead of its model, or null for a genuine answer. */
export function hostileVehicleName(request: IncomingMessage): string | null {
  return marked.has(request) ? HOSTILE_VEHICLE_NAME : null;
}
