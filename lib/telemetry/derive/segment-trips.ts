import 'server-only';
import { MOVING_SPEED_KMH } from '../../scoring/acceleration-summary';
import type { Sample } from '../model';
import { estimateDistance } from './distance';
import { canonicalSamples, JOIN_GAP_MS } from './samples';

// Trips from samples, for sources that give no trips of their own (OBD-II imports, and any car
// whose provider gives none) — the rules, in plain words:
//
//  1. Readings. Samples are put in canonical form first (samples.ts: sorted, one per instant), so
//     the order of the rows and repeated rows change nothing.
//  2. What each reading says. A reading is *moving* when its speed is 5 km/h or more (the moving
//     threshold of the acceleration summary; Samsara starts a trip at 5 mph, product-anchors c.2;
//     below it GPS speed is mostly noise). It says the engine is *on* when the car reports
//     ignition on, or — without an ignition flag — an engine speed above 0 rpm (OBD logs have
//     RPM but no ignition). It says *off* when the car reports ignition off. Engine speed 0 is
//     not "off": start-stop engines stop at every red light.
//  3. A trip starts at the first moving or engine-on reading, and goes on through every reading
//     until the car is parked:
//       - a reading with ignition off (and not moving) ends it at once;
//       - 5 minutes or more without a moving or engine-on reading ends it — whether readings kept
//         coming (standing still with no sign of a running engine, e.g. a file with speed only)
//         or none came at all (the logger or the car went quiet). Samsara ends a trip after
//         5 min below 5 mph (product-anchors c.2); gigaserv splits at gaps of more than 10 min
//         (c.3); we take the shorter, so that a coffee stop is a trip boundary whether the
//         logger kept running or not.
//     So with ignition (or RPM) data a stop with the engine running stays inside the trip (it is
//     idle time); without it, only stops shorter than 5 minutes do.
//  4. Bounds. The trip runs from its first to its last moving or engine-on reading. When it
//     begins moving, the reading just before (within 10 s, the join gap of samples.ts) is the
//     standstill it pulled away from and is included; when it ends moving, the reading just after
//     (within 10 s) is where it stopped and is included too. No reading belongs to two trips.
//  5. Noise. A trip shorter than 60 s (gigaserv drops drives under 60 s, product-anchors c.3) or
//     shorter than 100 m (a car moved in a driveway or a parking space; distance by the rules of
//     distance.ts, and an unknown distance counts as 0 m) is dropped.
//  6. Unfinished. When the caller says up to when the data is complete (`now`), a last trip whose
//     latest moving or engine-on reading is less than 5 minutes old, and which no ignition-off
//     reading has ended, is not finished: it is returned apart (`ongoing`), without an end and
//     without the noise rule. The caller keeps its samples and segments again from its start
//     when more arrive; the start, and so the id, does not change.
//  7. Id. A derived trip's `providerTripId` is `derived-` followed by its start as an ISO 8601 UTC
//     instant, e.g. `derived-2026-03-01T08:15:02.000Z`. It depends only on the start, so importing
//     the same file again yields the same ids; it is unique per vehicle because two trips of one
//     car never start at the same instant, and the store keys trips by vehicle and provider id.

export const TRIP_MOVING_SPEED_KMH = MOVING_SPEED_KMH;
/** This long without a moving or engine-on reading ends a trip (rule 3). */
export const PARKED_AFTER_MS = 5 * 60_000;
/** Trips shorter than this are noise (rule 5). */
export const MIN_TRIP_DURATION_MS = 60_000;
/** Trips shorter than this are noise (rule 5). */
export const MIN_TRIP_DISTANCE_KM = 0.1;
/** Prefix of derived trip ids (rule 7). */
export const DERIVED_TRIP_ID_PREFIX = 'derived-';

export type SegmentOptions = {
  /** Epoch ms up to which the data is complete; without it every trip is finished (rule 6). */
  now?: number;
  /** Noise thresholds (rule 5); tests set them to 0 to see every candidate. */
  minDurationMs?: number;
  minDistanceKm?: number;
};

export type TripSegment = {
  providerTripId: string;
  startedAt: number;
  /** Absent for the ongoing trip. */
  endedAt?: number;
  /** The trip's readings, canonical (sorted, one per instant). */
  samples: Sample[];
};

export type Segmentation = {
  /** Finished trips, in time order. */
  trips: TripSegment[];
  /** The trip still under way at `now`, if any (rule 6). */
  ongoing: TripSegment | null;
};

type Reading = 'moving' | 'on' | 'off' | 'still';

export function classifyReading(sample: Sample): Reading {
  if (sample.speedKmh !== undefined && sample.speedKmh >= TRIP_MOVING_SPEED_KMH) return 'moving';
  if (sample.ignition === false) return 'off';
  if (sample.ignition === true) return 'on';
  if (sample.ignition === undefined && sample.engineRpm !== undefined && sample.engineRpm > 0) return 'on';
  return 'still';
}

export const derivedTripId = (startedAt: number) =>
  `${DERIVED_TRIP_ID_PREFIX}${new Date(startedAt).toISOString()}`;

export function segmentTrips(input: readonly Sample[], options: SegmentOptions = {}): Segmentation {
  const samples = canonicalSamples(input);
  const readings = samples.map(classifyReading);
  const at = (i: number) => (samples[i] as Sample).at;
  const active = (i: number) => readings[i] === 'moving' || readings[i] === 'on';

  const candidates: Array<{ from: number; to: number }> = [];
  let taken = -1;
  let from = -1;
  let lastActive = -1;

  const close = () => {
    let to = lastActive;
    if (readings[lastActive] === 'moving' && to + 1 < samples.length && at(to + 1) - at(to) <= JOIN_GAP_MS)
      to++;
    candidates.push({ from, to });
    taken = to;
    from = -1;
  };

  for (let i = 0; i < samples.length; i++) {
    if (from >= 0 && (readings[i] === 'off' || at(i) - at(lastActive) >= PARKED_AFTER_MS)) close();
    if (!active(i)) continue;
    if (from < 0) {
      from = i;
      if (readings[i] === 'moving' && i - 1 > taken && at(i) - at(i - 1) <= JOIN_GAP_MS) from = i - 1;
    }
    lastActive = i;
  }

  let ongoing: TripSegment | null = null;
  if (from >= 0) {
    const stillGoing = options.now !== undefined && options.now - at(lastActive) < PARKED_AFTER_MS;
    if (stillGoing) {
      const tripSamples = samples.slice(from);
      ongoing = { providerTripId: derivedTripId(at(from)), startedAt: at(from), samples: tripSamples };
    } else close();
  }

  const minDurationMs = options.minDurationMs ?? MIN_TRIP_DURATION_MS;
  const minDistanceKm = options.minDistanceKm ?? MIN_TRIP_DISTANCE_KM;
  const trips: TripSegment[] = [];
  for (const candidate of candidates) {
    const tripSamples = samples.slice(candidate.from, candidate.to + 1);
    const startedAt = at(candidate.from);
    const endedAt = at(candidate.to);
    if (endedAt - startedAt < minDurationMs) continue;
    const distance = estimateDistance(tripSamples).km ?? 0;
    if (distance < minDistanceKm) continue;
    trips.push({ providerTripId: derivedTripId(startedAt), startedAt, endedAt, samples: tripSamples });
  }
  return { trips, ongoing };
}
