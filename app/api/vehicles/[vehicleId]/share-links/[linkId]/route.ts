import { z } from 'zod';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { parseWith, withAuth } from '@/lib/route-handler';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';
import { revokeShareLink } from '@/lib/sharing/share-links';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema, linkId: z.string().min(1).max(64) });

// DELETE /api/vehicles/{id}/share-links/{linkId}: revokes the link; its next request answers 404.
export const DELETE = withAuth<{ vehicleId: string; linkId: string }>(async (_request, { user, params }) => {
  const { vehicleId, linkId } = parseWith(paramsSchema, params);
  if (!(await revokeShareLink(getDb(), user.userId, linkId, Date.now(), { vehicleId })))
    throw new AppError('not_found', 'No such link.');
  return { revoked: true };
});
