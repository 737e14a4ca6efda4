// A period's score (a week, a month, a rolling window) from its trips' scores — in plain words:
// the mean of the rated trips' scores weighted by their distance, so a long drive counts for more
// than a trip to the bakery (Powerfleet and Roadeazy weight by distance, docs/product-anchors.md
// c.3). Each component likewise, over the trips that rated it. Trips that were not rated count
// for nothing, not for 0. Pure and isomorphic.

import { type ComponentScores, SCORE_COMPONENTS } from './trip-score';

export type ScoredTrip = { distanceKm: number; score: number | null; components: ComponentScores };

export type PeriodScore = {
  /** Null when no trip of the period was rated. */
  score: number | null;
  components: ComponentScores;
  ratedTrips: number;
  ratedDistanceKm: number;
};

function weightedMean(pairs: ReadonlyArray<readonly [value: number, weight: number]>): number | null {
  let weights = 0;
  let sum = 0;
  for (const [value, weight] of pairs) {
    weights += weight;
    sum += value * weight;
  }
  return weights > 0 ? sum / weights : null;
}

export function scorePeriod(trips: readonly ScoredTrip[]): PeriodScore {
  const rated = trips.filter(
    (trip): trip is ScoredTrip & { score: number } => trip.score !== null && trip.distanceKm > 0,
  );
  const components = Object.fromEntries(
    SCORE_COMPONENTS.map((name) => [
      name,
      weightedMean(
        rated.flatMap((trip) => {
          const value = trip.components[name];
          return value === null ? [] : [[value, trip.distanceKm] as const];
        }),
      ),
    ]),
  ) as ComponentScores;
  return {
    score: weightedMean(rated.map((trip) => [trip.score, trip.distanceKm] as const)),
    components,
    ratedTrips: rated.length,
    ratedDistanceKm: rated.reduce((sum, trip) => sum + trip.distanceKm, 0),
  };
}
