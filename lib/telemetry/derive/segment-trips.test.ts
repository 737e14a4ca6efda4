import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../model';
import { estimateDistance } from './distance';
import { canonicalSamples, JOIN_GAP_MS } from './samples';
import { iso, readings, SOURCE, T0 } from './samples-for-tests';
import {
  classifyReading,
  derivedTripId,
  MIN_TRIP_DISTANCE_KM,
  MIN_TRIP_DURATION_MS,
  PARKED_AFTER_MS,
  type Segmentation,
  type SegmentOptions,
  segmentTrips,
  type TripSegment,
  TripSegmenter,
} from './segment-trips';

const bounds = (samples: Sample[]) =>
  segmentTrips(samples).trips.map((trip) => [
    new Date(trip.startedAt).toISOString(),
    trip.endedAt === undefined ? null : new Date(trip.endedAt).toISOString(),
  ]);

/** 1 Hz: standstill at 0 s, 60 km/h from 1 s to `driveS − 1`, standstill from `driveS`. */
const drive = (fromS: number, driveS: number, extra: (t: number) => Partial<Sample> = () => ({})) =>
  readings(fromS, fromS + driveS, 1, (t) => ({
    speedKmh: t === fromS || t === fromS + driveS ? 0 : 60,
    ...extra(t),
  }));

/** 1 Hz standstill over the open interval (fromS, toS). */
const stop = (fromS: number, toS: number, extra: (t: number) => Partial<Sample> = () => ({})) =>
  readings(fromS + 1, toS - 1, 1, (t) => ({ speedKmh: 0, ...extra(t) }));

describe('segmentTrips: hand-worked cases', () => {
  it('splits a speed-only drive at a 10-minute stop; each trip includes the standstill at either end', () => {
    const samples = [...drive(0, 300), ...stop(300, 900), ...drive(900, 300)];
    expect(bounds(samples)).toEqual([
      [iso(0), iso(300)],
      [iso(900), iso(1200)],
    ]);
    const { trips } = segmentTrips(samples);
    expect(trips.map((trip) => trip.providerTripId)).toEqual([`derived-${iso(0)}`, `derived-${iso(900)}`]);
    expect(trips[0]?.samples).toHaveLength(301);
  });

  it('keeps a 3-minute speed-only stop inside the trip', () => {
    const samples = [...drive(0, 300), ...stop(300, 480), ...drive(480, 300)];
    expect(bounds(samples)).toEqual([[iso(0), iso(780)]]);
  });

  it('keeps a 10-minute stop with the ignition on inside the trip (idling), and splits at ignition off', () => {
    const on = () => ({ ignition: true });
    const idling = [...drive(0, 300, on), ...stop(300, 900, on), ...drive(900, 300, on)];
    expect(bounds(idling)).toEqual([[iso(0), iso(1200)]]);

    const parked = [
      ...drive(0, 300, on),
      ...stop(300, 420, () => ({ ignition: false })),
      ...drive(420, 300, on),
    ];
    expect(bounds(parked)).toEqual([
      [iso(0), iso(300)],
      [iso(420), iso(720)],
    ]);
  });

  it('treats engine speed as ignition for OBD logs, but 0 rpm (start-stop) as no evidence either way', () => {
    const running = [
      ...drive(0, 300, () => ({ engineRpm: 2000 })),
      ...stop(300, 900, () => ({ engineRpm: 800 })),
      ...drive(900, 300, () => ({ engineRpm: 2000 })),
    ];
    expect(bounds(running)).toEqual([[iso(0), iso(1200)]]);
    const stopped = [
      ...drive(0, 300, () => ({ engineRpm: 2000 })),
      ...stop(300, 900, () => ({ engineRpm: 0 })),
      ...drive(900, 300, () => ({ engineRpm: 2000 })),
    ];
    expect(bounds(stopped)).toHaveLength(2);
    expect(classifyReading({ at: T0, source: SOURCE, speedKmh: 0, engineRpm: 0 })).toBe('still');
  });

  it('splits at 5 minutes without any reading, not at 4', () => {
    const short = [...drive(0, 300), ...drive(540, 300)];
    expect(bounds(short)).toEqual([[iso(0), iso(840)]]);
    const long = [...drive(0, 300), ...drive(600, 300)];
    expect(bounds(long)).toEqual([
      [iso(0), iso(300)],
      [iso(600), iso(900)],
    ]);
  });

  it('ends a trip at exactly 5 minutes after its last moving reading, not a millisecond before', () => {
    // Moving 0–120 s, then the next reading 300 s (or 299.999 s) after the last one.
    const moving = readings(0, 120, 1, () => ({ speedKmh: 50 }));
    const split = [...moving, ...readings(420, 540, 1, () => ({ speedKmh: 50 }))];
    expect(bounds(split)).toEqual([
      [iso(0), iso(120)],
      [iso(420), iso(540)],
    ]);
    const joined = [...moving, ...readings(419.999, 539.999, 1, () => ({ speedKmh: 50 }))];
    expect(bounds(joined)).toEqual([[iso(0), iso(539.999)]]);
  });

  it('drops a 30-second blip, and a minute-long shuffle of less than 100 m', () => {
    expect(bounds(drive(0, 30))).toEqual([]);
    expect(segmentTrips(drive(0, 30), { minDurationMs: 0 }).trips).toHaveLength(1);
    // 0 → 5 km/h → 0 over 71 s: 69 s at 5 km/h plus two half-second ramps = 350 km·s/h = 97 m.
    const creep = readings(0, 71, 1, (t) => ({ speedKmh: t === 0 || t === 71 ? 0 : 5 }));
    expect(bounds(creep)).toEqual([]);
    expect(segmentTrips(creep, { minDistanceKm: 0 }).trips).toHaveLength(1);
  });

  it('drops a trip with the engine on that never moves (warming up in the driveway)', () => {
    expect(bounds(readings(0, 600, 1, () => ({ speedKmh: 0, engineRpm: 900 })))).toEqual([]);
  });

  it('segments 0.2 Hz data the same way', () => {
    const slow = readings(0, 1200, 5, (t) => ({ speedKmh: t === 0 || (t >= 300 && t <= 900) ? 0 : 50 }));
    expect(bounds(slow)).toEqual([
      [iso(0), iso(300)],
      [iso(900), iso(1200)],
    ]);
  });

  it('leaves a trip still under way open, with the id it will keep', () => {
    const samples = drive(0, 300).slice(0, 200); // still moving at 199 s
    const now = T0 + 200_000;
    const { trips, ongoing } = segmentTrips(samples, { now });
    expect(trips).toEqual([]);
    expect(ongoing?.providerTripId).toBe(`derived-${iso(0)}`);
    expect(ongoing?.endedAt).toBeUndefined();
    // Once the rest arrives, the finished trip has the same id.
    const later = segmentTrips([...drive(0, 300), ...stop(300, 700)], { now: T0 + 700_000 });
    expect(later.trips.map((trip) => trip.providerTripId)).toEqual([`derived-${iso(0)}`]);
    expect(later.ongoing).toBeNull();
    // Without `now` (a file import) every trip is finished.
    expect(segmentTrips(samples).trips).toHaveLength(1);
  });

  it('gives the same trips and ids for a re-import, reordered and with repeated rows', () => {
    const samples = [...drive(0, 300), ...stop(300, 900), ...drive(900, 300)];
    const messy = [...samples].reverse().concat(samples.slice(100, 200));
    expect(segmentTrips(messy)).toEqual(segmentTrips(samples));
  });
});

// Random drives: readings with irregular spacing (0.1 s to 7 min), speeds that are often exactly
// 0, and ignition and RPM sometimes present.
const timeline = fc
  .array(
    fc.record({
      dtMs: fc.oneof(fc.integer({ min: 100, max: 10_000 }), fc.integer({ min: 10_000, max: 420_000 })),
      speedKmh: fc.option(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 130, noNaN: true })), {
        nil: undefined,
      }),
      ignition: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
      engineRpm: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 600, max: 5000 })), {
        nil: undefined,
        freq: 3,
      }),
    }),
    { maxLength: 300 },
  )
  .map((steps) => {
    let at = T0;
    return steps.map(({ dtMs, ...fields }) => {
      at += dtMs;
      const sample: Sample = { at, source: SOURCE };
      for (const [key, value] of Object.entries(fields))
        if (value !== undefined) Object.assign(sample, { [key]: value });
      return sample;
    });
  });

describe('segmentTrips: properties', () => {
  it('trips are in order, never overlap, and hold exactly the readings within their bounds', () => {
    fc.assert(
      fc.property(timeline, (samples) => {
        const { trips } = segmentTrips(samples, { minDurationMs: 0, minDistanceKm: 0 });
        for (const [i, trip] of trips.entries()) {
          expect(trip.endedAt).toBeGreaterThanOrEqual(trip.startedAt);
          const next = trips[i + 1];
          if (next) expect(next.startedAt).toBeGreaterThan(trip.endedAt as number);
          const inside = samples.filter((s) => s.at >= trip.startedAt && s.at <= (trip.endedAt as number));
          expect(trip.samples).toEqual(inside);
        }
      }),
    );
  });

  it('covers every moving reading when nothing is dropped as noise', () => {
    fc.assert(
      fc.property(timeline, (samples) => {
        const { trips } = segmentTrips(samples, { minDurationMs: 0, minDistanceKm: 0 });
        for (const sample of samples.filter((s) => classifyReading(s) === 'moving'))
          expect(trips.some((trip) => trip.samples.includes(sample))).toBe(true);
      }),
    );
  });

  it('keeps only trips of 60 s or more, and does not depend on order or repeated rows', () => {
    fc.assert(
      fc.property(timeline, fc.integer(), (samples, seed) => {
        const result = segmentTrips(samples);
        for (const trip of result.trips)
          expect((trip.endedAt as number) - trip.startedAt).toBeGreaterThanOrEqual(60_000);
        const shuffled = [...samples, ...samples.filter((_, i) => (i + seed) % 3 === 0)].sort(
          (a, b) => ((a.at * 7919 + seed) % 101) - ((b.at * 7919 + seed) % 101),
        );
        expect(segmentTrips(shuffled)).toEqual(result);
      }),
    );
  });
});

// The whole-array form of the rules, as segmentTrips was written before it became a one-reading-
// at-a-time segmenter (TripSegmenter): kept here as the oracle the segmenter must match.
function referenceSegmentation(input: readonly Sample[], options: SegmentOptions = {}): Segmentation {
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
    if (options.now !== undefined && options.now - at(lastActive) < PARKED_AFTER_MS)
      ongoing = {
        providerTripId: derivedTripId(at(from)),
        startedAt: at(from),
        samples: samples.slice(from),
      };
    else close();
  }
  const trips: TripSegment[] = [];
  for (const candidate of candidates) {
    const tripSamples = samples.slice(candidate.from, candidate.to + 1);
    const startedAt = at(candidate.from);
    const endedAt = at(candidate.to);
    if (endedAt - startedAt < (options.minDurationMs ?? MIN_TRIP_DURATION_MS)) continue;
    if ((estimateDistance(tripSamples).km ?? 0) < (options.minDistanceKm ?? MIN_TRIP_DISTANCE_KM)) continue;
    trips.push({ providerTripId: derivedTripId(startedAt), startedAt, endedAt, samples: tripSamples });
  }
  return { trips, ongoing };
}

// Drives as a sequence of phases — driving, standing with the engine running, standing with the
// ignition off, a lone ignition-off reading, silence — at rates from about 0.1 to 10 Hz, so that every rule (ignition off, the
// 5-minute stop, the 10 s join, the noise rule) is hit often.
const phase = fc.record({
  kind: fc.constantFrom('drive', 'drive', 'idle', 'parked', 'key-off', 'silent', 'still'),
  durationS: fc.oneof(
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 90 }),
    fc.integer({ min: 240, max: 420 }),
    // Silences that end exactly 5 minutes after the last reading, at 1 and 10 s steps.
    fc.constantFrom(290, 295, 299, 300),
  ),
  stepMs: fc.constantFrom(100, 1000, 1000, 5000, 10_000, 11_000),
  speedKmh: fc.integer({ min: 0, max: 1300 }).map((tenths) => tenths / 10),
  withRpm: fc.boolean(),
});
const drives = fc.array(phase, { maxLength: 12 }).map((phases) => {
  const samples: Sample[] = [];
  let at = T0;
  for (const { kind, durationS, stepMs, speedKmh, withRpm } of phases) {
    const end = at + durationS * 1000;
    if (kind === 'silent') {
      at = end;
      continue;
    }
    if (kind === 'key-off') {
      // One reading with the ignition off between two others: a stall, or a logger's glitch.
      samples.push({ at, source: SOURCE, speedKmh: 0, ignition: false });
      at += stepMs;
      continue;
    }
    for (; at < end; at += stepMs) {
      const sample: Sample = { at, source: SOURCE };
      if (kind === 'drive') sample.speedKmh = speedKmh * (0.5 + 0.5 * Math.sin(at / 7000));
      else sample.speedKmh = kind === 'still' ? 3 : 0;
      if (kind === 'parked') sample.ignition = false;
      if (withRpm) sample.engineRpm = kind === 'parked' ? 0 : 900 + (sample.speedKmh ?? 0) * 30;
      samples.push(sample);
    }
  }
  return samples;
});
const someSamples = fc.oneof(timeline, drives);
const segmentOptions = fc.record(
  {
    now: fc.integer({ min: 0, max: 3_000_000 }).map((ms) => T0 + ms),
    minDurationMs: fc.constantFrom(0, MIN_TRIP_DURATION_MS),
    minDistanceKm: fc.constantFrom(0, MIN_TRIP_DISTANCE_KM),
  },
  { requiredKeys: [] },
);

describe('TripSegmenter: the same trips as the whole-array rules', () => {
  it('segmentTrips (one reading at a time) equals the whole-array oracle', () => {
    fc.assert(
      fc.property(someSamples, segmentOptions, (samples, options) => {
        expect(segmentTrips(samples, options)).toEqual(referenceSegmentation(samples, options));
      }),
      { numRuns: 300 },
    );
  });

  it("hands each trip's readings to the sink as they come, whatever the batches they arrive in", () => {
    fc.assert(
      fc.property(someSamples, fc.array(fc.integer({ min: 1, max: 50 })), (samples, cuts) => {
        const expected = referenceSegmentation(samples, { minDurationMs: 0, minDistanceKm: 0 });
        const trips: Sample[][] = [];
        let open = false;
        const segmenter = new TripSegmenter({
          begin: (sample) => {
            expect(open).toBe(false);
            open = true;
            trips.push([sample]);
          },
          add: (sample) => {
            expect(open).toBe(true);
            trips[trips.length - 1]?.push(sample);
          },
          end: () => {
            open = false;
          },
          ongoing: () => {
            throw new Error('no `now`, no ongoing trip');
          },
        });
        // Pages of random sizes, as the import reads them.
        const canonical = canonicalSamples(samples);
        let i = 0;
        for (const size of [...cuts, canonical.length]) {
          for (const sample of canonical.slice(i, i + size)) segmenter.push(sample);
          i += size;
        }
        segmenter.finish();
        expect(open).toBe(false);
        expect(trips).toEqual(expected.trips.map((trip) => trip.samples));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses readings out of time order', () => {
    const segmenter = new TripSegmenter({ begin() {}, add() {}, end() {}, ongoing() {} });
    segmenter.push({ at: T0 + 1000, source: SOURCE, speedKmh: 50 });
    expect(() => segmenter.push({ at: T0 + 1000, source: SOURCE, speedKmh: 50 })).toThrow(/canonical/);
    expect(() => segmenter.push({ at: T0, source: SOURCE, speedKmh: 50 })).toThrow(/canonical/);
  });
});
