import { z } from 'zod';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { cachedJson, REVALIDATE } from '@/lib/http-cache';
import { getMaintenance } from '@/lib/maintenance/service';
import { parseWith, searchParamsOf, withAuth } from '@/lib/route-handler';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema });

// The service indicator and its forecast (docs/api.md › Maintenance). REVALIDATE: a new report or
// a day of driving can change it at any moment, and the ETag makes the repeat cheap.
export const GET = withAuth<{ vehicleId: string }>(async (request, { user, params }) => {
  const { vehicleId } = parseWith(paramsSchema, params);
  parseWith(z.strictObject({}), searchParamsOf(request));
  const maintenance = await getMaintenance(getDb(), user.userId, vehicleId);
  if (!maintenance) throw new AppError('not_found', 'No such vehicle.');
  return cachedJson(request, maintenance, REVALIDATE);
});
