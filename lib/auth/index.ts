import 'server-only';
import { redirect } from 'next/navigation';
import NextAuth from 'next-auth';
import { cache } from 'react';
import { getDb } from '../db';
import { type ActiveSession, getActiveSession } from '../db/queries/sessions';
import { AppError } from '../errors';
import { buildAuthConfig } from './config';

const nextAuth = NextAuth(() => buildAuthConfig());

export const { handlers, signIn, signOut } = nextAuth;
export const auth = cache(nextAuth.auth);

export type CurrentUser = ActiveSession;

/**
 * The signed-in owner, or null. A decodable cookie is not enough: its session row must still
 * exist and its account must not be disabled, so sign-out and "sign out everywhere" take effect
 * on the very next request.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const sessionId = session?.sid;
  if (typeof sessionId !== 'string' || sessionId.length === 0) return null;
  return getActiveSession(getDb(), sessionId);
});

/** For pages and layouts: the signed-in owner, or a redirect to the sign-in page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  return user;
}

/** For route handlers and server actions: the signed-in owner, or a 401. */
export async function requireApiUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError('unauthorized');
  return user;
}
