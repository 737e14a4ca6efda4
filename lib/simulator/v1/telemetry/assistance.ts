import { HARSH_BRAKING_MS2 } from '../../physics/trace-summary';
import type { SimVehicle } from '../../world/world';
import { carSecond, EVERY_SECOND, type LastMinute, secondsMap, v1Instant } from './last-minute';

// The /safety operations (spec fetchLast…/searchDrivingAssistancePerDayByVehicle and the
// safety-assistance pair; vehicle-apis.md §7): per-second states of the driver aids over a sampled
// minute — the last one, or the last one of a `day`. The spec says nothing of the values; the
// simulator has no traffic, lanes or obstacles, so only what the trace determines moves [infer]:
// - assistance states: 0 off or standing by (parked, or outside the system's speed range), 1 on
//   and watching, 2 warning or acting. Lane departure warning (`afil`) watches from 80 km/h, lane
//   keeping from 65, the distance alert (`respectTimeIntVeh`) from 30, blind-spot monitoring from
//   12, as PSA's manuals give them; with no other traffic none of them ever warns. Parking sensors
//   wake at 10 km/h and below; the rear ones beep (2) in the last 20 s before key-off, parking.
// - `speedInfoPanel`: the posted limit the sign camera reads (km/h), v4's `adas.sli`; 0 where none
//   is posted or parked.
// - `autoECall`: 0, as v4 reports `autoECallTriggering: NotDetected`.
// - safety assistance: `infoBeltSecurity` 0, belts fastened (v4's `beltStatus: Normal`);
//   `AdEmergencyBrakeSystem` (Active Safety Brake) watches at 5–140 km/h and never brakes (no
//   obstacles); `abs` 1 while braking harder than the harsh-braking threshold (3.5 m/s²) on a
//   road at or below 3 °C, where the wheels lock; `esp` 0 (no skids without lateral dynamics).

const OFF = 0;
const WATCHING = 1;
const ACTING = 2;

/** Systems that watch the road above a speed (km/h). */
const WATCH_FROM_KMH = {
  afil: 80,
  respectTimeIntVeh: 30,
  survBlindSpot: 12,
  laneKeepAssistLeft: 65,
  laneKeepAssistRight: 65,
} as const;
const PARK_ASSIST_MAX_KMH = 10;
const PARKING_LAST_MS = 20_000;
const AEBS_KMH: readonly [number, number] = [5, 140];
const ICY_ROAD_C = 3;

type Reading = { speedKmh: number; index: number; atMs: number } | null;

function readingsOf(minute: LastMinute) {
  const { trace } = minute;
  return (second: number): Reading => {
    const { atMs, index } = carSecond(minute, second);
    return index === null ? null : { speedKmh: trace.speedKmh[index] ?? 0, index, atMs };
  };
}

export function drivingAssistance(
  vehicle: SimVehicle,
  minute: LastMinute,
  listSecond: ReadonlySet<number> | null,
) {
  const reading = readingsOf(minute);
  const { trace, trip } = minute;
  const watching = (fromKmh: number) => (second: number) => {
    const at = reading(second);
    return at !== null && at.speedKmh >= fromKmh ? WATCHING : OFF;
  };
  const parkAssist = (beeps: boolean) => (second: number) => {
    const at = reading(second);
    if (at === null || at.speedKmh > PARK_ASSIST_MAX_KMH) return OFF;
    return beeps && trip.endMs - at.atMs <= PARKING_LAST_MS ? ACTING : WATCHING;
  };
  const map = (value: (second: number) => number) => secondsMap(EVERY_SECOND, listSecond, value);
  return {
    autoECall: 0,
    afil: map(watching(WATCH_FROM_KMH.afil)),
    respectTimeIntVeh: map(watching(WATCH_FROM_KMH.respectTimeIntVeh)),
    survBlindSpot: map(watching(WATCH_FROM_KMH.survBlindSpot)),
    speedInfoPanel: map((second) => {
      const at = reading(second);
      return at === null ? 0 : Math.round(trace.limitKmh[at.index] ?? 0);
    }),
    rearSoundParkAssist: map(parkAssist(true)),
    frontSoundParkAssist: map(parkAssist(false)),
    laneKeepAssistLeft: map(watching(WATCH_FROM_KMH.laneKeepAssistLeft)),
    laneKeepAssistRight: map(watching(WATCH_FROM_KMH.laneKeepAssistRight)),
    vin: vehicle.vin,
    lastUpdate: v1Instant(minute.reportMs),
    contract: vehicle.contract,
  };
}

export function safetyAssistance(
  vehicle: SimVehicle,
  minute: LastMinute,
  listSecond: ReadonlySet<number> | null,
) {
  const reading = readingsOf(minute);
  const { trace } = minute;
  const icy = trace.outsideTempC <= ICY_ROAD_C;
  const map = (value: (second: number) => number) => secondsMap(EVERY_SECOND, listSecond, value);
  return {
    infoBeltSecurity: map(() => 0),
    AdEmergencyBrakeSystem: map((second) => {
      const at = reading(second);
      return at !== null && at.speedKmh >= AEBS_KMH[0] && at.speedKmh <= AEBS_KMH[1] ? WATCHING : OFF;
    }),
    abs: map((second) => {
      const at = reading(second);
      return at !== null && icy && (trace.accelerationMs2[at.index] ?? 0) < HARSH_BRAKING_MS2 ? 1 : 0;
    }),
    esp: map(() => 0),
    vin: vehicle.vin,
    lastUpdate: v1Instant(minute.reportMs),
    contract: vehicle.contract,
  };
}
