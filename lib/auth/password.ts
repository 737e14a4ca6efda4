import 'server-only';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { COMMON_PASSWORDS } from './common-passwords';

// argon2id with OWASP's baseline parameters (19 MiB, 2 passes, 1 lane): about 50 ms here, cheap
// enough for a busy sign-in page, costly enough to slow offline guessing.
// `algorithm: 2` is Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export const COMMON_PASSWORD_MESSAGE = 'This password is one of the most common ones: choose another.';
const COMMON = new Set(COMMON_PASSWORDS);

/** Whether the password is on the common-password list, in any letter case. */
export function isCommonPassword(value: string): boolean {
  return COMMON.has(value.toLowerCase());
}

/** Length in characters as a person counts them (code points), not UTF-16 units. */
function characterCount(value: string): number {
  return [...value].length;
}

// No composition rules (NIST 800-63B); length is what matters, and a password from the list of the
// most common ones is refused (in any letter case: 'QWERTY123456' is no better). Passwords are never
// trimmed or case-folded: what the owner typed is what is hashed. Sign-up and the CLI's create and
// reset-password (the only ways to set a password) all go through this schema.
export const passwordSchema = z
  .string({ error: 'Enter a password.' })
  .refine((value) => characterCount(value) >= PASSWORD_MIN_LENGTH, {
    message: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  })
  .refine((value) => characterCount(value) <= PASSWORD_MAX_LENGTH, {
    message: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  })
  .refine((value) => !isCommonPassword(value), { message: COMMON_PASSWORD_MESSAGE });

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A damaged hash must not become a way in, nor a 500.
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, so that "no such account" and "wrong password"
 * cannot be told apart by how long the answer takes.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('kinetic-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}
