import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';
import { withAuth } from '@/lib/route-handler';
import { toVehicleDto } from '@/lib/schemas/vehicle';

export const GET = withAuth(async (_request, { user }) => {
  const rows = await listVehicles(getDb(), user.userId);
  return { vehicles: rows.map(toVehicleDto) };
});
