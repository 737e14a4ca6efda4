import { z } from 'zod';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { EXPENSIVE } from '@/lib/http/owner-rate-limit';
import { cachedJson, REVALIDATE } from '@/lib/http-cache';
import { parseWith, withAuth } from '@/lib/route-handler';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';
import { getOwnerTrip } from '@/lib/trips/detail';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema, tripId: z.string().min(1).max(128) });

// GET /api/vehicles/{id}/trips/{tripId}: summary, events and the route as an SVG path. The owner's
// tag can change it at any moment, so it is revalidated (the ETag keeps that cheap).
export const GET = withAuth<{ vehicleId: string; tripId: string }>(
  async (request, { user, params }) => {
    const { vehicleId, tripId } = parseWith(paramsSchema, params);
    const detail = await getOwnerTrip(getDb(), user.userId, vehicleId, tripId);
    if (!detail) throw new AppError('not_found', 'No such trip.');
    return cachedJson(request, detail, REVALIDATE);
  },
  { cost: EXPENSIVE },
);
