// Harsh acceleration and braking events from a speed time series — the rules, in plain words
// (the public /methodology page quotes this block; keep it true to the code):
//
//  1. Readings. Only readings with a time and a speed of 0 km/h or more count. Identical readings
//     count once. Different speeds reported for the same instant are replaced by their median.
//     The order the readings arrive in does not matter.
//  2. Gaps. Two readings more than 10 s apart are not joined: nothing is assumed about the speed in
//     between, so a gap can never create an acceleration. (The slowest sources report every 5 s;
//     10 s is one missed reading.) A stretch between gaps needs at least 3 readings.
//  3. Lone samples. A reading higher than both its neighbours, or lower than both, is ignored and
//     the speed is drawn straight between the neighbours; so no event can come from one bad sample
//     (a GPS glitch). At the ends of a stretch the next two readings play the neighbours. The cost:
//     at 1 Hz or slower a genuine one-reading peak is flattened too — the rules may miss an event
//     there, never invent one.
//  4. Running median. Where readings come at least twice a second, each speed is replaced by the
//     median of the readings within 0.5 s before and after it, as many on each side (at most 10).
//     This takes out sensor noise and glitches a few readings long, and leaves steady speed-ups
//     and slow-downs exactly as they are. Slower data passes this step unchanged.
//  5. Resampling. Speed is drawn straight between readings and read every 0.1 s (10 Hz, the
//     fastest rate our sources deliver), on a clock-aligned grid.
//  6. Smoothing. The resampled speed is averaged over 0.5 s (a centred moving average).
//  7. Acceleration is the rate of change of that smoothed speed (central difference over 0.2 s),
//     in m/s². Positive is speeding up, negative is slowing down.
//  8. Harsh. Acceleration at or above 3.0 m/s² — or braking at or below −3.0 m/s² — held for at
//     least 1 s without a break. 3 m/s² is the level used by Progressive Snapshot and the
//     Mediroutes telematics provider (7 mph/s ≈ 3.1 m/s²); Samsara's "16 mph in 2 s" is 3.6 m/s²;
//     Digital Matter's "testing" level is 3.0–3.5 m/s² (docs/product-anchors.md c.2, c.5).
//  9. Severe. An event whose peak reaches 4.0 m/s² (braking −4.0 m/s²). Verizon Connect's severe
//     braking is 9 mph/s ≈ 4.0 m/s²; Digital Matter's default is 4.4 m/s² (c.2, c.5).
// 10. Merging. Events of the same kind are merged when they fall within 60 s of the start of the
//     event they would join (Powerfleet counts the same event type repeated within a minute once,
//     c.3); a new event of that kind can begin only after those 60 s. So at most one acceleration
//     event and one braking event per minute are counted, and an event's span never grows without
//     end.
// 11. Peak and time. Each event reports its peak — the largest acceleration (most negative for
//     braking) within it — and the moment of that peak on the 0.1 s grid; ties go to the earliest.
// 12. Measured acceleration. When a source reports its own longitudinal acceleration (PSA
//     telemetry `kinetic.acceleration`, the sample's `accelerationMs2`), it is not used: its
//     filtering and sensor are unknown and differ per car and per provider, an accelerometer also
//     reads road slope, and peers are ranked against each other — every driver's events must come
//     from the same method, applied to the speed every source provides.
//
// Known limits, stated on the methodology page too: a stale reading (the previous value repeated
// with a new time) is not a lone sample and is believed, so at 1 Hz it can squeeze two seconds of
// speed change into one — enough to make a brisk speed-up of about 2.5 m/s² an event, not a
// gentler one. Two bad readings in a row at 2 Hz or slower are believed too, and can make an event.
//
// The same pass also yields what the scoring work needs without differentiating speed again: the
// smoothed speed and acceleration series (`segments`) and a distribution summary
// (acceleration-summary.ts). Scoring itself (weights, rates per 100 km) lives elsewhere.
//
// Pure and isomorphic — no `import 'server-only'` (see resample.ts). Call it per trip: the grid
// costs 10 points per second of driving.

import { type AccelerationSummary, summarizeAcceleration } from './acceleration-summary';
import { type MotionSegment, motionSegments, RESAMPLE_STEP_MS, type SpeedPoint } from './resample';

export type { AccelerationSummary } from './acceleration-summary';
export type { MotionSegment, SpeedPoint } from './resample';

/** Harsh level, m/s² (Progressive / Mediroutes 7 mph/s; product-anchors c.5). */
export const HARSH_MS2 = 3.0;
/** Severe level, m/s² (Verizon Connect severe braking 9 mph/s; product-anchors c.5). */
export const SEVERE_MS2 = 4.0;
/** Minimum time the acceleration must stay at or beyond HARSH_MS2 (product-anchors c.5). */
export const SUSTAIN_MS = 1000;
/** Same-type events within this window of an event's start are merged into it (Powerfleet, c.3). */
export const MERGE_WINDOW_MS = 60_000;

export const DRIVING_EVENT_TYPES = ['harsh_acceleration', 'harsh_braking'] as const;
export type DrivingEventType = (typeof DRIVING_EVENT_TYPES)[number];
export const EVENT_SEVERITIES = ['harsh', 'severe'] as const;
export type EventSeverity = (typeof EVENT_SEVERITIES)[number];

/** A driving event as Kinetic computes and stores it. */
export type DrivingEvent = {
  type: DrivingEventType;
  severity: EventSeverity;
  /** Moment of the peak, epoch ms. */
  at: number;
  /** Peak acceleration, m/s², signed: negative for braking. */
  value: number;
  /** First and last instant (epoch ms) beyond the harsh level within the merged event, for charts. */
  startedAt: number;
  endedAt: number;
};

/** The `<event>` of docs/interfaces.md. */
export type DrivingEventJson = {
  type: DrivingEventType;
  severity: EventSeverity;
  /** ISO 8601, UTC. */
  at: string;
  /** m/s², signed, to 0.01. */
  value: number;
};

export function drivingEventToJson(event: DrivingEvent): DrivingEventJson {
  const value = Math.round(event.value * 100) / 100;
  return {
    type: event.type,
    severity: event.severity,
    at: new Date(event.at).toISOString(),
    value: value === 0 ? 0 : value,
  };
}

export type DrivingAnalysis = {
  /** Sorted by `at`. */
  events: DrivingEvent[];
  /** Smoothed speed and acceleration per gap-free stretch, in time order. */
  segments: MotionSegment[];
  summary: AccelerationSummary;
};

const SIGNS: ReadonlyArray<readonly [DrivingEventType, 1 | -1]> = [
  ['harsh_acceleration', 1],
  ['harsh_braking', -1],
];

/** Events, series and summary from one pass over the readings. */
export function analyzeDriving(points: readonly SpeedPoint[]): DrivingAnalysis {
  const segments = motionSegments(points);
  const events = SIGNS.flatMap(([type, sign]) => eventsOfType(segments, type, sign));
  events.sort((a, b) => a.at - b.at || a.type.localeCompare(b.type));
  return { events, segments, summary: summarizeAcceleration(segments) };
}

export function detectDrivingEvents(points: readonly SpeedPoint[]): DrivingEvent[] {
  return analyzeDriving(points).events;
}

/** Index ranges [from, to] (inclusive) where sign × acceleration ≥ HARSH_MS2 for ≥ SUSTAIN_MS. */
function sustainedStretches(acceleration: Float64Array, sign: 1 | -1): Array<[number, number]> {
  const stretches: Array<[number, number]> = [];
  let from = -1;
  for (let i = 0; i <= acceleration.length; i++) {
    const beyond = i < acceleration.length && sign * (acceleration[i] as number) >= HARSH_MS2;
    if (beyond && from < 0) from = i;
    if (!beyond && from >= 0) {
      if ((i - 1 - from) * RESAMPLE_STEP_MS >= SUSTAIN_MS) stretches.push([from, i - 1]);
      from = -1;
    }
  }
  return stretches;
}

/**
 * Greedy one-minute windows over the sustained instants: the first instant opens an event, every
 * instant up to 60 s later joins it, the next one after that opens the next event. This is the
 * fewest 60 s windows that cover all harsh instants, which is why weaker driving (a subset of
 * those instants) can never be counted as more events.
 */
function eventsOfType(segments: readonly MotionSegment[], type: DrivingEventType, sign: 1 | -1) {
  const events: DrivingEvent[] = [];
  let open: { windowStart: number; peak: number; peakAt: number; startedAt: number; endedAt: number } | null =
    null;
  const close = () => {
    if (open === null) return;
    events.push({
      type,
      severity: open.peak >= SEVERE_MS2 ? 'severe' : 'harsh',
      at: open.peakAt,
      value: sign * open.peak,
      startedAt: open.startedAt,
      endedAt: open.endedAt,
    });
    open = null;
  };
  for (const segment of segments) {
    for (const [from, to] of sustainedStretches(segment.accelerationMs2, sign)) {
      for (let i = from; i <= to; i++) {
        const t = segment.startAt + i * RESAMPLE_STEP_MS;
        const magnitude = sign * (segment.accelerationMs2[i] as number);
        if (open !== null && t > open.windowStart + MERGE_WINDOW_MS) close();
        if (open === null) {
          open = { windowStart: t, peak: magnitude, peakAt: t, startedAt: t, endedAt: t };
          continue;
        }
        if (magnitude > open.peak) {
          open.peak = magnitude;
          open.peakAt = t;
        }
        open.endedAt = t;
      }
    }
  }
  close();
  return events;
}
