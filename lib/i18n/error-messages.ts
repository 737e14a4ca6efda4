// The error pages' words for client error boundaries, which have no ClientMessages above them.
// They take the small `errors` namespace of both languages directly and fill its one placeholder
// by hand: next-intl's translator would bring its ICU formatter into every page's bundle, the
// sign-in page's included, for one `{digest}`. Client-safe.

import { errors as english } from '@/messages/en/errors';
import { errors as french } from '@/messages/fr/errors';

export type ErrorMessages = typeof english;

export function errorMessagesFor(locale: string): ErrorMessages {
  return locale === 'fr' ? french : english;
}

/** "Reference: <digest>" in the given language. */
export function errorReference(messages: ErrorMessages, digest: string): string {
  return messages.reference.replace('{digest}', digest);
}
