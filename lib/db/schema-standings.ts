import 'server-only';

// The tables of migration 0013, written by lib/db/queries/standings.ts.

export type VehicleStandingsTable = {
  vehicle_id: string;
  /** The peer group's key (lib/scoring/peer-group.ts); null until first computed. */
  peer_group: string | null;
  model: string | null;
  /** The window's distance-weighted score; null when no trip of the window is rated. */
  score: number | null;
  /** round(score × 10) while the car is ranked (eligible), else null: its place in the bins. */
  bin: number | null;
  km: number;
  trips: number;
  /** JSON: the window's components, `{ "<component>": 0–100 | null }`. */
  components: string;
  /** Compute again at or after this instant (epoch ms); 0 = now; null = only when a score changes. */
  next_change_at: number | null;
  computed_at: number;
};

export type StandingBinsTable = {
  /** `peer:<peer group key>`, `model:<model>` or `all`. */
  board: string;
  bin: number;
  count: number;
};

export type StandingBinDaysTable = {
  board: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** JSON: `{ "<bin>": count }` of the board's ranked cars that day. */
  counts: string;
};

export type StandingTables = {
  vehicle_standings: VehicleStandingsTable;
  standing_bins: StandingBinsTable;
  standing_bin_days: StandingBinDaysTable;
};
