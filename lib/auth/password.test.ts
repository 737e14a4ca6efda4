import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from './common-passwords';
import {
  COMMON_PASSWORD_MESSAGE,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordSchema,
  verifyAgainstDummy,
  verifyPassword,
} from './password';

describe('hashPassword / verifyPassword', () => {
  it('hashes with argon2id and the OWASP baseline parameters, salted', async () => {
    const first = await hashPassword('a long enough password');
    const second = await hashPassword('a long enough password');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(first).not.toContain('a long enough password');
    expect(second).not.toBe(first);
  });

  it('verifies the right password and refuses any other', async () => {
    const stored = await hashPassword('Tr0ub4dor&3 horse');
    expect(await verifyPassword(stored, 'Tr0ub4dor&3 horse')).toBe(true);
    expect(await verifyPassword(stored, 'Tr0ub4dor&3 horse ')).toBe(false);
    expect(await verifyPassword(stored, 'tr0ub4dor&3 horse')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
  });

  it('answers false, without throwing, for a damaged or foreign hash', async () => {
    const stored = await hashPassword('some password here');
    const damaged = [
      '',
      'not a hash',
      stored.slice(0, 30),
      stored.replace('$argon2id$', '$argon2xx$'),
      stored.replace(/\$[^$]+$/, '$!!!'),
      '$2b$10$abcdefghijklmnopqrstuuGmzaaE0Y0Uq8oXmVBh7dW9UJ5WjK2Zi', // bcrypt
    ];
    for (const hash of damaged) {
      await expect(verifyPassword(hash, 'some password here')).resolves.toBe(false);
    }
  });

  it('the dummy check always answers false', async () => {
    await expect(verifyAgainstDummy('kinetic-dummy-password-for-timing')).resolves.toBe(false);
    await expect(verifyAgainstDummy('anything else')).resolves.toBe(false);
  });
});

describe('passwordSchema', () => {
  it(`accepts ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters counted as code points`, () => {
    expect(passwordSchema.safeParse('x'.repeat(PASSWORD_MIN_LENGTH)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(PASSWORD_MAX_LENGTH)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(PASSWORD_MIN_LENGTH - 1)).success).toBe(false);
    expect(passwordSchema.safeParse('x'.repeat(PASSWORD_MAX_LENGTH + 1)).success).toBe(false);
    // Astral characters are two UTF-16 units each but one character.
    expect(passwordSchema.safeParse('🔑'.repeat(PASSWORD_MIN_LENGTH)).success).toBe(true);
    expect(passwordSchema.safeParse('🔑'.repeat(PASSWORD_MIN_LENGTH - 1)).success).toBe(false);
    expect(passwordSchema.safeParse('🔑'.repeat(PASSWORD_MAX_LENGTH)).success).toBe(true);
    expect(passwordSchema.safeParse('🔑'.repeat(PASSWORD_MAX_LENGTH + 1)).success).toBe(false);
  });

  it('keeps the password exactly as typed', () => {
    expect(passwordSchema.parse('  Spaces Around  ')).toBe('  Spaces Around  ');
  });
});

describe('the common-password list (NIST 800-63B 5.1.1.2)', () => {
  it('refuses every listed password, as listed, in upper case and capitalised, with one clear message', () => {
    expect(COMMON_PASSWORDS.length).toBeGreaterThan(300);
    for (const listed of COMMON_PASSWORDS) {
      for (const variant of [
        listed,
        listed.toUpperCase(),
        listed.charAt(0).toUpperCase() + listed.slice(1),
      ]) {
        const result = passwordSchema.safeParse(variant);
        expect(result.success, variant).toBe(false);
        expect(result.error?.issues.map((issue) => issue.message)).toEqual([COMMON_PASSWORD_MESSAGE]);
      }
    }
  });

  it('holds only passwords the length rule would let through, each once, in lower case', () => {
    for (const listed of COMMON_PASSWORDS) {
      expect([...listed].length).toBeGreaterThanOrEqual(PASSWORD_MIN_LENGTH);
      expect(listed).toBe(listed.toLowerCase());
    }
    expect(new Set(COMMON_PASSWORDS).size).toBe(COMMON_PASSWORDS.length);
  });

  it('accepts an uncommon passphrase, and a listed one with something added', () => {
    expect(passwordSchema.safeParse('correct horse battery staple').success).toBe(true);
    expect(passwordSchema.safeParse('qwerty123456 but longer').success).toBe(true);
  });
});
