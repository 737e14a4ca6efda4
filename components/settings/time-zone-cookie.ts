import { hasBrowserCookie, ONE_YEAR_S, writeBrowserCookie } from '@/lib/browser/cookies';
import { TIME_ZONE_COOKIE } from '@/lib/i18n/locales';

// The time zone cookie as the browser writes it (the server writes the same one on save, see
// lib/settings/preference-cookies.ts): a year.

/** The browser's own IANA zone, or null when the runtime cannot tell. */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

export const hasTimeZoneCookie = (): boolean => hasBrowserCookie(TIME_ZONE_COOKIE);

export const writeTimeZoneCookie = (zone: string): void =>
  writeBrowserCookie(TIME_ZONE_COOKIE, zone, ONE_YEAR_S);
