import { describe, expect, it } from 'vitest';
import { scorePeriod } from './period-score';
import { type ComponentScores, noComponents } from './trip-score';

const components = (overrides: Partial<ComponentScores>): ComponentScores => ({
  ...noComponents(),
  ...overrides,
});

describe('scorePeriod', () => {
  it('weights trips by distance and leaves unrated trips out', () => {
    // (80 × 10 + 60 × 30) / 40 = 65; the 5 km trip was not rated and counts for nothing.
    const period = scorePeriod([
      { distanceKm: 10, score: 80, components: components({ smoothness: 90, engine: 70 }) },
      { distanceKm: 30, score: 60, components: components({ smoothness: 50 }) },
      { distanceKm: 5, score: null, components: components({}) },
    ]);
    expect(period.score).toBe(65);
    expect(period.ratedTrips).toBe(2);
    expect(period.ratedDistanceKm).toBe(40);
    // Smoothness (90 × 10 + 50 × 30) / 40 = 60; engine only from the trip that rated it.
    expect(period.components.smoothness).toBe(60);
    expect(period.components.engine).toBe(70);
    expect(period.components.speed).toBeNull();
  });

  it('has no score without a rated trip', () => {
    expect(scorePeriod([]).score).toBeNull();
    expect(scorePeriod([{ distanceKm: 3, score: null, components: components({}) }]).score).toBeNull();
  });

  it('keeps its score when every trip is driven twice', () => {
    const trips = [
      { distanceKm: 12.5, score: 71.2, components: components({ speed: 88 }) },
      { distanceKm: 3.1, score: 44.9, components: components({ speed: 20 }) },
    ];
    expect(scorePeriod([...trips, ...trips]).score).toBeCloseTo(scorePeriod(trips).score as number, 12);
  });
});
