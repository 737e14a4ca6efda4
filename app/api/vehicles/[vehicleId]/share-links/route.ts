import { z } from 'zod';
import { getDb } from '@/lib/db';
import { getVehicle } from '@/lib/db/queries/vehicles';
import { AppError } from '@/lib/errors';
import { parseBoardRef } from '@/lib/leaderboards/board-ref';
import { groupsOfVehicle } from '@/lib/leaderboards/groups';
import { jsonResponse, parseWith, readJson, withAuth } from '@/lib/route-handler';
import { createShareLinkBodySchema } from '@/lib/schemas/leaderboards';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';
import { createShareLink, listShareLinks, ShareLinkLimitError } from '@/lib/sharing/share-links';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema });

// GET /api/vehicles/{id}/share-links: the car's links, newest first (never their tokens).
export const GET = withAuth<{ vehicleId: string }>(async (_request, { user, params }) => {
  const { vehicleId } = parseWith(paramsSchema, params);
  const db = getDb();
  if (!(await getVehicle(db, user.userId, vehicleId))) throw new AppError('not_found', 'No such vehicle.');
  return { links: await listShareLinks(db, user.userId, vehicleId) };
});

// POST /api/vehicles/{id}/share-links { expiresInDays: 1|7|30|365|null, board? }: a new link to the
// car's score card, or to a board it is on; 201 with the token, shown this once.
export const POST = withAuth<{ vehicleId: string }>(async (request, { user, params }) => {
  const { vehicleId } = parseWith(paramsSchema, params);
  const body = await readJson(request, createShareLinkBodySchema);
  const db = getDb();
  const board = body.board === undefined ? null : parseBoardRef(body.board);
  // A group's board is shared by its members only; anything else reads like a missing car.
  if (board?.kind === 'group') {
    const groups = await groupsOfVehicle(db, user.userId, vehicleId);
    if (!groups.some((group) => group.id === board.groupId))
      throw new AppError('not_found', 'No such vehicle or board.');
  }
  try {
    const link = await createShareLink(db, user.userId, vehicleId, {
      expiresInDays: body.expiresInDays,
      board: body.board,
    });
    if (!link) throw new AppError('not_found', 'No such vehicle.');
    return jsonResponse({ link }, { status: 201 });
  } catch (error) {
    if (error instanceof ShareLinkLimitError)
      throw new AppError('conflict', 'This car has too many live links: revoke one first.');
    throw error;
  }
});
