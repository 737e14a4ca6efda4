import 'server-only';
import type { Kysely } from 'kysely';
import { standingOf } from '../db/queries/driver-standing';
import { refreshStaleStandings } from '../db/queries/standings';
import { scorePendingTrips } from '../db/queries/trip-scores';
import { getVehicleByLabel, listVehicles } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import type { DrivingEventJson } from '../scoring/events';
import type { ComponentScores } from '../scoring/trip-score';
import { CommandError, type CommandResult, parseOrUsage, z } from './output';
import { ownerOrFail } from './vehicle-data-commands';

// `scores --owner <email> [--vehicle <label>]` (interfaces.md › Command line): the owner's scored
// trips and where the car stands over the last 30 days. Trips still waiting for their score (any
// car's: the peers count too) are scored first, so the answer is current whether or not the
// worker runs. Without --vehicle: every
// car's trips, and the standing of the owner's first car (the one the dashboard opens on).

const scoresOptions = z.object({
  owner: z.string().min(1),
  vehicle: z.string().min(1).max(100).optional(),
});

const SCORING_ROUND = 500;
const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

function roundedComponents(components: ComponentScores) {
  return Object.fromEntries(Object.entries(components).map(([name, value]) => [name, oneDecimal(value)]));
}

async function scoredTrips(db: Kysely<Database>, vehicleIds: readonly string[]) {
  if (vehicleIds.length === 0) return [];
  const rows = await db
    .selectFrom('trip_scores')
    .innerJoin('trips', 'trips.id', 'trip_scores.trip_id')
    .select([
      'trips.id',
      'trips.started_at',
      'trips.events',
      'trip_scores.distance_km',
      'trip_scores.score',
      'trip_scores.components',
    ])
    .where('trip_scores.vehicle_id', 'in', vehicleIds)
    .orderBy('trips.started_at')
    .orderBy('trips.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    startedAt: new Date(Number(row.started_at)).toISOString(),
    distanceKm: row.distance_km,
    score: oneDecimal(row.score),
    components: roundedComponents(JSON.parse(row.components) as ComponentScores),
    events: row.events === null ? [] : (JSON.parse(row.events) as DrivingEventJson[]),
  }));
}

export async function scoresCommand(
  db: Kysely<Database>,
  options: Record<string, unknown>,
  now = Date.now(),
): Promise<CommandResult> {
  const input = parseOrUsage(scoresOptions, options);
  const owner = await ownerOrFail(db, input.owner);
  let vehicles = await listVehicles(db, owner.id);
  if (input.vehicle) {
    const vehicle = await getVehicleByLabel(db, owner.id, input.vehicle);
    if (!vehicle)
      throw new CommandError('not_found', `${input.owner} has no vehicle labelled ${input.vehicle}.`);
    vehicles = [vehicle];
  }
  const vehicleIds = vehicles.map((vehicle) => vehicle.id);
  // Every car's pending trips, not only the owner's: the rank compares with the peers' scores too.
  while ((await scorePendingTrips(db, { limit: SCORING_ROUND, now })) === SCORING_ROUND) {}
  while ((await refreshStaleStandings(db, { now, limit: SCORING_ROUND })) === SCORING_ROUND) {}

  const trips = await scoredTrips(db, vehicleIds);
  const first = vehicles[0];
  const standing = first ? await standingOf(db, first, now) : null;
  const period =
    standing?.eligible === true
      ? {
          score: oneDecimal(standing.period.score),
          percentile: oneDecimal(standing.percentile),
          group: standing.group.label,
          groupSize: standing.groupSize,
        }
      : { score: null, percentile: null, group: null, groupSize: null };
  const rated = trips.filter((trip) => trip.score !== null).length;
  const text =
    `${trips.length} scored trip(s), ${rated} rated.` +
    (period.score === null
      ? ' Not ranked yet (at least 100 km and 5 rated trips in the last 30 days).'
      : ` Last 30 days: ${period.score}, better than ${period.percentile}% of ${period.groupSize} in ${period.group}.`);
  return { json: { trips, period }, text };
}
