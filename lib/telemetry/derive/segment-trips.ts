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

/** Rule 5: a trip this short in time or distance is noise. */
export const isNoiseTrip = (durationMs: number, distanceKm: number | null, options: SegmentOptions = {}) =>
  durationMs < (options.minDurationMs ?? MIN_TRIP_DURATION_MS) ||
  (distanceKm ?? 0) < (options.minDistanceKm ?? MIN_TRIP_DISTANCE_KM);

/** Where a TripSegmenter sends the readings of each candidate trip, as soon as they are known. */
export type TripSink = {
  /** A candidate trip begins with this reading. */
  begin(sample: Sample): void;
  /** The next reading of the open candidate. */
  add(sample: Sample): void;
  /** The candidate is complete: its last reading is the last one added (rules 3 and 4). */
  end(): void;
  /**
   * Only from `finish(now)`: the candidate is still under way (rule 6). `tail` holds its readings
   * after the latest moving or engine-on one, which were not added yet.
   */
  ongoing(tail: readonly Sample[]): void;
};

/**
 * The rules above, one reading at a time, so that a long log is segmented without holding it:
 * readings must come canonical (strictly increasing `at`). The segmenter itself keeps only the
 * readings after the latest moving or engine-on one (5 minutes of them at most) and the
 * one before; what to keep of a trip is the sink's choice. The noise rule (5) is the sink's too,
 * since it needs the trip's distance (`isNoiseTrip`).
 */
export class TripSegmenter {
  private readonly sink: TripSink;
  /** Index of the latest reading pushed, and that reading. */
  private index = -1;
  private previous: Sample | undefined;
  /** Index of the last reading of the latest candidate (a reading belongs to one trip only). */
  private taken = -1;
  private open = false;
  private lastActive: { sample: Sample; reading: Reading; index: number } | undefined;
  /** Readings of the open candidate after `lastActive`: its own only if the trip goes on. */
  private pending: Sample[] = [];

  constructor(sink: TripSink) {
    this.sink = sink;
  }

  push(sample: Sample): void {
    if (this.previous !== undefined && !(sample.at > this.previous.at))
      throw new Error('TripSegmenter needs canonical readings (strictly increasing time)');
    const i = ++this.index;
    const reading = classifyReading(sample);
    const last = this.lastActive;
    if (this.open && last && (reading === 'off' || sample.at - last.sample.at >= PARKED_AFTER_MS))
      this.close(sample);
    if (reading === 'moving' || reading === 'on') {
      if (!this.open) {
        this.open = true;
        const before = this.previous;
        // Rule 4: the standstill it pulled away from, unless the previous trip took it.
        if (reading === 'moving' && before && i - 1 > this.taken && sample.at - before.at <= JOIN_GAP_MS) {
          this.sink.begin(before);
          this.sink.add(sample);
        } else this.sink.begin(sample);
      } else {
        for (const waiting of this.pending) this.sink.add(waiting);
        this.pending = [];
        this.sink.add(sample);
      }
      this.lastActive = { sample, reading, index: i };
    } else if (this.open) this.pending.push(sample);
    this.previous = sample;
  }

  /** No more readings. With `now`, a trip whose latest activity is recent is ongoing (rule 6). */
  finish(now?: number): void {
    const last = this.lastActive;
    if (!this.open || !last) return;
    if (now !== undefined && now - last.sample.at < PARKED_AFTER_MS) {
      this.open = false;
      this.sink.ongoing(this.pending);
      this.pending = [];
    } else this.close(undefined);
  }

  /** Ends the open candidate; `current` is the reading being pushed, if any (rule 4's "just after"). */
  private close(current: Sample | undefined): void {
    const last = this.lastActive as { sample: Sample; reading: Reading; index: number };
    const after = this.pending[0] ?? current;
    this.taken = last.index;
    if (last.reading === 'moving' && after !== undefined && after.at - last.sample.at <= JOIN_GAP_MS) {
      this.sink.add(after);
      this.taken++;
    }
    this.open = false;
    this.pending = [];
    this.sink.end();
  }
}

export function segmentTrips(input: readonly Sample[], options: SegmentOptions = {}): Segmentation {
  const trips: TripSegment[] = [];
  let ongoing: TripSegment | null = null;
  let current: Sample[] = [];
  const segmenter = new TripSegmenter({
    begin: (sample) => {
      current = [sample];
    },
    add: (sample) => {
      current.push(sample);
    },
    end: () => {
      const startedAt = (current[0] as Sample).at;
      const endedAt = (current[current.length - 1] as Sample).at;
      if (isNoiseTrip(endedAt - startedAt, estimateDistance(current).km, options)) return;
      trips.push({ providerTripId: derivedTripId(startedAt), startedAt, endedAt, samples: current });
    },
    ongoing: (tail) => {
      const startedAt = (current[0] as Sample).at;
      ongoing = { providerTripId: derivedTripId(startedAt), startedAt, samples: [...current, ...tail] };
    },
  });
  for (const sample of canonicalSamples(input)) segmenter.push(sample);
  segmenter.finish(options.now);
  return { trips, ongoing };
}
