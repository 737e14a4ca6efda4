import 'server-only';
import type { Kysely } from 'kysely';
import { getVehicle, listVehicles } from '../db/queries/vehicles';
import type { ChargingSessionsTable, Database, VehicleRow } from '../db/schema';
import { AppError } from '../errors';
import type { ChargeDetailDto, ChargeDto, ChargeListDto } from '../schemas/charging';
import { MAX_CHARGES_PAGE } from '../schemas/charging';
import { chargingSessions, MERGE_PAUSE_MS } from '../telemetry/derive/charging-sessions';
import type { ChargingSession, Provider, Sample } from '../telemetry/model';
import { canCharge, usableCapacityKwh } from './battery-capacity';
import { decodeChargeId, encodeChargeId } from './charge-id';
import { powerSeries } from './power';

// The owner's charging sessions. Where they come from, per car:
//  - a provider that reports sessions of its own (rows in `charging_sessions`): those, as stored;
//  - otherwise (PSA today: its samples carry the charging state and battery level, no sessions),
//    sessions derived from the samples by lib/telemetry/derive/charging-sessions.ts at read time,
//    with the energy from the model's usable capacity (battery-capacity.ts).
// A car with any stored session uses stored ones only, so the two sources never double a charge.
// Pages are in keyset order (start desc, then vehicle id, then provider), so equal starts on two
// cars neither repeat nor vanish. Only electric and hybrid cars are read.

type Key = { startedAt: number; vehicleId: string; provider: string };
type Session = Key & {
  endedAt: number | null;
  energyAddedKwh: number | null;
  avgPowerKw: number | null;
  startLevelPct: number | null;
  endLevelPct: number | null;
  origin: 'provider' | 'derived';
};

/** Samples are read backwards in windows of this length until a page is full. */
const WINDOW_MS = 14 * 86_400_000;
/** Longest charge looked for around a derived session's start (detail page). */
const LONGEST_CHARGE_MS = 3 * 86_400_000;

function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify([key.startedAt, key.vehicleId, key.provider])).toString('base64url');
}

function decodeCursor(text: string): Key {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      typeof value[2] === 'string'
    )
      return { startedAt: value[0] as number, vehicleId: value[1], provider: value[2] };
  } catch {
    // Not ours: below.
  }
  throw new AppError('bad_request', 'cursor: not a cursor this list gave.');
}

/** Newest first: start desc, then vehicle id desc, then provider desc. */
function compareDesc(a: Key, b: Key): number {
  if (a.startedAt !== b.startedAt) return b.startedAt - a.startedAt;
  if (a.vehicleId !== b.vehicleId) return a.vehicleId < b.vehicleId ? 1 : -1;
  if (a.provider !== b.provider) return a.provider < b.provider ? 1 : -1;
  return 0;
}

const after = (cursor: Key | null) => (key: Key) => cursor === null || compareDesc(cursor, key) < 0;

function storedSession(row: ChargingSessionsTable): Session {
  return {
    startedAt: row.started_at,
    vehicleId: row.vehicle_id,
    provider: row.provider,
    endedAt: row.ended_at,
    energyAddedKwh: row.energy_added_kwh,
    avgPowerKw: row.avg_power_kw,
    startLevelPct: row.start_level_pct,
    endLevelPct: row.end_level_pct,
    origin: 'provider',
  };
}

function derivedSession(vehicleId: string, session: ChargingSession): Session {
  return {
    startedAt: session.startedAt,
    vehicleId,
    provider: session.source.provider,
    endedAt: session.endedAt ?? null,
    energyAddedKwh: session.energyAddedKwh ?? null,
    avgPowerKw: session.avgPowerKw ?? null,
    startLevelPct: session.startLevelPct ?? null,
    endLevelPct: session.endLevelPct ?? null,
    origin: 'derived',
  };
}

async function hasStoredSessions(db: Kysely<Database>, vehicleId: string): Promise<boolean> {
  const row = await db
    .selectFrom('charging_sessions')
    .select('vehicle_id')
    .where('vehicle_id', '=', vehicleId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

type ChargingSampleRow = {
  at: number;
  provider: string;
  charging: string | null;
  battery_level_pct: number | null;
};

function toSample(row: ChargingSampleRow): Sample {
  const sample: Sample = {
    at: Number(row.at),
    source: { provider: row.provider as Provider, ref: 'samples' },
  };
  if (row.charging !== null) sample.charging = row.charging as NonNullable<Sample['charging']>;
  if (row.battery_level_pct !== null) sample.batteryLevelPct = row.battery_level_pct;
  return sample;
}

function chargingSamples(db: Kysely<Database>, vehicleId: string, fromMs: number, toMs: number) {
  return db
    .selectFrom('samples')
    .select(['at', 'provider', 'charging', 'battery_level_pct'])
    .where('vehicle_id', '=', vehicleId)
    .where('charging', 'is not', null)
    .where('at', '>=', fromMs)
    .where('at', '<', toMs)
    .orderBy('at')
    .execute();
}

/**
 * Up to `want` derived sessions of one car before the cursor, newest first. Samples are read
 * backwards a window at a time; the oldest session found may be cut by the window's start (its
 * earlier readings not read yet), so it counts only once the window reaches far enough back.
 */
async function derivedBefore(
  db: Kysely<Database>,
  vehicle: VehicleRow,
  cursor: Key | null,
  want: number,
  now: number,
): Promise<Session[]> {
  const earliestRow = await db
    .selectFrom('samples')
    .select((eb) => eb.fn.min('at').as('earliest'))
    .where('vehicle_id', '=', vehicle.id)
    .where('charging', 'is not', null)
    .executeTakeFirst();
  if (earliestRow?.earliest === null || earliestRow?.earliest === undefined) return [];
  const earliest = Number(earliestRow.earliest);
  const capacity = usableCapacityKwh(vehicle);
  const options = { now, ...(capacity === null ? {} : { usableBatteryKwh: capacity }) };
  // Samples at the cursor's own instant are read too: another car's tie on the start is a key.
  const end = cursor === null ? now + 1 : cursor.startedAt + 1;
  let windowStart = end;
  let rows: ChargingSampleRow[] = [];
  for (;;) {
    const from = windowStart - WINDOW_MS;
    rows = [...(await chargingSamples(db, vehicle.id, from, windowStart)), ...rows];
    windowStart = from;
    const complete = windowStart <= earliest;
    const sessions = chargingSessions(rows.map(toSample), options)
      .map((session) => derivedSession(vehicle.id, session))
      .filter((session) => complete || session.startedAt >= windowStart + MERGE_PAUSE_MS)
      .filter(after(cursor))
      .sort(compareDesc);
    if (complete || sessions.length >= want) return sessions.slice(0, want);
  }
}

async function storedBefore(
  db: Kysely<Database>,
  vehicleId: string,
  cursor: Key | null,
  want: number,
): Promise<Session[]> {
  let query = db.selectFrom('charging_sessions').selectAll().where('vehicle_id', '=', vehicleId);
  if (cursor !== null) {
    // Within one car the key is (start, provider); the car's place in the tie is settled below.
    query = query.where('started_at', '<=', cursor.startedAt);
  }
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('provider', 'desc')
    .limit(want + 1)
    .execute();
  return rows.map(storedSession).filter(after(cursor)).slice(0, want);
}

async function sessionsBefore(
  db: Kysely<Database>,
  vehicle: VehicleRow,
  cursor: Key | null,
  want: number,
  now: number,
): Promise<Session[]> {
  return (await hasStoredSessions(db, vehicle.id))
    ? storedBefore(db, vehicle.id, cursor, want)
    : derivedBefore(db, vehicle, cursor, want, now);
}

function toDto(session: Session, vehicleLabel: string): ChargeDto {
  return {
    id: encodeChargeId({ provider: session.provider, startedAt: session.startedAt }),
    vehicleId: session.vehicleId,
    vehicleLabel,
    startedAt: new Date(session.startedAt).toISOString(),
    endedAt: session.endedAt === null ? null : new Date(session.endedAt).toISOString(),
    durationS: session.endedAt === null ? null : Math.round((session.endedAt - session.startedAt) / 1000),
    energyAddedKwh: session.energyAddedKwh,
    avgPowerKw: session.avgPowerKw,
    startLevelPct: session.startLevelPct,
    endLevelPct: session.endLevelPct,
    origin: session.origin,
  };
}

/**
 * One page of the owner's charges, newest first, or null when `vehicleId` is not one of the
 * owner's cars. Cars that cannot charge have none.
 */
export async function listOwnerCharges(
  db: Kysely<Database>,
  userId: string,
  options: { vehicleId?: string; cursor?: string | null; limit: number; now?: number },
): Promise<ChargeListDto | null> {
  const limit = Math.max(1, Math.min(MAX_CHARGES_PAGE, Math.floor(options.limit)));
  const cursor = options.cursor ? decodeCursor(options.cursor) : null;
  let vehicles: VehicleRow[];
  if (options.vehicleId !== undefined) {
    const vehicle = await getVehicle(db, userId, options.vehicleId);
    if (!vehicle) return null;
    vehicles = [vehicle];
  } else {
    vehicles = await listVehicles(db, userId);
  }
  const now = options.now ?? Date.now();
  const chargeable = vehicles.filter((vehicle) => canCharge(vehicle.powertrain));
  const labels = new Map(chargeable.map((vehicle) => [vehicle.id, vehicle.label]));
  const perCar = await Promise.all(
    chargeable.map((vehicle) => sessionsBefore(db, vehicle, cursor, limit + 1, now)),
  );
  const merged = perCar.flat().sort(compareDesc);
  const page = merged.slice(0, limit);
  const last = page[page.length - 1];
  return {
    charges: page.map((session) => toDto(session, labels.get(session.vehicleId) ?? '')),
    nextCursor: merged.length > limit && last ? encodeCursor(last) : null,
  };
}

/** One charge of the owner's car with its power over time, or null (not theirs, or missing). */
export async function getOwnerCharge(
  db: Kysely<Database>,
  userId: string,
  vehicleId: string,
  chargeId: string,
  options: { now?: number } = {},
): Promise<ChargeDetailDto | null> {
  const key = decodeChargeId(chargeId);
  if (key === null) return null;
  const vehicle = await getVehicle(db, userId, vehicleId);
  if (!vehicle || !canCharge(vehicle.powertrain)) return null;
  const now = options.now ?? Date.now();
  let session: Session | null = null;
  if (await hasStoredSessions(db, vehicle.id)) {
    const row = await db
      .selectFrom('charging_sessions')
      .selectAll()
      .where('vehicle_id', '=', vehicle.id)
      .where('provider', '=', key.provider)
      .where('started_at', '=', key.startedAt)
      .executeTakeFirst();
    session = row ? storedSession(row) : null;
  } else {
    // Readings from a little before the start (to know nothing earlier merges into it) to the
    // longest charge after it.
    const rows = await chargingSamples(
      db,
      vehicle.id,
      key.startedAt - MERGE_PAUSE_MS - 1,
      Math.min(key.startedAt + LONGEST_CHARGE_MS, now + 1),
    );
    const capacity = usableCapacityKwh(vehicle);
    const found = chargingSessions(rows.map(toSample), {
      now,
      ...(capacity === null ? {} : { usableBatteryKwh: capacity }),
    }).find(
      (candidate) => candidate.startedAt === key.startedAt && candidate.source.provider === key.provider,
    );
    session = found ? derivedSession(vehicle.id, found) : null;
  }
  if (session === null) return null;
  const until = session.endedAt ?? now;
  const levels = await db
    .selectFrom('samples')
    .select(['at', 'battery_level_pct'])
    .where('vehicle_id', '=', vehicle.id)
    .where('at', '>=', session.startedAt)
    .where('at', '<=', until)
    .where('battery_level_pct', 'is not', null)
    .orderBy('at')
    .execute();
  const readings = levels.map((row) => ({ at: Number(row.at), pct: row.battery_level_pct as number }));
  const capacity = usableCapacityKwh(vehicle);
  return {
    charge: toDto(session, vehicle.label),
    power: {
      unit: capacity === null ? '%/h' : 'kW',
      capacityKwh: capacity,
      points: powerSeries(readings, capacity),
      levels: readings.map((reading) => [reading.at, reading.pct]),
    },
  };
}
