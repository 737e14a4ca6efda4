// Display conversions from the API's metric values to the owner's units (lib/units/preferences.ts).
// Pure and client-safe: charts, tables and cards convert in the browser, the API stays metric.
//
// Constants are exact by definition, so the derived factors are too:
// - 1 international mile = 1.609344 km (International Yard and Pound Agreement, 1959; NIST SP 811 B.8).
// - 1 US liquid gallon = 3.785411784 L (231 in³; NIST Handbook 44 appendix C).
// - 1 imperial gallon = 4.54609 L (UK Weights and Measures Act 1985, schedule 1).
// - 1 foot = 0.3048 m (same 1959 agreement).
// Fuel economy in distance per volume is the reciprocal of consumption in volume per distance:
//   mpg(US) = (100 km / 1.609344 km·mi⁻¹) / (x L / 3.785411784 L·gal⁻¹) = 235.2145…/x
//   mpg(UK) = 100 · 4.54609 / 1.609344 / x = 282.4809…/x,  km/L = 100/x,
//   mi/kWh  = (100 / 1.609344) / x = 62.1371…/x.
// Reciprocal units run the other way (higher is better); `direction` says so for axis labels.

import type { EnergyUnit, FuelUnit, SpeedUnit, UnitPreferences } from './preferences';

export const KM_PER_MILE = 1.609344;
export const LITRES_PER_US_GALLON = 3.785411784;
export const LITRES_PER_UK_GALLON = 4.54609;
export const METRES_PER_FOOT = 0.3048;

/** 100 km in miles times litres per gallon: the numerator of mpg = K / (L/100 km). */
export const MPG_US_FACTOR = (100 * LITRES_PER_US_GALLON) / KM_PER_MILE;
export const MPG_UK_FACTOR = (100 * LITRES_PER_UK_GALLON) / KM_PER_MILE;
export const KML_FACTOR = 100;
export const MI_PER_KWH_FACTOR = 100 / KM_PER_MILE;

/** Every unit Kinetic can display, by a stable key (labels below are symbols, not translated). */
export type DisplayUnit =
  | 'kmh'
  | 'mph'
  | 'km'
  | 'mi'
  | 'l100km'
  | 'mpg_us'
  | 'mpg_uk'
  | 'kml'
  | 'kwh100km'
  | 'mikwh'
  | 'rpm'
  | 'percent'
  | 'm'
  | 'ft';

export const UNIT_LABELS: Record<DisplayUnit, string> = {
  kmh: 'km/h',
  mph: 'mph',
  km: 'km',
  mi: 'mi',
  l100km: 'L/100 km',
  mpg_us: 'mpg US',
  mpg_uk: 'mpg UK',
  kml: 'km/L',
  kwh100km: 'kWh/100 km',
  mikwh: 'mi/kWh',
  rpm: 'rpm',
  percent: '%',
  m: 'm',
  ft: 'ft',
};

/** How many decimals a value in this unit deserves on screen. */
const FRACTION_DIGITS: Record<DisplayUnit, number> = {
  kmh: 0,
  mph: 0,
  km: 1,
  mi: 1,
  l100km: 1,
  mpg_us: 1,
  mpg_uk: 1,
  kml: 1,
  kwh100km: 1,
  mikwh: 2,
  rpm: 0,
  percent: 0,
  m: 0,
  ft: 0,
};

/** Whether a bigger number is a better car: consumption is lower-better, economy higher-better. */
export type Direction = 'lower_is_better' | 'higher_is_better' | null;

export type Converted = { value: number | null; unit: DisplayUnit; label: string };

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** `factor / x`, or null where the reciprocal means nothing (no value, zero, negative). */
function reciprocal(factor: number, value: number | null | undefined): number | null {
  // 0 L/100 km (coasting) would be infinite mpg: there is no number to plot or print, so none.
  if (!finite(value) || value <= 0) return null;
  return factor / value;
}

function scale(value: number | null | undefined, divisor: number): number | null {
  return finite(value) ? value / divisor : null;
}

function converted(value: number | null, unit: DisplayUnit): Converted {
  return { value, unit, label: UNIT_LABELS[unit] };
}

export function convertSpeed(kmh: number | null | undefined, unit: SpeedUnit): Converted {
  return unit === 'mph' ? converted(scale(kmh, KM_PER_MILE), 'mph') : converted(scale(kmh, 1), 'kmh');
}

/** Distances follow the speed setting: km with km/h, miles with mph. */
export function convertDistance(km: number | null | undefined, unit: SpeedUnit): Converted {
  return unit === 'mph' ? converted(scale(km, KM_PER_MILE), 'mi') : converted(scale(km, 1), 'km');
}

/** Heights follow distances: metres with km, feet with miles. */
export function convertAltitude(m: number | null | undefined, unit: SpeedUnit): Converted {
  return unit === 'mph' ? converted(scale(m, METRES_PER_FOOT), 'ft') : converted(scale(m, 1), 'm');
}

export function convertFuel(l100km: number | null | undefined, unit: FuelUnit): Converted {
  switch (unit) {
    case 'mpg_us':
      return converted(reciprocal(MPG_US_FACTOR, l100km), 'mpg_us');
    case 'mpg_uk':
      return converted(reciprocal(MPG_UK_FACTOR, l100km), 'mpg_uk');
    case 'kml':
      return converted(reciprocal(KML_FACTOR, l100km), 'kml');
    default:
      return converted(scale(l100km, 1), 'l100km');
  }
}

export function convertEnergy(kwh100km: number | null | undefined, unit: EnergyUnit): Converted {
  return unit === 'mikwh'
    ? converted(reciprocal(MI_PER_KWH_FACTOR, kwh100km), 'mikwh')
    : converted(scale(kwh100km, 1), 'kwh100km');
}

export function directionOf(unit: DisplayUnit): Direction {
  if (unit === 'l100km' || unit === 'kwh100km') return 'lower_is_better';
  if (unit === 'mpg_us' || unit === 'mpg_uk' || unit === 'kml' || unit === 'mikwh') return 'higher_is_better';
  return null;
}

/** How to show one API series: its display unit and a converter for every point. */
export type SeriesDisplay = {
  unit: DisplayUnit;
  label: string;
  direction: Direction;
  convert: (value: number | null) => number | null;
};

function display(unit: DisplayUnit, convert: (value: number | null) => number | null): SeriesDisplay {
  return { unit, label: UNIT_LABELS[unit], direction: directionOf(unit), convert };
}

/**
 * The display of a series from the API's unit string (interfaces.md › HTTP: `km/h`, `rpm`,
 * `L/100km`, `kWh/100km`, `%`, `m`). An unknown unit is shown as it comes, unconverted.
 */
export function seriesDisplay(apiUnit: string, units: UnitPreferences): SeriesDisplay | null {
  switch (apiUnit) {
    case 'km/h':
      return display(units.speed === 'mph' ? 'mph' : 'kmh', (v) => convertSpeed(v, units.speed).value);
    case 'km':
      return display(units.speed === 'mph' ? 'mi' : 'km', (v) => convertDistance(v, units.speed).value);
    case 'm':
      return display(units.speed === 'mph' ? 'ft' : 'm', (v) => convertAltitude(v, units.speed).value);
    case 'L/100km': {
      const unit = convertFuel(null, units.fuel).unit;
      return display(unit, (v) => convertFuel(v, units.fuel).value);
    }
    case 'kWh/100km': {
      const unit = convertEnergy(null, units.energy).unit;
      return display(unit, (v) => convertEnergy(v, units.energy).value);
    }
    case 'rpm':
      return display('rpm', (v) => (finite(v) ? v : null));
    case '%':
      return display('percent', (v) => (finite(v) ? v : null));
    default:
      return null;
  }
}

/** A number formatter for a unit in a locale (`fr` writes 12,5; `en` 12.5). */
export function numberFormatFor(unit: DisplayUnit, locale: string): Intl.NumberFormat {
  const digits = FRACTION_DIGITS[unit];
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** "12.5 L/100 km", "98 km/h", "45 %" — or the placeholder for a missing value. */
export function formatWithUnit(
  value: number | null | undefined,
  unit: DisplayUnit,
  locale: string,
  missing = '—',
): string {
  if (!finite(value)) return missing;
  const number = numberFormatFor(unit, locale).format(value);
  // A narrow no-break space keeps the number and its unit on one line.
  return `${number}\u202f${UNIT_LABELS[unit]}`;
}
