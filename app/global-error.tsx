'use client';

import { useEffect, useState } from 'react';
import { readBrowserCookie } from '@/lib/browser/cookies';
import { errorMessagesFor, errorReference } from '@/lib/i18n/error-messages';
import { type AppLocale, isAppLocale, LOCALE_COOKIE, localeFromAcceptLanguage } from '@/lib/i18n/locales';

// Replaces the root layout when it fails, so it brings its own <html> and plain styles, and its own
// language: no next-intl provider exists here (the root layout is what failed). It renders English
// first (as the server would, with nothing to go on), then, in the browser, the language of the
// owner's cookie or else the browser's, read in an effect so hydration still matches.

function browserLocale(): AppLocale {
  const chosen = readBrowserCookie(LOCALE_COOKIE);
  return isAppLocale(chosen) ? chosen : localeFromAcceptLanguage(navigator.languages.join(','));
}

export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const [locale, setLocale] = useState<AppLocale>('en');
  useEffect(() => setLocale(browserLocale()), []);
  const m = errorMessagesFor(locale);
  return (
    <html lang={locale}>
      <body
        style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem', maxWidth: '32rem', margin: '0 auto' }}
      >
        <h1>{m.global.title}</h1>
        <p>{m.global.text}</p>
        {error.digest ? (
          <p style={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>{errorReference(m, error.digest)}</p>
        ) : null}
        <button type="button" onClick={reset} style={{ padding: '0.6rem 1rem', minHeight: '44px' }}>
          {m.retry}
        </button>
      </body>
    </html>
  );
}
