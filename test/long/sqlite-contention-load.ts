import { emptyVehicleData, type Sample, type VehicleData } from '../../lib/telemetry/model';

// TEST SUPPORT ONLY (DB-04, sqlite-contention.long-test.ts): the load both sides agree on — what a
// writer process stores per transaction, what a reader process reads, and the shape of the results
// each writes for the test (sqlite-contention-worker.ts runs them).

/** Samples per transaction: ten seconds of a drive at 1 Hz. */
export const SAMPLES_PER_BATCH = 10;
/** Every TRIP_EVERY-th batch also stores the trip that covers the last TRIP_EVERY batches. */
export const TRIP_EVERY = 10;
/** Every ALERT_EVERY-th batch also stores an alert. */
export const ALERT_EVERY = 25;
/** The first sample's instant. Each writer stores its own car, so every car gets the same instants. */
export const T0 = Date.parse('2026-03-02T06:00:00Z');

export type Car = { ownerId: string; vehicleId: string };

export type WorkerConfig =
  | { role: 'writer'; file: string; out: string; car: Car; transactions: number }
  | { role: 'reader'; file: string; out: string; cars: Car[]; index: number };

export type WriterResult = {
  /** Batches whose transaction committed (storeVehicleData resolved). */
  acknowledged: { transactions: number; samples: number; trips: number; alerts: number };
  /** Per committed transaction: when it held the write lock (after `begin immediate`) and when its commit returned. */
  lockedAt: number[];
  committedAt: number[];
  /** Per committed transaction: when storeVehicleData was called (the wait for the lock begins). */
  calledAt: number[];
  errors: { code?: string; message: string; phase: 'begin' | 'in-transaction'; afterMs: number }[];
};

export const READ_KINDS = ['telemetry-raw', 'telemetry-minutes', 'trip-list', 'alert-list'] as const;

export type ReaderResult = {
  startedAt: number[];
  endedAt: number[];
  kind: number[];
  /** The trip totals' count of each trip-list read, in order, by vehicle id: must never go down. */
  tripCounts: Record<string, number[]>;
  errors: { code?: string; message: string }[];
};

/** Batch `k` of a car: ten seconds of driving at 1 Hz, the trip of the last ten batches, now and then an alert. */
export function batchOf(k: number): VehicleData {
  const data = emptyVehicleData();
  for (let j = 0; j < SAMPLES_PER_BATCH; j++) {
    const second = k * SAMPLES_PER_BATCH + j;
    const sample: Sample = {
      at: T0 + second * 1000,
      speedKmh: 40 + 30 * Math.sin(second / 60),
      engineRpm: 1500 + 800 * Math.sin(second / 45),
      fuelConsumptionLPer100km: 6 + 2 * Math.cos(second / 30),
      fuelLevelPct: 80 - second / 500,
      latitude: 48.85 + second * 1e-5,
      longitude: 2.35 + second * 1e-5,
      altitudeM: 35 + 5 * Math.sin(second / 120),
      odometerKm: 10_000 + second * 0.015,
      ignition: true,
      source: { provider: 'psa-v4', ref: 'telemetry' },
    };
    data.samples.push(sample);
  }
  if (k % TRIP_EVERY === TRIP_EVERY - 1) {
    const first = k - (TRIP_EVERY - 1);
    const startedAt = T0 + first * SAMPLES_PER_BATCH * 1000;
    const durationS = TRIP_EVERY * SAMPLES_PER_BATCH;
    data.trips.push({
      providerTripId: `trip-${first}`,
      startedAt,
      endedAt: startedAt + durationS * 1000,
      durationS,
      distanceKm: durationS * 0.015,
      fuelUsedL: 0.1,
      source: { provider: 'psa-v4', ref: 'trips' },
    });
  }
  if (k % ALERT_EVERY === ALERT_EVERY - 1) {
    data.alerts.push({
      providerAlertId: `alert-${k}`,
      type: 'TyrePressureLow',
      severity: 'warning',
      active: true,
      startedAt: T0 + k * SAMPLES_PER_BATCH * 1000,
      source: { provider: 'psa-v4', ref: 'alerts' },
    });
  }
  return data;
}
