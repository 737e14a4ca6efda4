'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireApiUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { formatBoardRef, parseBoardRef } from '@/lib/leaderboards/board-ref';
import { groupsOfVehicle } from '@/lib/leaderboards/groups';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';
import {
  createShareLink,
  EXPIRY_CHOICES_DAYS,
  MAX_ACTIVE_LINKS_PER_VEHICLE,
  revokeShareLink,
  ShareLinkLimitError,
} from '@/lib/sharing/share-links';

// The owner's share links of a car's score card or of a board it is on: create (the token is
// returned once, to show it) and revoke. Both act as the signed-in owner only; the data layer scopes every write to them.

export type CreateShareLinkState = { token?: string; error?: string };

const createSchema = z.object({
  vehicleId: vehicleIdSchema,
  expiry: z.union([z.literal('never'), z.coerce.number().pipe(z.literal(EXPIRY_CHOICES_DAYS))]),
  board: z
    .string()
    .max(64)
    .optional()
    .refine((value) => value === undefined || parseBoardRef(value) !== null),
});

/** The pages a car's links are listed on. */
function revalidateLinks(vehicleId: string) {
  revalidatePath(`/vehicles/${vehicleId}/score`);
  revalidatePath(`/vehicles/${vehicleId}/leaderboard`);
}

export async function createShareLinkAction(
  _previous: CreateShareLinkState,
  formData: FormData,
): Promise<CreateShareLinkState> {
  const [user, t] = await Promise.all([requireApiUser(), getTranslations('share.owner')]);
  const parsed = createSchema.safeParse({
    vehicleId: formData.get('vehicleId'),
    expiry: formData.get('expiry'),
    board: formData.get('board') ?? undefined,
  });
  if (!parsed.success) return { error: t('failed') };
  const { vehicleId } = parsed.data;
  const board = parsed.data.board === undefined ? null : parseBoardRef(parsed.data.board);
  const db = getDb();
  // A group's board is shared by its members only.
  if (board?.kind === 'group') {
    const groups = await groupsOfVehicle(db, user.userId, vehicleId);
    if (!groups.some((group) => group.id === board.groupId)) return { error: t('failed') };
  }
  try {
    const link = await createShareLink(db, user.userId, vehicleId, {
      expiresInDays: parsed.data.expiry === 'never' ? null : parsed.data.expiry,
      board: board ? formatBoardRef(board) : undefined,
    });
    // Another owner's car and a missing one read the same.
    if (!link) return { error: t('failed') };
    revalidateLinks(vehicleId);
    return { token: link.token };
  } catch (error) {
    if (error instanceof ShareLinkLimitError)
      return { error: t('limit', { max: MAX_ACTIVE_LINKS_PER_VEHICLE }) };
    throw error;
  }
}

const revokeSchema = z.object({ vehicleId: vehicleIdSchema, linkId: z.string().min(1).max(64) });

/** A plain form action (works without JavaScript): the page shows the link as revoked after it. */
export async function revokeShareLinkAction(formData: FormData): Promise<void> {
  const user = await requireApiUser();
  const parsed = revokeSchema.safeParse({
    vehicleId: formData.get('vehicleId'),
    linkId: formData.get('linkId'),
  });
  if (!parsed.success) return;
  await revokeShareLink(getDb(), user.userId, parsed.data.linkId);
  revalidateLinks(parsed.data.vehicleId);
}
