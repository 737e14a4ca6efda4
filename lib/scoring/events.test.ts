import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeDriving,
  type DrivingEvent,
  detectDrivingEvents,
  drivingEventToJson,
  MERGE_WINDOW_MS,
  type SpeedPoint,
  SUSTAIN_MS,
} from './events';
import { RESAMPLE_STEP_MS } from './resample';

// Expectations are worked out by hand from kinematics: a constant acceleration a (m/s²) changes
// speed by 3.6·a km/h per second, and smoothing a straight line does not change its slope, so the
// peak of a clean ramp of at least ~1.5 s is the ramp's own acceleration.

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const KMH_PER_MS = 3.6;

type Phase = { s: number; a: number };

/** Readings at `hz` of a drive made of constant-acceleration phases, starting at `v0` km/h. */
function drive(phases: Phase[], { hz = 10, v0 = 36, startAt = T0 } = {}): SpeedPoint[] {
  const total = phases.reduce((sum, phase) => sum + phase.s, 0);
  const speedAt = (t: number) => {
    let v = v0;
    let elapsed = 0;
    for (const phase of phases) {
      const dt = Math.min(Math.max(t - elapsed, 0), phase.s);
      v += phase.a * dt * KMH_PER_MS;
      elapsed += phase.s;
    }
    return v;
  };
  const points: SpeedPoint[] = [];
  const count = Math.round(total * hz);
  for (let i = 0; i <= count; i++) {
    const t = i / hz;
    points.push({ at: startAt + Math.round(t * 1000), speedKmh: speedAt(t) });
  }
  return points;
}

const cruise = (s: number): Phase => ({ s, a: 0 });
const inRange = (value: number, from: number, to: number) => value >= from && value <= to;

describe('harsh and severe acceleration and braking (hand-computed cases)', () => {
  it.each([10, 1])(
    'a clean 3.5 m/s² ramp for 2 s at %s Hz is one harsh acceleration peaking at 3.5',
    (hz) => {
      // 36 km/h, then +12.6 km/h per second for 2 s (→ 61.2 km/h), then steady.
      const events = detectDrivingEvents(drive([cruise(20), { s: 2, a: 3.5 }, cruise(20)], { hz }));
      expect(events).toHaveLength(1);
      const [event] = events as [DrivingEvent];
      expect(event.type).toBe('harsh_acceleration');
      expect(event.severity).toBe('harsh');
      expect(event.value).toBeCloseTo(3.5, 6);
      expect(inRange(event.at, T0 + 20_000, T0 + 22_000)).toBe(true);
      expect(inRange(event.startedAt, T0 + 20_000, event.at)).toBe(true);
      expect(inRange(event.endedAt, event.at, T0 + 22_000)).toBe(true);
      expect(event.endedAt - event.startedAt).toBeGreaterThanOrEqual(1000);
    },
  );

  it('a 4.5 m/s² ramp for 2 s is severe, peaking at 4.5', () => {
    const events = detectDrivingEvents(drive([cruise(20), { s: 2, a: 4.5 }, cruise(20)]));
    expect(events.map(({ type, severity }) => ({ type, severity }))).toEqual([
      { type: 'harsh_acceleration', severity: 'severe' },
    ]);
    expect(events[0]?.value).toBeCloseTo(4.5, 6);
  });

  it.each([
    { s: 0.5, a: 5 },
    { s: 0.8, a: 3.5 },
  ])('a short burst ($s s at $a m/s²) is not sustained, so no event', (burst) => {
    // The speed gains burst.s × burst.a < 3 m/s in all; staying at ≥ 3 m/s² for 1 s needs ≥ 3 m/s.
    expect(detectDrivingEvents(drive([cruise(20), burst, cruise(20)]))).toEqual([]);
  });

  it.each([
    { a: -3.6, severity: 'harsh' },
    { a: -4.5, severity: 'severe' },
  ])('braking at $a m/s² for 2 s is a $severity braking with a negative value', ({ a, severity }) => {
    const events = detectDrivingEvents(drive([cruise(20), { s: 2, a }, cruise(20)], { v0: 80 }));
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe('harsh_braking');
    expect(events[0]?.severity).toBe(severity);
    expect(events[0]?.value).toBeCloseTo(a, 6);
  });

  it('gentle driving (±1.5 m/s²) gives nothing', () => {
    const phases = [cruise(5), { s: 10, a: 1.5 }, cruise(30), { s: 10, a: -1.5 }, cruise(5)];
    expect(detectDrivingEvents(drive(phases, { hz: 10 }))).toEqual([]);
    expect(detectDrivingEvents(drive(phases, { hz: 1 }))).toEqual([]);
  });
});

describe('bad samples', () => {
  const steady = (hz: number) => drive([cruise(60)], { hz, v0: 50 });
  const withSpeed = (points: SpeedPoint[], index: number, speedKmh: number) =>
    points.map((point, i) => (i === index ? { ...point, speedKmh } : point));

  it.each([
    { hz: 1, index: 30, glitch: 90 },
    { hz: 1, index: 30, glitch: 0 },
    { hz: 10, index: 300, glitch: 140 },
    { hz: 1, index: 0, glitch: 120 },
    { hz: 1, index: 60, glitch: 0 },
    { hz: 0.2, index: 6, glitch: 150 },
    { hz: 0.2, index: 0, glitch: 150 },
    { hz: 0.2, index: 12, glitch: 0 },
  ])('one glitch to $glitch km/h at $hz Hz (sample $index) makes no event', ({ hz, index, glitch }) => {
    // 50 → 90 km/h and back in one second would be ±11 m/s² if taken at face value.
    expect(detectDrivingEvents(withSpeed(steady(hz), index, glitch))).toEqual([]);
  });

  it('a glitch during a brisk but not harsh acceleration does not make it harsh', () => {
    // 2.5 m/s² for 8 s at 1 Hz: 9 km/h per second. A glitch at second 14 that a plain median would
    // turn into a doubled step (18 km/h in 1 s = 5 m/s²) must leave the ramp as it was.
    const ramp = drive([cruise(10), { s: 8, a: 2.5 }, cruise(10)], { hz: 1 });
    expect(detectDrivingEvents(ramp)).toEqual([]);
    expect(detectDrivingEvents(withSpeed(ramp, 14, 130))).toEqual([]);
    expect(detectDrivingEvents(withSpeed(ramp, 14, 10))).toEqual([]);
  });

  it('a stale reading (previous speed repeated) during a 2 m/s² acceleration at 1 Hz makes no event', () => {
    // The repeat turns 7.2 + 7.2 km/h over two seconds into 0 then 14.4 km/h: 4 m/s² for one
    // second, between 0 and 2 m/s² — smoothed, it stays at or above 3 m/s² for less than 1 s.
    const ramp = drive([cruise(10), { s: 8, a: 2 }, cruise(10)], { hz: 1 });
    const stale = ramp.map((point, i) => (i === 14 ? { ...point, speedKmh: ramp[13]?.speedKmh } : point));
    expect(detectDrivingEvents(stale)).toEqual([]);
  });

  it('a glitch three samples long at 10 Hz makes no event', () => {
    const points = steady(10).map((point, i) => (i >= 200 && i < 203 ? { ...point, speedKmh: 110 } : point));
    expect(detectDrivingEvents(points)).toEqual([]);
  });

  it('at 10 Hz, two-reading glitches every 3 s are removed by the running median: flat speed, zero acceleration', () => {
    // Each reading's window holds the 5 readings on either side; at most 2 of those 11 are glitches,
    // so every median is the true 50 km/h.
    const points = drive([cruise(60)], { v0: 50 }).map((point, i) =>
      i % 30 === 10 || i % 30 === 11 ? { ...point, speedKmh: 70 } : point,
    );
    const { events, segments } = analyzeDriving(points);
    expect(events).toEqual([]);
    expect(segments).toHaveLength(1);
    expect(segments[0]?.speedKmh.every((speed) => speed === 50)).toBe(true);
    expect(segments[0]?.accelerationMs2.every((a) => a === 0)).toBe(true);
  });

  it('speed noise of ±4 km/h at 10 Hz over ten minutes makes no event', () => {
    // A fixed pseudo-random sequence (LCG), so the case is the same on every run.
    let seed = 12345;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed / 2147483648) * 8 - 4;
    };
    const points = drive([cruise(600)], { v0: 60 }).map((point) => ({
      ...point,
      speedKmh: (point.speedKmh ?? 0) + noise(),
    }));
    expect(detectDrivingEvents(points)).toEqual([]);
  });

  it('readings without a usable speed or time are ignored', () => {
    const clean = drive([cruise(20), { s: 2, a: 3.5 }, cruise(20)]);
    const noisy: SpeedPoint[] = [
      ...clean,
      { at: T0 + 5_000 },
      { at: T0 + 6_000, speedKmh: Number.NaN },
      { at: T0 + 7_000, speedKmh: -20 },
      { at: Number.NaN, speedKmh: 200 },
      { at: T0 + 8_050, speedKmh: Number.POSITIVE_INFINITY },
    ];
    expect(detectDrivingEvents(noisy)).toEqual(detectDrivingEvents(clean));
  });
});

describe('merging', () => {
  // Each harsh acceleration (+3.5 or +3.8 m/s² for 2 s, i.e. +25.2 / +27.36 km/h) is followed by
  // a gentle slow-down back to 36 km/h, so the two are separate harsh stretches.
  const accelerateAndSettle = (a: number): Phase[] => [
    { s: 2, a },
    { s: (2 * a) / 0.5, a: -0.5 },
  ];

  it('two harsh accelerations 30 s apart count once, with the larger peak', () => {
    const phases = [
      cruise(10),
      ...accelerateAndSettle(3.5),
      cruise(30 - 2 - 14),
      ...accelerateAndSettle(3.8),
      cruise(10),
    ];
    const events = detectDrivingEvents(drive(phases));
    expect(events).toHaveLength(1);
    expect(events[0]?.value).toBeCloseTo(3.8, 6);
    // The peak is the second ramp's (starting at 40 s); the event spans both ramps.
    expect(inRange(events[0]?.at ?? 0, T0 + 40_000, T0 + 42_000)).toBe(true);
    expect(inRange(events[0]?.startedAt ?? 0, T0 + 10_000, T0 + 12_000)).toBe(true);
  });

  it('two harsh accelerations 90 s apart are two events', () => {
    const phases = [
      cruise(10),
      ...accelerateAndSettle(3.5),
      cruise(90 - 2 - 14),
      ...accelerateAndSettle(3.8),
      cruise(10),
    ];
    const events = detectDrivingEvents(drive(phases));
    expect(events.map((event) => event.type)).toEqual(['harsh_acceleration', 'harsh_acceleration']);
    expect(events[0]?.value).toBeCloseTo(3.5, 6);
    expect(events[1]?.value).toBeCloseTo(3.8, 6);
    expect(inRange(events[1]?.at ?? 0, T0 + 100_000, T0 + 102_000)).toBe(true);
  });

  it('counts at most one event per kind and minute: harsh stretches at 0, 50 and 100 s are two events', () => {
    // The first opens a window to 60 s that takes in the one at 50 s; the one at 100 s opens the
    // next. (Chaining each stretch to the previous one would make a single event of all three.)
    const phases = [
      cruise(10),
      ...accelerateAndSettle(3.5),
      cruise(50 - 2 - 14),
      ...accelerateAndSettle(3.6),
      cruise(50 - 2 - 14.4),
      ...accelerateAndSettle(3.7),
      cruise(10),
    ];
    const events = detectDrivingEvents(drive(phases));
    expect(events).toHaveLength(2);
    expect(events[0]?.value).toBeCloseTo(3.6, 6);
    expect(inRange(events[0]?.at ?? 0, T0 + 60_000, T0 + 62_000)).toBe(true);
    expect(events[1]?.value).toBeCloseTo(3.7, 6);
    expect(inRange(events[1]?.at ?? 0, T0 + 110_000, T0 + 112_000)).toBe(true);
  });

  it('an acceleration and a braking close together stay two events of different kinds', () => {
    const phases = [cruise(10), { s: 2, a: 3.5 }, cruise(5), { s: 2, a: -3.5 }, cruise(10)];
    expect(detectDrivingEvents(drive(phases)).map((event) => event.type)).toEqual([
      'harsh_acceleration',
      'harsh_braking',
    ]);
  });
});

describe('gaps and sparse data', () => {
  const steadyAt = (speedKmh: number, fromS: number, seconds: number): SpeedPoint[] =>
    Array.from({ length: seconds + 1 }, (_, i) => ({ at: T0 + (fromS + i) * 1000, speedKmh }));

  it('a 2-minute gap between 50 km/h and a standstill makes no event across it', () => {
    const beforeAndAfter = [...steadyAt(50, 0, 30), ...steadyAt(0, 150, 30)];
    expect(detectDrivingEvents(beforeAndAfter)).toEqual([]);
    expect(detectDrivingEvents([...steadyAt(0, 0, 30), ...steadyAt(130, 150, 30)])).toEqual([]);
  });

  it('the same change one second apart is a (severe) braking — the gap is what prevents it', () => {
    // 50 km/h to 0 in 1 s is 13.9 m/s².
    const joined = [...steadyAt(50, 0, 30), ...steadyAt(0, 31, 30)];
    expect(detectDrivingEvents(joined).map(({ type, severity }) => ({ type, severity }))).toEqual([
      { type: 'harsh_braking', severity: 'severe' },
    ]);
  });

  it('0.2 Hz data with a hard stop: 90 km/h to 0 within one 5 s interval is a severe braking of −5 m/s²', () => {
    // 25 m/s lost in 5 s; readings every 5 s are close enough (≤ 10 s) to be joined.
    const points = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50].map((s) => ({
      at: T0 + s * 1000,
      speedKmh: s <= 30 ? 90 : 0,
    }));
    const events = detectDrivingEvents(points);
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe('harsh_braking');
    expect(events[0]?.severity).toBe('severe');
    expect(events[0]?.value).toBeCloseTo(-5, 6);
    expect(inRange(events[0]?.at ?? 0, T0 + 30_000, T0 + 35_000)).toBe(true);
  });

  it('0.2 Hz data with an ordinary stop (60 → 0 km/h over 15 s, 1.1 m/s²) gives nothing', () => {
    const speeds = [60, 60, 60, 40, 20, 0, 0, 0];
    const points = speeds.map((speedKmh, i) => ({ at: T0 + i * 5000, speedKmh }));
    expect(detectDrivingEvents(points)).toEqual([]);
  });

  it('too few readings between gaps give nothing', () => {
    expect(detectDrivingEvents([])).toEqual([]);
    expect(detectDrivingEvents([{ at: T0, speedKmh: 90 }])).toEqual([]);
    // Two readings 5 s apart would be a 5 m/s² stop if believed; two readings cannot tell a glitch.
    expect(
      detectDrivingEvents([
        { at: T0, speedKmh: 90 },
        { at: T0 + 5000, speedKmh: 0 },
      ]),
    ).toEqual([]);
  });
});

describe('repeated and unordered readings', () => {
  it('every row twice, in reverse order, gives the same events as the clean series', () => {
    const clean = drive([cruise(10), { s: 2, a: 3.5 }, cruise(5), { s: 2, a: -4.2 }, cruise(10)], { hz: 5 });
    const messy = [...clean, ...clean.map((point) => ({ ...point }))].reverse();
    const expected = detectDrivingEvents(clean);
    expect(expected).toHaveLength(2);
    expect(detectDrivingEvents(messy)).toEqual(expected);
  });

  it('two different speeds at the same instant count as their median', () => {
    const base = drive([cruise(10)], { hz: 1, v0: 50 });
    const split = [...base, { at: T0 + 5000, speedKmh: 40 }, { at: T0 + 5000, speedKmh: 60 }];
    // At T0 + 5 s the speeds are 50, 40 and 60: the median is 50, the steady speed.
    expect(analyzeDriving(split).segments).toEqual(analyzeDriving(base).segments);
  });
});

describe('JSON form', () => {
  it('is the <event> of interfaces.md: ISO time, signed value to 0.01, nothing else', () => {
    const event: DrivingEvent = {
      type: 'harsh_braking',
      severity: 'severe',
      at: Date.UTC(2026, 0, 5, 8, 0, 31, 400),
      value: -4.23456,
      startedAt: 0,
      endedAt: 0,
    };
    expect(drivingEventToJson(event)).toStrictEqual({
      type: 'harsh_braking',
      severity: 'severe',
      at: '2026-01-05T08:00:31.400Z',
      value: -4.23,
    });
  });
});

describe('series and summary for scoring', () => {
  it('gives the smoothed speed, the acceleration and their distribution while moving', () => {
    // 10 Hz: 5 s at 36 km/h, +1 m/s² for 10 s, −2 m/s² for 5 s, 5 s steady: 25 s of readings.
    const { segments, summary } = analyzeDriving(
      drive([cruise(5), { s: 10, a: 1 }, { s: 5, a: -2 }, cruise(5)]),
    );
    expect(segments).toHaveLength(1);
    const [segment] = segments as [(typeof segments)[number]];
    // The grid (0.1 s) loses 0.3 s at each end to the smoothing: 251 − 6 = 245 points.
    expect(segment.startAt).toBe(T0 + 300);
    expect(segment.speedKmh).toHaveLength(245);
    expect(segment.accelerationMs2).toHaveLength(245);
    // Mid-ramp (t = 10 s, grid point 97): 36 + 3.6 × 5 = 54 km/h and 1 m/s².
    expect(segment.speedKmh[97]).toBeCloseTo(54, 6);
    expect(segment.accelerationMs2[97]).toBeCloseTo(1, 6);
    expect(summary.movingS).toBeCloseTo(24.5, 6);
    // Most moving acceleration samples sit on the 1 m/s² and −2 m/s² plateaus.
    expect(summary.accelerationP95Ms2).toBeCloseTo(1, 6);
    expect(summary.decelerationP95Ms2).toBeCloseTo(-2, 6);
    expect(summary.maxAccelerationMs2).toBeCloseTo(1, 6);
    expect(summary.minAccelerationMs2).toBeCloseTo(-2, 6);
  });

  it('a car standing still is never moving and has no distribution', () => {
    expect(analyzeDriving(drive([cruise(30)], { v0: 0 })).summary).toEqual({
      movingS: 0,
      accelerationP95Ms2: null,
      decelerationP95Ms2: null,
      maxAccelerationMs2: null,
      minAccelerationMs2: null,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/**
 * Messy drives: phases of constant acceleration (often at the harsh and severe levels) sampled at
 * assorted rates, with gaps, repeated timestamps and glitches.
 */
const messyDrive = fc
  .array(
    fc.record({
      periodMs: fc.oneof(fc.constantFrom(100, 200, 500, 1000, 5000), fc.integer({ min: 0, max: 6000 })),
      durationMs: fc.integer({ min: 200, max: 8000 }),
      accel: fc.oneof(fc.double({ min: -6, max: 6, noNaN: true }), fc.constantFrom(-4.5, -3.5, 0, 3.5, 4.5)),
      gapMs: fc.option(fc.integer({ min: 10_001, max: 200_000 }), { freq: 6 }),
      glitchKmh: fc.option(fc.integer({ min: 0, max: 250 }), { freq: 5 }),
      /** A second, different reading at the same instant as the phase's last one. */
      conflictKmh: fc.option(fc.integer({ min: 0, max: 250 }), { freq: 4 }),
    }),
    { maxLength: 16 },
  )
  .chain((phases) =>
    fc.integer({ min: 0, max: 150 }).map((v0) => {
      const points: SpeedPoint[] = [];
      let t = T0;
      let v = v0;
      for (const phase of phases) {
        t += phase.gapMs ?? 0;
        const count = Math.max(1, Math.round(phase.durationMs / Math.max(phase.periodMs, 1)));
        for (let i = 0; i < count && i < 200; i++) {
          t += phase.periodMs;
          v = Math.min(Math.max(v + (phase.accel * phase.periodMs * KMH_PER_MS) / 1000, 0), 220);
          points.push({ at: t, speedKmh: i === 0 && phase.glitchKmh !== null ? phase.glitchKmh : v });
        }
        if (phase.conflictKmh !== null) points.push({ at: t, speedKmh: phase.conflictKmh });
      }
      return points;
    }),
  );

const countByType = (events: DrivingEvent[]) => ({
  acceleration: events.filter((event) => event.type === 'harsh_acceleration').length,
  braking: events.filter((event) => event.type === 'harsh_braking').length,
});

describe('properties', () => {
  it('adding repeated readings and shuffling does not change anything', () => {
    const withRepeats = messyDrive.chain((points) =>
      fc.array(fc.nat(), { maxLength: 40 }).chain((picks) => {
        const all = [
          ...points,
          ...(points.length === 0 ? [] : picks.map((p) => ({ ...points[p % points.length] }))),
        ];
        return fc
          .shuffledSubarray(all, { minLength: all.length, maxLength: all.length })
          .map((shuffled) => [points, shuffled] as const);
      }),
    );
    fc.assert(
      fc.property(withRepeats, ([points, messy]) => {
        const a = analyzeDriving(points);
        const b = analyzeDriving(messy as SpeedPoint[]);
        expect(b.events).toEqual(a.events);
        expect(b.summary).toEqual(a.summary);
      }),
    );
  });

  it('scaling every speed down never adds events of either kind', () => {
    fc.assert(
      fc.property(messyDrive, fc.double({ min: 0, max: 0.999, noNaN: true }), (points, k) => {
        const original = countByType(detectDrivingEvents(points));
        const scaled = countByType(
          detectDrivingEvents(points.map((point) => ({ ...point, speedKmh: (point.speedKmh ?? 0) * k }))),
        );
        expect(scaled.acceleration).toBeLessThanOrEqual(original.acceleration);
        expect(scaled.braking).toBeLessThanOrEqual(original.braking);
      }),
    );
  });

  it('a constant speed gives no events and zero acceleration, whatever the timing', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 250, noNaN: true }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 30_000 })), {
          maxLength: 200,
        }),
        (speedKmh, steps) => {
          let t = T0;
          const points = steps.map((dt) => {
            t += dt;
            return { at: t, speedKmh };
          });
          const { events, segments } = analyzeDriving(points);
          expect(events).toEqual([]);
          for (const segment of segments) expect(segment.accelerationMs2.every((a) => a === 0)).toBe(true);
        },
      ),
    );
  });

  it('events are sorted, inside the readings, signed by kind, and at least a minute apart per kind', () => {
    fc.assert(
      fc.property(messyDrive, (points) => {
        const events = detectDrivingEvents(points);
        const times = points.map((point) => point.at);
        const first = Math.min(...times);
        const last = Math.max(...times);
        events.forEach((event, i) => {
          if (i > 0) expect(event.at).toBeGreaterThanOrEqual((events[i - 1] as DrivingEvent).at);
          expect(first <= event.startedAt && event.startedAt <= event.at).toBe(true);
          expect(event.at <= event.endedAt && event.endedAt <= last).toBe(true);
          expect(event.endedAt).toBeGreaterThanOrEqual(event.startedAt);
          const magnitude = event.type === 'harsh_acceleration' ? event.value : -event.value;
          expect(magnitude).toBeGreaterThanOrEqual(3);
          expect(event.severity).toBe(magnitude >= 4 ? 'severe' : 'harsh');
        });
        for (const type of ['harsh_acceleration', 'harsh_braking'] as const) {
          const ofType = events.filter((event) => event.type === type);
          // An event spans the 1 s a harsh stretch must last, except the rest of a stretch cut by the
          // previous event's minute (rule 10), which starts on the first grid instant after it.
          if (ofType[0]) expect(ofType[0].endedAt - ofType[0].startedAt).toBeGreaterThanOrEqual(SUSTAIN_MS);
          for (let i = 1; i < ofType.length; i++) {
            const previous = ofType[i - 1] as DrivingEvent;
            const current = ofType[i] as DrivingEvent;
            expect(current.startedAt).toBeGreaterThan(previous.startedAt + MERGE_WINDOW_MS);
            if (current.endedAt - current.startedAt < SUSTAIN_MS)
              expect(current.startedAt - (previous.startedAt + MERGE_WINDOW_MS)).toBeLessThanOrEqual(
                RESAMPLE_STEP_MS,
              );
          }
        }
      }),
    );
  });

  it('one bad sample in gentle driving never makes an event, at 0.2 to 10 Hz with jitter', () => {
    // Gentle: |a| ≤ 1.2 m/s². Even a bad value kept between its neighbours can at most join two
    // intervals' speed change into one: 1.2 × (1 + 1.1/0.9) ≈ 2.7 m/s² < 3 with ±10 % jitter.
    const gentle = fc.record({
      hz: fc.constantFrom(0.2, 1, 2, 5, 10),
      v0: fc.integer({ min: 0, max: 150 }),
      steps: fc.array(
        fc.record({
          jitter: fc.double({ min: -0.1, max: 0.1, noNaN: true }),
          accel: fc.double({ min: -1.2, max: 1.2, noNaN: true }),
        }),
        { minLength: 5, maxLength: 200 },
      ),
      badIndex: fc.nat(),
      badKmh: fc.double({ min: 0, max: 250, noNaN: true }),
    });
    fc.assert(
      fc.property(gentle, ({ hz, v0, steps, badIndex, badKmh }) => {
        let t = T0;
        let v = v0;
        const points = steps.map(({ jitter, accel }) => {
          const dtMs = (1000 / hz) * (1 + jitter);
          t += dtMs;
          v = Math.max(v + (accel * dtMs * KMH_PER_MS) / 1000, 0);
          return { at: t, speedKmh: v };
        });
        expect(detectDrivingEvents(points)).toEqual([]);
        const bad = badIndex % points.length;
        const glitched = points.map((point, i) => (i === bad ? { ...point, speedKmh: badKmh } : point));
        expect(detectDrivingEvents(glitched)).toEqual([]);
      }),
    );
  });
});
