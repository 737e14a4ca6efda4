import type { SimContext } from '../../context';
import { createRng, deriveSeed } from '../../physics/random';
import { altitudeAt } from '../../v4/geojson';
import { lastUpload, uploadPrivacy } from '../../v4/status-resources';
import { tripPrivacy } from '../../v4/trip-resources';
import type { SimVehicle } from '../../world/world';
import { V1Error } from '../gateway';
import { required } from '../params';
import { tripOfV1Id } from '../trip-ids';
import {
  carSecond,
  EVERY_SIX_SECONDS,
  lastMinute,
  MINUTE_MS,
  type MinuteSource,
  secondsMap,
  v1Instant,
} from './last-minute';

// GET /place/lastposition/{vin} and /place/positions/trip/{vin} (spec fetchLastPositionByVehicle,
// fetchPositionPerTripByVehicle; vehicle-apis.md §7). The box samples its position at 0.17 Hz, so
// a minute holds seconds 6, 12, …, 60 (the spec's keys; its "every 10s" contradicts both); each of `latitude`, `longitude`, `altitude`, `nbsat` and
// `source` is a map over them, written as strings. Latitude and longitude have the 6 decimals of
// v4's GeoJSON (and the same value once parsed), altitude is v4's `altitudeAt` in whole metres.
//
// `source` [infer]: "1" a GNSS fix taken that second (the car was driving, key-on to key-off: v4's
// `Acquire`, 3D); "2" the position held from the last fix — the car was parked, its box asleep,
// and it stands where it stopped — with `nbsat` "0", as no satellite was used that second.
//
// Privacy: like v4's `lastPosition` (given only when the report's in-car privacy is `None`) and
// trip way points (none for a trip driven with positions hidden), a hidden position is not sent.
// v1 documents no field for it, so the answer is the same 404 "no data" as for a car that has not
// reported [infer].

/** GNSS fix: "1"; the parked car's held position: "2". */
export const POSITION_SOURCE = { gnss: '1', held: '2' } as const;
const SAMPLE_PERIOD_S = 6;
/** Satellites a car's receiver uses, 2016-era GPS: 8–11 per trip, ±1 from fix to fix. */
const SATELLITES_MIN = 8;
const SATELLITES_MAX = 11;

const NO_POSITION = 'No position data for this vehicle.';

/**
 * `near` (required by the spec): "With near set to 1, if you request a second where there is no
 * data the API will give you the next non null value." [infer] "0" or "1"; anything else is a 400.
 */
export function readNear(url: URL): boolean {
  const near = required(url, 'near');
  if (near !== '0' && near !== '1') throw new V1Error(400, 'Query parameter near must be 0 or 1.');
  return near === '1';
}

/**
 * The sample seconds answered for a `listsecond` selection: a second between samples is dropped,
 * or with `near` answered by the next sample, under that sample's own key (7 → "12") [infer].
 */
export function positionSeconds(
  listSecond: ReadonlySet<number> | null,
  near: boolean,
): ReadonlySet<number> | null {
  if (listSecond === null) return null;
  const seconds = new Set<number>();
  for (const second of listSecond) {
    if (second % SAMPLE_PERIOD_S === 0) seconds.add(second);
    else if (near) seconds.add(Math.ceil(second / SAMPLE_PERIOD_S) * SAMPLE_PERIOD_S);
  }
  return seconds;
}

type Fix = { lat: number; lon: number; satellites: number; source: string };

const coordinate = (value: number) => String(Number(value.toFixed(6)));

/** The position block of one minute; seconds after `untilMs` have no data and are left out. */
function positionBlock(
  ctx: SimContext,
  vehicle: SimVehicle,
  source: MinuteSource,
  seconds: ReadonlySet<number> | null,
  untilMs: number,
  lastUpdateMs: number,
) {
  const timeline = ctx.fleet.timelineOf(vehicle);
  const { trip, trace } = source;
  const satellitesBase = createRng(deriveSeed(ctx.world.seed, trip.id, 'gnss')).int(
    SATELLITES_MIN,
    SATELLITES_MAX,
  );
  const fixes = new Map<number, Fix>();
  for (const second of EVERY_SIX_SECONDS) {
    const { atMs, index } = carSecond(source, second);
    if (atMs > untilMs || (seconds !== null && !seconds.has(second))) continue;
    if (index !== null) {
      const place = timeline.positionOnTrip(trip, trace.distanceKm[index] ?? 0);
      const jitter = createRng(deriveSeed(ctx.world.seed, trip.id, 'gnss', index)).int(-1, 1);
      fixes.set(second, { ...place, satellites: satellitesBase + jitter, source: POSITION_SOURCE.gnss });
    } else {
      // Parked before key-on, where the trip starts, or after key-off, where it ended.
      const place = timeline.positionOnTrip(trip, atMs < trip.startMs ? 0 : trip.distanceKm);
      fixes.set(second, { ...place, satellites: 0, source: POSITION_SOURCE.held });
    }
  }
  const keys = [...fixes.keys()];
  const map = (value: (fix: Fix) => string) =>
    secondsMap(keys, null, (second) => value(fixes.get(second) as Fix));
  return {
    latitude: map((fix) => coordinate(fix.lat)),
    longitude: map((fix) => coordinate(fix.lon)),
    altitude: map((fix) => String(altitudeAt(fix.lat, fix.lon))),
    nbsat: map((fix) => String(fix.satellites)),
    source: map((fix) => fix.source),
    vin: vehicle.vin,
    lastUpdate: v1Instant(lastUpdateMs),
    contract: vehicle.contract,
  };
}

/** The positions of the last sampled minute (see ./last-minute). */
export function lastPosition(
  ctx: SimContext,
  vehicle: SimVehicle,
  nowMs: number,
  listSecond: ReadonlySet<number> | null,
  near: boolean,
) {
  const minute = lastMinute(ctx, vehicle, nowMs);
  if (uploadPrivacy(ctx.world.seed, vehicle, minute.upload) !== 'None') throw new V1Error(404, NO_POSITION);
  const seconds = positionSeconds(listSecond, near);
  return positionBlock(ctx, vehicle, minute, seconds, minute.reportMs, minute.reportMs);
}

/**
 * A trip's positions: one block per minute from key-on (block k's second s is k min + s s after
 * it), up to key-off — or, for a trip under way, up to the car's last report, as the cloud knows
 * no more. A block's `lastUpdate` is the end of its minute, or that of the data for the last one.
 * `tripid` is v1's numeric trip id (./trip-ids); an unknown or future one is a 404.
 */
export function tripPositions(
  ctx: SimContext,
  vehicle: SimVehicle,
  nowMs: number,
  url: URL,
  listSecond: ReadonlySet<number> | null,
  near: boolean,
) {
  const trip = tripOfV1Id(ctx, vehicle, required(url, 'tripid'), nowMs);
  const upload = lastUpload(ctx, vehicle, nowMs);
  if (!upload) throw new V1Error(404, 'No data for this vehicle yet.');
  if (tripPrivacy(ctx.world.seed, vehicle, trip) !== 'None') throw new V1Error(404, NO_POSITION);
  const trace = ctx.fleet.timelineOf(vehicle).traceOf(trip);
  const untilMs = Math.min(trip.endMs, upload.atMs);
  const seconds = positionSeconds(listSecond, near);
  const blocks: ReturnType<typeof positionBlock>[] = [];
  for (let k = 0; trip.startMs + k * MINUTE_MS + SAMPLE_PERIOD_S * 1000 <= untilMs; k++) {
    const startMs = trip.startMs + k * MINUTE_MS;
    const source = { trip, trace, startMs };
    blocks.push(
      positionBlock(ctx, vehicle, source, seconds, untilMs, Math.min(startMs + MINUTE_MS, untilMs)),
    );
  }
  return blocks;
}
