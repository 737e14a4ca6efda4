// Which languages Kinetic speaks and how a request picks one. Shared by the server (request
// config, settings) and client leaves (the language and time zone pickers), so no server-only.

export const LOCALES = ['en', 'fr'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'en';

/** The owner's language choice, set by the settings page (a year; the database keeps it too). */
export const LOCALE_COOKIE = 'kinetic-locale';
/** The owner's time zone: their setting, else the browser's, reported by a client leaf. */
export const TIME_ZONE_COOKIE = 'kinetic-tz';

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first supported language of an `Accept-Language` header, by quality then order
 * (`fr-CA;q=0.9, en;q=0.8` → `fr`), else the default.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): AppLocale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return {
        language: tag.toLowerCase().split('-')[0] ?? '',
        quality: Number.isFinite(quality) ? quality : 0,
        index,
      };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isAppLocale) ?? DEFAULT_LOCALE;
}

/** True for a zone the runtime's Intl knows (`Europe/Paris`), false for anything else. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
