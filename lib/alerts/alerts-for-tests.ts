import 'server-only';
import type { Kysely } from 'kysely';
import { refreshRollups } from '../db/queries/rollups';
import { createUser } from '../db/queries/users';
import { writeVehicleData } from '../db/queries/vehicle-data';
import { createVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { emptyVehicleData, type Sample } from '../telemetry/model';

// Shared set-up of the alerts and maintenance data-layer tests (not a test itself).

let counter = 0;

export async function newOwner(db: Kysely<Database>, prefix: string) {
  counter++;
  const user = await createUser(db, { email: `${prefix}${counter}@example.com`, passwordHash: 'h' });
  return user.id;
}

export async function newVehicle(db: Kysely<Database>, ownerId: string, label: string, createdAt = counter) {
  counter++;
  const vehicle = await createVehicle(db, ownerId, {
    label,
    brand: 'peugeot',
    model: '308',
    powertrain: 'petrol',
    vin: `VF3TEST${String(counter).padStart(10, '0')}`,
    createdAt,
  });
  return vehicle.id;
}

/** Stores samples the way the write path does, rollups included. */
export async function storeSamples(
  db: Kysely<Database>,
  vehicleId: string,
  samples: readonly { at: number; odometerKm?: number; speedKmh?: number }[],
): Promise<void> {
  if (samples.length === 0) return;
  const full: Sample[] = samples.map((s) => ({ ...s, source: { provider: 'psa-v4', ref: 'telemetry' } }));
  await db.transaction().execute(async (trx) => {
    await writeVehicleData(trx, vehicleId, { ...emptyVehicleData(), samples: full });
    const instants = full.map((s) => s.at);
    await refreshRollups(trx, vehicleId, Math.min(...instants), Math.max(...instants));
  });
}

export type StoredAlert = {
  vehicleId: string;
  providerAlertId: string;
  type?: string;
  severity: 'critical' | 'warning' | 'information';
  active: boolean;
  startedAt: number;
  endedAt?: number;
  position?: { latitude: number; longitude: number };
  provider?: string;
};

export async function storeAlert(db: Kysely<Database>, alert: StoredAlert): Promise<void> {
  await db
    .insertInto('alerts')
    .values({
      vehicle_id: alert.vehicleId,
      provider: alert.provider ?? 'psa-v4',
      provider_alert_id: alert.providerAlertId,
      source_ref: 'alerts',
      type: alert.type ?? 'EngineFault',
      severity: alert.severity,
      active: alert.active ? 1 : 0,
      started_at: alert.startedAt,
      ended_at: alert.endedAt ?? null,
      observed_until: alert.endedAt ?? alert.startedAt,
      latitude: alert.position?.latitude ?? null,
      longitude: alert.position?.longitude ?? null,
    })
    .execute();
}
