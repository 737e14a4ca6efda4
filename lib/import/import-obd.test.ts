import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { importObdFileRetrying } from './import-obd';
import { deriveImportedTrips } from './import-trips';

// Several owners uploading at once into a month `samples` has no partition for yet (PostgreSQL
// partitions it by month, created by the first writer of each month). Each import creates its car
// and then the partition, and the partition's foreign key locks `vehicles`, which the other import
// has written: PostgreSQL found a deadlock and aborted one of them, and its owner got a 500
// (test/long/app-crash.long-test.ts, three owners' first uploads at once). The victim is run
// again, from a fresh read of its file; on SQLite the imports simply take turns.

const FIXTURE = join(import.meta.dirname, '../../e2e/fixtures/torque-short-drive.csv');
/** The fixture's distinct instants (lib/import/upload.test.ts counts them by hand). */
const FIXTURE_INSTANTS = 181;
const OWNERS = 4;

describe.each(ENGINES)('imports of several owners at once on %s', (engine) => {
  const database = useTestDatabase(engine);

  it('all commit, each whole, when they open a month with no partition yet', async () => {
    const { db } = database();
    const owners = await Promise.all(
      Array.from({ length: OWNERS }, (_, index) =>
        createUser(db, { email: `at-once-${index}-${engine}@example.com`, passwordHash: null }),
      ),
    );
    const reports = await Promise.all(
      owners.map((owner) =>
        importObdFileRetrying(
          db,
          () => createReadStream(FIXTURE),
          { ownerId: owner.id, fileName: 'torque-short-drive.csv', vehicleLabel: 'Leon', fuel: 'petrol' },
          deriveImportedTrips,
        ),
      ),
    );
    expect(reports.map((report) => [report.rowsImported, report.tripIds.length])).toEqual(
      owners.map(() => [FIXTURE_INSTANTS, 1]),
    );
    for (const report of reports) {
      const stored = await db
        .selectFrom('samples')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('vehicle_id', '=', report.vehicleId)
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(FIXTURE_INSTANTS);
    }
  }, 60_000);
});
