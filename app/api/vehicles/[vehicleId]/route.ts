import { z } from 'zod';
import { getDb } from '@/lib/db';
import { getVehicle } from '@/lib/db/queries/vehicles';
import { AppError } from '@/lib/errors';
import { parseWith, withAuth } from '@/lib/route-handler';
import { toVehicleDto, vehicleIdSchema } from '@/lib/schemas/vehicle';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema });

export const GET = withAuth<{ vehicleId: string }>(async (_request, { user, params }) => {
  const { vehicleId } = parseWith(paramsSchema, params);
  const vehicle = await getVehicle(getDb(), user.userId, vehicleId);
  if (!vehicle) throw new AppError('not_found', 'No such vehicle.');
  return { vehicle: toVehicleDto(vehicle) };
});
