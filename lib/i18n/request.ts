import 'server-only';
import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { messagesFor } from '@/messages';
import {
  isAppLocale,
  isTimeZone,
  LOCALE_COOKIE,
  localeFromAcceptLanguage,
  TIME_ZONE_COOKIE,
} from './locales';

// next-intl without locale routing: URLs stay the same in every language. The language comes from
// the owner's choice (a cookie the settings page sets), else the browser's Accept-Language; the time
// zone from the owner's setting or the browser's (a cookie), else UTC until the browser reports it.
export default getRequestConfig(async () => {
  const [jar, requestHeaders] = await Promise.all([cookies(), headers()]);
  const chosen = jar.get(LOCALE_COOKIE)?.value;
  const locale = isAppLocale(chosen)
    ? chosen
    : localeFromAcceptLanguage(requestHeaders.get('accept-language'));
  const zone = jar.get(TIME_ZONE_COOKIE)?.value;
  return {
    locale,
    timeZone: isTimeZone(zone) ? zone : 'UTC',
    messages: messagesFor(locale),
  };
});
