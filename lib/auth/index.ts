import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import NextAuth from 'next-auth';
import { cache } from 'react';
import { getDb } from '../db';
import { type ActiveSession, getActiveSession } from '../db/queries/sessions';
import { env } from '../env';
import { AppError } from '../errors';
import { getAuthSecret } from '../secrets';
import { buildAuthConfig } from './config';
import { sessionIdFromCookies } from './session-cookie';

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
  // What auth() would answer, without running next-auth's whole session endpoint (session-cookie.ts).
  const sessionId = await sessionIdFromCookies({
    headers: await headers(),
    secret: getAuthSecret(env),
    authUrl: env.AUTH_URL,
  });
  if (!sessionId) return null;
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
