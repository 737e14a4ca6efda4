import { z } from 'zod';
import type { SimContext } from '../context';
import { type PrivacyState, privacyPeriodAt } from '../fleet/privacy';
import { DAY_MS, type TripRecord } from '../fleet/vehicle-timeline';
import { lastUpload, type Upload, uploadPrivacy } from '../v4/status-resources';
import type { SimVehicle } from '../world/world';

// Small helpers the v1 HTTP tests share (with test-server.ts): finding trips and cars in the
// world, per-second map schemas and dates as v1 writes them. They read the world and the
// timeline only, never the v1 routes, so expectations built on them stay independent.

/** The v4 upload cadence while driving (v4/status-resources DRIVING_UPLOAD_MS, restated). */
export const DRIVING_UPLOAD_MS = 30_000;

/** A trip of the car that ended before `beforeMs` and lasted at least `minS` seconds. */
export function recentTrip(ctx: SimContext, vehicle: SimVehicle, beforeMs: number, minS = 600): TripRecord {
  const trips = ctx.fleet.timelineOf(vehicle).tripsBetween(beforeMs - 3 * DAY_MS, beforeMs);
  const trip = trips
    .filter((candidate) => candidate.endMs < beforeMs && candidate.endMs - candidate.startMs >= minS * 1000)
    .at(-1);
  if (!trip)
    throw new Error(`no trip of ${minS} s for ${vehicle.id} before ${new Date(beforeMs).toISOString()}`);
  return trip;
}

/** v4's latest upload of the car at `atMs` (the clock by default), which v1's last minute ends at. */
export function uploadAt(ctx: SimContext, vehicle: SimVehicle, atMs = ctx.clock.now()): Upload {
  const upload = lastUpload(ctx, vehicle, atMs);
  if (!upload) throw new Error(`no upload of ${vehicle.id} by ${new Date(atMs).toISOString()}`);
  return upload;
}

/**
 * A peer car (the demo owner never hides) whose latest report, at `atMs` in one of the year's
 * privacy periods before `nowMs`, was made in one of `states`.
 */
export function peerReportingUnder(
  ctx: SimContext,
  nowMs: number,
  states: readonly PrivacyState[],
): { vehicle: SimVehicle; atMs: number } {
  const { seed } = ctx.world;
  for (let period = 0; period < 13; period++) {
    for (let index = 1; index < ctx.world.ownerCount; index++) {
      for (const vehicle of ctx.world.ownerAt(index).vehicles) {
        if (vehicle.brand === 'opel') continue;
        const { state, fromMs, toMs } = privacyPeriodAt(seed, vehicle, nowMs - period * 28 * DAY_MS);
        if (!states.includes(state)) continue;
        const atMs = (fromMs + toMs) / 2;
        const upload = lastUpload(ctx, vehicle, atMs);
        if (upload && states.includes(uploadPrivacy(seed, vehicle, upload))) return { vehicle, atMs };
      }
    }
  }
  throw new Error(`no peer car reporting in privacy mode ${states.join(' or ')} in the test world`);
}

/** A per-second map schema over `keys`: all of them, or (`listsecond` given) some. */
export function secondMap(keys: readonly number[], value: z.ZodType, all = true) {
  const key = z.enum(keys.map(String) as [string, ...string[]]);
  return all ? z.record(key, value) : z.partialRecord(key, value);
}

/** `{ "1": …, "2": … }` keys as numbers, sorted. */
export const keysOf = (map: object) =>
  Object.keys(map)
    .map(Number)
    .sort((a, b) => a - b);

/** `from`, `from + step`, … up to `to` included. */
export const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);

/** The UTC day of an instant as v1's `day`/`from`/`to` parameters write it. */
export const yyyymmdd = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
