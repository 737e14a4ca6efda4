'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireApiUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { formatBoardRef } from '@/lib/leaderboards/board-ref';
import {
  createGroup,
  GroupLimitError,
  joinGroup,
  leaveGroup,
  MAX_GROUP_NAME,
  MAX_GROUPS_PER_VEHICLE,
  renewGroupInvite,
} from '@/lib/leaderboards/groups';
import { joinPublicBoards, leavePublicBoards, renewListingPseudonym } from '@/lib/leaderboards/listings';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';
import { TOKEN_PATTERN } from '@/lib/sharing/share-links';

// The leaderboard page's writes: joining and leaving the public boards, a new pseudonym, private
// groups (create, new invite, join, leave). Each acts as the signed-in owner, and the data layer
// scopes every write to them: another owner's car or group does nothing, like a missing one.

const vehicleForm = z.object({ vehicleId: vehicleIdSchema });
const groupForm = z.object({ vehicleId: vehicleIdSchema, groupId: z.uuid() });
const createForm = z.object({
  vehicleId: vehicleIdSchema,
  name: z.string().trim().min(1).max(MAX_GROUP_NAME),
});
const joinForm = z.object({ vehicleId: vehicleIdSchema, token: z.string().regex(TOKEN_PATTERN) });

const boardPath = (vehicleId: string) => `/vehicles/${vehicleId}/leaderboard`;

type ListingAction = (db: ReturnType<typeof getDb>, ownerId: string, vehicleId: string) => Promise<unknown>;

async function onListing(formData: FormData, act: ListingAction): Promise<void> {
  const user = await requireApiUser();
  const parsed = vehicleForm.safeParse({ vehicleId: formData.get('vehicleId') });
  if (!parsed.success) return;
  await act(getDb(), user.userId, parsed.data.vehicleId);
  revalidatePath(boardPath(parsed.data.vehicleId));
}

/** Plain form actions (they work without JavaScript): the page shows the new state after them. */
export async function joinPublicBoardsAction(formData: FormData): Promise<void> {
  await onListing(formData, (db, ownerId, vehicleId) => joinPublicBoards(db, ownerId, vehicleId));
}

export async function leavePublicBoardsAction(formData: FormData): Promise<void> {
  await onListing(formData, leavePublicBoards);
}

export async function renewPseudonymAction(formData: FormData): Promise<void> {
  await onListing(formData, renewListingPseudonym);
}

export type InviteState = { token?: string; groupId?: string; error?: string };

export async function createGroupAction(_previous: InviteState, formData: FormData): Promise<InviteState> {
  const [user, t] = await Promise.all([requireApiUser(), getTranslations('leaderboard.groups')]);
  const parsed = createForm.safeParse({ vehicleId: formData.get('vehicleId'), name: formData.get('name') });
  if (!parsed.success) return { error: t('nameInvalid', { max: MAX_GROUP_NAME }) };
  try {
    const group = await createGroup(getDb(), user.userId, parsed.data.vehicleId, parsed.data.name);
    if (!group) return { error: t('failed') };
    revalidatePath(boardPath(parsed.data.vehicleId));
    return { token: group.inviteToken, groupId: group.id };
  } catch (error) {
    if (error instanceof GroupLimitError) return { error: t('limit', { max: MAX_GROUPS_PER_VEHICLE }) };
    throw error;
  }
}

export async function renewInviteAction(_previous: InviteState, formData: FormData): Promise<InviteState> {
  const [user, t] = await Promise.all([requireApiUser(), getTranslations('leaderboard.groups')]);
  const parsed = groupForm.safeParse({
    vehicleId: formData.get('vehicleId'),
    groupId: formData.get('groupId'),
  });
  if (!parsed.success) return { error: t('failed') };
  const token = await renewGroupInvite(getDb(), user.userId, parsed.data.groupId);
  return token ? { token, groupId: parsed.data.groupId } : { error: t('failed') };
}

export async function leaveGroupAction(formData: FormData): Promise<void> {
  const user = await requireApiUser();
  const parsed = groupForm.safeParse({
    vehicleId: formData.get('vehicleId'),
    groupId: formData.get('groupId'),
  });
  if (!parsed.success) return;
  await leaveGroup(getDb(), user.userId, parsed.data.vehicleId, parsed.data.groupId);
  revalidatePath(boardPath(parsed.data.vehicleId));
  redirect(boardPath(parsed.data.vehicleId));
}

/** From the invite page: joins with the chosen car and opens the group's board. */
export async function joinGroupAction(formData: FormData): Promise<void> {
  const user = await requireApiUser();
  const parsed = joinForm.safeParse({ vehicleId: formData.get('vehicleId'), token: formData.get('token') });
  if (!parsed.success) redirect('/join/invalid?failed=1');
  const { vehicleId, token } = parsed.data;
  let joined: { groupId: string } | null = null;
  try {
    joined = await joinGroup(getDb(), user.userId, vehicleId, token);
  } catch (error) {
    if (!(error instanceof GroupLimitError)) throw error;
  }
  if (!joined) redirect(`/join/${token}?failed=1`);
  revalidatePath(boardPath(vehicleId));
  redirect(`${boardPath(vehicleId)}?board=${formatBoardRef({ kind: 'group', groupId: joined.groupId })}`);
}
