import { z } from 'zod';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { parseWith, withAuth } from '@/lib/route-handler';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';
import { periodMakerEvaluation } from '@/lib/scores/maker-evaluation';
import { getVehicleScore } from '@/lib/scores/vehicle-score';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema });

// GET /api/vehicles/{id}/score: the Score tab's data — this week, the 30-day standing with its
// movement, the components, the tip, the latest scored trips, and the maker's own evaluation beside
// it (PSA v1), or null.
export const GET = withAuth<{ vehicleId: string }>(async (_request, { user, params }) => {
  const { vehicleId } = parseWith(paramsSchema, params);
  const db = getDb();
  const now = Date.now();
  const [score, makerEvaluation] = await Promise.all([
    getVehicleScore(db, user.userId, vehicleId, now),
    periodMakerEvaluation(db, user.userId, vehicleId, now),
  ]);
  if (!score) throw new AppError('not_found', 'No such vehicle.');
  return { ...score, makerEvaluation };
});
