import { z } from 'zod';
import { getDb } from '@/lib/db';
import { getVehicle } from '@/lib/db/queries/vehicles';
import { AppError } from '@/lib/errors';
import { joinPublicBoards, leavePublicBoards } from '@/lib/leaderboards/listings';
import { parseWith, withAuth } from '@/lib/route-handler';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema });

// PUT /api/vehicles/{id}/leaderboard/listing: lists the car on its public boards (keeping its
// pseudonym if it already is). DELETE: takes it off at once. Both are idempotent.
export const PUT = withAuth<{ vehicleId: string }>(async (_request, { user, params }) => {
  const { vehicleId } = parseWith(paramsSchema, params);
  const listing = await joinPublicBoards(getDb(), user.userId, vehicleId);
  if (!listing) throw new AppError('not_found', 'No such vehicle.');
  return { listed: true, pseudonym: listing.pseudonym };
});

export const DELETE = withAuth<{ vehicleId: string }>(async (_request, { user, params }) => {
  const { vehicleId } = parseWith(paramsSchema, params);
  const db = getDb();
  if (!(await getVehicle(db, user.userId, vehicleId))) throw new AppError('not_found', 'No such vehicle.');
  await leavePublicBoards(db, user.userId, vehicleId);
  return { listed: false, pseudonym: null };
});
