import 'server-only';
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial';
import * as m0002 from './0002-vehicle-data';
import * as m0003 from './0003-car-accounts';
import * as m0004 from './0004-webhook-events';
import * as m0005 from './0005-rollups';
import * as m0006 from './0006-callback-subscriptions';
import * as m0007 from './0007-vehicle-snapshots';
import * as m0008 from './0008-alert-acknowledgements';
import * as m0009 from './0009-trip-tags';
import * as m0010 from './0010-user-preferences';
import * as m0011 from './0011-trip-scores';
import * as m0012 from './0012-share-links';
import * as m0013 from './0013-standings';
import * as m0014 from './0014-leaderboards';
import * as m0015 from './0015-trip-faults';
import * as m0016 from './0016-sync-backlog';

// Listed statically (not read from disk) so the bundled app, the CLI and tests all see the same
// set. Names sort in order of application.
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-vehicle-data': m0002,
  '0003-car-accounts': m0003,
  '0004-webhook-events': m0004,
  '0005-rollups': m0005,
  '0006-callback-subscriptions': m0006,
  '0007-vehicle-snapshots': m0007,
  '0008-alert-acknowledgements': m0008,
  '0009-trip-tags': m0009,
  '0010-user-preferences': m0010,
  '0011-trip-scores': m0011,
  '0012-share-links': m0012,
  '0013-standings': m0013,
  '0014-leaderboards': m0014,
  '0015-trip-faults': m0015,
  '0016-sync-backlog': m0016,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};

export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();
