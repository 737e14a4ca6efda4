import { createTranslator } from 'next-intl';
import { CONTRACT_MAX_LENGTH, V1_BRAND_LABELS } from '@/lib/car-accounts/connect-v1';
import { englishLookup } from '@/lib/i18n/english-lookup';
import { en } from '@/messages/en';

// lib/car-accounts answers in English (its messages serve the API too), so the car actions
// recognise each message they may show and give the owner's language instead. The English side is
// formatted from messages/en/cars.ts itself; a message missing from this list is shown as it
// came (English) rather than lost.

export type KnownKey = keyof (typeof en)['cars']['known'];
type Values = Record<string, string | number>;

const KNOWN: readonly (readonly [KnownKey, Values?])[] = [
  ['brandInvalid'],
  ['vinInvalid'],
  ['contractMissing'],
  ['contractTooLong', { max: CONTRACT_MAX_LENGTH }],
  ['detailsInvalid'],
  ['tooManyAttempts'],
  ...Object.values(V1_BRAND_LABELS).map((brand) => ['brandUnavailable', { brand }] as const),
  ['noSuchCar'],
  ['serviceBusy'],
  ['serviceSilent'],
  ['demoKeepsCars'],
  ['notFound'],
];

const english = createTranslator({ locale: 'en', messages: en, namespace: 'cars.known' });

const lookup = englishLookup(KNOWN, english);

/** The message key and values of one of lib/'s English messages, if it is known. */
export const knownKeyOf = lookup.keyOf;
/** `message` in the language of `t`, else as it came. */
export const translateKnown = lookup.translate;
