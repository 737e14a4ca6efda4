import type { DrivingStyle } from './driver-style';
import { createRng, deriveSeed, type Rng } from './random';
import type { RoutePhase } from './speed-profile';

export type RoutineKind = 'commute' | 'errand' | 'motorway-run' | 'weekend-trip';

export type PlannedTrip = {
  routine: RoutineKind;
  /** Wall-clock start: the day's calendar date at `startMinute`, expressed on the UTC clock. */
  startTime: Date;
  /** Minutes after midnight (local wall time of the fleet). */
  startMinute: number;
  phases: RoutePhase[];
};

/** What a driver does week after week; persistent like the style. */
export type DriverHabits = {
  /** The home→work route; the way back is the same phases reversed. */
  commute: RoutePhase[];
  /** Minute of the day the driver usually leaves for work, and leaves work. */
  departureMinute: number;
  returnMinute: number;
  /** Chance of driving to work on a given weekday (remote days, holidays, leave). */
  workdayRate: number;
  /** Chance of an evening errand after work. */
  errandRate: number;
  /** Chance that a working day is a long business trip by motorway instead of the commute. */
  motorwayRunRate: number;
  /** Chance of a longer trip on a weekend day. */
  weekendTripRate: number;
};

const urban = (distanceKm: number, speedLimitKmh = 50): RoutePhase => ({
  kind: 'urban',
  distanceKm,
  speedLimitKmh,
});
const road = (distanceKm: number, speedLimitKmh = 80): RoutePhase => ({
  kind: 'road',
  distanceKm,
  speedLimitKmh,
});
const motorway = (distanceKm: number, speedLimitKmh = 130): RoutePhase => ({
  kind: 'motorway',
  distanceKm,
  speedLimitKmh,
});
const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * A driver's habits, derived from the style's seed so the same driver keeps the same commute and
 * timetable on every day that is generated, in any order.
 */
export function driverHabits(style: DrivingStyle): DriverHabits {
  const rng = createRng(deriveSeed('driver-habits', style.seed ?? 0));
  // French commutes: median ≈ 13 km one way, a long tail past 40 km (INSEE mobility surveys).
  const commuteKm = Math.min(60, Math.max(3, Math.exp(rng.normal(Math.log(13), 0.6))));
  const commute: RoutePhase[] = [];
  if (commuteKm < 7) {
    commute.push(urban(round1(commuteKm * 0.6)), urban(round1(commuteKm * 0.4), rng.pick([30, 50])));
  } else {
    const townStart = rng.range(1, 3.5);
    const townEnd = rng.range(1, 3);
    const openKm = commuteKm - townStart - townEnd;
    commute.push(urban(round1(townStart)));
    if (openKm > 14 && rng.chance(0.7)) {
      const roadKm = rng.range(3, 6);
      commute.push(road(round1(roadKm)), motorway(round1(openKm - roadKm), rng.pick([110, 130])));
    } else {
      commute.push(road(round1(openKm), rng.pick([80, 90])));
    }
    commute.push(urban(round1(townEnd)));
  }
  const departureMinute = Math.round(rng.normal(8 * 60, 35));
  return {
    commute,
    departureMinute,
    returnMinute: Math.round(departureMinute + 9 * 60 + rng.normal(0, 30)),
    workdayRate: rng.range(0.75, 0.95),
    errandRate: rng.range(0.2, 0.5),
    motorwayRunRate: rng.range(0, 0.08),
    weekendTripRate: rng.range(0.15, 0.45),
  };
}

/** Phases for one outbound trip of a routine (the return is usually the reverse). */
export function routinePhases(rng: Rng, routine: RoutineKind, habits: DriverHabits): RoutePhase[] {
  switch (routine) {
    case 'commute':
      return habits.commute.map((phase) => ({ ...phase }));
    case 'errand': {
      const phases = [urban(round1(rng.range(1, 5)))];
      if (rng.chance(0.4)) phases.push(road(round1(rng.range(2, 8))), urban(round1(rng.range(0.5, 2))));
      return phases;
    }
    case 'motorway-run':
      return [
        urban(round1(rng.range(1.5, 4))),
        road(round1(rng.range(3, 8))),
        motorway(round1(rng.range(60, 180)), rng.pick([110, 130, 130])),
        road(round1(rng.range(3, 8))),
        urban(round1(rng.range(1.5, 4))),
      ];
    case 'weekend-trip': {
      const phases = [urban(round1(rng.range(1, 3))), road(round1(rng.range(15, 50)), rng.pick([80, 90]))];
      if (rng.chance(0.5)) phases.push(motorway(round1(rng.range(20, 90)), 130));
      phases.push(urban(round1(rng.range(2, 5))));
      return phases;
    }
  }
}

/**
 * A pessimistic duration of a trip (slow average speeds, minutes of idling), only to keep a day's
 * trips from overlapping once they are simulated.
 */
function estimatedMinutes(phases: readonly RoutePhase[]): number {
  let minutes = 6;
  for (const phase of phases) {
    const share = phase.kind === 'urban' ? 0.4 : phase.kind === 'road' ? 0.7 : 0.85;
    minutes += (phase.distanceKm / (phase.speedLimitKmh * share)) * 60;
  }
  return minutes;
}

const reversed = (phases: readonly RoutePhase[]) => phases.map((phase) => ({ ...phase })).reverse();

/**
 * The trips of one day for a driver: weekday commutes (sometimes a motorway business trip),
 * evening errands, Saturday shopping, weekend outings, and days when the car stays parked.
 * `date` names the calendar day through its UTC fields; start times are wall-clock minutes of
 * that day, so the fleet layer applies its own time zone.
 */
export function planDay(
  rng: Rng,
  style: DrivingStyle,
  date: Date,
  habits: DriverHabits = driverHabits(style),
): PlannedTrip[] {
  const weekday = date.getUTCDay();
  const wanted: { routine: RoutineKind; minute: number; phases: RoutePhase[]; staysMin: number }[] = [];
  const roundTrip = (routine: RoutineKind, minute: number, staysMin: number) => {
    const phases = routinePhases(rng, routine, habits);
    wanted.push({ routine, minute, phases, staysMin });
    wanted.push({ routine, minute: -1, phases: reversed(phases), staysMin: 0 });
  };

  if (weekday >= 1 && weekday <= 5) {
    if (rng.chance(habits.workdayRate)) {
      const leave = habits.departureMinute + rng.normal(0, 12);
      if (rng.chance(habits.motorwayRunRate)) {
        roundTrip('motorway-run', leave - 60, rng.range(180, 420));
      } else {
        const home = habits.returnMinute + rng.normal(0, 25);
        wanted.push({
          routine: 'commute',
          minute: leave,
          phases: routinePhases(rng, 'commute', habits),
          staysMin: 0,
        });
        wanted.push({ routine: 'commute', minute: home, phases: reversed(habits.commute), staysMin: 0 });
      }
      if (rng.chance(habits.errandRate))
        roundTrip('errand', habits.returnMinute + rng.range(40, 120), rng.range(15, 60));
    } else if (rng.chance(0.5)) {
      roundTrip('errand', rng.range(9 * 60, 17 * 60), rng.range(20, 90));
    }
  } else if (weekday === 6) {
    if (rng.chance(habits.weekendTripRate))
      roundTrip('weekend-trip', rng.range(8.5 * 60, 11 * 60), rng.range(120, 360));
    const errands = rng.chance(0.75) ? rng.int(1, 2) : 0;
    for (let e = 0; e < errands; e++) roundTrip('errand', rng.range(9 * 60, 18 * 60), rng.range(20, 75));
  } else {
    if (rng.chance(habits.weekendTripRate * 0.8))
      roundTrip('weekend-trip', rng.range(9 * 60, 12 * 60), rng.range(150, 420));
    else if (rng.chance(0.35)) roundTrip('errand', rng.range(10 * 60, 18 * 60), rng.range(30, 120));
  }

  // Lay the trips out in time: each outbound trip asks for a start, each return follows its stay.
  const order = wanted
    .map((trip, index) => ({ trip, index }))
    .filter(({ trip }) => trip.minute >= 0)
    .sort((a, b) => a.trip.minute - b.trip.minute);
  const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const trips: PlannedTrip[] = [];
  const push = (routine: RoutineKind, minute: number, phases: RoutePhase[]) => {
    const startMinute = Math.round(minute);
    trips.push({ routine, startTime: new Date(dayStart + startMinute * 60_000), startMinute, phases });
  };
  let free = 5 * 60;
  for (const { trip, index } of order) {
    // A round trip's return (minute −1) directly follows its outbound trip in `wanted`.
    const next = wanted[index + 1];
    const back = next && next.minute < 0 ? next : null;
    const start = Math.max(trip.minute, free);
    const outEnd = start + estimatedMinutes(trip.phases);
    const backStart = outEnd + trip.staysMin;
    const dayEnd = back ? backStart + estimatedMinutes(back.phases) : outEnd;
    // Skip what cannot be done (and brought home) before midnight rather than overlap tomorrow.
    if (dayEnd > 23.75 * 60) continue;
    push(trip.routine, start, trip.phases);
    if (back) push(back.routine, backStart, back.phases);
    free = dayEnd + 10;
  }
  return trips;
}
