import { describe, expect, it } from 'vitest';
import { createSimContext } from '../context';
import type { SimVehicle } from '../world/world';
import {
  lastServiceAt,
  maintenanceAt,
  SERVICE_INTERVALS,
  type ServiceVisit,
  serviceVisits,
} from './maintenance';
import { DAY_MS } from './vehicle-timeline';

// Realism of the service indicator over a sample of peer cars: counters run down with time and
// use, reset at a service, go negative when the owner is late, and never depend on the clock.

const NOW = Date.parse('2026-03-01T08:00:00Z');
const SEED = 'maintenance-test';
const ctx = createSimContext({ seed: SEED, peers: 20 });
const cars: SimVehicle[] = Array.from(
  { length: 20 },
  (_, i) => ctx.world.ownerAt(i + 1).vehicles[0] as SimVehicle,
);
const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
const odometerAt = (vehicle: SimVehicle, ms: number) => ctx.fleet.timelineOf(vehicle).stateAt(ms).odometerKm;
const intervalDays = (visit: ServiceVisit) => dayOf(visit.dueAtMs) - dayOf(visit.atMs);

describe('service history', () => {
  it('follows PSA-like plans: a year (two for electric cars) or 25,000 km', () => {
    expect(SERVICE_INTERVALS.petrol).toEqual({ months: 12, km: 25_000 });
    expect(SERVICE_INTERVALS.diesel).toEqual({ months: 12, km: 25_000 });
    expect(SERVICE_INTERVALS.hybrid).toEqual({ months: 12, km: 25_000 });
    expect(SERVICE_INTERVALS.electric).toEqual({ months: 24, km: 25_000 });
  });

  it('services each car around its due point, from enrolment on', () => {
    const reasons = new Set<string>();
    let early = 0;
    let late = 0;
    for (const car of cars) {
      const visits = serviceVisits(ctx, car, NOW);
      expect(visits[0]?.reason).toBe('enrolment');
      expect(dayOf(visits[0]?.atMs ?? 0)).toBe(dayOf(ctx.fleet.enrolledAtMs(car)));
      // One visit past now is already fixed (it does not depend on the clock).
      expect(visits.at(-1)?.atMs).toBeGreaterThan(NOW);
      expect(visits.at(-2)?.atMs).toBeLessThanOrEqual(NOW);
      for (let i = 1; i < visits.length; i++) {
        const previous = visits[i - 1] as ServiceVisit;
        const visit = visits[i] as ServiceVisit;
        reasons.add(visit.reason);
        expect(visit.odometerKm).toBeGreaterThanOrEqual(previous.odometerKm);
        expect(visit.atMs - previous.atMs).toBeGreaterThanOrEqual(60 * DAY_MS);
        // Never more than a month after the due date, nor far past the due distance.
        expect(visit.atMs).toBeLessThanOrEqual(previous.dueAtMs + 30 * DAY_MS);
        expect(visit.odometerKm).toBeLessThan(previous.dueKm + 2_000);
        if (visit.reason === 'time') {
          expect(visit.atMs).toBeGreaterThanOrEqual(previous.dueAtMs - 40 * DAY_MS);
        } else {
          expect(visit.reason).toBe('distance');
          expect(visit.odometerKm).toBeGreaterThan(previous.dueKm - 4_000);
        }
        if (visit.atMs < previous.dueAtMs && visit.odometerKm < previous.dueKm) early++;
        if (visit.atMs > previous.dueAtMs || visit.odometerKm > previous.dueKm) late++;
      }
    }
    // Heavy drivers and electric cars (two-year plan) run out of distance first, others of time.
    expect(reasons).toEqual(new Set(['time', 'distance']));
    expect(early).toBeGreaterThan(5);
    expect(late).toBeGreaterThan(5);
  });

  it('does not depend on the clock or the cache', () => {
    const fresh = createSimContext({ seed: SEED, peers: 20 });
    for (const car of cars.slice(0, 4)) {
      const known = serviceVisits(ctx, car, NOW);
      // Asked at an earlier instant, a fresh context knows fewer visits, and the same ones.
      const earlier = serviceVisits(fresh, car, NOW - 400 * DAY_MS);
      expect(earlier.length).toBeLessThanOrEqual(known.length);
      expect(known.slice(0, earlier.length)).toEqual(earlier);
      expect(maintenanceAt(fresh, car, NOW)).toEqual(maintenanceAt(ctx, car, NOW));
    }
  });
});

describe('service indicator', () => {
  it('runs down with time and use, and resets at each service', () => {
    for (const car of cars) {
      const interval = SERVICE_INTERVALS[car.powertrain];
      let previous: { at: number; counters: NonNullable<ReturnType<typeof maintenanceAt>> } | null = null;
      for (let at = NOW - 364 * DAY_MS; at <= NOW; at += 28 * DAY_MS) {
        const counters = maintenanceAt(ctx, car, at);
        if (!counters) throw new Error('an enrolled car has counters');
        const { lastService } = counters;
        expect(counters.daysBeforeMaintenance).toBeLessThanOrEqual(intervalDays(lastService));
        expect(counters.mileageBeforeMaintenance).toBeLessThanOrEqual(interval.km);
        // Exactly the due point minus today and minus the odometer.
        expect(counters.daysBeforeMaintenance).toBe(dayOf(lastService.dueAtMs) - dayOf(at));
        expect(counters.mileageBeforeMaintenance).toBeCloseTo(lastService.dueKm - odometerAt(car, at), 1);
        if (previous && previous.counters.lastService.index === lastService.index) {
          expect(counters.daysBeforeMaintenance).toBe(previous.counters.daysBeforeMaintenance - 28);
          const driven = odometerAt(car, at) - odometerAt(car, previous.at);
          expect(previous.counters.mileageBeforeMaintenance - counters.mileageBeforeMaintenance).toBeCloseTo(
            driven,
            0,
          );
          expect(counters.mileageBeforeMaintenance).toBeLessThanOrEqual(
            previous.counters.mileageBeforeMaintenance,
          );
        } else if (previous) {
          // A service in between: counted again from it.
          expect(lastService.index).toBeGreaterThan(previous.counters.lastService.index);
          expect(lastService.atMs).toBeGreaterThan(previous.at);
          expect(counters.daysBeforeMaintenance).toBeGreaterThan(previous.counters.daysBeforeMaintenance);
        }
        previous = { at, counters };
      }
    }
  });

  it('goes negative while a late owner has not been to the garage, and is full right after', () => {
    let overdueDays = 0;
    let overdueKm = 0;
    for (const car of cars) {
      const interval = SERVICE_INTERVALS[car.powertrain];
      const visits = serviceVisits(ctx, car, NOW).filter(
        (visit) => visit.index > 0 && visit.atMs > NOW - 730 * DAY_MS && visit.atMs <= NOW,
      );
      for (const visit of visits) {
        const before = maintenanceAt(ctx, car, visit.atMs - 1);
        const previous = lastServiceAt(ctx, car, visit.atMs - 1);
        expect(before?.lastService).toEqual(previous);
        if (!before || !previous) throw new Error('a service follows another');
        if (visit.atMs - DAY_MS > previous.dueAtMs) {
          expect(before.daysBeforeMaintenance).toBeLessThan(0);
          expect(before.daysBeforeMaintenance).toBeGreaterThanOrEqual(-31);
          overdueDays++;
        }
        if (odometerAt(car, visit.atMs - 1) > previous.dueKm) {
          expect(before.mileageBeforeMaintenance).toBeLessThan(0);
          expect(before.mileageBeforeMaintenance).toBeGreaterThan(-2_000);
          overdueKm++;
        }
        const after = maintenanceAt(ctx, car, visit.atMs);
        expect(after?.lastService).toEqual(visit);
        expect(after?.daysBeforeMaintenance).toBe(intervalDays(visit));
        expect(after?.mileageBeforeMaintenance).toBeCloseTo(interval.km, 1);
      }
    }
    expect(overdueDays).toBeGreaterThan(0);
    expect(overdueKm).toBeGreaterThan(0);
  });

  it('is dated when the car last reported, and absent before enrolment', () => {
    for (const car of cars.slice(0, 8)) {
      const state = ctx.fleet.timelineOf(car).stateAt(NOW);
      const counters = maintenanceAt(ctx, car, NOW);
      const lastService = lastServiceAt(ctx, car, NOW);
      if (!counters || !lastService) throw new Error('an enrolled car has counters');
      const reported = state.moving ? NOW : (state.lastTripEndMs ?? NOW - 30 * DAY_MS);
      expect(counters.createdAtMs).toBe(Math.max(reported, lastService.atMs));
      expect(counters.updatedAtMs).toBe(counters.createdAtMs);
      expect(counters.createdAtMs).toBeLessThanOrEqual(NOW);
      expect(maintenanceAt(ctx, car, ctx.fleet.enrolledAtMs(car) - 1)).toBeNull();
    }
  });
});
