import 'server-only';
import type { Kysely } from 'kysely';
import { sampleOfRow, upsertSamples } from '../db/queries/sample-upsert';
import { createSession } from '../db/queries/sessions';
import { createUser } from '../db/queries/users';
import { createVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { tableExists } from './export/reader';

// Test data for the export and deletion tests: one owner with a row in every table they own,
// written straight into the tables (not through the sync path) so the counts are known by
// construction. Secrets carry a recognisable marker so a test can grep an export for them.

export const SECRET_MARKER = 'SECRET-MUST-NOT-LEAK';

export type SeededOwner = {
  userId: string;
  email: string;
  vehicleIds: string[];
  carAccountIds: string[];
  sessionIds: string[];
  /** Rows written per table for this owner. */
  counts: Record<string, number>;
};

let serial = 0;

export async function seedOwner(
  db: Kysely<Database>,
  options: { samplesPerVehicle: number; email?: string; isDemo?: boolean },
): Promise<SeededOwner> {
  serial++;
  const email = options.email ?? `owner${serial}-${Date.now()}@example.com`;
  const user = await createUser(db, {
    email,
    name: `Owner ${serial}`,
    passwordHash: `argon2-${SECRET_MARKER}`,
    isDemo: options.isDemo ?? false,
  });
  const counts: Record<string, number> = { users: 1 };
  const sessionIds = [
    await createSession(db, { userId: user.id, userAgent: 'Test/1.0', ip: '192.0.2.1' }),
    await createSession(db, { userId: user.id, userAgent: 'Test/2.0', ip: '192.0.2.2' }),
  ];
  counts.sessions = 2;

  const vehicleIds: string[] = [];
  for (const powertrain of ['petrol', 'electric']) {
    const vehicle = await createVehicle(db, user.id, {
      label: `${powertrain} ${serial}`,
      brand: 'peugeot',
      model: '208',
      powertrain,
      vin: `VF3${String(serial).padStart(4, '0')}${powertrain.slice(0, 1).toUpperCase()}0000000`.slice(0, 17),
    });
    vehicleIds.push(vehicle.id);
  }
  counts.vehicles = 2;

  const accountId = `acct-${serial}-${Date.now()}`;
  const now = Date.now();
  await db
    .insertInto('car_accounts')
    .values({
      id: accountId,
      user_id: user.id,
      provider: 'psa-v4',
      brand: 'peugeot',
      maker_subject: `sub-${serial}-${now}`,
      status: 'active',
      status_reason: null,
      tokens: `v1.${SECRET_MARKER}.tag.cipher`,
      created_at: now,
      updated_at: now,
    })
    .execute();
  counts.car_accounts = 1;
  await db
    .insertInto('car_account_vehicles')
    .values(
      vehicleIds.map((vehicleId, index) => ({
        car_account_id: accountId,
        vehicle_id: vehicleId,
        provider_vehicle_id: `pv-${index}`,
        vin: `VIN${index}`,
        contract: null,
        linked_at: now,
      })),
    )
    .execute();
  counts.car_account_vehicles = 2;

  const base = Date.UTC(2026, 2, 1);
  const sampleRows = vehicleIds.flatMap((vehicleId, v) =>
    Array.from({ length: options.samplesPerVehicle }, (_, i) => ({
      vehicle_id: vehicleId,
      at: base + i * 1000,
      provider: 'psa-v4',
      source_ref: 'telemetry',
      speed_kmh: (i % 130) + v,
      engine_rpm: v === 0 ? 1500 + (i % 100) : null,
      fuel_consumption_l100km: null,
      energy_consumption_kwh100km: null,
      fuel_rate_lph: null,
      acceleration_ms2: null,
      latitude: 48.85,
      longitude: 2.35,
      altitude_m: null,
      heading_deg: null,
      odometer_km: 1000 + i / 100,
      fuel_level_pct: null,
      battery_level_pct: null,
      gear: null,
      ignition: 1,
      charging: null,
      throttle_pct: null,
      coolant_c: null,
      outside_temp_c: null,
    })),
  );
  // Through the write path: on PostgreSQL it creates the monthly partitions the rows need.
  await db.transaction().execute(async (trx) => {
    for (const vehicleId of vehicleIds) {
      const rows = sampleRows.filter((row) => row.vehicle_id === vehicleId);
      if (rows.length > 0) await upsertSamples(trx, vehicleId, rows.map(sampleOfRow));
    }
  });
  counts.samples = sampleRows.length;

  const tripIds: string[] = [];
  for (const [v, vehicleId] of vehicleIds.entries()) {
    const tripId = `trip-${serial}-${v}-${now}`;
    tripIds.push(tripId);
    await db
      .insertInto('trips')
      .values({
        id: tripId,
        vehicle_id: vehicleId,
        provider: 'psa-v4',
        provider_trip_id: `pt-${v}`,
        source_ref: 'trips',
        started_at: base,
        ended_at: base + 600_000,
        observed_until: base + 600_000,
        distance_km: 5.5,
        duration_s: 600,
        start_odometer_km: null,
        end_odometer_km: null,
        avg_speed_kmh: 33,
        max_speed_kmh: 70,
        fuel_used_l: null,
        energy_used_kwh: null,
        moving_s: 500,
        idle_s: 100,
        events: JSON.stringify([
          { type: 'harsh_braking', severity: 'medium', at: '2026-03-01T00:01:00Z', value: -4 },
        ]),
        start_latitude: null,
        start_longitude: null,
        end_latitude: null,
        end_longitude: null,
      })
      .execute();
    await db
      .insertInto('alerts')
      .values({
        vehicle_id: vehicleId,
        provider: 'psa-v4',
        provider_alert_id: `al-${v}`,
        source_ref: 'alerts',
        type: 'LowFuelLevel',
        severity: 'warning',
        active: 1,
        started_at: base,
        ended_at: null,
        observed_until: base,
        latitude: null,
        longitude: null,
      })
      .execute();
    await db
      .insertInto('maintenance_reports')
      .values({
        vehicle_id: vehicleId,
        provider: 'psa-v4',
        at: base,
        source_ref: 'maintenance',
        days_before_service: 40,
        km_before_service: -12.5,
      })
      .execute();
    await db
      .insertInto('charging_sessions')
      .values({
        vehicle_id: vehicleId,
        provider: 'psa-v4',
        started_at: base,
        source_ref: 'charging',
        ended_at: base + 3_600_000,
        observed_until: base + 3_600_000,
        energy_added_kwh: 20,
        avg_power_kw: 7,
        start_level_pct: 20,
        end_level_pct: 60,
      })
      .execute();
    await db
      .insertInto('eco_evaluations')
      .values({
        vehicle_id: vehicleId,
        provider: 'psa-v4',
        scope: 'all',
        source_ref: 'eco',
        at: base,
        mark: 7.5,
        scale_max: 10,
        criteria: JSON.stringify({ braking: 8 }),
      })
      .execute();
    await db
      .insertInto('quarantine')
      .values({
        id: `q-${serial}-${v}-${now}`,
        vehicle_id: vehicleId,
        kind: 'sample',
        reason: 'speed out of range',
        record: JSON.stringify({ speed: 900 }),
        received_at: base,
      })
      .execute();
  }
  for (const table of [
    'trips',
    'alerts',
    'maintenance_reports',
    'charging_sessions',
    'eco_evaluations',
    'quarantine',
  ])
    counts[table] = vehicleIds.length;

  if (await tableExists(db, 'alert_acknowledgements')) {
    await db
      .insertInto('alert_acknowledgements')
      .values({
        vehicle_id: vehicleIds[0] as string,
        provider: 'psa-v4',
        provider_alert_id: 'al-0',
        user_id: user.id,
        acknowledged_at: now,
      })
      .execute();
    counts.alert_acknowledgements = 1;
  }

  if (await tableExists(db, 'trip_tags')) {
    await db
      .insertInto('trip_tags')
      .values({ trip_id: tripIds[0] as string, tag: 'business', updated_at: now })
      .execute();
    counts.trip_tags = 1;
  }

  if (await tableExists(db, 'trip_scores')) {
    await db
      .insertInto('trip_scores')
      .values({
        trip_id: tripIds[0] as string,
        vehicle_id: vehicleIds[0] as string,
        started_at: base,
        distance_km: 5.5,
        score: 81.5,
        not_rated_reason: null,
        components: JSON.stringify({
          smoothness: 80,
          speed: 100,
          engine: null,
          idling: null,
          anticipation: 70,
          consumption: null,
        }),
        moments: '[]',
        tip: 'anticipation',
        version: 1,
        scored_at: now,
      })
      .execute();
    counts.trip_scores = 1;
  }

  if (await tableExists(db, 'share_links')) {
    await db
      .insertInto('share_links')
      .values({
        id: `link-${serial}-${now}`,
        owner_id: user.id,
        vehicle_id: vehicleIds[0] as string,
        kind: 'score_card',
        // A credential: the export must leave it out.
        token_hash: `hash-${serial}-${now}-${SECRET_MARKER}`,
        pseudonym: 'Calm Heron 12',
        created_at: now,
        expires_at: null,
        revoked_at: null,
      })
      .execute();
    counts.share_links = 1;
  }

  return { userId: user.id, email, vehicleIds, carAccountIds: [accountId], sessionIds, counts };
}
