import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, ownerIdOf } from './accounts';
import { dataDirFor } from './servers';

// Objects the access-control matrix needs every owner to have, written straight into the test
// instance's database: an alert, a charge, a service report (they arrive from the maker's cloud, which the matrix
// does not need to wait for) and a car account (its maker sign-in is proven by its own suite).
// The ids the API hands out for them are read back through the owner's own API.

type Database = ReturnType<typeof openDatabase>;

function insertAlert(db: Database, vehicleId: string, startedAt: number, observedUntil: number) {
  db.prepare(
    `insert into alerts (vehicle_id, provider, provider_alert_id, source_ref, type, severity, active,
       started_at, ended_at, observed_until, latitude, longitude)
     values (?, 'psa-v4', ?, 'matrix', 'Maintenance', 'warning', 1, ?, null, ?, null, null)`,
  ).run(vehicleId, `matrix-${randomUUID()}`, startedAt, observedUntil);
}

/** One ongoing warning on the owner's car, as if the maker's cloud had just reported it. */
export function giveOwnerAlert(vehicleId: string, baseUrl: string): void {
  const db = openDatabase(baseUrl);
  try {
    const now = Date.now();
    insertAlert(db, vehicleId, now - 3_600_000, now);
  } finally {
    db.close();
  }
}

export type OwnerObjects = { accountId: string };

export function giveOwnerObjects(ownerEmail: string, vehicleId: string, baseUrl: string): OwnerObjects {
  const db = openDatabase(baseUrl);
  try {
    const ownerId = ownerIdOf(db, ownerEmail);
    const now = Date.now();
    const started = now - 3 * 3_600_000;
    insertAlert(db, vehicleId, started, now);
    db.prepare(
      `insert into charging_sessions (vehicle_id, provider, started_at, source_ref, ended_at, observed_until,
         energy_added_kwh, avg_power_kw, start_level_pct, end_level_pct)
       values (?, 'psa-v4', ?, 'matrix', ?, ?, 20, 7, 30, 80)`,
    ).run(vehicleId, started, started + 3_600_000, started + 3_600_000);
    db.prepare(
      `insert into maintenance_reports (vehicle_id, provider, at, source_ref, days_before_service, km_before_service)
       values (?, 'psa-v4', ?, 'matrix', 120, 8000)`,
    ).run(vehicleId, started);
    const accountId = randomUUID();
    db.prepare(
      `insert into car_accounts (id, user_id, provider, brand, maker_subject, status, status_reason, tokens,
         created_at, updated_at)
       values (?, ?, 'psa-v4', 'peugeot', ?, 'active', null, null, ?, ?)`,
    ).run(accountId, ownerId, `matrix-${randomUUID()}`, now, now);
    return { accountId };
  } finally {
    db.close();
  }
}

export type UpstreamTokens = { accessToken: string; refreshToken: string };

/**
 * Stores upstream OAuth tokens in a car account, sealed as the app seals them (lib/crypto/
 * token-cipher.ts: AES-256-GCM, `v1.<iv>.<tag>.<ciphertext>`, the account id as associated data)
 * with the instance's own key file, so the app could open and use them. The tests that grep
 * every answer for them need to know them in clear.
 */
export function sealTokensIntoAccount(accountId: string, tokens: UpstreamTokens, baseUrl: string): string {
  const key = Buffer.from(
    readFileSync(path.join(dataDirFor(baseUrl), 'token-encryption-key'), 'utf8').trim(),
    'base64',
  );
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`kinetic/car-account-tokens/v1/${accountId}`, 'utf8'));
  const plaintext = JSON.stringify({ ...tokens, expiresAt: Date.now() + 3_600_000, scopes: ['openid'] });
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const sealed = ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
  const db = openDatabase(baseUrl);
  try {
    db.prepare('update car_accounts set tokens = ?, token_version = 1 where id = ?').run(sealed, accountId);
  } finally {
    db.close();
  }
  return sealed;
}

/** The `hostile_names` fault's car name (lib/simulator/faults/hostile.ts), as the link stores it. */
export const HOSTILE_CAR_LABEL = `Peugeot <img src=x onerror=alert(1)> '; DROP TABLE trips;--`;

export type CarNotices = { rateLimitedUntil: number; hostileVehicleId: string };

/**
 * Two car accounts in the states the maker can put them in, written at the database edge (what the
 * worker records is proven by lib/worker/sync-worker.test.ts):
 * - a MyCitroën account the maker stopped accepting ("re-authorisation needed", UP-05);
 * - a MyPeugeot (API v1: no tokens, no webhooks, so nothing touches it during the test) account whose
 *   car the maker rate-limits, held back 900 s as after a quota-exceeded 403 (UP-01), and whose
 *   name is the `hostile_names` fault's markup and SQL (IN-06).
 */
export function giveOwnerCarNotices(ownerEmail: string, baseUrl: string): CarNotices {
  const db = openDatabase(baseUrl);
  try {
    const ownerId = ownerIdOf(db, ownerEmail);
    const now = Date.now();
    const account = db.prepare(
      `insert into car_accounts (id, user_id, provider, brand, maker_subject, status, status_reason, tokens,
         created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, null, ?, ?)`,
    );
    account.run(
      randomUUID(),
      ownerId,
      'psa-v4',
      'citroen',
      `notices-${randomUUID()}`,
      'reauthorization_needed',
      'the refresh token was refused',
      now,
      now,
    );
    const rateLimitedAccountId = randomUUID();
    account.run(
      rateLimitedAccountId,
      ownerId,
      'psa-v1',
      'peugeot',
      `notices-${randomUUID()}`,
      'active',
      null,
      now,
      now,
    );
    const vehicleId = randomUUID();
    const vin = `VR3UPHNKSKT${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    db.prepare(
      'insert into vehicles (id, user_id, label, brand, model, powertrain, vin, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      vehicleId,
      ownerId,
      HOSTILE_CAR_LABEL,
      'Peugeot',
      HOSTILE_CAR_LABEL.slice('Peugeot '.length),
      'petrol',
      vin,
      now,
    );
    db.prepare(
      `insert into car_account_vehicles (car_account_id, vehicle_id, provider_vehicle_id, vin, contract, linked_at)
       values (?, ?, ?, ?, ?, ?)`,
    ).run(rateLimitedAccountId, vehicleId, vin, vin, 'C-123456', now - 86_400_000);
    const rateLimitedUntil = now + 900_000;
    db.prepare(
      `insert into sync_state (vehicle_id, provider, cursor, activity, last_measured_at, last_synced_at,
         next_sync_at, failures, last_error, lease_owner, lease_until)
       values (?, 'psa-v1', null, 'parked', ?, ?, ?, 1, ?, null, null)`,
    ).run(
      vehicleId,
      now - 3_600_000,
      now - 600_000,
      rateLimitedUntil,
      `UpstreamRateLimitedError: psa-v1: rate limited until ${new Date(rateLimitedUntil).toISOString()}`,
    );
    return { rateLimitedUntil, hostileVehicleId: vehicleId };
  } finally {
    db.close();
  }
}
