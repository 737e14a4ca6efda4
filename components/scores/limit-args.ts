import 'server-only';
import { VERY_HIGH_SPEED_KMH } from '@/lib/scoring/features';
import { engineLimitRpm } from '@/lib/scoring/trip-score';
import { convertSpeed, formatWithUnit } from '@/lib/units/convert';
import type { UnitPreferences } from '@/lib/units/preferences';

/**
 * The limits the score's words quote (`{speed}`, `{rpm}` in the tips and the moments), in the
 * owner's units and locale: 130 km/h (or its mph) and the engine band of the car's fuel.
 */
export function scoreLimitArgs(units: UnitPreferences, powertrain: string, locale: string) {
  const speed = convertSpeed(VERY_HIGH_SPEED_KMH, units.speed);
  return {
    speed: formatWithUnit(speed.value === null ? null : Math.round(speed.value), speed.unit, locale),
    rpm: new Intl.NumberFormat(locale).format(engineLimitRpm(powertrain)),
  };
}
