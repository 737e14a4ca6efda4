import 'server-only';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isUniqueViolation } from '../db/errors';
import { createUser, getUserByEmail } from '../db/queries/users';
import type { Database } from '../db/schema';
import { isPeerEmail } from '../demo/peers';
import { isMakerEmail } from './maker-users';
import { hashPassword, passwordSchema, verifyAgainstDummy, verifyPassword } from './password';
import { hitSignUp, recordSignInSuccess, registerSignInAttempt } from './throttle';

// Local accounts: sign-up and credential checks, shared by the sign-in pages, next-auth and the
// command line so that all three apply the same rules.

export const emailSchema = z
  .string({ error: 'Enter your e-mail address.' })
  .trim()
  .max(254, { message: 'That e-mail address is too long.' })
  .pipe(z.email({ error: 'Enter a valid e-mail address.' }))
  .refine((email) => !isPeerEmail(email), { message: 'This address is reserved for simulated drivers.' })
  .refine((email) => !isMakerEmail(email), {
    message: 'This address is reserved for accounts signed in with a car maker.',
  });

export const NAME_MAX_LENGTH = 80;
export const nameSchema = z
  .string()
  .trim()
  .max(NAME_MAX_LENGTH, { message: `Use at most ${NAME_MAX_LENGTH} characters.` });

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema.optional(),
});

export type AccountUser = { id: string; email: string; name: string | null };

export type SignInResult =
  | { ok: true; user: AccountUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rate_limited'; retryAfterS: number };

const credentialsShape = z.object({
  email: z.string().max(1024),
  password: z.string().max(4096),
});

/**
 * Checks an e-mail and password. The answer never says whether the account exists: unknown
 * e-mail, disabled account and wrong password all take the same time and give 'invalid'.
 */
export async function verifyCredentials(
  db: Kysely<Database>,
  input: unknown,
  ip: string,
): Promise<SignInResult> {
  const parsed = credentialsShape.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const { email, password } = parsed.data;

  const verdict = await registerSignInAttempt(db, email, ip);
  if (!verdict.allowed) return { ok: false, reason: 'rate_limited', retryAfterS: verdict.retryAfterS };

  const user = await getUserByEmail(db, email);
  const passwordOk =
    user?.password_hash && user.disabled_at === null
      ? await verifyPassword(user.password_hash, password)
      : await verifyAgainstDummy(password);

  if (!user || !passwordOk) return { ok: false, reason: 'invalid' };
  await recordSignInSuccess(db, email);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

export type SignUpResult =
  | { ok: true; user: AccountUser }
  | { ok: false; reason: 'invalid'; fieldErrors: Partial<Record<'email' | 'password' | 'name', string>> }
  | { ok: false; reason: 'taken' }
  | { ok: false; reason: 'rate_limited'; retryAfterS: number };

export async function registerUser(
  db: Kysely<Database>,
  input: unknown,
  ip: string | null,
): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Partial<Record<'email' | 'password' | 'name', string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if ((field === 'email' || field === 'password' || field === 'name') && !fieldErrors[field]) {
        fieldErrors[field] = issue.message;
      }
    }
    return { ok: false, reason: 'invalid', fieldErrors };
  }
  if (ip !== null) {
    const verdict = await hitSignUp(db, ip);
    if (!verdict.allowed) return { ok: false, reason: 'rate_limited', retryAfterS: verdict.retryAfterS };
  }
  const { email, password, name } = parsed.data;
  if (await getUserByEmail(db, email)) return { ok: false, reason: 'taken' };
  try {
    const user = await createUser(db, {
      email,
      name: name || null,
      passwordHash: await hashPassword(password),
    });
    return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
  } catch (error) {
    // Two sign-ups for one address at the same moment: the second loses the UNIQUE race.
    if (isUniqueViolation(error)) return { ok: false, reason: 'taken' };
    throw error;
  }
}
