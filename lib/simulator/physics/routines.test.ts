import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './random';
import { driverHabits, type PlannedTrip, planDay, routinePhases } from './routines';

const DAY_MS = 86_400_000;
// 2025-03-03 is a Monday.
const MONDAY = Date.UTC(2025, 2, 3);

function plan(seed: number, days: number, aggressiveness = 0.5) {
  const style = { aggressiveness, seed };
  return Array.from({ length: days }, (_, d) => {
    const date = new Date(MONDAY + d * DAY_MS);
    return { date, trips: planDay(createRng(deriveSeed('fleet', seed, d)), style, date) };
  });
}

const totalKm = (trip: PlannedTrip) => trip.phases.reduce((sum, p) => sum + p.distanceKm, 0);

describe('driverHabits', () => {
  it('is persistent per driver and differs between drivers', () => {
    expect(driverHabits({ aggressiveness: 0.2, seed: 9 })).toEqual(
      driverHabits({ aggressiveness: 0.8, seed: 9 }),
    );
    expect(driverHabits({ aggressiveness: 0.5, seed: 9 }).commute).not.toEqual(
      driverHabits({ aggressiveness: 0.5, seed: 10 }).commute,
    );
  });

  it('gives plausible commutes and timetables', () => {
    for (let seed = 0; seed < 200; seed++) {
      const habits = driverHabits({ aggressiveness: 0.5, seed });
      const km = habits.commute.reduce((sum, p) => sum + p.distanceKm, 0);
      expect(km).toBeGreaterThan(2);
      expect(km).toBeLessThan(62);
      expect(habits.commute[0]?.kind).toBe('urban');
      expect(habits.departureMinute).toBeGreaterThan(5 * 60);
      expect(habits.departureMinute).toBeLessThan(11 * 60);
      expect(habits.returnMinute).toBeGreaterThan(habits.departureMinute + 7 * 60);
    }
  });
});

describe('routinePhases', () => {
  it('builds each routine from valid phases', () => {
    const rng = createRng(1);
    const habits = driverHabits({ aggressiveness: 0.5, seed: 1 });
    for (const routine of ['commute', 'errand', 'motorway-run', 'weekend-trip'] as const) {
      for (let i = 0; i < 50; i++) {
        const phases = routinePhases(rng, routine, habits);
        expect(phases.length).toBeGreaterThan(0);
        for (const phase of phases) {
          expect(phase.distanceKm).toBeGreaterThan(0);
          expect([30, 50, 80, 90, 110, 130]).toContain(phase.speedLimitKmh);
          if (phase.kind === 'motorway') expect(phase.speedLimitKmh).toBeGreaterThanOrEqual(110);
          if (phase.kind === 'urban') expect(phase.speedLimitKmh).toBeLessThanOrEqual(50);
        }
      }
    }
    const run = routinePhases(rng, 'motorway-run', habits);
    expect(run.some((p) => p.kind === 'motorway' && p.distanceKm >= 60)).toBe(true);
  });
});

describe('planDay', () => {
  it('is deterministic for a day', () => {
    expect(plan(3, 14)).toEqual(plan(3, 14));
  });

  it('plans ordered, non-overlapping trips within the day', () => {
    for (let seed = 0; seed < 20; seed++) {
      for (const { date, trips } of plan(seed, 28)) {
        let previous = -1;
        for (const trip of trips) {
          expect(trip.startMinute).toBeGreaterThanOrEqual(5 * 60);
          expect(trip.startMinute).toBeLessThan(24 * 60);
          expect(trip.startMinute).toBeGreaterThan(previous);
          expect(trip.startTime.getTime()).toBe(date.getTime() + trip.startMinute * 60_000);
          previous = trip.startMinute;
        }
      }
    }
  });

  it('follows a weekly pattern: weekday commutes, weekend outings, parked days', () => {
    let weekdays = 0;
    let weekdaysWithCommute = 0;
    let weekendCommutes = 0;
    let weekendTrips = 0;
    let parkedDays = 0;
    let days = 0;
    let weekdayKm = 0;
    for (let seed = 0; seed < 30; seed++) {
      for (const { date, trips } of plan(seed, 28)) {
        days++;
        const weekday = date.getUTCDay();
        const isWeekday = weekday >= 1 && weekday <= 5;
        if (trips.length === 0) parkedDays++;
        const commutes = trips.filter((t) => t.routine === 'commute');
        if (isWeekday) {
          weekdays++;
          if (commutes.length > 0) {
            weekdaysWithCommute++;
            // Out in the morning, back in the evening, on the same route reversed.
            expect(commutes).toHaveLength(2);
            expect(commutes[0]?.startMinute).toBeLessThan(12 * 60);
            expect(commutes[1]?.startMinute).toBeGreaterThan(14 * 60);
            expect(commutes[1]?.phases).toEqual([...(commutes[0]?.phases ?? [])].reverse());
          }
          weekdayKm += trips.reduce((sum, t) => sum + totalKm(t), 0);
        } else {
          weekendCommutes += commutes.length;
          weekendTrips += trips.filter((t) => t.routine === 'weekend-trip').length;
        }
      }
    }
    expect(weekdaysWithCommute / weekdays).toBeGreaterThan(0.7);
    expect(weekdaysWithCommute / weekdays).toBeLessThan(0.97);
    expect(weekendCommutes).toBe(0);
    expect(weekendTrips).toBeGreaterThan(0);
    expect(parkedDays / days).toBeGreaterThan(0.05);
    expect(parkedDays / days).toBeLessThan(0.35);
    // ≈ 10 000–20 000 km a year is typical for a private car in France.
    expect(weekdayKm / weekdays).toBeGreaterThan(15);
    expect(weekdayKm / weekdays).toBeLessThan(70);
  });

  it('keeps the same commute every day for a driver', () => {
    const commutes = plan(5, 21)
      .flatMap(({ trips }) => trips)
      .filter((t) => t.routine === 'commute')
      .map((t) => totalKm(t));
    expect(commutes.length).toBeGreaterThan(10);
    expect(new Set(commutes.map((km) => km.toFixed(3))).size).toBe(1);
  });
});
