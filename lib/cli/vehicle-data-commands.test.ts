import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, useTestDatabase } from '@/test/db-harness';
import { createUser } from '../db/queries/users';
import { type CliRun, runCliCaptured } from './cli-for-tests';

// `import` and `trips` end to end on both engines: a Torque log written here (two drives with a
// 15-minute stop between them) goes in through the CLI, comes back as two trips with the
// interfaces.md fields, and importing it again changes nothing.

const START = Date.parse('2026-03-02T07:00:00Z');
const HEADER =
  'GPS Time, Device Time, Longitude, Latitude,Engine RPM(rpm),Speed (OBD)(km/h),Fuel flow rate/hour(l/hr)';

/** One drive at 1 Hz: 60 s up to 50 km/h, `cruiseS` at 50, 60 s down to a stop. */
function drive(startMs: number, cruiseS: number): string[] {
  const rows: string[] = [];
  const total = 60 + cruiseS + 60;
  for (let s = 0; s <= total; s++) {
    const speed =
      s < 60 ? (50 * s) / 60 : s < 60 + cruiseS ? 50 : Math.max(0, 50 - (50 * (s - 60 - cruiseS)) / 60);
    const at = new Date(startMs + s * 1000);
    // Torque's own forms: `Mon Mar 02 07:00:00 GMT+00:00 2026` and `02-Mar-2026 07:00:00.000`.
    const [weekday, day, month, year, time] = at.toUTCString().replace(',', '').split(' ');
    const gps = `${weekday} ${month} ${day} ${time} GMT+00:00 ${year}`;
    const device = `${day}-${month}-${year} ${time}.000`;
    rows.push(
      `${gps},${device},13.40${String(s).padStart(4, '0')},52.52,${Math.round(900 + speed * 40)},${speed.toFixed(1)},${(0.8 + speed * 0.08).toFixed(2)}`,
    );
  }
  return rows;
}

type Run = CliRun;

describe.each(ENGINES)('import and trips on %s', (engine) => {
  const database = useTestDatabase(engine);
  let dir = '';
  let file = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinetic-import-'));
    file = join(dir, 'trackLog-2026-Mar-02.csv');
    const lines = [HEADER, ...drive(START, 240), ...drive(START + (6 + 15) * 60_000, 300), 'not,a,row'];
    await writeFile(file, `${lines.join('\n')}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Runs the CLI against the same database the test reads, through its own connection. */
  const cli = (...argv: string[]): Promise<Run> => runCliCaptured(argv, database().env);
  const json = (run: Run) => JSON.parse(run.stdout) as Record<string, unknown>;

  it('imports a log, derives its trips, and a second import changes nothing', async () => {
    await createUser(database().db, { email: `driver-${engine}@example.com`, passwordHash: 'h' });
    const owner = `driver-${engine}@example.com`;
    const first = await cli(
      'import',
      file,
      '--owner',
      owner,
      '--vehicle',
      'Leon',
      '--fuel',
      'petrol',
      '--json',
    );
    expect(first.code, first.stderr).toBe(0);
    const report = json(first);
    const rows = 2 + 240 + 2 * 60 + 1 + 300 + 2 * 60 + 1 - 2 + 1;
    expect(report).toMatchObject({
      rowsRead: rows,
      rowsImported: rows - 1,
      rowsDuplicate: 0,
      rowsRejected: 1,
    });
    expect(report.rejections).toEqual([{ row: expect.any(Number), reason: expect.any(String) }]);
    expect(report.tripIds).toHaveLength(2);

    const again = json(await cli('import', file, '--owner', owner, '--vehicle', 'Leon', '--json'));
    expect(again).toMatchObject({
      rowsRead: rows,
      rowsImported: 0,
      rowsDuplicate: rows - 1,
      rowsRejected: 1,
    });
    expect(again.vehicleId).toBe(report.vehicleId);
    expect(again.tripIds).toEqual(report.tripIds);

    const trips = json(await cli('trips', '--owner', owner, '--vehicle', 'Leon', '--json')).trips as Record<
      string,
      unknown
    >[];
    expect(trips.map((trip) => trip.id)).toEqual(report.tripIds);
    const [morning] = trips;
    // 60 s to 50 km/h, 240 s at 50, 60 s to a stop: 0.4167 + 3.3333 + 0.4167 km.
    expect(morning?.distanceKm).toBeCloseTo(4.1667, 1);
    expect(morning?.durationS).toBe(360);
    expect(morning?.maxSpeedKmh).toBeCloseTo(50, 0);
    expect(morning?.startedAt).toBe(new Date(START).toISOString());
    expect(morning?.avgConsumption).toMatchObject({ unit: 'L/100km' });
    expect(Object.keys(morning ?? {}).sort()).toEqual(
      [
        'id',
        'vehicleId',
        'startedAt',
        'endedAt',
        'distanceKm',
        'durationS',
        'movingS',
        'idleS',
        'avgSpeedKmh',
        'maxSpeedKmh',
        'fuelUsedL',
        'energyUsedKwh',
        'avgConsumption',
        'events',
      ].sort(),
    );
  });

  it('refuses a file whose clock times carry no date, storing nothing', async () => {
    const owner = `undated-${engine}@example.com`;
    await createUser(database().db, { email: owner, passwordHash: 'h' });
    const undated = join(dir, 'log.csv');
    await writeFile(undated, 'Time,Speed (OBD)(km/h)\n10:00:00,10\n10:00:01,12\n');
    const run = await cli('import', undated, '--owner', owner, '--json');
    expect(run.code).toBe(1);
    expect(json(run)).toMatchObject({ error: { code: 'bad_request' } });
    expect(json(await cli('trips', '--owner', owner, '--json'))).toEqual({ trips: [] });
    const stored = await database()
      .db.selectFrom('vehicles')
      .innerJoin('users', 'users.id', 'vehicles.user_id')
      .where('users.email', '=', owner)
      .select('vehicles.id')
      .execute();
    expect(stored).toEqual([]);
  });

  it('says clearly what is wrong with the command', async () => {
    expect((await cli('import', '--owner', 'x@example.com', '--json')).code).toBe(2);
    const unknown = await cli('import', file, '--owner', 'nobody@example.com', '--json');
    expect(unknown.code).toBe(1);
    expect(json(unknown)).toMatchObject({ error: { code: 'not_found' } });
    expect((await cli('trips', '--owner', 'nobody@example.com', '--from', 'yesterday', '--json')).code).toBe(
      2,
    );
  });
});
