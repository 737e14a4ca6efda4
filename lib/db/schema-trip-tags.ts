import 'server-only';

// The table of migration 0009: the owner's tag of a trip, kept apart from `trips` because the sync
// worker rewrites trip rows (lib/trips/tags.ts reads and writes it).

export const TRIP_TAGS = ['business', 'private'] as const;
export type TripTag = (typeof TRIP_TAGS)[number];

export type TripTagsTable = {
  trip_id: string;
  tag: TripTag;
  /** Epoch ms of the last change. */
  updated_at: number;
};

export type TripTagTables = {
  trip_tags: TripTagsTable;
};
