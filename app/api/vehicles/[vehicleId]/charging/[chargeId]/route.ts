import { z } from 'zod';
import { chargeCachePolicy } from '@/lib/charging/cache-policy';
import { getOwnerCharge } from '@/lib/charging/sessions';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { cachedJson } from '@/lib/http-cache';
import { parseWith, withAuth } from '@/lib/route-handler';
import { chargeIdSchema } from '@/lib/schemas/charging';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema, chargeId: chargeIdSchema });

// GET /api/vehicles/{id}/charging/{chargeId}: the charge with its power over time.
export const GET = withAuth<{ vehicleId: string; chargeId: string }>(async (request, { user, params }) => {
  const { vehicleId, chargeId } = parseWith(paramsSchema, params);
  const detail = await getOwnerCharge(getDb(), user.userId, vehicleId, chargeId);
  if (!detail) throw new AppError('not_found', 'No such charge.');
  return cachedJson(request, detail, chargeCachePolicy(detail.charge.endedAt, Date.now()));
});
