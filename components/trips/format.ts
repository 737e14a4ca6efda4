import {
  convertDistance,
  convertEnergy,
  convertFuel,
  convertSpeed,
  formatWithUnit,
} from '@/lib/units/convert';
import type { UnitPreferences } from '@/lib/units/preferences';

// Display helpers for trips (client-safe): the API's metric values in the owner's units and
// locale. Volumes stay in litres and kWh — the settings choose economy units, not volume units.

export function distanceText(km: number | null, units: UnitPreferences, locale: string): string | null {
  const c = convertDistance(km, units.speed);
  return c.value === null ? null : formatWithUnit(c.value, c.unit, locale);
}

export function speedText(kmh: number | null, units: UnitPreferences, locale: string): string | null {
  const c = convertSpeed(kmh, units.speed);
  return c.value === null ? null : formatWithUnit(c.value, c.unit, locale);
}

export function consumptionText(
  consumption: { value: number; unit: string } | null,
  units: UnitPreferences,
  locale: string,
): string | null {
  if (consumption === null) return null;
  const c =
    consumption.unit === 'kWh/100km'
      ? convertEnergy(consumption.value, units.energy)
      : convertFuel(consumption.value, units.fuel);
  return c.value === null ? null : formatWithUnit(c.value, c.unit, locale);
}

export function volumeText(value: number | null, unit: 'L' | 'kWh', locale: string): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 'L' ? 2 : 1 }).format(value);
  return `${number}\u202f${unit}`;
}

/** Whole hours and minutes of a duration (rounded to the minute; under a minute, seconds). */
export function durationParts(seconds: number): { hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return { hours: 0, minutes: 0, seconds: total };
  const minutes = Math.round(total / 60);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60, seconds: 0 };
}
