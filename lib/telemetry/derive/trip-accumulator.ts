import 'server-only';
import { analyzeDriving, type DrivingEvent, MERGE_WINDOW_MS, type SpeedPoint } from '../../scoring/events';
import { MAX_GAP_MS } from '../../scoring/resample';
import type { Sample } from '../model';
import {
  COARSE_ODOMETER_MAX_KM,
  CROSS_CHECK_KM,
  CROSS_CHECK_RATIO,
  type DistanceEstimate,
  MAX_PLAUSIBLE_AVG_KMH,
  MIN_COVERAGE,
} from './distance';
import { JOIN_GAP_MS, type SampleNumericField } from './samples';
import {
  averageConsumption,
  engineOff,
  type Position,
  positionOf,
  RPM_BAND_EDGES,
  type RpmBand,
  stationaryShare,
  type TripSummary,
  type TripSummaryOptions,
} from './trip-summary';

// summarizeTrip (trip-summary.ts) one reading at a time, for trips too long to hold: a 69-hour
// OBD log is one trip. Same rules, same arithmetic in the same order, so the figures are the same
// to the last bit (trip-accumulator.test.ts checks it against summarizeTrip on random trips).
// What it keeps: running sums and the previous reading of each joined series, and for the
// events the speed readings (two numbers each, in typed arrays) since the last point where the
// events pass can be cut without changing its result:
//  - a pause of more than 60 s in speed readings: events are merged within 60 s of an event's
//    start (lib/scoring/events.ts rule 10), so nothing after such a pause joins anything before
//    it, and the smoothing never joins readings more than 10 s apart;
//  - the middle of 70 s or more of identical speed readings — a stop, mostly (see
//    STEADY_CUT_MARGIN_MS).
// So memory grows with the longest drive without a stop of 70 s or a one-minute pause, not with
// the trip: 16 bytes per reading buffered, and the events pass's 10 Hz grid, a few hundred bytes
// per second of that drive, while it runs.
//
// It does not give the acceleration distribution (`TripSummary.acceleration`): its percentiles
// need every value at once, and the import does not store it. Readings must come canonical
// (strictly increasing `at`) and inside the trip's window, as TripSegmenter gives them.

const MS_PER_HOUR = 3_600_000;

export type StreamedTripSummary = Omit<TripSummary, 'acceleration'>;

type Field = SampleNumericField;

/** Consecutive readings carrying every one of `fields`, joined across JOIN_GAP_MS or less (samples.ts). */
class JoinedSeries {
  private readonly fields: readonly Field[];
  private readonly onPair: (from: Sample, to: Sample, dtMs: number) => void;
  private previous: Sample | undefined;
  pairs = 0;
  coveredMs = 0;

  constructor(fields: readonly Field[], onPair: (from: Sample, to: Sample, dtMs: number) => void = () => {}) {
    this.fields = fields;
    this.onPair = onPair;
  }

  add(sample: Sample): void {
    for (const field of this.fields) if (sample[field] === undefined) return;
    const previous = this.previous;
    if (previous !== undefined && sample.at - previous.at <= JOIN_GAP_MS) {
      const dtMs = sample.at - previous.at;
      this.pairs++;
      this.coveredMs += dtMs;
      this.onPair(previous, sample, dtMs);
    }
    this.previous = sample;
  }

  /** trip-summary.ts `covers`: some joined pair, spanning MIN_COVERAGE of the trip. */
  covers(durationMs: number): boolean {
    return this.pairs > 0 && (durationMs === 0 || this.coveredMs >= MIN_COVERAGE * durationMs);
  }
}

/** trip-summary.ts `trapezoid` on a joined series: rate (per hour) integrated over time. */
class Trapezoid {
  sum = 0;
  readonly series: JoinedSeries;

  constructor(fields: readonly Field[], rate: (sample: Sample) => number) {
    this.series = new JoinedSeries(fields, (from, to, dtMs) => {
      this.sum = this.sum + ((rate(from) + rate(to)) / 2) * (dtMs / MS_PER_HOUR);
    });
  }
}

/** First and last reading of a field (trip-summary.ts `levelDrop`). */
class FirstLast {
  private readonly field: Field;
  first: number | undefined;
  last: number | undefined;
  count = 0;

  constructor(field: Field) {
    this.field = field;
  }

  add(sample: Sample): void {
    const value = sample[this.field];
    if (value === undefined) return;
    if (this.count === 0) this.first = value;
    this.last = value;
    this.count++;
  }

  drop(): number | null {
    return this.count < 2 ? null : (this.first as number) - (this.last as number);
  }
}

/**
 * A cut inside a stretch needs this long of identical speed readings on either side of it. Every
 * step of events.ts is local (lone samples: the next two readings; running median: 0.5 s; the
 * grid: the two readings around each point; smoothing and difference: 0.3 s), so inside such a run
 * the smoothed speed is the run's speed and the acceleration exactly 0 whether the run is cut or
 * not, and outside it nothing reaches the cut. No harsh instant lies in the run, so the harsh
 * instants on either side are more than 60 s apart and never merge (events.ts rule 10).
 */
export const STEADY_CUT_MARGIN_MS = 35_000;

/** Speed readings waiting for the events pass, as two growable typed arrays. */
class SpeedBuffer {
  ats = new Float64Array(1024);
  speeds = new Float64Array(1024);
  length = 0;
  /** Index where the latest run of identical speeds, without a gap over MAX_GAP_MS, begins. */
  private runStart = 0;

  push(at: number, speed: number): void {
    if (this.length === this.ats.length) {
      const ats = new Float64Array(this.length * 2);
      const speeds = new Float64Array(this.length * 2);
      ats.set(this.ats);
      speeds.set(this.speeds);
      this.ats = ats;
      this.speeds = speeds;
    }
    const last = this.length - 1;
    if (last < 0 || this.speeds[last] !== speed || at - (this.ats[last] as number) > MAX_GAP_MS)
      this.runStart = this.length;
    this.ats[this.length] = at;
    this.speeds[this.length] = speed;
    this.length++;
  }

  lastAt(): number | undefined {
    return this.length === 0 ? undefined : this.ats[this.length - 1];
  }

  /**
   * Where the buffer may be cut: the index of the first reading STEADY_CUT_MARGIN_MS into the
   * current steady run, when the run goes on for as long again after it; else -1.
   */
  steadyCut(): number {
    if (this.length === 0) return -1;
    const startAt = this.ats[this.runStart] as number;
    const lastAt = this.ats[this.length - 1] as number;
    if (lastAt - startAt < 2 * STEADY_CUT_MARGIN_MS) return -1;
    let cut = this.runStart;
    while ((this.ats[cut] as number) - startAt < STEADY_CUT_MARGIN_MS) cut++;
    return cut + 1 < this.length && lastAt - (this.ats[cut + 1] as number) >= STEADY_CUT_MARGIN_MS ? cut : -1;
  }

  /** Readings [0, end) as the events pass wants them. */
  points(end = this.length): SpeedPoint[] {
    const points: SpeedPoint[] = new Array(end);
    for (let k = 0; k < end; k++)
      points[k] = { at: this.ats[k] as number, speedKmh: this.speeds[k] as number };
    return points;
  }

  /** Drops readings [0, end); what is left moves to the front. */
  drop(end = this.length): void {
    const left = this.length - end;
    if (left === 0 && this.ats.length > 1024) {
      this.ats = new Float64Array(1024);
      this.speeds = new Float64Array(1024);
    } else {
      this.ats.copyWithin(0, end, this.length);
      this.speeds.copyWithin(0, end, this.length);
    }
    this.length = left;
    this.runStart = Math.max(this.runStart - end, 0);
  }
}

export class TripAccumulator {
  private firstAt: number | undefined;
  private lastAt: number | undefined;

  private readonly speed = new JoinedSeries(['speedKmh'], (from, to, dtMs) => {
    const v0 = from.speedKmh as number;
    const v1 = to.speedKmh as number;
    this.speedKm += (((v0 + v1) / 2) * dtMs) / MS_PER_HOUR;
    const stationaryMs = dtMs * stationaryShare(v0, v1);
    this.movingMs += dtMs - stationaryMs;
    const engineOnHalves = (engineOff(from) ? 0 : 1) + (engineOff(to) ? 0 : 1);
    this.idleMs += (stationaryMs * engineOnHalves) / 2;
  });
  private speedKm = 0;
  private movingMs = 0;
  private idleMs = 0;

  private odometerCount = 0;
  private firstOdometer: { at: number; km: number } | undefined;
  private lastOdometer: { at: number; km: number } | undefined;
  private odometerNeverDown = true;
  private odometerWhole = true;

  private readonly rpmSeconds = [0, ...RPM_BAND_EDGES].map(() => 0);
  private readonly rpm = new JoinedSeries(['engineRpm'], (from, to, dtMs) => {
    this.addRpm(from.engineRpm as number, dtMs / 2000);
    this.addRpm(to.engineRpm as number, dtMs / 2000);
  });

  private readonly fuelRate = new Trapezoid(['fuelRateLph'], (s) => s.fuelRateLph as number);
  private readonly fuelConsumption = new Trapezoid(
    ['fuelConsumptionLPer100km', 'speedKmh'],
    (s) => ((s.fuelConsumptionLPer100km as number) * (s.speedKmh as number)) / 100,
  );
  private readonly energyConsumption = new Trapezoid(
    ['energyConsumptionKwhPer100km', 'speedKmh'],
    (s) => ((s.energyConsumptionKwhPer100km as number) * (s.speedKmh as number)) / 100,
  );
  private readonly fuelLevel = new FirstLast('fuelLevelPct');
  private readonly batteryLevel = new FirstLast('batteryLevelPct');

  private startPosition: Position | null = null;
  private endPosition: Position | null = null;

  private readonly speedReadings = new SpeedBuffer();
  private readonly events: DrivingEvent[] = [];
  private maxSpeedKmh: number | null = null;

  add(sample: Sample): void {
    if (this.lastAt !== undefined && !(sample.at > this.lastAt))
      throw new Error('TripAccumulator needs canonical readings (strictly increasing time)');
    this.firstAt ??= sample.at;
    this.lastAt = sample.at;
    this.speed.add(sample);
    this.addOdometer(sample);
    this.rpm.add(sample);
    this.fuelRate.series.add(sample);
    this.fuelConsumption.series.add(sample);
    this.energyConsumption.series.add(sample);
    this.fuelLevel.add(sample);
    this.batteryLevel.add(sample);
    const position = positionOf(sample);
    if (position) {
      this.startPosition ??= position;
      this.endPosition = position;
    }
    const speed = sample.speedKmh;
    // The readings events.ts accepts (its rule 1); a pause longer than its merge window closes a chunk.
    if (speed !== undefined && Number.isFinite(speed) && speed >= 0 && Number.isFinite(sample.at)) {
      const previousAt = this.speedReadings.lastAt();
      if (previousAt !== undefined && sample.at - previousAt > MERGE_WINDOW_MS) this.analyzeSpeed();
      this.speedReadings.push(sample.at, speed);
      // A long steady stretch (a stop, mostly) lets the events pass run on what came before it.
      const cut = this.speedReadings.steadyCut();
      if (cut >= 0) this.analyzeSpeed(cut + 1);
    }
  }

  private addOdometer(sample: Sample): void {
    const km = sample.odometerKm;
    if (km === undefined) return;
    if (this.lastOdometer !== undefined && km < this.lastOdometer.km) this.odometerNeverDown = false;
    if (!Number.isInteger(km)) this.odometerWhole = false;
    this.firstOdometer ??= { at: sample.at, km };
    this.lastOdometer = { at: sample.at, km };
    this.odometerCount++;
  }

  private addRpm(rpm: number, seconds: number): void {
    if (rpm <= 0) return;
    let band = 0;
    while (band + 1 < this.rpmSeconds.length && rpm >= (RPM_BAND_EDGES[band] as number)) band++;
    this.rpmSeconds[band] = (this.rpmSeconds[band] as number) + seconds;
  }

  /** Events and top speed of the first `end` buffered readings (events.ts), which are then dropped. */
  private analyzeSpeed(end = this.speedReadings.length): void {
    if (end === 0) return;
    const analysis = analyzeDriving(this.speedReadings.points(end));
    this.speedReadings.drop(end);
    for (const event of analysis.events) this.events.push(event);
    for (const segment of analysis.segments)
      for (const speed of segment.speedKmh)
        if (this.maxSpeedKmh === null || speed > this.maxSpeedKmh) this.maxSpeedKmh = speed;
  }

  /** distance.ts `estimateDistance` over the readings so far, for a stretch of `durationMs`. */
  distance(durationMs: number): DistanceEstimate {
    const span = durationMs;
    const coverageOf = (ms: number) => (span > 0 ? Math.min(ms / span, 1) : 1);
    const speedKm = this.speed.pairs > 0 ? this.speedKm : null;
    const speedCoverage = this.speed.pairs > 0 ? coverageOf(this.speed.coveredMs) : 0;

    const first = this.firstOdometer;
    const last = this.lastOdometer;
    let odometerKm: number | null = null;
    if (first && last && this.odometerCount >= 2) {
      const delta = last.km - first.km;
      const odoSpanMs = last.at - first.at;
      const believable =
        odoSpanMs > 0 ? delta / (odoSpanMs / MS_PER_HOUR) <= MAX_PLAUSIBLE_AVG_KMH : delta === 0;
      if (this.odometerNeverDown && believable && coverageOf(odoSpanMs) >= MIN_COVERAGE) odometerKm = delta;
    }

    const speedCovers = speedKm !== null && speedCoverage >= MIN_COVERAGE;
    const contradicted =
      odometerKm !== null &&
      speedKm !== null &&
      speedCovers &&
      Math.abs(odometerKm - speedKm) > CROSS_CHECK_KM + CROSS_CHECK_RATIO * speedKm;
    const coarse =
      odometerKm !== null && speedCovers && odometerKm < COARSE_ODOMETER_MAX_KM && this.odometerWhole;

    const base = {
      speedKm,
      speedCoverage,
      odometerKm,
      startOdometerKm: first?.km ?? null,
      endOdometerKm: last?.km ?? null,
    };
    if (odometerKm !== null && !contradicted && !coarse)
      return { ...base, km: odometerKm, source: 'odometer' };
    if (speedKm !== null) return { ...base, km: speedKm, source: 'speed' };
    return { ...base, km: null, source: null };
  }

  private fuelUsed(durationMs: number, options: TripSummaryOptions) {
    if (this.fuelRate.series.covers(durationMs))
      return { value: this.fuelRate.sum, source: 'fuel-rate' as const };
    if (this.fuelConsumption.series.covers(durationMs))
      return { value: this.fuelConsumption.sum, source: 'consumption' as const };
    const drop = this.fuelLevel.drop();
    if (drop !== null && drop >= 0 && options.fuelTankL !== undefined)
      return { value: (drop / 100) * options.fuelTankL, source: 'tank-level' as const };
    return { value: null, source: null };
  }

  private energyUsed(durationMs: number, options: TripSummaryOptions) {
    if (this.energyConsumption.series.covers(durationMs))
      return { value: this.energyConsumption.sum, source: 'consumption' as const };
    const drop = this.batteryLevel.drop();
    if (drop !== null && options.usableBatteryKwh !== undefined)
      return { value: (drop / 100) * options.usableBatteryKwh, source: 'battery-level' as const };
    return { value: null, source: null };
  }

  /**
   * The summary of the readings added so far. Call once, at the end: it runs the events pass on the
   * last chunk. Bounds default to the first and last reading, as in summarizeTrip.
   */
  summary(options: TripSummaryOptions = {}): StreamedTripSummary {
    this.analyzeSpeed();
    const startedAt = options.startedAt ?? this.firstAt ?? 0;
    const endedAt = options.endedAt ?? this.lastAt ?? startedAt;
    const durationMs = Math.max(endedAt - startedAt, 0);
    const distance = this.distance(durationMs);
    const fuel = this.fuelUsed(durationMs, options);
    const energy = this.energyUsed(durationMs, options);
    const edges = [0, ...RPM_BAND_EDGES];
    return {
      startedAt,
      endedAt,
      durationS: durationMs / 1000,
      distanceKm: distance.km,
      distanceSource: distance.source,
      startOdometerKm: distance.startOdometerKm,
      endOdometerKm: distance.endOdometerKm,
      movingS: this.speed.pairs > 0 ? this.movingMs / 1000 : null,
      idleS: this.speed.pairs > 0 ? this.idleMs / 1000 : null,
      avgSpeedKmh: distance.km !== null && durationMs > 0 ? distance.km / (durationMs / MS_PER_HOUR) : null,
      maxSpeedKmh: this.maxSpeedKmh,
      fuelUsedL: fuel.value,
      fuelSource: fuel.source,
      energyUsedKwh: energy.value,
      energySource: energy.source,
      avgConsumption: averageConsumption(distance.km, fuel.value, energy.value, options.powertrain),
      rpmBands:
        this.rpm.pairs > 0
          ? edges.map(
              (fromRpm, i): RpmBand => ({
                fromRpm,
                toRpm: edges[i + 1] ?? null,
                seconds: this.rpmSeconds[i] as number,
              }),
            )
          : null,
      events: this.events,
      startPosition: this.startPosition,
      endPosition: this.endPosition,
    };
  }
}
