import { TIME_ZONE_COOKIE } from '@/lib/i18n/locales';

// The time zone cookie as the browser writes it (the server writes the same one on save, see
// lib/settings/preference-cookies.ts): a year, SameSite=Lax, Secure over https, whole site.

const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** The browser's own IANA zone, or null when the runtime cannot tell. */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

export function hasTimeZoneCookie(): boolean {
  return document.cookie.split(';').some((part) => part.trim().startsWith(`${TIME_ZONE_COOKIE}=`));
}

export function writeTimeZoneCookie(zone: string): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  // The Cookie Store API is not in every browser the dashboard supports; document.cookie is.
  // biome-ignore lint/suspicious/noDocumentCookie: see above
  document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; Path=/; Max-Age=${ONE_YEAR_S}; SameSite=Lax${secure}`;
}
