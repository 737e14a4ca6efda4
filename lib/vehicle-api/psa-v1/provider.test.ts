import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsBetween } from '@/lib/simulator/fleet/alerts';
import { maintenanceAt } from '@/lib/simulator/fleet/maintenance';
import { DAY_MS, type TripRecord } from '@/lib/simulator/fleet/vehicle-timeline';
import { uploadAt } from '@/lib/simulator/v1/test-helpers';
import type { SimVehicle } from '@/lib/simulator/world/world';
import type { Sample } from '../../telemetry/model';
import { validateVehicleData } from '../../telemetry/validate';
import { plainHttp } from '../http/upstream';
import type { SyncBatch } from '../provider';
import { createPsaV1Client } from './client';
import { PsaV1MalformedAnswerError, PsaV1NotFoundError } from './errors';
import { createPsaV1Provider, type PsaV1Brand } from './provider';
import { startV1Simulator, type V1Simulator } from './simulator-for-tests';

// The v1 provider over real HTTP against the in-process simulator. Every expectation comes from the
// simulated world itself — the car's timeline (trips, 1 Hz traces, state), its alerts and service
// counters, and v4's upload instants — never from the adapter's or the v1 routes' output.

const BASE_NOW = Date.parse('2026-03-01T08:00:00Z');
const BACKFILL_DAYS = 5;

let sim: V1Simulator;
/** The petrol 208's trip that is under way at `midTripNow`. */
let trip: TripRecord;
let midTripNow: number;

beforeAll(async () => {
  sim = await startV1Simulator({ seed: 'psa-v1-adapter', now: BASE_NOW });
  const timeline = sim.ctx.fleet.timelineOf(sim.combustion);
  const found = timeline
    .tripsBetween(BASE_NOW - 3 * DAY_MS, BASE_NOW)
    .filter((candidate) => candidate.endMs - candidate.startMs >= 12 * 60_000)
    .at(-1);
  if (!found) throw new Error('the demo 208 has no trip of 12 min in the three days before BASE_NOW');
  trip = found;
  midTripNow = trip.startMs + 7 * 60_000 + 15_000;
});
afterAll(() => sim.close());

function brandOf(vehicle: SimVehicle): PsaV1Brand {
  if (vehicle.brand === 'peugeot' || vehicle.brand === 'citroen' || vehicle.brand === 'ds')
    return vehicle.brand;
  throw new Error(`v1 does not serve ${vehicle.brand}`);
}

function providerFor(
  vehicle: SimVehicle,
  options: { locale?: string; key?: string; contract?: string } = {},
) {
  const client = createPsaV1Client({
    baseUrl: sim.baseUrl,
    apiKey: options.key ?? sim.keyOf(vehicle),
    http: plainHttp,
    ...(options.locale ? { locale: options.locale } : {}),
  });
  return createPsaV1Provider({
    client,
    vehicles: [{ vin: vehicle.vin, contract: options.contract ?? vehicle.contract, brand: brandOf(vehicle) }],
    now: () => sim.ctx.clock.now(),
    backfillDays: BACKFILL_DAYS,
  });
}

const syncOf = (vehicle: SimVehicle, cursor: SyncBatch['cursor'] | null = null, options = {}) =>
  providerFor(vehicle, options).sync({ providerVehicleId: vehicle.vin, vin: vehicle.vin }, cursor);

/** The trips the provider's first sync must bring: started since the backfill's first UTC day, ended by now. */
function expectedTrips(vehicle: SimVehicle, nowMs: number): TripRecord[] {
  const fromMs = Math.floor((nowMs - BACKFILL_DAYS * DAY_MS) / DAY_MS) * DAY_MS;
  return sim.ctx.fleet
    .timelineOf(vehicle)
    .tripsBetween(fromMs, nowMs)
    .filter((candidate) => candidate.endMs <= nowMs);
}

const at = (samples: readonly Sample[], ms: number) => samples.find((sample) => sample.at === ms);

describe('the petrol 208, synced mid-trip', () => {
  let batch: SyncBatch;
  beforeAll(async () => {
    sim.setNow(midTripNow);
    batch = await syncOf(sim.combustion);
  }, 30_000);

  it('places every second of the last minute where the trace has it', () => {
    const minuteEnd = uploadAt(sim.ctx, sim.combustion, midTripNow).atMs;
    const trace = sim.ctx.fleet.timelineOf(sim.combustion).traceOf(trip);
    expect(batch.lastMeasuredAt).toBe(minuteEnd);
    let checked = 0;
    for (let second = 1; second <= 60; second++) {
      const ms = minuteEnd - 60_000 + second * 1000;
      const i = Math.floor((ms - trip.startMs) / 1000);
      const sample = at(batch.data.samples, ms);
      expect(sample, `second ${second}`).toBeDefined();
      if (!sample) continue;
      expect(sample.accelerationMs2).toBeCloseTo(trace.accelerationMs2[i] ?? Number.NaN, 2);
      if (second % 10 === 0) {
        expect(sample.gear).toBe(trace.gear[i]);
        expect(sample.engineRpm).toBeCloseTo(trace.engineRpm[i] ?? Number.NaN, 0);
        const speed = trace.speedKmh[i] ?? 0;
        const perHundred = ((trace.fuelRateLph[i] ?? 0) / speed) * 100;
        // L/100 km is the fuel flow over the speed; the car shows one decimal (crawling is capped).
        if (speed > 5 && perHundred < 25) {
          expect(Math.abs((sample.fuelConsumptionLPer100km ?? Number.NaN) - perHundred)).toBeLessThan(0.051);
        }
        checked++;
      }
      if (second % 6 === 0) {
        const place = sim.ctx.fleet.timelineOf(sim.combustion).positionOnTrip(trip, trace.distanceKm[i] ?? 0);
        expect(sample.latitude).toBeCloseTo(place.lat, 5);
        expect(sample.longitude).toBeCloseTo(place.lon, 5);
      }
      expect(sample.source.provider).toBe('psa-v1');
    }
    expect(checked).toBe(6);
    const state = sim.ctx.fleet.timelineOf(sim.combustion).stateAt(minuteEnd);
    expect(at(batch.data.samples, minuteEnd)?.fuelLevelPct).toBeCloseTo(state.fuelLevelPct ?? Number.NaN, 1);
  });

  it('says the car is driving', () => {
    expect(batch.activity).toBe('driving');
  });

  it('brings every finished trip of the backfill, with the timeline’s numbers', () => {
    const timeline = sim.ctx.fleet.timelineOf(sim.combustion);
    const expected = expectedTrips(sim.combustion, midTripNow);
    expect(expected.length).toBeGreaterThan(2);
    const got = [...batch.data.trips].sort((a, b) => a.startedAt - b.startedAt);
    expect(got).toHaveLength(expected.length);
    expect(new Set(got.map((t) => t.providerTripId)).size).toBe(got.length);
    got.forEach((normalized, k) => {
      const truth = expected[k] as TripRecord;
      const trace = timeline.traceOf(truth);
      const durationS = (truth.endMs - truth.startMs) / 1000;
      expect(normalized.providerTripId).toMatch(/^\d+$/);
      expect(Math.abs(normalized.startedAt - truth.startMs)).toBeLessThan(1000);
      expect(Math.abs((normalized.durationS ?? Number.NaN) - durationS)).toBeLessThanOrEqual(1);
      expect(normalized.distanceKm).toBeCloseTo(truth.distanceKm, 1);
      expect(normalized.endOdometerKm).toBeCloseTo(timeline.stateAt(truth.endMs).odometerKm, 1);
      const driven = trace.distanceKm.at(-1) ?? 0;
      expect(Math.abs((normalized.avgSpeedKmh ?? Number.NaN) - (driven / durationS) * 3600)).toBeLessThan(
        0.2,
      );
      expect(normalized.fuelUsedL).toBeCloseTo(trace.fuelL.at(-1) ?? Number.NaN, 1);
      // The trip's positions: it starts where the trip starts and ends where the car parked.
      const start = timeline.positionOnTrip(truth, 0);
      const end = timeline.positionOnTrip(truth, driven);
      expect(normalized.startPosition?.latitude).toBeCloseTo(start.lat, 3);
      expect(normalized.endPosition?.longitude).toBeCloseTo(end.lon, 3);
    });
  });

  it('has one eco-driving evaluation per trip, on a 0–10 scale', () => {
    const tripIds = batch.data.trips.map((t) => t.providerTripId).sort();
    const evaluated = batch.data.ecoEvaluations
      .map((evaluation) => (evaluation.scope.kind === 'trip' ? evaluation.scope.providerTripId : ''))
      .sort();
    expect(evaluated).toEqual(tripIds);
    for (const evaluation of batch.data.ecoEvaluations) {
      expect(evaluation.scaleMax).toBe(10);
      expect(evaluation.mark).toBeGreaterThanOrEqual(0);
      expect(evaluation.mark).toBeLessThanOrEqual(10);
      expect(Object.keys(evaluation.criteria).sort()).toEqual(
        ['acceleration', 'braking', 'coldTrips', 'engineSpeed', 'slope', 'speed', 'stopAndStart'].sort(),
      );
    }
  });

  it('has the service counters of the car', () => {
    const counters = maintenanceAt(sim.ctx, sim.combustion, midTripNow);
    expect(counters).not.toBeNull();
    expect(batch.data.maintenance).toHaveLength(1);
    expect(batch.data.maintenance[0]?.daysBeforeService).toBe(counters?.daysBeforeMaintenance);
    expect(batch.data.maintenance[0]?.kmBeforeService).toBeCloseTo(
      counters?.mileageBeforeMaintenance ?? 0,
      1,
    );
  });

  it('has the alerts of the car, each typed with its code', () => {
    const historyStart = sim.ctx.fleet.historyStartMs(sim.combustion, midTripNow);
    const truth = alertsBetween(sim.ctx, sim.combustion, historyStart, midTripNow + 1, midTripNow);
    expect(batch.data.alerts.map((alert) => alert.providerAlertId).sort()).toEqual(
      truth.map((alert) => alert.id).sort(),
    );
    for (const alert of truth) {
      const got = batch.data.alerts.find((candidate) => candidate.providerAlertId === alert.id);
      expect(got?.type).toBe(alert.type);
      expect(got?.active).toBe(alert.active);
      expect(Math.abs((got?.startedAt ?? 0) - alert.startedAtMs)).toBeLessThan(1000);
    }
  });

  it('passes Kinetic’s validation whole', () => {
    expect(validateVehicleData(batch.data).quarantined).toEqual([]);
  });

  it('a second sync with the cursor brings nothing again; a later one only what is new', async () => {
    const again = await syncOf(sim.combustion, batch.cursor);
    expect(again.data.trips).toEqual([]);
    expect(again.data.alerts).toEqual([]);
    expect(again.data.samples).toEqual([]);
    expect(again.data.maintenance).toEqual([]);
    expect(again.data.ecoEvaluations).toEqual([]);

    const later = trip.endMs + 6 * 3_600_000;
    sim.setNow(later);
    const next = await syncOf(sim.combustion, again.cursor);
    const firstIds = new Set(batch.data.trips.map((t) => t.providerTripId));
    const newTruth = sim.ctx.fleet
      .timelineOf(sim.combustion)
      .tripsBetween(midTripNow - DAY_MS, later)
      .filter((candidate) => candidate.endMs <= later && candidate.startMs >= trip.startMs);
    expect(next.data.trips.map((t) => t.startedAt).sort()).toEqual(
      newTruth.map((candidate) => Math.floor(candidate.startMs / 1000) * 1000).sort(),
    );
    for (const t of next.data.trips) expect(firstIds.has(t.providerTripId)).toBe(false);
    const firstAlerts = new Map(batch.data.alerts.map((alert) => [alert.providerAlertId, alert]));
    for (const alert of next.data.alerts) {
      // Only a change (an alert that ended since) may come again.
      const before = firstAlerts.get(alert.providerAlertId);
      if (before) expect(before.active && !alert.active).toBe(true);
    }
    expect(next.activity).toBe('parked');
  }, 30_000);
});

describe('the e-208', () => {
  it('syncs without any fuel or engine reading', async () => {
    sim.setNow(BASE_NOW);
    const batch = await syncOf(sim.electric);
    const expected = expectedTrips(sim.electric, BASE_NOW);
    expect(batch.data.trips).toHaveLength(expected.length);
    for (const normalized of batch.data.trips) {
      expect(normalized.fuelUsedL).toBeUndefined();
      expect(normalized.distanceKm).toBeGreaterThan(0);
    }
    for (const sample of batch.data.samples) {
      expect(sample.fuelLevelPct).toBeUndefined();
      expect(sample.fuelConsumptionLPer100km).toBeUndefined();
      expect(sample.engineRpm).toBeUndefined();
    }
    for (const evaluation of batch.data.ecoEvaluations) {
      expect(Object.keys(evaluation.criteria)).not.toContain('coldTrips');
    }
    expect(validateVehicleData(batch.data).quarantined).toEqual([]);
  }, 30_000);
});

describe('alert titles back to codes', () => {
  /** A Peugeot peer with alerts in the served window at BASE_NOW. */
  function carWithAlerts(): SimVehicle {
    for (let index = 0; index < sim.ctx.world.ownerCount; index++) {
      for (const vehicle of sim.ctx.world.ownerAt(index).vehicles) {
        if (vehicle.brand !== 'peugeot' && vehicle.brand !== 'citroen') continue;
        const start = sim.ctx.fleet.historyStartMs(vehicle, BASE_NOW);
        if (alertsBetween(sim.ctx, vehicle, start, BASE_NOW + 1, BASE_NOW).length >= 2) return vehicle;
      }
    }
    throw new Error('no car with alerts in the test world');
  }

  it('in English and in French, every alert gets its v4 type', async () => {
    sim.setNow(BASE_NOW);
    const vehicle = carWithAlerts();
    const start = sim.ctx.fleet.historyStartMs(vehicle, BASE_NOW);
    const truth = new Map(
      alertsBetween(sim.ctx, vehicle, start, BASE_NOW + 1, BASE_NOW).map((alert) => [alert.id, alert.type]),
    );
    for (const locale of ['en_GB', 'fr_FR']) {
      const batch = await syncOf(vehicle, null, { locale });
      expect(new Map(batch.data.alerts.map((alert) => [alert.providerAlertId, alert.type]))).toEqual(truth);
    }
  }, 30_000);
});

describe('refusals and broken answers', () => {
  it('a wrong contract is "no such car", a bad key a configuration error', async () => {
    sim.setNow(BASE_NOW);
    const client = createPsaV1Client({
      baseUrl: sim.baseUrl,
      apiKey: sim.keyOf(sim.combustion),
      http: plainHttp,
    });
    const car = { vin: sim.combustion.vin, contract: 'not-the-contract', brand: 'P' as const };
    await expect(client.maintenance(car)).rejects.toBeInstanceOf(PsaV1NotFoundError);
    await expect(syncOf(sim.combustion, null, { contract: 'not-the-contract' })).rejects.toBeInstanceOf(
      PsaV1NotFoundError,
    );
    await expect(syncOf(sim.combustion, null, { key: 'not-a-key' })).rejects.toMatchObject({
      code: 'configuration',
      status: 401,
    });
  });

  it('an answer that is not JSON is a typed error, never a crash', async () => {
    sim.setNow(BASE_NOW);
    sim.ctx.faults.set({
      rules: [{ kind: 'malformed', rate: 1, endpoints: ['/dev/connectedcar/v1/maintenance/*'] }],
    });
    try {
      await expect(syncOf(sim.combustion)).rejects.toBeInstanceOf(PsaV1MalformedAnswerError);
    } finally {
      sim.ctx.faults.set({ rules: [] });
    }
  });
});
