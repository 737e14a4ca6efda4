import { z } from 'zod';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { cachedJson, REVALIDATE } from '@/lib/http-cache';
import { parseWith, withAuth } from '@/lib/route-handler';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';
import { getGlance } from '@/lib/vehicles/glance';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema });

// The vehicle glance (lib/vehicles/glance.ts). It can change any moment (a car that drives), so it
// always revalidates; the ETag turns an unchanged glance into a bodiless 304.
export const GET = withAuth<{ vehicleId: string }>(async (request, { user, params }) => {
  const { vehicleId } = parseWith(paramsSchema, params);
  const glance = await getGlance(getDb(), user.userId, vehicleId, Date.now());
  if (!glance) throw new AppError('not_found', 'No such vehicle.');
  return cachedJson(request, glance, REVALIDATE);
});
