import 'server-only';
import type { Kysely } from 'kysely';
import { cookies, headers } from 'next/headers';
import { publicOrigin } from '../car-accounts/installation';
import type { Database } from '../db/schema';
import { env } from '../env';
import { LOCALE_COOKIE, TIME_ZONE_COOKIE } from '../i18n/locales';
import { getUserPreferences, type UserPreferences } from './preferences';

// The request config (lib/i18n/request.ts) reads the language and time zone from cookies, not from
// the database, so every render is spared a query. These cookies therefore follow the stored
// preferences: written when the owner changes them, and again at sign-in.

export const PREFERENCE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** The subset of Next's cookie stores (ResponseCookies, `await cookies()`) used here. */
export type CookieWriter = {
  set(name: string, value: string, options: PreferenceCookieOptions): unknown;
  delete(name: string): unknown;
};

export type PreferenceCookieOptions = {
  path: '/';
  maxAge: number;
  sameSite: 'lax';
  secure: boolean;
  httpOnly: false;
};

/** Kinetic is served over https: AUTH_URL says so, else the request itself. */
export function isHttps(request: Request): boolean {
  return publicOrigin(request).startsWith('https:');
}

export function preferenceCookieOptions(secure: boolean): PreferenceCookieOptions {
  return {
    path: '/',
    maxAge: PREFERENCE_COOKIE_MAX_AGE_S,
    sameSite: 'lax',
    secure,
    // The time zone reporter (components/settings/time-zone-reporter.tsx) writes kinetic-tz from
    // the browser; neither value is a secret.
    httpOnly: false,
  };
}

/**
 * Writes the cookies for the preferences given (absent keys untouched). A cleared choice deletes
 * its cookie, so the browser's language or zone takes over again.
 */
export function writePreferenceCookies(
  jar: CookieWriter,
  preferences: Partial<Pick<UserPreferences, 'locale' | 'timeZone'>>,
  options: PreferenceCookieOptions,
): void {
  if (preferences.locale !== undefined) {
    if (preferences.locale === null) jar.delete(LOCALE_COOKIE);
    else jar.set(LOCALE_COOKIE, preferences.locale, options);
  }
  if (preferences.timeZone !== undefined) {
    if (preferences.timeZone === null) jar.delete(TIME_ZONE_COOKIE);
    else jar.set(TIME_ZONE_COOKIE, preferences.timeZone, options);
  }
}

/**
 * For sign-in: makes this browser's cookies say what the owner stored (another owner may have
 * used the browser before; a cleared choice deletes its cookie, and the time zone reporter then
 * writes the browser's zone). Runs inside Auth.js's sign-in (a server action or the OAuth callback
 * route), where Next lets cookies be set; anywhere else it does nothing rather than fail a sign-in.
 */
export async function syncPreferenceCookies(db: Kysely<Database>, userId: string): Promise<void> {
  try {
    const [{ locale, timeZone }, jar, requestHeaders] = await Promise.all([
      getUserPreferences(db, userId),
      cookies(),
      headers(),
    ]);
    const secure = env.AUTH_URL
      ? env.AUTH_URL.startsWith('https:')
      : requestHeaders.get('x-forwarded-proto') === 'https';
    writePreferenceCookies(jar, { locale, timeZone }, preferenceCookieOptions(secure));
  } catch (error) {
    console.warn(
      '[settings] could not set the preference cookies at sign-in',
      error instanceof Error ? error.message : error,
    );
  }
}
