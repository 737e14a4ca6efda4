import 'server-only';
import type { TripRow } from '../db/queries/trips';

// The interfaces.md `trips --json` item of a stored trip, shared by the CLI and the API (which adds
// the owner's tag and the car's label). What the data cannot give is null.

export type TripJson = ReturnType<typeof tripJson>;

export function tripJson(trip: TripRow) {
  const distance = trip.distance_km;
  const consumption =
    distance && distance > 0
      ? trip.fuel_used_l !== null && trip.fuel_used_l > 0
        ? { value: (trip.fuel_used_l / distance) * 100, unit: 'L/100km' }
        : trip.energy_used_kwh !== null && trip.energy_used_kwh > 0
          ? { value: (trip.energy_used_kwh / distance) * 100, unit: 'kWh/100km' }
          : null
      : null;
  return {
    id: trip.id,
    vehicleId: trip.vehicle_id,
    startedAt: new Date(trip.started_at).toISOString(),
    endedAt: trip.ended_at === null ? null : new Date(trip.ended_at).toISOString(),
    distanceKm: trip.distance_km,
    durationS: trip.duration_s,
    movingS: trip.moving_s,
    idleS: trip.idle_s,
    avgSpeedKmh: trip.avg_speed_kmh,
    maxSpeedKmh: trip.max_speed_kmh,
    fuelUsedL: trip.fuel_used_l,
    energyUsedKwh: trip.energy_used_kwh,
    avgConsumption: consumption,
    events: trip.events === null ? [] : (JSON.parse(trip.events) as unknown[]),
  };
}
