import 'server-only';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requireUser } from '../auth';
import { getDb } from '../db';
import { getVehicle } from '../db/queries/vehicles';
import type { VehicleRow } from '../db/schema';
import { vehicleIdSchema } from '../schemas/vehicle';

/**
 * The signed-in owner's vehicle for a page, or the 404 page. Another owner's id and one that never
 * existed take the same path. Cached per request so the layout and page share one query.
 */
export const getOwnedVehicleOrNotFound = cache(async (vehicleId: string): Promise<VehicleRow> => {
  const user = await requireUser();
  const parsed = vehicleIdSchema.safeParse(vehicleId);
  const vehicle = parsed.success ? await getVehicle(getDb(), user.userId, parsed.data) : null;
  if (!vehicle) notFound();
  return vehicle;
});
