import { createTranslator } from 'next-intl';
import { NAME_MAX_LENGTH } from '@/lib/auth/accounts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/auth/password';
import { englishLookup } from '@/lib/i18n/english-lookup';
import { en } from '@/messages/en';

// lib/auth's zod schemas answer in English (the CLI and the API share them), so the sign-up action
// recognises each of their messages and shows the owner's language instead. The English side is
// formatted from messages/en/auth.ts itself, so both stay one text; a message lib/auth adds later
// and this list lacks is shown as it is (English) rather than lost.

export type ValidationKey = keyof (typeof en)['auth']['validation'];
type Values = Record<string, number>;

const KNOWN: readonly (readonly [ValidationKey, Values?])[] = [
  ['emailMissing'],
  ['emailTooLong'],
  ['emailInvalid'],
  ['emailSimulated'],
  ['emailMaker'],
  ['passwordMissing'],
  ['passwordCommon'],
  ['tooShort', { min: PASSWORD_MIN_LENGTH }],
  ['tooLong', { max: PASSWORD_MAX_LENGTH }],
  ['tooLong', { max: NAME_MAX_LENGTH }],
];

const english = createTranslator({ locale: 'en', messages: en, namespace: 'auth.validation' });

const lookup = englishLookup(KNOWN, english);

/** The message key and values of one of lib/'s English messages, if it is known. */
export const validationKeyOf = lookup.keyOf;
/** `message` in the language of `t`, else as it came. */
export const translateValidation = lookup.translate;
