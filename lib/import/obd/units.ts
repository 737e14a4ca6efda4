import 'server-only';

// What each column can hold and how its units convert to Kinetic's metric model. A unit we do not
// know is never guessed: the column (when the unit is in its name) is left unread, and a cell
// with an unknown unit glued to its value rejects its row.

export const MAP_TARGETS = [
  'time',
  'elapsed_s',
  'speed_kmh',
  'speed_mph',
  'rpm',
  'fuel_rate_lph',
  'maf_gps',
  'consumption_l100km',
  'latitude',
  'longitude',
  'altitude_m',
  'odometer_km',
  'fuel_level_pct',
  'battery_level_pct',
  'throttle_pct',
  'coolant_c',
] as const;
export type MapTarget = (typeof MAP_TARGETS)[number];

/** A measured quantity, whatever unit the file writes it in. */
export type Quantity =
  | 'time'
  | 'elapsed'
  | 'speed'
  | 'rpm'
  | 'fuelRate'
  | 'maf'
  | 'consumption'
  | 'latitude'
  | 'longitude'
  | 'altitude'
  | 'odometer'
  | 'fuelLevel'
  | 'batteryLevel'
  | 'throttle'
  | 'coolant';

/** Each `--map` target: the quantity and the unit the target's name implies. */
export const TARGETS: Record<MapTarget, { quantity: Quantity; unit: string }> = {
  time: { quantity: 'time', unit: '' },
  elapsed_s: { quantity: 'elapsed', unit: 's' },
  speed_kmh: { quantity: 'speed', unit: 'km/h' },
  speed_mph: { quantity: 'speed', unit: 'mph' },
  rpm: { quantity: 'rpm', unit: 'rpm' },
  fuel_rate_lph: { quantity: 'fuelRate', unit: 'l/h' },
  maf_gps: { quantity: 'maf', unit: 'g/s' },
  consumption_l100km: { quantity: 'consumption', unit: 'l/100km' },
  latitude: { quantity: 'latitude', unit: '' },
  longitude: { quantity: 'longitude', unit: '' },
  altitude_m: { quantity: 'altitude', unit: 'm' },
  odometer_km: { quantity: 'odometer', unit: 'km' },
  fuel_level_pct: { quantity: 'fuelLevel', unit: '%' },
  battery_level_pct: { quantity: 'batteryLevel', unit: '%' },
  throttle_pct: { quantity: 'throttle', unit: '%' },
  coolant_c: { quantity: 'coolant', unit: '°c' },
};

/** A conversion to the metric unit; `undefined` when the value has no metric equivalent. */
type Convert = (value: number) => number | undefined;

const same: Convert = (value) => value;
const times =
  (factor: number): Convert =>
  (value) =>
    value * factor;
/** Consumption written as distance per volume: zero distance per volume is no consumption figure. */
const inverse =
  (numerator: number): Convert =>
  (value) =>
    value > 0 ? numerator / value : undefined;

// Exact definitions: international mile 1609.344 m, international foot 0.3048 m, US gallon
// 3.785411784 L (NIST Handbook 44, Appendix C), avoirdupois pound 453.59237 g. 1 US mpg =
// 1.609344 / 3.785411784 km/L, so L/100 km = 100 × 3.785411784 / 1.609344 / mpg = 235.2146 / mpg.
// Torque's and most apps' "mpg" and "gal" are US units; a file in imperial gallons would read
// 20 % high, which is why only these spellings are accepted and listed in the report.
const MILE_KM = 1.609344;
const US_GALLON_L = 3.785411784;

const CONVERSIONS: Record<Quantity, Record<string, Convert>> = {
  // A time column's unit only hints at the epoch's scale, which the values' size decides anyway.
  time: { '': same, s: same, ms: same },
  elapsed: { '': same, s: same, sec: same, secs: same, seconds: same, ms: times(0.001), min: times(60) },
  speed: {
    '': same,
    'km/h': same,
    kmh: same,
    kph: same,
    'km/hr': same,
    kmph: same,
    mph: times(MILE_KM),
    'mi/h': times(MILE_KM),
    'm/s': times(3.6),
    'meters/second': times(3.6),
    'metres/second': times(3.6),
  },
  rpm: { '': same, rpm: same, 'r/min': same, '1/min': same, 'u/min': same },
  fuelRate: {
    '': same,
    'l/h': same,
    'l/hr': same,
    lph: same,
    'l/min': times(60),
    'l/m': times(60),
    'cc/min': times(0.06),
    'ml/min': times(0.06),
    'gal/h': times(US_GALLON_L),
    'gal/hr': times(US_GALLON_L),
    gph: times(US_GALLON_L),
  },
  maf: {
    '': same,
    'g/s': same,
    'g/sec': same,
    gps: same,
    'kg/h': times(1 / 3.6),
    'lb/min': times(453.59237 / 60),
  },
  consumption: {
    '': same,
    'l/100km': same,
    mpg: inverse((100 * US_GALLON_L) / MILE_KM),
    kpl: inverse(100),
    'km/l': inverse(100),
  },
  latitude: { '': same, '°': same, deg: same, degrees: same },
  longitude: { '': same, '°': same, deg: same, degrees: same },
  altitude: { '': same, m: same, meters: same, metres: same, ft: times(0.3048), feet: times(0.3048) },
  odometer: { '': same, km: same, mi: times(MILE_KM), miles: times(MILE_KM), mile: times(MILE_KM) },
  fuelLevel: { '': same, '%': same, pct: same, percent: same },
  batteryLevel: { '': same, '%': same, pct: same, percent: same },
  throttle: { '': same, '%': same, pct: same, percent: same },
  coolant: {
    '': same,
    '°c': same,
    c: same,
    degc: same,
    '°f': (value) => ((value - 32) * 5) / 9,
    f: (value) => ((value - 32) * 5) / 9,
    degf: (value) => ((value - 32) * 5) / 9,
  },
};

/**
 * A unit as written (`km/h`, `KM/H`, `°C`, `l/hr`, `Meters/second`) in one spelling: lower
 * case, no spaces, and the degree sign whatever the file's encoding made of it (`º`, or the
 * replacement character of a Latin-1 `°` read as UTF-8).
 */
export function normalizeUnit(unit: string): string {
  return unit
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[º\uFFFD]/g, '°');
}

const converters = new Map<string, Convert | undefined>();

export function converterFor(quantity: Quantity, unit: string): Convert | undefined {
  // Called for every cell: the few (quantity, unit) pairs of a file are looked up once.
  const key = `${quantity}\u0000${unit}`;
  if (converters.has(key)) return converters.get(key);
  const convert = CONVERSIONS[quantity][normalizeUnit(unit)];
  if (converters.size > 1000) converters.clear();
  converters.set(key, convert);
  return convert;
}

/** Whether a header's last parenthesised group is a unit at all (rather than part of the name). */
export function isKnownUnit(unit: string): boolean {
  const normalized = normalizeUnit(unit);
  if (normalized === '') return false;
  return Object.values(CONVERSIONS).some((table) => normalized in table);
}

/** The units the report lists for a quantity, to explain a rejected cell. */
export function unitsOf(quantity: Quantity): string[] {
  return Object.keys(CONVERSIONS[quantity]).filter((unit) => unit !== '');
}
