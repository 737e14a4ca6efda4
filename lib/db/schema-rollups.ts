import 'server-only';

// The rollup table of migration 0005: per vehicle, per minute, hour and day bucket, and per
// metric, what charts need without reading raw samples (lib/db/queries/rollups.ts).

export type RollupResolutionName = 'minute' | 'hour' | 'day';

/** Column prefixes of the rolled-up metrics, one per sample column (migration 0005). */
export type RollupMetricPrefix =
  | 'speed'
  | 'rpm'
  | 'fuel_consumption'
  | 'energy_consumption'
  | 'fuel_level'
  | 'battery_level'
  | 'altitude'
  | 'odometer';

/**
 * Per metric: how many readings (`_n`, 0 when none) and, null when none, their sum, minimum,
 * maximum, and the first and last reading with their instants (epoch ms).
 */
type MetricColumns = {
  [P in RollupMetricPrefix as `${P}_n`]: number;
} & {
  [P in RollupMetricPrefix as
    | `${P}_sum`
    | `${P}_min`
    | `${P}_max`
    | `${P}_first`
    | `${P}_first_at`
    | `${P}_last`
    | `${P}_last_at`]: number | null;
};

export type SampleRollupsTable = {
  vehicle_id: string;
  resolution: RollupResolutionName;
  /** Epoch ms, a multiple of the resolution (UTC). */
  bucket_start: number;
  /** Sample rows in the bucket, with or without a rolled-up metric (retention checks it). */
  samples_n: number;
} & MetricColumns;

export type RollupTables = {
  sample_rollups: SampleRollupsTable;
};
