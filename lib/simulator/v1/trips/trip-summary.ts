import { setNewest } from '../../../bounded-map';
import type { SimContext } from '../../context';
import type { PrivacyState } from '../../fleet/privacy';
import { DAY_MS, type TripRecord, type VehicleTimeline } from '../../fleet/vehicle-timeline';
import { coolantAfterParkC } from '../../physics/engine-map';
import { ENGINE_OFF } from '../../physics/powertrain';
import { hasEngine } from '../../physics/vehicle-models';
import { keyOffUploadMs, oilTempC } from '../../v4/status-resources';
import { tripFacts, tripPrivacy } from '../../v4/trip-resources';
import type { SimVehicle } from '../../world/world';
import { tripDrivingMark } from '../ecodriving/trip-mark';

// What v1 says about one finished trip, in metric units and before prices: the same trace, record
// and functions v4's trip body reads (v4/trip-resources.ts), so both APIs give one distance,
// duration, average speed, consumption and odometer for the trip. Prices, the reference trip and
// units are applied when the body is written (trip-body.ts).

export type V1TripSummary = {
  trip: TripRecord;
  /** The in-car privacy mode the trip ran under (v4 `tripPrivacy`). */
  privacy: PrivacyState;
  /** Seconds from key-on to key-off (v4 `duration`). */
  durationS: number;
  /** km driven, unrounded (v4 `distance` is this to one decimal). */
  distanceKm: number;
  /** The odometer when the car was parked after the trip. */
  endOdometerKm: number;
  /** Distance over the whole ignition-on time, stops included (v4 `kinetic.avgSpeed`). */
  avgSpeedKmh: number;
  /** Litres burnt; 0 for electric cars. */
  fuelL: number;
  /** Net traction-battery energy (kWh, ≥ 0, v4's electric `consumption`); 0 without a battery. */
  energyKwh: number;
  /** Tank level (%) at key-on and key-off; null for electric cars. */
  startFuelPct: number | null;
  endFuelPct: number | null;
  /** Tank % added since the previous trip's end (0 when none or for electric cars). */
  refuelPct: number;
  /** Mean engine speed over the seconds the engine (an electric car's motor) turns. */
  meanRpm: number;
  /** Oil temperature at the key-off upload (°C); null for electric cars. */
  oilTempC: number | null;
  /** Where the car stopped (v4 `stopPosition`). */
  end: { lat: number; lon: number };
  /** The eco-driving mark (0–10); null when the trip ran under full privacy (no driving data). */
  drivingMark: number | null;
};

/**
 * A tank level that rose by at least this much between two trips was filled up. [infer] The
 * timeline re-anchors parked levels overnight by a few tenths of a percent upwards (see
 * fleet/vehicle-timeline.ts), which is not a refuel.
 */
export const REFUEL_MIN_PCT = 5;

/** How far back the trip before a trip is looked for (cars drive every few days). */
const PREVIOUS_TRIP_SEARCH_DAYS = 14;

/** A finished trip's summary never changes: kept per car, as v4 keeps its finished bodies. */
const SUMMARIES_PER_CAR = 400;
const summaries = new WeakMap<VehicleTimeline, Map<string, V1TripSummary>>();

/** The summary of a finished trip (callers keep trips under way out of v1). */
export function v1TripSummary(ctx: SimContext, vehicle: SimVehicle, trip: TripRecord): V1TripSummary {
  const timeline = ctx.fleet.timelineOf(vehicle);
  let cached = summaries.get(timeline);
  if (!cached) {
    cached = new Map();
    summaries.set(timeline, cached);
  }
  let summary = cached.get(trip.id);
  if (!summary) {
    summary = summarize(ctx, vehicle, timeline, trip);
    setNewest(cached, trip.id, summary, SUMMARIES_PER_CAR);
  }
  return summary;
}

function summarize(
  ctx: SimContext,
  vehicle: SimVehicle,
  timeline: VehicleTimeline,
  trip: TripRecord,
): V1TripSummary {
  const facts = tripFacts(timeline, trip, trip.endMs);
  const { trace, last, durationS } = facts;
  const privacy = tripPrivacy(ctx.world.seed, vehicle, trip);
  const startFuelPct = trace.fuelLevelPct ? (trace.fuelLevelPct[0] ?? null) : null;
  const endFuelPct = trace.fuelLevelPct ? (trace.fuelLevelPct[last] ?? null) : null;
  let rpmSum = 0;
  let rpmSeconds = 0;
  for (let i = 0; i <= last; i++) {
    const rpm = trace.engineRpm[i] ?? 0;
    if (trace.engineMode[i] !== ENGINE_OFF && rpm > 0) {
      rpmSum += rpm;
      rpmSeconds++;
    }
  }
  const driven = trace.distanceKm[last] ?? 0;
  return {
    trip,
    privacy,
    durationS,
    distanceKm: trip.distanceKm,
    endOdometerKm: timeline.stateAt(trip.endMs).odometerKm,
    avgSpeedKmh: durationS > 0 ? (driven / durationS) * 3600 : 0,
    fuelL: Math.max(0, trace.fuelL[last] ?? 0),
    energyKwh: Math.max(0, trace.energyKwh[last] ?? 0),
    startFuelPct,
    endFuelPct,
    refuelPct: startFuelPct === null ? 0 : refuelBefore(timeline, trip, startFuelPct),
    meanRpm: rpmSeconds > 0 ? rpmSum / rpmSeconds : 0,
    oilTempC: hasEngine(timeline.model)
      ? oilAtKeyOff(
          trace.outsideTempC,
          trace.engineEndTempC,
          keyOffUploadMs(ctx.world.seed, vehicle.id, trip.endMs),
        )
      : null,
    end: timeline.positionOnTrip(trip, driven),
    drivingMark: privacy === 'Full' ? null : tripDrivingMark(ctx, vehicle, trip),
  };
}

/** The trip before `trip`, within PREVIOUS_TRIP_SEARCH_DAYS. */
function previousTrip(timeline: VehicleTimeline, trip: TripRecord): TripRecord | null {
  const day = Math.floor(trip.startMs / DAY_MS);
  for (let d = day; d > day - PREVIOUS_TRIP_SEARCH_DAYS; d--) {
    const before = timeline.tripsBetween(d * DAY_MS, Math.min((d + 1) * DAY_MS, trip.startMs)).at(-1);
    if (before) return before;
  }
  return null;
}

/** % of tank added between the previous trip's key-off and this trip's key-on. */
function refuelBefore(timeline: VehicleTimeline, trip: TripRecord, startFuelPct: number): number {
  const previous = previousTrip(timeline, trip);
  const parkedPct = previous ? timeline.stateAt(previous.endMs).fuelLevelPct : null;
  if (parkedPct === null) return 0;
  const rise = startFuelPct - parkedPct;
  return rise >= REFUEL_MIN_PCT ? rise : 0;
}

/**
 * Oil temperature as v4's status reports it at the key-off upload a few seconds after the trip
 * (v4/status-resources.ts `enginesOf`: the oil warms slower than the coolant and settles near
 * 98 °C against 90 °C), from the coolant the trace ends with.
 */
function oilAtKeyOff(outsideC: number, engineEndC: number | null, keyOffDelayMs: number): number {
  return oilTempC(outsideC, coolantAfterParkC(outsideC, keyOffDelayMs / 60_000, engineEndC ?? outsideC));
}
