import 'server-only';
import type { Kysely } from 'kysely';
import type { Database, VehicleRow } from '../schema';

// Every read is scoped to the owner inside the query itself: another owner's vehicle id simply
// matches no row, exactly like an id that never existed.

export async function listVehicles(db: Kysely<Database>, ownerId: string): Promise<VehicleRow[]> {
  return db
    .selectFrom('vehicles')
    .selectAll()
    .where('user_id', '=', ownerId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

export async function getVehicle(
  db: Kysely<Database>,
  ownerId: string,
  vehicleId: string,
): Promise<VehicleRow | null> {
  const row = await db
    .selectFrom('vehicles')
    .selectAll()
    .where('user_id', '=', ownerId)
    .where('id', '=', vehicleId)
    .executeTakeFirst();
  return row ?? null;
}

/** The owner's vehicle with this label (labels name cars in the CLI), or null. */
export async function getVehicleByLabel(
  db: Kysely<Database>,
  ownerId: string,
  label: string,
): Promise<VehicleRow | null> {
  const row = await db
    .selectFrom('vehicles')
    .selectAll()
    .where('user_id', '=', ownerId)
    .where('label', '=', label)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .executeTakeFirst();
  return row ?? null;
}

export async function createVehicle(
  db: Kysely<Database>,
  ownerId: string,
  input: Pick<VehicleRow, 'label' | 'brand' | 'model' | 'powertrain' | 'vin'> & {
    id?: string;
    createdAt?: number;
  },
): Promise<VehicleRow> {
  const row: VehicleRow = {
    id: input.id ?? crypto.randomUUID(),
    user_id: ownerId,
    label: input.label,
    brand: input.brand,
    model: input.model,
    powertrain: input.powertrain,
    vin: input.vin,
    created_at: input.createdAt ?? Date.now(),
  };
  await db.insertInto('vehicles').values(row).execute();
  return row;
}
