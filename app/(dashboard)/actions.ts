'use server';

import { requireApiUser, signOut } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { deleteSessionsForUser } from '@/lib/db/queries/sessions';
import { AppError } from '@/lib/errors';

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/login' });
}

/**
 * Ends every session of the owner, this browser's included. The demo account is shared by every
 * visitor, so there it would sign out strangers: refused, like other destructive demo actions.
 */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await requireApiUser();
  if (user.isDemo) throw new AppError('forbidden', 'The shared demo account cannot sign out other visitors.');
  await deleteSessionsForUser(getDb(), user.userId);
  await signOut({ redirectTo: '/login' });
}
