import 'server-only';
import { type Kysely, sql } from 'kysely';
import { PRIVACY_STATES, type PrivacyState, type VehicleSnapshot } from '../../telemetry/model';
import type { Database } from '../schema';
import { storable } from './sample-upsert';

// The latest range and privacy mode per vehicle (migration 0007). Each fact is replaced only by a
// value the car measured at the same instant or later: a status fetched late, a batch replayed or
// delivered shuffled never turns a newer range or privacy state back into an older one. The two
// facts are independent — a snapshot with only a privacy state leaves the range as it was.

export type StoredSnapshot = {
  rangeKm: number | null;
  rangeAt: number | null;
  privacy: PrivacyState | null;
  privacyAt: number | null;
};

type Latest<T> = { value: T; at: number } | null;

/** The batch's newest value of one fact; of two measured at the same instant, the later in the list. */
function latestOf<T>(snapshots: readonly VehicleSnapshot[], pick: (s: VehicleSnapshot) => T | undefined) {
  let latest: Latest<T> = null;
  for (const snapshot of snapshots) {
    const value = pick(snapshot);
    if (value !== undefined && (latest === null || snapshot.at >= latest.at)) {
      latest = { value, at: snapshot.at };
    }
  }
  return latest;
}

/** `excluded.<fact>` when the incoming instant is as new as the stored one or newer, else the stored. */
const newer = <T>(value: string, at: string) =>
  sql.raw<T>(
    `case when excluded.${at} is not null and (vehicle_snapshots.${at} is null or excluded.${at} >= vehicle_snapshots.${at}) then excluded.${value} else vehicle_snapshots.${value} end`,
  );

/** Stores a validated batch's snapshots in the caller's transaction (vehicle-data.ts). */
export async function upsertVehicleSnapshots(
  trx: Kysely<Database>,
  vehicleId: string,
  snapshots: readonly VehicleSnapshot[],
): Promise<void> {
  const range = latestOf(snapshots, (s) => s.rangeKm);
  const privacy = latestOf(snapshots, (s) => s.privacy);
  if (range === null && privacy === null) return;
  await trx
    .insertInto('vehicle_snapshots')
    .values({
      vehicle_id: vehicleId,
      range_km: range ? Number(storable(range.value)) : null,
      range_at: range?.at ?? null,
      privacy: privacy?.value ?? null,
      privacy_at: privacy?.at ?? null,
    })
    .onConflict((oc) =>
      // Values first: each `case` must read the stored instant before it is replaced.
      oc.column('vehicle_id').doUpdateSet({
        range_km: newer<number | null>('range_km', 'range_at'),
        range_at: newer<number | null>('range_at', 'range_at'),
        privacy: newer<string | null>('privacy', 'privacy_at'),
        privacy_at: newer<number | null>('privacy_at', 'privacy_at'),
      }),
    )
    .execute();
}

const isPrivacyState = (value: string | null): value is PrivacyState =>
  value !== null && (PRIVACY_STATES as readonly string[]).includes(value);

/** The owner's vehicle's latest range and privacy state; null when none is stored (or not theirs). */
export async function readVehicleSnapshot(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
): Promise<StoredSnapshot | null> {
  const row = await db
    .selectFrom('vehicle_snapshots')
    .innerJoin('vehicles', 'vehicles.id', 'vehicle_snapshots.vehicle_id')
    .select([
      'vehicle_snapshots.range_km',
      'vehicle_snapshots.range_at',
      'vehicle_snapshots.privacy',
      'vehicle_snapshots.privacy_at',
    ])
    .where('vehicles.user_id', '=', ownerId)
    .where('vehicle_snapshots.vehicle_id', '=', vehicleId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    rangeKm: row.range_km === null ? null : Number(row.range_km),
    rangeAt: row.range_at === null ? null : Number(row.range_at),
    privacy: isPrivacyState(row.privacy) ? row.privacy : null,
    privacyAt: row.privacy_at === null ? null : Number(row.privacy_at),
  };
}
