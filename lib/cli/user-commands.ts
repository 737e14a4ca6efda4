import 'server-only';
import type { Kysely } from 'kysely';
import { emailSchema, nameSchema } from '../auth/accounts';
import { hashPassword, passwordSchema } from '../auth/password';
import { isUniqueViolation } from '../db/errors';
import { deleteSessionsForUser } from '../db/queries/sessions';
import { createUser, getUserByEmail, setPasswordHash, setUserDisabled } from '../db/queries/users';
import type { Database } from '../db/schema';
import { CommandError, type CommandResult, parseOrUsage, z } from './output';

// Account administration for self-hosters, who have no e-mail to send resets through.

async function findUserOrFail(db: Kysely<Database>, email: string) {
  const user = await getUserByEmail(db, email);
  if (!user) throw new CommandError('not_found', `No account uses ${email}.`);
  return user;
}

export async function userCreate(
  db: Kysely<Database>,
  options: Record<string, unknown>,
): Promise<CommandResult> {
  const input = parseOrUsage(
    z.object({ email: emailSchema, password: passwordSchema, name: nameSchema.optional() }),
    options,
  );
  try {
    const user = await createUser(db, {
      email: input.email,
      name: input.name || null,
      passwordHash: await hashPassword(input.password),
    });
    return {
      json: { user: { id: user.id, email: user.email, name: user.name } },
      text: `Created the account ${user.email}.`,
    };
  } catch (error) {
    if (isUniqueViolation(error))
      throw new CommandError('conflict', `An account already uses ${input.email}.`);
    throw error;
  }
}

export async function userResetPassword(
  db: Kysely<Database>,
  options: Record<string, unknown>,
): Promise<CommandResult> {
  const input = parseOrUsage(z.object({ email: emailSchema, password: passwordSchema }), options);
  const user = await findUserOrFail(db, input.email);
  await setPasswordHash(db, user.id, await hashPassword(input.password));
  // A new password is usually a response to a leak: end every session made with the old one.
  const sessionsEnded = await deleteSessionsForUser(db, user.id);
  return {
    json: { ok: true, email: user.email, sessionsEnded },
    text: `New password set for ${user.email}; ${sessionsEnded} session(s) signed out.`,
  };
}

export async function userDisable(
  db: Kysely<Database>,
  options: Record<string, unknown>,
): Promise<CommandResult> {
  const input = parseOrUsage(z.object({ email: emailSchema }), options);
  const user = await findUserOrFail(db, input.email);
  await setUserDisabled(db, user.id, true);
  const sessionsEnded = await deleteSessionsForUser(db, user.id);
  return {
    json: { ok: true, email: user.email, sessionsEnded },
    text: `Disabled ${user.email}; ${sessionsEnded} session(s) signed out.`,
  };
}
