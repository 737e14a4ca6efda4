import 'server-only';
import type { TripDto, TripEventDto } from '../schemas/trips';
import type { OwnerTripRow } from './list';
import { tripJson } from './trip-json';

/** The API's trip: the CLI's item (lib/trips/trip-json.ts) plus the car's label and the tag. */
export function toTripDto(row: OwnerTripRow): TripDto {
  const { vehicle_label, tag, ...trip } = row;
  const base = tripJson(trip);
  return { ...base, events: base.events as TripEventDto[], vehicleLabel: vehicle_label, tag };
}
