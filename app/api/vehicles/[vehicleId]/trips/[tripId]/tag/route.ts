import { z } from 'zod';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { parseWith, readJson, withAuth } from '@/lib/route-handler';
import { tripTagBodySchema } from '@/lib/schemas/trips';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';
import { setTripTag } from '@/lib/trips/tags';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema, tripId: z.string().min(1).max(128) });

// PUT /api/vehicles/{id}/trips/{tripId}/tag { tag: 'business' | 'private' | null }: sets or clears.
export const PUT = withAuth<{ vehicleId: string; tripId: string }>(async (request, { user, params }) => {
  const { vehicleId, tripId } = parseWith(paramsSchema, params);
  const { tag } = await readJson(request, tripTagBodySchema);
  const done = await setTripTag(getDb(), user.userId, tripId, tag, { vehicleId });
  if (!done) throw new AppError('not_found', 'No such trip.');
  return { tripId, tag };
});
