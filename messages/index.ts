import type { AppLocale } from '@/lib/i18n/locales';
import { type EnglishMessages, en } from './en';
import { fr } from './fr';

// The messages of every language, bundled (they are small); the French ones are type-checked to
// carry exactly the English keys, so a missing translation fails `npm run typecheck`.
const MESSAGES: Record<AppLocale, EnglishMessages> = { en, fr };

export function messagesFor(locale: AppLocale): EnglishMessages {
  return MESSAGES[locale];
}
