import type { AppLocale } from '@/lib/i18n/locales';
import type { EnglishMessages } from '@/messages/en';

// Typed next-intl: message keys and locales are checked by the compiler.
declare module 'next-intl' {
  interface AppConfig {
    Locale: AppLocale;
    Messages: EnglishMessages;
  }
}
