import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { makeDrive } from '@/test/long/upload-drives';
import { createUser } from '../db/queries/users';
import type { UserRow } from '../db/schema';
import { type ImportObdReport, importObdFileRetrying } from './import-obd';
import { deriveImportedTrips } from './import-trips';

// Several owners uploading at once into a month `samples` has no partition for yet (PostgreSQL
// partitions it by month; the first writer of a month creates its partition, which locks `samples`
// wholly and, through the partition's foreign key, `vehicles` against writes):
// - each import created its car and read `samples` before creating the partition: PostgreSQL found
//   a deadlock and aborted one, whose owner got a 500 (test/long/app-crash.long-test.ts, three
//   owners' first uploads at once). The import now creates partitions first;
// - a file that runs on into a new month creates it in a later batch, holding its locks by then:
//   those still deadlock, and the victim is run again from a fresh read of its file.
// On SQLite the imports simply take turns.

const FIXTURE = join(import.meta.dirname, '../../e2e/fixtures/torque-short-drive.csv');
/** The fixture's distinct instants (lib/import/upload.test.ts counts them by hand). */
const FIXTURE_INSTANTS = 181;
const OWNERS = 4;

const readingsOf = (csv: Uint8Array) => () => Readable.from([Buffer.from(csv)]);

describe.each(ENGINES)('imports of several owners at once on %s', (engine) => {
  const database = useTestDatabase(engine);

  const owners = (tag: string) =>
    Promise.all(
      Array.from({ length: OWNERS }, (_, index) =>
        createUser(database().db, { email: `${tag}-${index}-${engine}@example.com`, passwordHash: null }),
      ),
    );
  const importAll = (people: UserRow[], open: () => AsyncIterable<Uint8Array | string>, batchSize?: number) =>
    Promise.all(
      people.map((owner) =>
        importObdFileRetrying(
          database().db,
          open,
          {
            ownerId: owner.id,
            fileName: 'drive.csv',
            vehicleLabel: 'Leon',
            fuel: 'petrol',
            ...(batchSize ? { batchSize } : {}),
          },
          deriveImportedTrips,
        ),
      ),
    );
  const expectWhole = async (reports: ImportObdReport[], instants: number) => {
    expect(reports.map((report) => report.rowsImported)).toEqual(reports.map(() => instants));
    for (const report of reports) {
      const stored = await database()
        .db.selectFrom('samples')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('vehicle_id', '=', report.vehicleId)
        .where('provider', '=', 'obd-import')
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBeGreaterThanOrEqual(instants);
    }
  };

  it('all commit, each whole, when they open a month with no partition yet', async () => {
    const reports = await importAll(await owners('first'), () => createReadStream(FIXTURE));
    expect(reports.map((report) => report.tripIds.length)).toEqual(reports.map(() => 1));
    await expectWhole(reports, FIXTURE_INSTANTS);
  }, 60_000);

  it('all commit, each whole, when their files run on into a month with no partition yet', async () => {
    const people = await owners('later');
    // Each owner's car, with a drive earlier that day: January's partition exists.
    await importAll(people, readingsOf(makeDrive(Date.UTC(2025, 0, 31, 12), 1).csv));
    // Then a drive over midnight into February, in small batches: February comes in a later one.
    const overMidnight = makeDrive(Date.UTC(2025, 0, 31, 23, 55), 4);
    const reports = await importAll(people, readingsOf(overMidnight.csv), 50);
    await expectWhole(reports, overMidnight.instants);
  }, 60_000);
});
