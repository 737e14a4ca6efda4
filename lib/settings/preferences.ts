import 'server-only';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../db/schema';
import { type AppLocale, isAppLocale, isTimeZone } from '../i18n/locales';
import {
  ENERGY_UNITS,
  type EnergyUnit,
  FUEL_UNITS,
  type FuelUnit,
  METRIC_UNITS,
  SPEED_UNITS,
  type SpeedUnit,
  type UnitPreferences,
} from '../units/preferences';

// The owner's display preferences, stored on their `users` row (migration 0010). A missing or
// unknown stored value reads as "not chosen": metric units, the browser's language and zone.

export type UserPreferences = {
  units: UnitPreferences;
  /** null: not chosen, the browser's Accept-Language decides. */
  locale: AppLocale | null;
  /** null: not chosen, the browser's zone (reported in a cookie) decides. */
  timeZone: string | null;
};

export type PreferencesUpdate = {
  units?: Partial<UnitPreferences>;
  locale?: AppLocale | null;
  timeZone?: string | null;
};

type PreferenceColumns = Pick<UserRow, 'locale' | 'speed_unit' | 'fuel_unit' | 'energy_unit' | 'time_zone'>;

function oneOf<T extends string>(allowed: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A stored row's preferences, with defaults for what was never chosen (or no longer exists). */
export function preferencesOfRow(row: PreferenceColumns): UserPreferences {
  return {
    units: {
      speed: oneOf<SpeedUnit>(SPEED_UNITS, row.speed_unit, METRIC_UNITS.speed),
      fuel: oneOf<FuelUnit>(FUEL_UNITS, row.fuel_unit, METRIC_UNITS.fuel),
      energy: oneOf<EnergyUnit>(ENERGY_UNITS, row.energy_unit, METRIC_UNITS.energy),
    },
    locale: isAppLocale(row.locale) ? row.locale : null,
    timeZone: isTimeZone(row.time_zone) ? row.time_zone : null,
  };
}

const DEFAULTS: UserPreferences = { units: METRIC_UNITS, locale: null, timeZone: null };

/** The owner's preferences; an unknown id reads as the defaults (pages never fail on them). */
export async function getUserPreferences(db: Kysely<Database>, userId: string): Promise<UserPreferences> {
  const row = await db
    .selectFrom('users')
    .select(['locale', 'speed_unit', 'fuel_unit', 'energy_unit', 'time_zone'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return row ? preferencesOfRow(row) : { ...DEFAULTS, units: { ...METRIC_UNITS } };
}

/**
 * Writes the given preferences (absent keys unchanged, null clears a choice) and answers the
 * stored result; null when the owner does not exist.
 */
export async function updateUserPreferences(
  db: Kysely<Database>,
  userId: string,
  changes: PreferencesUpdate,
  now = Date.now(),
): Promise<UserPreferences | null> {
  const set: Partial<PreferenceColumns> & { updated_at: number } = { updated_at: now };
  if (changes.locale !== undefined) set.locale = changes.locale;
  if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
  if (changes.units?.speed !== undefined) set.speed_unit = changes.units.speed;
  if (changes.units?.fuel !== undefined) set.fuel_unit = changes.units.fuel;
  if (changes.units?.energy !== undefined) set.energy_unit = changes.units.energy;
  const result = await db.updateTable('users').set(set).where('id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return null;
  return getUserPreferences(db, userId);
}
