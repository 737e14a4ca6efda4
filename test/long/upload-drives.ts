import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// TEST SUPPORT ONLY (long tests): distinct OBD logs to upload, made from the e2e fixture's short
// drive (e2e/fixtures/torque-short-drive.csv, a Torque Pro log: 183 rows at 1 Hz, one instant
// twice, and one row that is not a reading). A drive is `copies` runs of it one after another, all moved to start at a chosen instant,
// so every drive holds the same readings at its own times: the same rows imported and the same
// trips derived, at a place in time no other drive of the car touches.

const FIXTURE = fileURLToPath(new URL('../../e2e/fixtures/torque-short-drive.csv', import.meta.url));
/** The fixture's first reading: 2 March 2026, 07:00:00 UTC. */
const FIXTURE_START = Date.UTC(2026, 2, 2, 7, 0, 0);
/** One run of the fixture after another: its 3 minutes and a 20 s stop at the lights. */
const COPY_SPACING_MS = 200_000;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (value: number) => String(value).padStart(2, '0');

/** `02-Mar-2026 07:00:00.000`, the Device Time column. */
function deviceTime(ms: number): string {
  const d = new Date(ms);
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${clock}.000`;
}

/** `Mon Mar 02 07:00:00 GMT+00:00 2026`, the GPS Time column. */
function gpsTime(ms: number): string {
  const d = new Date(ms);
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${clock} GMT+00:00 ${d.getUTCFullYear()}`;
}

function parseDeviceTime(text: string): number | null {
  const match = /^(\d{2})-(\w{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2})/.exec(text.trim());
  if (!match) return null;
  const [, day, month, year, hours, minutes, seconds] = match;
  return Date.UTC(
    Number(year),
    MONTHS.indexOf(month as string),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
}

/** A reading (its time from the fixture's start), or a row the importer rejects, kept as it is. */
type FixtureRow = { offsetMs: number; rest: string } | { line: string };

let fixture: { header: string; rows: FixtureRow[] } | undefined;

function readFixture() {
  if (fixture) return fixture;
  const [header = '', ...lines] = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
  const rows = lines.map((line): FixtureRow => {
    const fields = line.split(',');
    const at = parseDeviceTime(fields[1] ?? '');
    return at === null ? { line } : { offsetMs: at - FIXTURE_START, rest: fields.slice(2).join(',') };
  });
  fixture = { header, rows };
  return fixture;
}

export type Drive = {
  /** The file's bytes. */
  csv: Uint8Array<ArrayBuffer>;
  /** Its first and last reading. */
  from: number;
  to: number;
  /** Readings at distinct instants: what a first import stores. */
  instants: number;
};

/** The fixture `copies` times in a row, starting at `startMs`. */
export function makeDrive(startMs: number, copies: number): Drive {
  const { header, rows } = readFixture();
  const lines = [header];
  const instants = new Set<number>();
  for (let copy = 0; copy < copies; copy++) {
    for (const row of rows) {
      if ('line' in row) {
        lines.push(row.line);
        continue;
      }
      const at = startMs + copy * COPY_SPACING_MS + row.offsetMs;
      instants.add(at);
      lines.push(`${gpsTime(at)},${deviceTime(at)},${row.rest}`);
    }
  }
  const times = [...instants];
  return {
    csv: new TextEncoder().encode(`${lines.join('\n')}\n`),
    from: Math.min(...times),
    to: Math.max(...times),
    instants: instants.size,
  };
}
