import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { writeVehicleData } from '../db/queries/vehicle-data';
import { createVehicle } from '../db/queries/vehicles';
import type { Database } from '../db/schema';
import { type ChargingStateName, emptyVehicleData, type Sample } from '../telemetry/model';
import { usableCapacityKwh } from './battery-capacity';
import { decodeChargeId, encodeChargeId } from './charge-id';
import { powerSeries } from './power';
import { getOwnerCharge, listOwnerCharges } from './sessions';

// Charging sessions on both engines: derived from the samples (PSA gives no sessions of its own)
// across the list's read windows, pages in keyset order over two cars with equal starts, a
// provider's stored sessions taking precedence, ownership, and the power estimate, worked by hand.

const T0 = Date.UTC(2026, 0, 1, 20, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let counter = 0;
async function owner(db: Kysely<Database>) {
  counter++;
  return (await createUser(db, { email: `charge${counter}-${Math.random()}@example.com`, passwordHash: 'h' }))
    .id;
}

async function car(
  db: Kysely<Database>,
  userId: string,
  label: string,
  model = 'e-208',
  powertrain = 'electric',
) {
  counter++;
  return (
    await createVehicle(db, userId, {
      label,
      brand: 'peugeot',
      model,
      powertrain,
      vin: `VF3CHRG${String(counter).padStart(10, '0')}`,
    })
  ).id;
}

const reading = (at: number, charging: ChargingStateName, batteryLevelPct: number): Sample => ({
  at,
  source: { provider: 'psa-v4', ref: 'test' },
  charging,
  batteryLevelPct,
});

/** A night's charge: plugged at `start`, readings every 5 min rising `pctPer5` each, unplugged after. */
function night(start: number, readings: number, fromPct: number, pctPer5: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < readings; i++)
    out.push(reading(start + i * 5 * MIN, 'charging', fromPct + i * pctPer5));
  out.push(reading(start + readings * 5 * MIN + HOUR, 'disconnected', fromPct + (readings - 1) * pctPer5));
  return out;
}

async function store(db: Kysely<Database>, vehicleId: string, samples: Sample[]) {
  await db
    .transaction()
    .execute((trx) => writeVehicleData(trx, vehicleId, { ...emptyVehicleData(), samples }));
}

describe('charge ids', () => {
  it('round-trip, are URL-safe and refuse anything else', () => {
    const id = encodeChargeId({ provider: 'psa-v4', startedAt: T0 });
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeChargeId(id)).toEqual({ provider: 'psa-v4', startedAt: T0 });
    expect(decodeChargeId('abc')).toBeNull();
    expect(decodeChargeId('a/b')).toBeNull();
    expect(decodeChargeId(Buffer.from('psa-v4|12x').toString('base64url'))).toBeNull();
  });
});

describe('usableCapacityKwh', () => {
  it('knows the listed models and nothing else', () => {
    expect(usableCapacityKwh({ model: 'e-208', powertrain: 'electric' })).toBe(46.3);
    expect(usableCapacityKwh({ model: 'DS 3', powertrain: 'electric' })).toBe(50.8);
    expect(usableCapacityKwh({ model: '3008', powertrain: 'hybrid' })).toBe(11.5);
    expect(usableCapacityKwh({ model: '3008', powertrain: 'petrol' })).toBeNull();
    expect(usableCapacityKwh({ model: 'Model 3', powertrain: 'electric' })).toBeNull();
  });
});

describe('powerSeries', () => {
  it('turns level rises into kW with a capacity and %/h without', () => {
    const readings = [
      { at: 0, pct: 20 },
      { at: 30 * MIN, pct: 25 },
      { at: 90 * MIN, pct: 25 },
      { at: 120 * MIN, pct: 24 },
    ];
    // 5 % in half an hour of 40 kWh = 2 kWh / 0.5 h = 4 kW; then a pause (0) and a fall (shown 0).
    expect(powerSeries(readings, 40)).toEqual([
      [15 * MIN, 4],
      [60 * MIN, 0],
      [105 * MIN, 0],
    ]);
    expect(powerSeries(readings, null)[0]).toEqual([15 * MIN, 10]);
    // A repeated instant says nothing about a rate.
    expect(
      powerSeries(
        [
          { at: 0, pct: 1 },
          { at: 0, pct: 2 },
        ],
        40,
      ),
    ).toEqual([]);
  });
});

describe.each(ENGINES)('owner charges (%s)', (engine) => {
  const get = useTestDatabase(engine);

  it('derives sessions from samples across read windows, newest first, paged without gaps', async () => {
    const { db } = get();
    const me = await owner(db);
    const ev = await car(db, me, 'EV');
    // Ten charges three days apart: 30 days, more than two read windows. Each: 7 readings rising 2 %.
    const starts = Array.from({ length: 10 }, (_, i) => T0 + i * 3 * DAY);
    await store(
      db,
      ev,
      starts.flatMap((start) => night(start, 7, 30, 2)),
    );
    const now = T0 + 40 * DAY;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listOwnerCharges(db, me, { cursor, limit: 3, now });
      expect(page).not.toBeNull();
      seen.push(...(page?.charges.map((c) => c.startedAt) ?? []));
      cursor = page?.nextCursor ?? null;
    } while (cursor !== null);
    expect(seen).toEqual([...starts].reverse().map((ms) => new Date(ms).toISOString()));

    const first = (await listOwnerCharges(db, me, { vehicleId: ev, limit: 1, now }))?.charges[0];
    // 30 % → 42 % of 46.3 kWh = 5.556 kWh over 30 minutes = 11.112 kW.
    expect(first?.startLevelPct).toBe(30);
    expect(first?.endLevelPct).toBe(42);
    expect(first?.energyAddedKwh).toBeCloseTo(5.556, 9);
    expect(first?.avgPowerKw).toBeCloseTo(11.112, 9);
    expect(first?.durationS).toBe(1800);
    expect(first?.origin).toBe('derived');
    expect(first?.vehicleLabel).toBe('EV');
  });

  it('orders equal starts on two cars by car and never repeats them across pages', async () => {
    const { db } = get();
    const me = await owner(db);
    const a = await car(db, me, 'A');
    const b = await car(db, me, 'B', '3008', 'hybrid');
    await car(db, me, 'Petrol', '308', 'petrol');
    for (const id of [a, b]) await store(db, id, [...night(T0, 3, 50, 1), ...night(T0 + DAY, 3, 50, 1)]);
    const now = T0 + 5 * DAY;
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listOwnerCharges(db, me, { cursor, limit: 1, now });
      all.push(...(page?.charges.map((c) => `${c.startedAt}|${c.vehicleLabel}`) ?? []));
      cursor = page?.nextCursor ?? null;
    } while (cursor !== null);
    const [hi, lo] = a > b ? ['A', 'B'] : ['B', 'A'];
    const day1 = new Date(T0 + DAY).toISOString();
    const day0 = new Date(T0).toISOString();
    expect(all).toEqual([`${day1}|${hi}`, `${day1}|${lo}`, `${day0}|${hi}`, `${day0}|${lo}`]);
  });

  it("prefers a provider's stored sessions, and keeps another owner's charges out", async () => {
    const { db } = get();
    const me = await owner(db);
    const other = await owner(db);
    const ev = await car(db, me, 'EV');
    const theirs = await car(db, other, 'Theirs');
    await store(db, ev, night(T0, 4, 10, 5));
    await store(db, theirs, night(T0, 4, 10, 5));
    await db
      .insertInto('charging_sessions')
      .values({
        vehicle_id: ev,
        provider: 'psa-v1',
        started_at: T0 + 7 * MIN,
        source_ref: 't',
        ended_at: T0 + 2 * HOUR,
        observed_until: T0 + 2 * HOUR,
        energy_added_kwh: 9,
        avg_power_kw: 4.5,
        start_level_pct: 10,
        end_level_pct: 30,
      })
      .execute();
    const now = T0 + DAY;
    const mine = await listOwnerCharges(db, me, { limit: 10, now });
    expect(mine?.charges.map((c) => [c.origin, c.energyAddedKwh])).toEqual([['provider', 9]]);
    expect(await listOwnerCharges(db, me, { vehicleId: theirs, limit: 10, now })).toBeNull();
    const id = mine?.charges[0]?.id as string;
    expect(await getOwnerCharge(db, me, ev, id, { now })).not.toBeNull();
    expect(await getOwnerCharge(db, other, ev, id, { now })).toBeNull();
    const theirCharge = (await listOwnerCharges(db, other, { limit: 10, now }))?.charges[0];
    expect(theirCharge?.origin).toBe('derived');
    expect(await getOwnerCharge(db, me, theirs, theirCharge?.id as string, { now })).toBeNull();
    expect(await getOwnerCharge(db, me, ev, 'bogus', { now })).toBeNull();
  });

  it('gives the power over a derived charge from the level readings', async () => {
    const { db } = get();
    const me = await owner(db);
    const ev = await car(db, me, 'EV');
    const petrol = await car(db, me, 'P', '308', 'petrol');
    // 20 % → 26 % in steps of 3 % every 5 min: 3 % × 46.3 kWh per 1/12 h = 16.668 kW.
    await store(db, ev, night(T0, 3, 20, 3));
    const now = T0 + DAY;
    const id = encodeChargeId({ provider: 'psa-v4', startedAt: T0 });
    const detail = await getOwnerCharge(db, me, ev, id, { now });
    expect(detail?.power.unit).toBe('kW');
    expect(detail?.power.capacityKwh).toBe(46.3);
    expect(detail?.power.levels).toEqual([
      [T0, 20],
      [T0 + 5 * MIN, 23],
      [T0 + 10 * MIN, 26],
    ]);
    expect(detail?.power.points).toEqual([
      [T0 + 2.5 * MIN, 16.67],
      [T0 + 7.5 * MIN, 16.67],
    ]);
    // No charge starts a minute later, and combustion cars have none.
    expect(
      await getOwnerCharge(db, me, ev, encodeChargeId({ provider: 'psa-v4', startedAt: T0 + MIN }), { now }),
    ).toBeNull();
    expect(await getOwnerCharge(db, me, petrol, id, { now })).toBeNull();
    expect((await listOwnerCharges(db, me, { vehicleId: petrol, limit: 5, now }))?.charges).toEqual([]);
  });

  it('shows a charge under way without an end', async () => {
    const { db } = get();
    const me = await owner(db);
    const ev = await car(db, me, 'EV');
    await store(db, ev, [reading(T0, 'charging', 40), reading(T0 + 5 * MIN, 'charging', 42)]);
    const list = await listOwnerCharges(db, me, { limit: 5, now: T0 + 6 * MIN });
    expect(list?.charges).toHaveLength(1);
    expect(list?.charges[0]?.endedAt).toBeNull();
    expect(list?.charges[0]?.durationS).toBeNull();
  });
});
