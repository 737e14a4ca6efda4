import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTranslator } from 'next-intl';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { translateValidation, validationKeyOf } from '@/app/(auth)/validation-messages';
import { knownKeyOf, translateKnown } from '@/app/(dashboard)/settings/cars/known-messages';
import { signUpSchema } from '@/lib/auth/accounts';
import { MAKER_EMAIL_DOMAIN } from '@/lib/auth/maker-users';
import { connectV1InputSchema, NO_SUCH_CAR_MESSAGE } from '@/lib/car-accounts/connect-v1';
import { PEER_EMAIL_DOMAIN } from '@/lib/demo/peers';
import { DEFAULT_MESSAGES } from '@/lib/errors';
import { en } from '@/messages/en';
import { fr } from '@/messages/fr';

// lib/auth and lib/car-accounts answer in English; the sign-up and car actions recognise those
// messages and show the owner's language. These tests drive the real schemas (and read the real
// AppError texts), so a message lib changes or adds and the actions do not know fails here
// instead of showing English to a French owner. English must come back character for character.

const authEn = createTranslator({ locale: 'en', messages: en, namespace: 'auth.validation' });
const authFr = createTranslator({ locale: 'fr', messages: fr, namespace: 'auth.validation' });
const carsEn = createTranslator({ locale: 'en', messages: en, namespace: 'cars.known' });
const carsFr = createTranslator({ locale: 'fr', messages: fr, namespace: 'cars.known' });

function issueMessages(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  expect(result.success).toBe(false);
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe('sign-up validation messages', () => {
  const valid = { email: 'owner@example.com', password: 'a long enough passphrase', name: 'Sam' };
  const cases: Record<string, unknown>[] = [
    { ...valid, email: undefined },
    { ...valid, email: `${'a'.repeat(250)}@example.com` },
    { ...valid, email: 'not-an-address' },
    { ...valid, email: `someone@${PEER_EMAIL_DOMAIN}` },
    { ...valid, email: `someone@${MAKER_EMAIL_DOMAIN}` },
    { ...valid, password: undefined },
    { ...valid, password: 'eleven char' },
    { ...valid, password: 'Qwerty123456' },
    { ...valid, password: 'x'.repeat(129) },
    { ...valid, name: 'n'.repeat(81) },
  ];
  const messages = cases.flatMap((input) => issueMessages(signUpSchema.safeParse(input)));

  it('covers the messages the e2e test and the schemas use', () => {
    // Written out by hand from lib/auth (accounts.ts, password.ts: 12 to 128 characters).
    expect(messages).toEqual(
      expect.arrayContaining([
        'Enter your e-mail address.',
        'That e-mail address is too long.',
        'Enter a valid e-mail address.',
        'This address is reserved for simulated drivers.',
        'This address is reserved for accounts signed in with a car maker.',
        'Enter a password.',
        'This password is one of the most common ones: choose another.',
        'Use at least 12 characters.',
        'Use at most 128 characters.',
        'Use at most 80 characters.',
      ]),
    );
  });

  it.each(messages)('knows "%s", keeps it in English and translates it to French', (message) => {
    expect(validationKeyOf(message)).toBeDefined();
    expect(translateValidation(message, authEn)).toBe(message);
    const french = translateValidation(message, authFr);
    expect(french).not.toBe(message);
    expect(french.trim()).not.toBe('');
  });

  it('translates the numbers along', () => {
    expect(translateValidation('Use at least 12 characters.', authFr)).toBe(
      'Utilisez au moins 12 caractères.',
    );
    expect(translateValidation('Use at most 80 characters.', authFr)).toBe('Utilisez au plus 80 caractères.');
  });

  it('shows an unknown message as it came', () => {
    expect(validationKeyOf('Something new.')).toBeUndefined();
    expect(translateValidation('Something new.', authFr)).toBe('Something new.');
  });
});

/** The string literals passed as the message of `new AppError(code, '…')` in a lib source file. */
function appErrorLiterals(path: string): string[] {
  const file = fileURLToPath(new URL(`../${path}`, import.meta.url));
  const source = ts.createSourceFile(path, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'AppError' &&
      node.arguments?.[1] &&
      ts.isStringLiteral(node.arguments[1])
    ) {
      found.push(node.arguments[1].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('car account messages', () => {
  const schemaMessages = [
    { brand: 'opel', vin: 'VF73AAHXTFJ807314', contract: '123' },
    { brand: 'peugeot', vin: 'VF73AAHXTFJ80731I', contract: '123' },
    { brand: 'peugeot', vin: 'VF73AAHXTFJ807314', contract: ' ' },
    { brand: 'peugeot', vin: 'VF73AAHXTFJ807314', contract: '9'.repeat(65) },
  ].flatMap((input) => issueMessages(connectV1InputSchema.safeParse(input)));
  // The AppErrors the car actions pass on (internal ones are thrown, not shown).
  const thrown = [
    ...appErrorLiterals('lib/car-accounts/connect-v1.ts').filter((m) => m !== 'The car could not be linked.'),
    ...appErrorLiterals('lib/car-accounts/disconnect.ts'),
    NO_SUCH_CAR_MESSAGE,
    DEFAULT_MESSAGES.not_found,
    DEFAULT_MESSAGES.upstream_unavailable,
    'Peugeot cars cannot be linked here.',
    'Citroën cars cannot be linked here.',
    'DS cars cannot be linked here.',
  ];

  it('found what lib says', () => {
    expect(schemaMessages).toHaveLength(4);
    expect(thrown).toEqual(
      expect.arrayContaining([
        'Too many attempts to link a car. Try again later.',
        'The vehicle service is busy. Try again in a minute.',
        'The demo keeps its cars: disconnecting is turned off in the demo.',
      ]),
    );
  });

  it.each([...schemaMessages, ...thrown])('knows "%s", keeps it in English and translates it', (message) => {
    expect(knownKeyOf(message)).toBeDefined();
    expect(translateKnown(message, carsEn)).toBe(message);
    const french = translateKnown(message, carsFr);
    expect(french).not.toBe(message);
    expect(french.trim()).not.toBe('');
  });

  it('keeps the brand in the French sentence', () => {
    expect(translateKnown('Citroën cars cannot be linked here.', carsFr)).toBe(
      'Les voitures Citroën ne peuvent pas être liées ici.',
    );
  });
});
