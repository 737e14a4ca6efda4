import { openDatabase } from './accounts';

// Everything one owner has in the test instance's database, table by table, as sorted row texts:
// what "this request changed nothing" compares. The instance is shared with other tests and with
// the worker syncing the demo world, so only rows that belong to the owner are read. Every table
// of the schema must be classified here; a new table fails the snapshot until it is.

type Scope = { where: string; params: (ids: OwnerKeys) => unknown[] };
type OwnerKeys = { userId: string; email: string };

const OF_VEHICLES = 'vehicle_id in (select id from vehicles where user_id = ?)';
const OF_ACCOUNTS = 'car_account_id in (select id from car_accounts where user_id = ?)';
const byVehicle: Scope = { where: OF_VEHICLES, params: (o) => [o.userId] };
const byAccount: Scope = { where: OF_ACCOUNTS, params: (o) => [o.userId] };
const byUser = (column: string): Scope => ({ where: `${column} = ?`, params: (o) => [o.userId] });

const OWNED: Record<string, Scope> = {
  users: byUser('id'),
  sessions: byUser('user_id'),
  vehicles: byUser('user_id'),
  car_accounts: byUser('user_id'),
  alert_acknowledgements: byUser('user_id'),
  share_links: byUser('owner_id'),
  leaderboard_listings: byUser('owner_id'),
  driver_groups: byUser('owner_id'),
  driver_group_members: byUser('owner_id'),
  alerts: byVehicle,
  charging_sessions: byVehicle,
  eco_evaluations: byVehicle,
  maintenance_reports: byVehicle,
  quarantine: byVehicle,
  sample_rollups: byVehicle,
  samples: byVehicle,
  sync_state: byVehicle,
  trip_scores: byVehicle,
  trips: byVehicle,
  vehicle_snapshots: byVehicle,
  vehicle_standings: byVehicle,
  trip_tags: {
    where: `trip_id in (select id from trips where ${OF_VEHICLES})`,
    params: (o) => [o.userId],
  },
  callback_monitors: byAccount,
  callback_subscriptions: byAccount,
  car_account_vehicles: byAccount,
  webhook_subscriptions: byAccount,
  webhook_events: {
    where: `callback_id in (select callback_id from webhook_subscriptions where ${OF_ACCOUNTS})`,
    params: (o) => [o.userId],
  },
  // Throttle counters keyed by the owner (account export, sign-in by e-mail).
  rate_limits: {
    where: "(key like '%' || ? || '%' or key like '%' || ? || '%')",
    params: (o) => [o.userId, o.email.toLowerCase()],
  },
  // The schema's own bookkeeping: whole tables (migrations change them, nothing else).
  kysely_migration: { where: '1 = 1', params: () => [] },
  kysely_migration_lock: { where: '1 = 1', params: () => [] },
};

/**
 * Tables that hold no one owner's rows: the boards' distribution of scores over every listed car
 * (rewritten whenever any car's standing changes, the demo's included). The owner's own standing
 * is in vehicle_standings and leaderboard_listings above.
 */
const SHARED = new Set(['standing_bins', 'standing_bin_days']);

/**
 * Columns a read may write by design, left out: a session's last_seen_at is refreshed at most
 * once a minute by any signed-in request (lib/db/queries/sessions.ts), which is what "last seen"
 * in the settings' session list means.
 */
const TOUCHED_BY_READS: Record<string, readonly string[]> = { sessions: ['last_seen_at'] };

export type OwnerSnapshot = Record<string, string[]>;

export function ownerSnapshot(baseUrl: string, owner: OwnerKeys): OwnerSnapshot {
  const db = openDatabase(baseUrl);
  try {
    const tables = (
      db
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        .all() as {
        name: string;
      }[]
    ).map((row) => row.name);
    const unclassified = tables.filter((table) => !(table in OWNED) && !SHARED.has(table));
    if (unclassified.length > 0)
      throw new Error(
        `owner-snapshot.ts does not say whose rows these tables hold: ${unclassified.join(', ')}`,
      );
    // One read transaction: every table as of the same moment.
    return db.transaction(() => {
      const snapshot: OwnerSnapshot = {};
      for (const table of tables.filter((name) => name in OWNED).sort()) {
        const scope = OWNED[table] as Scope;
        const rows = db
          .prepare(`select * from "${table}" where ${scope.where}`)
          .all(...scope.params(owner)) as Record<string, unknown>[];
        const dropped = TOUCHED_BY_READS[table] ?? [];
        snapshot[table] = rows
          .map((row) => {
            for (const column of dropped) delete row[column];
            return JSON.stringify(row);
          })
          .sort();
      }
      return snapshot;
    })();
  } finally {
    db.close();
  }
}

/** Rows that differ between two snapshots, per table (unchanged tables left out). */
export function snapshotChanges(before: OwnerSnapshot, after: OwnerSnapshot) {
  const changes: Record<string, { added: string[]; removed: string[] }> = {};
  for (const table of Object.keys({ ...before, ...after })) {
    const was = before[table] ?? [];
    const is = after[table] ?? [];
    const added = is.filter((row) => !was.includes(row));
    const removed = was.filter((row) => !is.includes(row));
    if (added.length > 0 || removed.length > 0) changes[table] = { added, removed };
  }
  return changes;
}

export type RowChange = { key: string; columns: string[] };

/**
 * One table's changes as rows whose key stayed and whose columns changed (`columns`); a row added
 * or removed outright lists every column. `keyColumns` name a row.
 */
export function changedColumns(change: { added: string[]; removed: string[] }, keyColumns: string[]) {
  const keyOf = (row: Record<string, unknown>) => JSON.stringify(keyColumns.map((column) => row[column]));
  const removed = new Map(
    change.removed.map((text) => {
      const row = JSON.parse(text) as Record<string, unknown>;
      return [keyOf(row), row] as const;
    }),
  );
  const out: RowChange[] = [];
  for (const text of change.added) {
    const row = JSON.parse(text) as Record<string, unknown>;
    const key = keyOf(row);
    const was = removed.get(key);
    removed.delete(key);
    const columns = Object.keys(row).filter(
      (column) => !was || JSON.stringify(was[column]) !== JSON.stringify(row[column]),
    );
    out.push({ key, columns: columns.sort() });
  }
  for (const [key, row] of removed) out.push({ key, columns: Object.keys(row).sort() });
  return out;
}
