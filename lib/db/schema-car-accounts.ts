import 'server-only';

// Tables of the car accounts feature (linked maker accounts, their encrypted tokens, the cars each
// links). Filled in by migration 0003.
export type CarAccountTables = Record<never, never>;
