import 'server-only';

// The table of migration 0011: each trip's driving score (lib/scoring/trip-score.ts), written by
// lib/db/queries/trip-scores.ts.

export type TripScoresTable = {
  trip_id: string;
  vehicle_id: string;
  /** The trip's start, epoch ms (windows and periods read by it). */
  started_at: number;
  distance_km: number | null;
  /** 0–100; null when the trip was not rated, with `not_rated_reason` saying why. */
  score: number | null;
  not_rated_reason: string | null;
  /** JSON: `{ "<component>": 0–100 | null }`. */
  components: string;
  /** JSON: the costliest moments, `[{ component, kind, from, to, points }]`. */
  moments: string;
  tip: string | null;
  /** The formulas' version (SCORING_VERSION); an older row is scored again. */
  version: number;
  scored_at: number;
};

export type TripScoreTables = {
  trip_scores: TripScoresTable;
};
