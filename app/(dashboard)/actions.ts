'use server';

import { requireApiUser, signOut } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { deleteSessionsForUser } from '@/lib/db/queries/sessions';

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/login' });
}

/** Ends every session of the owner, this browser's included. */
export async function signOutEverywhereAction(): Promise<void> {
  const user = await requireApiUser();
  await deleteSessionsForUser(getDb(), user.userId);
  await signOut({ redirectTo: '/login' });
}
