// The cookie that remembers the owner's last opened vehicle (set by <RememberVehicle>, read by the
// overview page to redirect to it). Client-safe: only names and numbers.

export const LAST_VEHICLE_COOKIE = 'kinetic-vehicle';
/** A year: the choice outlives sessions, and an id that is no longer the owner's is ignored. */
export const LAST_VEHICLE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** The vehicle to open: the remembered one when it is still the owner's, else the first. */
export function vehicleToOpen<V extends { id: string }>(
  vehicles: readonly V[],
  remembered: string | undefined,
) {
  return vehicles.find((vehicle) => vehicle.id === remembered) ?? vehicles[0] ?? null;
}
