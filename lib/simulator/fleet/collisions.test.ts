import { describe, expect, it } from 'vitest';
import { createSimContext } from '../context';
import type { SimVehicle } from '../world/world';
import { COLLISIONS_PER_YEAR, collisionById, collisionsBetween, type SimCollision } from './collisions';
import { DAY_MS } from './vehicle-timeline';

// Realism of simulated collisions over every peer car's whole connected life (≈ 750 car-years):
// about one per ten car-years (band 0.05–0.2), mostly 'Minimal' knocks at parking speed (target
// shares: 80 % Minimal, 17 % Minor, 3 % Major; the bounds leave room for a sample of ≈ 70).

const NOW = Date.parse('2026-03-01T08:00:00Z');
const SEED = 'collisions-test';
const ctx = createSimContext({ seed: SEED, peers: 150 });
const cars = Array.from({ length: 150 }, (_, i) => ctx.world.ownerAt(i + 1).vehicles[0] as SimVehicle);
const lives = cars.map((car) => {
  const from = ctx.fleet.enrolledAtMs(car);
  return { car, from, collisions: collisionsBetween(ctx, car, from, NOW, NOW) };
});
const all: SimCollision[] = lives.flatMap((life) => life.collisions);

describe('collisions', () => {
  it('happen about once per ten car-years', () => {
    const carYears = lives.reduce((sum, life) => sum + (NOW - life.from) / (365.25 * DAY_MS), 0);
    expect(carYears).toBeGreaterThan(500);
    const rate = all.length / carYears;
    expect(COLLISIONS_PER_YEAR).toBe(0.1);
    expect(rate).toBeGreaterThanOrEqual(0.05);
    expect(rate).toBeLessThanOrEqual(0.2);
  });

  it('are mostly minimal knocks on the rear at low speed', () => {
    const first = (collision: SimCollision) => collision.details[0];
    const minimal = all.filter((collision) => first(collision)?.severity === 'Minimal');
    expect(minimal.length / all.length).toBeGreaterThan(0.6);
    expect(
      all.filter((collision) => first(collision)?.severity === 'Major').length / all.length,
    ).toBeLessThan(0.12);
    const bySide = (side: string) => minimal.filter((collision) => first(collision)?.side === side).length;
    expect(bySide('Rear')).toBeGreaterThan(bySide('Front'));
    expect(bySide('Front')).toBeGreaterThan(bySide('Lateral'));
    const slow = all.filter((collision) => collision.speedKmh <= 20).length;
    expect(slow / all.length).toBeGreaterThan(0.6);
    for (const collision of all) {
      expect(collision.details.length).toBeGreaterThanOrEqual(1);
      expect(new Set(collision.details.map((detail) => detail.side)).size).toBe(collision.details.length);
      if (collision.pedestrian) expect(first(collision)?.side).toBe('Front');
      if (collision.tippedOver) expect(first(collision)?.severity).toBe('Major');
    }
  });

  it('happen during a trip, at a second of its trace', () => {
    for (const { car, collisions } of lives) {
      const timeline = ctx.fleet.timelineOf(car);
      for (const collision of collisions) {
        const trip = timeline
          .tripsBetween(collision.createdAtMs - DAY_MS, collision.createdAtMs + 1)
          .find((candidate) => candidate.id === collision.tripId);
        if (!trip) throw new Error(`trip ${collision.tripId} holds the collision`);
        expect(collision.createdAtMs).toBeGreaterThanOrEqual(trip.startMs);
        expect(collision.createdAtMs).toBeLessThan(trip.endMs);
        const second = (collision.createdAtMs - trip.startMs) / 1000;
        expect(timeline.traceOf(trip).speedKmh[second]).toBe(collision.speedKmh);
        expect(collision.speedKmh).toBeGreaterThan(0);
      }
    }
  });

  it('are deterministic, the same whichever window asks, and exist only once they happened', () => {
    const busy = lives.find((life) => life.collisions.length >= 2);
    if (!busy) throw new Error('some car has two collisions in its life');
    const { car, from, collisions } = busy;
    const fresh = createSimContext({ seed: SEED, peers: 150 });
    expect(collisionsBetween(fresh, car, from, NOW, NOW)).toEqual(collisions);
    const second = collisions[1] as SimCollision;
    const split = [
      ...collisionsBetween(fresh, car, from, second.createdAtMs, NOW),
      ...collisionsBetween(fresh, car, second.createdAtMs, NOW, NOW),
    ];
    expect(split).toEqual(collisions);
    // Known at the second it happened, not a second before.
    expect(collisionsBetween(fresh, car, from, NOW, second.createdAtMs)).toEqual(collisions.slice(0, 2));
    expect(collisionsBetween(fresh, car, from, NOW, second.createdAtMs - 1)).toEqual(collisions.slice(0, 1));
    const other = createSimContext({ seed: 'another-seed', peers: 150 });
    expect(collisionsBetween(other, car, from, NOW, NOW)).not.toEqual(collisions);
  });

  it('are found by id, and nothing for unknown or future ids', () => {
    for (const { car, collisions } of lives.slice(0, 30)) {
      for (const collision of collisions) {
        expect(collision.id).toMatch(/^[0-9a-f]{64}$/);
        expect(collisionById(ctx, car, collision.id, NOW)).toEqual(collision);
        expect(collisionById(ctx, car, collision.id, collision.createdAtMs - 1)).toBeNull();
        expect(
          collisionById(
            ctx,
            car,
            `${collision.id.slice(0, 63)}${collision.id.endsWith('0') ? '1' : '0'}`,
            NOW,
          ),
        ).toBeNull();
      }
    }
    expect(collisionById(ctx, cars[0] as SimVehicle, 'nope', NOW)).toBeNull();
  });
});
