import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { MAX_TRIPS_PAGE } from '../schemas/trips';
import { listOwnerTrips, type OwnerTripFilter, type OwnerTripRow } from './list';

// CSV export of the owner's filtered trips (RFC 4180: comma, CRLF, fields with a comma, quote or
// line break quoted and their quotes doubled). Produced page by page through the same keyset list
// as the dashboard, so a year of trips never sits in memory. Metric, units in the header; times in
// ISO 8601 UTC so a spreadsheet in any zone reads the same instant.
//
// Formula injection: a text cell a spreadsheet would run as a formula (starting with = + - @, or
// a tab or carriage return, OWASP's list) gets a leading apostrophe. Only text goes through the
// guard: numbers are written by us from numbers, and a negative one must stay a number.

export const TRIPS_CSV_HEADER = [
  'Trip ID',
  'Vehicle',
  'Started (UTC)',
  'Ended (UTC)',
  'Distance (km)',
  'Duration (s)',
  'Moving (s)',
  'Idle (s)',
  'Average speed (km/h)',
  'Max speed (km/h)',
  'Fuel used (L)',
  'Energy used (kWh)',
  'Fuel consumption (L/100km)',
  'Energy consumption (kWh/100km)',
  'Events',
  'Tag',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One text cell: guarded against formulas, then quoted when RFC 4180 needs it. */
export function csvText(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** One number cell (empty when unknown), rounded to `decimals`. */
export function csvNumber(value: number | null, decimals: number): string {
  if (value === null || !Number.isFinite(value)) return '';
  const factor = 10 ** decimals;
  return String(Math.round(value * factor) / factor);
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

function consumption(used: number | null, distanceKm: number | null): number | null {
  return used !== null && used > 0 && distanceKm !== null && distanceKm > 0
    ? (used / distanceKm) * 100
    : null;
}

export function tripCsvLine(trip: OwnerTripRow): string {
  const events = trip.events === null ? 0 : (JSON.parse(trip.events) as unknown[]).length;
  return csvLine([
    csvText(trip.id),
    csvText(trip.vehicle_label),
    iso(trip.started_at),
    iso(trip.ended_at),
    csvNumber(trip.distance_km, 3),
    csvNumber(trip.duration_s, 0),
    csvNumber(trip.moving_s, 0),
    csvNumber(trip.idle_s, 0),
    csvNumber(trip.avg_speed_kmh, 1),
    csvNumber(trip.max_speed_kmh, 1),
    csvNumber(trip.fuel_used_l, 3),
    csvNumber(trip.energy_used_kwh, 3),
    csvNumber(consumption(trip.fuel_used_l, trip.distance_km), 2),
    // Same rule as the trip item (lib/trips/trip-json.ts): energy only when no fuel was burnt.
    csvNumber(
      trip.fuel_used_l !== null && trip.fuel_used_l > 0
        ? null
        : consumption(trip.energy_used_kwh, trip.distance_km),
      2,
    ),
    String(events),
    trip.tag === null ? '' : csvText(trip.tag),
  ]);
}

/** The header line, then one line per trip of the filter, newest first, read a page at a time. */
export async function* tripsCsv(
  db: Kysely<Database>,
  userId: string,
  filter: OwnerTripFilter,
  pageSize: number = MAX_TRIPS_PAGE,
): AsyncGenerator<string> {
  yield csvLine(TRIPS_CSV_HEADER.map(csvText));
  let cursor: string | null = null;
  do {
    const page = await listOwnerTrips(db, userId, { ...filter, cursor, limit: pageSize });
    for (const trip of page.trips) yield tripCsvLine(trip);
    cursor = page.nextCursor;
  } while (cursor !== null);
}
