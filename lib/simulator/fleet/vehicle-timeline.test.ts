import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorld, type SimVehicle } from '../world/world';
import { createVehicleTimeline, DAY_MS, EPOCH_DAY, type VehicleTimeline } from './vehicle-timeline';

const SEED = 'fleet-test';
const world = createWorld({ seed: SEED, peers: 3 });
const demo = world.ownerAt(0);
const combustion = demo.vehicles[0] as SimVehicle;
const electric = demo.vehicles[1] as SimVehicle;
const style = { aggressiveness: demo.style.aggressiveness, seed: 7 };
// 2026-03-02 (a Monday), UTC midnight.
const START = Date.UTC(2026, 2, 2);

const timeline = (vehicle: SimVehicle, seed = SEED): VehicleTimeline =>
  createVehicleTimeline({ seed, vehicle, style });

const distance = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) =>
  Math.hypot((a.lat - b.lat) * 111.32, (a.lon - b.lon) * 111.32 * Math.cos((a.lat * Math.PI) / 180));

describe('vehicle timeline', () => {
  it('uses the catalogue models the demo owner drives', () => {
    expect(timeline(combustion).model.powertrain).not.toBe('electric');
    expect(timeline(electric).model.powertrain).toBe('electric');
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const a = timeline(combustion);
    const b = timeline(combustion);
    const c = timeline(combustion, 'other-seed');
    const span = [START, START + 14 * DAY_MS] as const;
    const tripsA = a.tripsBetween(...span);
    expect(tripsA.length).toBeGreaterThan(0);
    expect(b.tripsBetween(...span)).toEqual(tripsA);
    expect(c.tripsBetween(...span)).not.toEqual(tripsA);
    for (let h = 0; h < 14 * 24; h += 5) {
      const ms = START + h * 3_600_000 + 1_234_000;
      expect(b.stateAt(ms)).toEqual(a.stateAt(ms));
    }
    expect(c.stateAt(START).odometerKm).not.toBe(a.stateAt(START).odometerKm);
    // Trip ids are stable and name the vehicle and the day.
    const first = tripsA[0];
    expect(first?.id).toMatch(new RegExp(`^${combustion.id}-\\d+-\\d+$`));
    // A trace is the same whether it comes from the cache or is rebuilt by a fresh timeline.
    if (first) {
      const fresh = timeline(combustion);
      expect(Array.from(fresh.traceOf(first).speedKmh)).toEqual(Array.from(a.traceOf(first).speedKmh));
    }
  });

  it('produces a far day on demand without the days before it', () => {
    const t = timeline(combustion);
    const far = START + 300 * DAY_MS;
    const trips = t.tripsBetween(far, far + DAY_MS);
    expect(t.stats().simulatedDays).toBe(1);
    // Same trips as a timeline that walked there in order (last 3 days only, to stay fast).
    const walked = timeline(combustion);
    walked.tripsBetween(far - 3 * DAY_MS, far);
    expect(walked.tripsBetween(far, far + DAY_MS)).toEqual(trips);
  });

  it('keeps its day cache bounded', () => {
    const t = timeline(combustion);
    t.tripsBetween(START, START + 90 * DAY_MS);
    expect(t.stats().cachedDays).toBeLessThanOrEqual(64);
    expect(t.stats().simulatedDays).toBe(90);
  });

  it('keeps odometer monotonic and levels within 0..100 at random times', () => {
    for (const vehicle of [combustion, electric]) {
      const t = timeline(vehicle);
      const horizon = 40 * DAY_MS;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: horizon }), fc.integer({ min: 0, max: horizon }), (x, y) => {
          const [early, late] = x <= y ? [x, y] : [y, x];
          const a = t.stateAt(START + early);
          const b = t.stateAt(START + late);
          expect(b.odometerKm).toBeGreaterThanOrEqual(a.odometerKm);
          for (const s of [a, b]) {
            for (const level of [s.fuelLevelPct, s.batteryLevelPct]) {
              if (level === null) continue;
              expect(level).toBeGreaterThanOrEqual(0);
              expect(level).toBeLessThanOrEqual(100);
            }
            expect(distance(s, t.home)).toBeLessThan(31);
          }
        }),
        { numRuns: 150, seed: 42 },
      );
    }
  });

  it('reports the trace speed during trips and 0 between them; trips do not overlap', () => {
    const t = timeline(combustion);
    const trips = t.tripsBetween(START, START + 14 * DAY_MS);
    for (let i = 1; i < trips.length; i++) {
      const previous = trips[i - 1];
      const trip = trips[i];
      if (previous && trip) expect(trip.startMs).toBeGreaterThan(previous.endMs);
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: trips.length - 1 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (k, f) => {
          const trip = trips[k];
          if (!trip) return;
          const trace = t.traceOf(trip);
          const ms = trip.startMs + Math.floor(f * (trip.endMs - trip.startMs));
          const state = t.stateAt(ms);
          const second = Math.floor((ms - trip.startMs) / 1000);
          expect(state.moving).toBe(true);
          expect(state.tripId).toBe(trip.id);
          expect(state.speedKmh).toBe(trace.speedKmh[second]);
          // Just after the trip, parked with the trip's end as the last trip.
          const after = t.stateAt(trip.endMs + 1);
          expect(after.moving).toBe(false);
          expect(after.speedKmh).toBe(0);
          expect(after.lastTripEndMs).toBe(trip.endMs);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
    // Outside trips: parked, speed 0.
    for (let m = 0; m < 14 * 24 * 60; m += 37) {
      const ms = START + m * 60_000;
      const inside = trips.some((trip) => ms >= trip.startMs && ms < trip.endMs);
      const state = t.stateAt(ms);
      expect(state.moving).toBe(inside);
      if (!inside) expect(state.speedKmh).toBe(0);
    }
  });

  it('ends each day at home and the odometer moves by the trip distances × the block scale', () => {
    const t = timeline(combustion);
    for (let d = 0; d < 10; d++) {
      const dayStart = START + d * DAY_MS;
      const trips = t.tripsBetween(dayStart, dayStart + DAY_MS);
      const last = trips.at(-1);
      if (!last) continue;
      const end = t.stateAt(last.endMs);
      expect(distance(end, t.home)).toBeLessThan(0.01);
      const before = t.stateAt(trips[0]?.startMs ?? dayStart);
      const driven = trips.reduce((sum, trip) => sum + trip.distanceKm, 0);
      // Exact to 0.1 %: the day's odometer is capped at its plan, which simulation may overrun that much.
      const moved = end.odometerKm - before.odometerKm;
      expect(Math.abs(moved - driven * t.odometerScaleAt(dayStart))).toBeLessThanOrEqual(
        driven * 0.001 + 1e-9,
      );
    }
  });

  it('charges an EV overnight: the battery goes up on most nights after driving', () => {
    const t = timeline(electric);
    let charged = 0;
    let nights = 0;
    for (let d = 0; d < 30; d++) {
      const dayStart = START + d * DAY_MS;
      const trips = t.tripsBetween(dayStart, dayStart + DAY_MS);
      const last = trips.at(-1);
      if (!last) continue;
      const evening = t.stateAt(last.endMs).batteryLevelPct;
      const morning = t.stateAt(dayStart + DAY_MS + 4 * 3_600_000).batteryLevelPct;
      expect(evening).not.toBeNull();
      expect(morning).not.toBeNull();
      nights++;
      if ((morning ?? 0) > (evening ?? 0)) charged++;
    }
    expect(nights).toBeGreaterThan(10);
    expect(charged / nights).toBeGreaterThan(0.6);
  });

  it('drives a realistic distance and refuels a combustion car within 60 days', () => {
    const t = timeline(combustion);
    const trips = t.tripsBetween(START, START + 60 * DAY_MS);
    const km = trips.reduce((sum, trip) => sum + trip.distanceKm, 0);
    expect(km / 60).toBeGreaterThan(20);
    expect(km / 60).toBeLessThan(80);
    let refuels = 0;
    let previous = t.stateAt(START).fuelLevelPct ?? 0;
    for (const trip of trips) {
      const start = t.stateAt(trip.startMs).fuelLevelPct ?? 0;
      if (start > previous + 30) refuels++;
      previous = t.stateAt(trip.endMs).fuelLevelPct ?? 0;
    }
    expect(refuels).toBeGreaterThanOrEqual(1);
  });

  it('holds its invariants across a varied fleet (petrol, diesel, hybrid, electric)', () => {
    const fleet = createWorld({ seed: 'fleet-mix', peers: 40 });
    const cars: { vehicle: SimVehicle; aggressiveness: number; owner: number }[] = [];
    for (let o = 1; o <= 40 && cars.length < 12; o++) {
      const owner = fleet.ownerAt(o);
      const vehicle = owner.vehicles[0] as SimVehicle;
      if (cars.filter((car) => car.vehicle.powertrain === vehicle.powertrain).length < 3)
        cars.push({ vehicle, aggressiveness: owner.style.aggressiveness, owner: o });
    }
    expect(new Set(cars.map((car) => car.vehicle.powertrain)).size).toBe(4);
    for (const car of cars) {
      const t = createVehicleTimeline({
        seed: 'fleet-mix',
        vehicle: car.vehicle,
        style: { aggressiveness: car.aggressiveness, seed: car.owner },
      });
      const horizon = 60 * DAY_MS;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: horizon }), fc.integer({ min: 0, max: horizon }), (x, y) => {
          const [early, late] = x <= y ? [x, y] : [y, x];
          const a = t.stateAt(START + early);
          const b = t.stateAt(START + late);
          expect(b.odometerKm).toBeGreaterThanOrEqual(a.odometerKm);
          for (const s of [a, b]) {
            expect(s.fuelLevelPct === null).toBe(car.vehicle.powertrain === 'electric');
            expect(s.batteryLevelPct === null).toBe(
              car.vehicle.powertrain === 'petrol' || car.vehicle.powertrain === 'diesel',
            );
            for (const level of [s.fuelLevelPct, s.batteryLevelPct]) {
              if (level === null) continue;
              expect(level).toBeGreaterThanOrEqual(0);
              expect(level).toBeLessThanOrEqual(100);
            }
            expect(distance(s, t.home)).toBeLessThan(31);
          }
        }),
        { numRuns: 25, seed: 3 },
      );
    }
  });

  it('places home in France or Germany unless given', () => {
    const home = timeline(combustion).home;
    expect(home.lat).toBeGreaterThan(42);
    expect(home.lat).toBeLessThan(55);
    expect(home.lon).toBeGreaterThan(-2);
    expect(home.lon).toBeLessThan(15);
    const given = createVehicleTimeline({
      seed: SEED,
      vehicle: combustion,
      style,
      homeLocation: { lat: 1, lon: 2 },
    });
    expect(given.home).toEqual({ lat: 1, lon: 2 });
  });
});

describe('odometer over years', () => {
  it('is exact from 2025 on, continuous across blocks, and scaled only before', () => {
    const world = createWorld({ seed: 'odometer-years', peers: 12 });
    for (let o = 1; o <= 12; o++) {
      const owner = world.ownerAt(o);
      const vehicle = owner.vehicles[0] as SimVehicle;
      const t = createVehicleTimeline({
        seed: 'odometer-years',
        vehicle,
        style: { aggressiveness: owner.style.aggressiveness, seed: o },
      });
      expect(t.odometerScaleAt(Date.UTC(2025, 5, 1))).toBe(1);
      expect(t.odometerScaleAt(Date.UTC(2026, 5, 1))).toBe(1);
      const early = t.odometerScaleAt(Date.UTC(2022, 5, 1));
      expect(early).toBeGreaterThan(0.5);
      expect(early).toBeLessThan(2);
      // Block boundaries fall on EPOCH_DAY + k × 364 at 00:00Z: no jump across them.
      for (const k of [4, 5, 6]) {
        const boundary = (EPOCH_DAY + k * 364) * DAY_MS;
        const step = t.stateAt(boundary).odometerKm - t.stateAt(boundary - 1).odometerKm;
        // Zero up to floating-point rounding (two sums of the same distances).
        expect(Math.abs(step)).toBeLessThan(1e-6);
      }
      // From 2025 the odometer moves by exactly the distance driven, across nights and weeks.
      const from = Date.UTC(2026, 1, 2);
      const to = from + 21 * DAY_MS;
      const driven = t.tripsBetween(from, to).reduce((sum, trip) => sum + trip.distanceKm, 0);
      const moved = t.stateAt(to).odometerKm - t.stateAt(from).odometerKm;
      expect(Math.abs(moved - driven)).toBeLessThanOrEqual(0.001 * driven + 1e-6);
    }
  });
});

describe('home charging', () => {
  it('plugs an EV in after its last trip, charges at its power to the target, unplugs at departure', () => {
    const t = timeline(electric);
    let sessions = 0;
    for (let d = 0; d < 21; d++) {
      const dayStart = START + d * DAY_MS;
      const last = t.tripsBetween(dayStart, dayStart + DAY_MS).at(-1);
      const next = t.tripsBetween(dayStart + DAY_MS, dayStart + 3 * DAY_MS)[0];
      if (!last || !next) continue;
      const plugged = t.stateAt(last.endMs + 10 * 60_000).charging;
      if (!plugged) continue;
      sessions++;
      expect(plugged.startMs).toBeGreaterThanOrEqual(plugged.pluggedAtMs);
      expect(plugged.endMs).toBeGreaterThan(plugged.startMs);
      const kwh = ((plugged.targetPct - plugged.fromPct) / 100) * (t.model.batteryKwh ?? 0);
      expect((plugged.endMs - plugged.startMs) / 3_600_000).toBeCloseTo(kwh / plugged.powerKw, 2);
      // The level climbs while energy flows and holds at the target once finished.
      let previous = -1;
      for (let ms = plugged.startMs; ms < Math.min(plugged.endMs, next.startMs); ms += 15 * 60_000) {
        const state = t.stateAt(ms);
        expect(state.charging?.status).toBe('InProgress');
        expect(state.batteryLevelPct ?? 0).toBeGreaterThan(previous);
        previous = state.batteryLevelPct ?? 0;
      }
      if (plugged.endMs < next.startMs) {
        const done = t.stateAt(plugged.endMs + 60_000);
        expect(done.charging?.status).toBe('Finished');
        expect(done.batteryLevelPct).toBeCloseTo(plugged.targetPct, 5);
      }
      expect(t.stateAt(next.startMs + 1000).charging).toBeNull();
    }
    expect(sessions).toBeGreaterThan(5);
  });

  it('never plugs a combustion car in', () => {
    const t = timeline(combustion);
    for (let h = 0; h < 14 * 24; h += 3) expect(t.stateAt(START + h * 3_600_000).charging).toBeNull();
  });
});
