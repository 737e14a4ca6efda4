import 'server-only';
import { ObdImportError } from './errors';
import {
  converterFor,
  isKnownUnit,
  MAP_TARGETS,
  type MapTarget,
  normalizeUnit,
  type Quantity,
  TARGETS,
} from './units';

// Which column holds what. Headers are recognised by exact names (after normalising case and
// spacing), never by fuzzy matching: `Android device Battery Level(%)` is the phone's battery,
// not the car's, and `Trip Distance(km)` is not an odometer. The names are listed in README.md.

export const OBD_FORMATS = ['auto', 'torque', 'csv'] as const;
export type ObdFormat = (typeof OBD_FORMATS)[number];

export type PlannedColumn = {
  index: number;
  header: string;
  quantity: Quantity;
  /** The unit of the column's values (from its name or the `--map` target); '' means metric. */
  unit: string;
  /** How the column was recognised. */
  by: 'map' | 'torque' | 'csv';
};

export type ColumnPlan = {
  format: 'torque' | 'csv';
  /** Columns per quantity, best first: a row takes the first that has a reading. */
  columns: Map<Quantity, PlannedColumn[]>;
  width: number;
  ignored: string[];
};

type Known = { quantity: Quantity; names: string[] };

// Torque Pro's CSV log columns (torque-bhp.com; names as the app writes them in trackLog.csv,
// units in the last parentheses, imperial variants when the app is set to imperial). GPS Time is
// like `Mon Aug 07 10:26:46 GMT+02:00 2017`, Device Time like `07-Aug-2017 10:26:46.925`.
const TORQUE: Known[] = [
  { quantity: 'time', names: ['device time', 'gps time'] },
  { quantity: 'elapsed', names: ['trip time(since journey start)'] },
  { quantity: 'speed', names: ['speed(obd)', 'speed(gps)', 'gps speed'] },
  { quantity: 'rpm', names: ['engine rpm'] },
  {
    quantity: 'fuelRate',
    names: ['fuel flow rate/hour', 'fuel rate(direct from ecu)', 'fuel flow rate/minute'],
  },
  { quantity: 'maf', names: ['mass air flow rate'] },
  {
    quantity: 'consumption',
    names: [
      'litres per 100 kilometer(instant)',
      'miles per gallon(instant)',
      'kilometers per litre(instant)',
    ],
  },
  { quantity: 'latitude', names: ['latitude', 'gps latitude'] },
  { quantity: 'longitude', names: ['longitude', 'gps longitude'] },
  { quantity: 'altitude', names: ['altitude', 'gps altitude'] },
  {
    quantity: 'fuelLevel',
    names: ['fuel level(from engine ecu)', 'fuel remaining(calculated from vehicle profile)'],
  },
  { quantity: 'batteryLevel', names: ['hybrid battery charge(%)', 'hybrid battery charge'] },
  { quantity: 'throttle', names: ['throttle position(manifold)', 'relative throttle position'] },
  { quantity: 'coolant', names: ['engine coolant temperature'] },
];

// Other apps (Car Scanner, OBD Auto Doctor, OBDLink, python-OBD and data-logger scripts, the KIT
// "Automotive OBD-II Dataset" with `Engine RPM [RPM]`…) and hand-made CSV: plain names, units in
// () or [] or implied, plus Kinetic's own `--map` target names.
const GENERIC: Known[] = [
  {
    quantity: 'time',
    names: ['time', 'timestamp', 'datetime', 'date time', 'date', 'time(utc)', 'utc time', 'local time'],
  },
  { quantity: 'elapsed', names: ['elapsed', 'elapsed time', 'time since start', 'seconds', 'trip time'] },
  {
    quantity: 'speed',
    names: [
      'speed',
      'vehicle speed',
      'vehicle speed sensor',
      'obd speed',
      'speed(obd)',
      'gps speed',
      'speed(gps)',
    ],
  },
  { quantity: 'rpm', names: ['rpm', 'engine rpm', 'engine speed'] },
  { quantity: 'fuelRate', names: ['fuel rate', 'engine fuel rate', 'fuel flow rate', 'fuel flow'] },
  {
    quantity: 'maf',
    names: [
      'maf',
      'maf rate',
      'maf air flow rate',
      'mass air flow',
      'mass air flow rate',
      'air flow rate from mass flow sensor',
    ],
  },
  {
    quantity: 'consumption',
    names: ['instant fuel consumption', 'instantaneous fuel consumption', 'fuel consumption', 'consumption'],
  },
  { quantity: 'latitude', names: ['latitude', 'lat', 'gps latitude'] },
  { quantity: 'longitude', names: ['longitude', 'lon', 'lng', 'long', 'gps longitude'] },
  { quantity: 'altitude', names: ['altitude', 'alt', 'elevation', 'gps altitude'] },
  { quantity: 'odometer', names: ['odometer', 'odo'] },
  {
    quantity: 'fuelLevel',
    names: ['fuel level', 'fuel tank level', 'fuel level input', 'fuel tank level input'],
  },
  {
    quantity: 'batteryLevel',
    names: ['battery level', 'state of charge', 'soc', 'battery soc', 'hybrid battery charge'],
  },
  {
    quantity: 'throttle',
    names: ['throttle', 'throttle position', 'absolute throttle position', 'relative throttle position'],
  },
  {
    quantity: 'coolant',
    names: ['coolant temperature', 'engine coolant temperature', 'coolant temp', 'coolant'],
  },
];

const TORQUE_MARKERS = new Set(['device time', 'gps time']);

/** Header text in one spelling: trimmed, lower case, single spaces, no space before `(`. */
export function normalizeName(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/ ?([([]) ?/g, '$1')
    .replace(/ ?([)\]])/g, '$1');
}

/** `Speed (OBD)(km/h)` → name `speed(obd)`, unit `km/h`; `Speed (OBD)` keeps `(obd)` (not a unit). */
export function splitHeader(header: string): { name: string; unit: string } {
  const normalized = normalizeName(header);
  const match = /^(.*?)[([]([^()[\]]*)[)\]]$/.exec(normalized);
  if (match?.[1] && match[2] !== undefined && isKnownUnit(match[2])) {
    return { name: match[1].trim(), unit: normalizeUnit(match[2]) };
  }
  return { name: normalized, unit: '' };
}

/** Parses `--map <column>=<field>,…` (a column name may itself contain `=`: the last one splits). */
export function parseColumnMap(text: string): Map<string, MapTarget> {
  const map = new Map<string, MapTarget>();
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const at = entry.lastIndexOf('=');
    const column = entry.slice(0, at).trim();
    const target = entry
      .slice(at + 1)
      .trim()
      .toLowerCase();
    if (at <= 0 || column === '') {
      throw new ObdImportError('bad_option', `--map entry "${entry.trim()}" is not <column>=<field>.`);
    }
    if (!(MAP_TARGETS as readonly string[]).includes(target)) {
      throw new ObdImportError(
        'bad_option',
        `--map target "${target}" is not one of ${MAP_TARGETS.join(', ')}.`,
      );
    }
    map.set(normalizeName(column), target as MapTarget);
  }
  return map;
}

/**
 * Whether a row is a header (again): it starts with a known column name, no cell is a number, and
 * at least two cells are known column names.
 */
export function looksLikeHeader(fields: string[], format: ObdFormat): boolean {
  // Cheap gate first (this runs for every row): a header starts with a column name we know.
  const first = fields.find((field) => field.trim() !== '');
  if (first === undefined || /\d/.test(first) || recognise(first, format) === undefined) return false;
  let known = 0;
  for (const field of fields) {
    if (/\d/.test(field) && !/[a-z]{2}/i.test(field)) return false;
    if (recognise(field, format) !== undefined) known += 1;
  }
  return known >= 2;
}

type Recognised = { name: string; quantity: Quantity; unit: string; by: 'torque' | 'csv'; rank: number };

// looksLikeHeader asks about the first cell of every row, which in most logs is one of a few
// strings (`-`, an empty GPS time): remember the answers.
const recognised = new Map<string, Recognised | undefined>();

function recognise(header: string, format: ObdFormat): Recognised | undefined {
  const key = `${format}\u0000${header}`;
  if (recognised.has(key)) return recognised.get(key);
  const result = recogniseUncached(header, format);
  if (recognised.size > 1000) recognised.clear();
  recognised.set(key, result);
  return result;
}

function recogniseUncached(header: string, format: ObdFormat): Recognised | undefined {
  const { name, unit } = splitHeader(header);
  const whole = normalizeName(header);
  const ownTarget = (MAP_TARGETS as readonly string[]).includes(whole)
    ? TARGETS[whole as MapTarget]
    : undefined;
  if (ownTarget && format !== 'torque') return { name: whole, ...ownTarget, by: 'csv', rank: 0 };
  const tables: ['torque' | 'csv', Known[]][] =
    format === 'torque'
      ? [['torque', TORQUE]]
      : format === 'csv'
        ? [['csv', GENERIC]]
        : [
            ['torque', TORQUE],
            ['csv', GENERIC],
          ];
  for (const [by, table] of tables) {
    for (const known of table) {
      const rank = known.names.indexOf(name);
      if (rank >= 0)
        return { name, quantity: known.quantity, unit, by, rank: rank + (by === 'csv' ? 100 : 0) };
    }
  }
  return undefined;
}

/**
 * The plan for a header row. `auto` reads a header with Torque's `Device Time`/`GPS Time` as
 * Torque and anything else as generic CSV. A `--map` entry overrides recognition for its column.
 */
export function planColumns(headers: string[], format: ObdFormat, map: Map<string, MapTarget>): ColumnPlan {
  const names = headers.map(normalizeName);
  const plannedFormat =
    format === 'auto' ? (names.some((name) => TORQUE_MARKERS.has(name)) ? 'torque' : 'csv') : format;
  for (const column of map.keys()) {
    if (!names.includes(column)) {
      throw new ObdImportError(
        'bad_option',
        `--map names the column "${column}", which the file's header does not have.`,
      );
    }
  }
  const ranked: (PlannedColumn & { rank: number })[] = [];
  const ignored: string[] = [];
  headers.forEach((header, index) => {
    const mapped = map.get(names[index] ?? '');
    if (mapped) {
      ranked.push({ index, header, ...TARGETS[mapped], by: 'map', rank: -1 });
      return;
    }
    const known = recognise(header, format);
    if (!known) {
      if (header.trim() !== '') ignored.push(header.trim());
      return;
    }
    // `Time (s)` counts seconds from the start of the log (a `Timestamp (ms)` is still a clock).
    const quantity = known.name === 'time' && isDuration(known.unit) ? 'elapsed' : known.quantity;
    if (converterFor(quantity, known.unit) === undefined) {
      ignored.push(header.trim());
      return;
    }
    ranked.push({ index, header: header.trim(), quantity, unit: known.unit, by: known.by, rank: known.rank });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  const columns = new Map<Quantity, PlannedColumn[]>();
  for (const { rank: _rank, ...column } of ranked) {
    const list = columns.get(column.quantity) ?? [];
    list.push(column);
    columns.set(column.quantity, list);
  }
  return { format: plannedFormat, columns, width: headers.length, ignored };
}

function isDuration(unit: string): boolean {
  return ['s', 'sec', 'secs', 'seconds', 'ms', 'min'].includes(unit);
}
