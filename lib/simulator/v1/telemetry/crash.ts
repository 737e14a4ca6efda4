import type { SimContext } from '../../context';
import { type CollisionDetail, collisionsBetween, type SimCollision } from '../../fleet/collisions';
import { round1 } from '../../v4/trip-resources';
import type { SimVehicle } from '../../world/world';
import { V1Error } from '../gateway';
import { readLimit, required } from '../params';
import { secondsMap, v1Instant } from './last-minute';

// GET /crash/get/{vin}, GET /crash/search/{vin} and POST /crash/list (spec fetchCrashByVehicle,
// searchCrashByVehicle, fetchAllCrash; vehicle-apis.md §7): the impacts the car's crash sensors
// recorded — the very collisions v4 serves (fleet/collisions), over the same history window. The
// spec documents no semantics; everything below is [infer]:
// - a crash is reported in a minute whose second 41 is the impact; second 60 is 19 s later (the
//   spec keys every map "41" and "60"). `totMileage` is the odometer (km) at those seconds; every
//   other map reads 1 when the crash involved that, else 0, at both seconds.
// - `{high,avg,low}{Rear,Front,Lat}CrashInfo` grade each side hit by v4's severity: `Major`
//   (airbags) high, `Minor` (belt pretensioners) avg, `Minimal` low. The front has two avg
//   levels: N1 below 30 km/h, N2 from 30 km/h. `repair…CrashInfo` marks a repair-class impact, at
//   most 16 km/h (the RCAR/Danner reparability test speed). `flipVeh` is v4's `tippedOver`.
// - `pedestCrashInfo1_41` / `_60` are v4's `pedestrian`; `pedestCrashInfo2_60` and `3_60` are
//   the pedestrian protections that fire after an impact (active bonnet, pedestrian airbag),
//   which none of the simulated models has: 0.
// `listsecond` narrows the "41"/"60" maps and the `_41`/`_60` fields alike; the list twin answers
// what GET answers (its spec lists only "41": the same record, narrowed by `listsecond`).

const CRASH_SECONDS: readonly number[] = [41, 60];
const IMPACT_SECOND = 41;
const FRONT_N2_KMH = 30;
const REPAIR_CLASS_KMH = 16;
/** The odometer is read 19 s after the impact too (second 60). */
const AFTER_IMPACT_MS = (60 - IMPACT_SECOND) * 1000;

type Side = 'Rear' | 'Front' | 'Lat';
const SIDE_NAMES: Readonly<Record<CollisionDetail['side'], Side>> = {
  Rear: 'Rear',
  Front: 'Front',
  Lateral: 'Lat',
};

/** The crash-info fields a collision sets (`highRearCrashInfo`, `avgFrontCrashInfoN1`, …). */
function crashInfoFields(collision: SimCollision): Set<string> {
  const fields = new Set<string>();
  for (const { side, severity } of collision.details) {
    const name = SIDE_NAMES[side];
    if (severity === 'Major') fields.add(`high${name}CrashInfo`);
    else if (severity === 'Minimal') fields.add(`low${name}CrashInfo`);
    else if (name !== 'Front') fields.add(`avg${name}CrashInfo`);
    else fields.add(collision.speedKmh < FRONT_N2_KMH ? 'avgFrontCrashInfoN1' : 'avgFrontCrashInfoN2');
    if (collision.speedKmh <= REPAIR_CLASS_KMH) fields.add(`repair${name}CrashInfo`);
  }
  return fields;
}

const SIDE_FIELDS = (['Rear', 'Front', 'Lat'] as const).flatMap((side) =>
  side === 'Front'
    ? [
        'highFrontCrashInfo',
        'avgFrontCrashInfoN1',
        'avgFrontCrashInfoN2',
        'lowFrontCrashInfo',
        'repairFrontCrashInfo',
      ]
    : [`high${side}CrashInfo`, `avg${side}CrashInfo`, `low${side}CrashInfo`, `repair${side}CrashInfo`],
);

/** One crash record of the spec's shape. */
export function crashRecord(
  ctx: SimContext,
  vehicle: SimVehicle,
  collision: SimCollision,
  listSecond: ReadonlySet<number> | null,
) {
  const timeline = ctx.fleet.timelineOf(vehicle);
  const flags = crashInfoFields(collision);
  const atSeconds = (value: number) => secondsMap(CRASH_SECONDS, listSecond, () => value);
  const flatField = (name: string, second: number, value: number) =>
    listSecond === null || listSecond.has(second) ? { [name]: value } : {};
  const odometerAt = (second: number) =>
    round1(
      timeline.stateAt(collision.createdAtMs + (second === IMPACT_SECOND ? 0 : AFTER_IMPACT_MS)).odometerKm,
    );
  const pedestrian = collision.pedestrian ? 1 : 0;
  return {
    totMileage: secondsMap(CRASH_SECONDS, listSecond, odometerAt),
    flipVeh: atSeconds(collision.tippedOver ? 1 : 0),
    ...Object.fromEntries(SIDE_FIELDS.map((name) => [name, atSeconds(flags.has(name) ? 1 : 0)])),
    ...flatField('pedestCrashInfo1_41', 41, pedestrian),
    ...flatField('pedestCrashInfo1_60', 60, pedestrian),
    ...flatField('pedestCrashInfo2_60', 60, 0),
    ...flatField('pedestCrashInfo3_60', 60, 0),
    vin: vehicle.vin,
    lastUpdate: v1Instant(collision.createdAtMs),
    contract: vehicle.contract,
  };
}

/** The car's collisions in [fromMs, toMs) that the cloud still serves at `nowMs`, oldest first. */
function servedCollisions(ctx: SimContext, vehicle: SimVehicle, fromMs: number, toMs: number, nowMs: number) {
  const historyMs = ctx.fleet.historyStartMs(vehicle, nowMs);
  return collisionsBetween(ctx, vehicle, Math.max(fromMs, historyMs), toMs, nowMs);
}

/** GET /crash/get/{vin}: the latest crash; 404 when the car has none on record. */
export function lastCrash(
  ctx: SimContext,
  vehicle: SimVehicle,
  nowMs: number,
  listSecond: ReadonlySet<number> | null,
) {
  const latest = servedCollisions(ctx, vehicle, 0, nowMs + 1, nowMs).at(-1);
  if (!latest) throw new V1Error(404, 'No crash recorded for this vehicle.');
  return crashRecord(ctx, vehicle, latest, listSecond);
}

/** A `yyyyMMddHHmm` parameter as epoch ms (UTC). */
export function readMinuteInstant(url: URL, name: string): number {
  const text = required(url, name);
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  const parts = match ? match.slice(1).map(Number) : [];
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0] = parts;
  const ms = Date.UTC(year, month - 1, day, hour, minute);
  const date = new Date(ms);
  if (
    !match ||
    year < 2000 ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59
  ) {
    throw new V1Error(400, `Query parameter ${name} must be a date and time like 202401311730.`);
  }
  return ms;
}

/**
 * GET /crash/search/{vin}?from&to&limit: the crashes from the `from` minute to the end of the
 * `to` minute (UTC, both included), newest first, at most `limit` (10 by default).
 */
export function searchCrashes(ctx: SimContext, vehicle: SimVehicle, nowMs: number, url: URL) {
  const fromMs = readMinuteInstant(url, 'from');
  const toMs = readMinuteInstant(url, 'to') + 60_000;
  if (toMs <= fromMs) throw new V1Error(400, 'to must not be before from.');
  const limit = readLimit(url);
  return servedCollisions(ctx, vehicle, fromMs, toMs, nowMs)
    .reverse()
    .slice(0, limit)
    .map((collision) => crashRecord(ctx, vehicle, collision, null));
}
