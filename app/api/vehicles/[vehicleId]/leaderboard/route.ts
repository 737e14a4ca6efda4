import { z } from 'zod';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { EXPENSIVE } from '@/lib/http/owner-rate-limit';
import { getOwnerBoard } from '@/lib/leaderboards/board';
import { parseWith, searchParamsOf, withAuth } from '@/lib/route-handler';
import { boardQuerySchema } from '@/lib/schemas/leaderboards';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema });

// GET /api/vehicles/{id}/leaderboard?board=peer|model|everyone|group:{id}&offset=: one page of a
// board the car is on, with the car's own place. A group the car is not in is a 404.
export const GET = withAuth<{ vehicleId: string }>(
  async (request, { user, params }) => {
    const { vehicleId } = parseWith(paramsSchema, params);
    const { board, offset } = parseWith(boardQuerySchema, searchParamsOf(request));
    const page = await getOwnerBoard(getDb(), user.userId, vehicleId, board, { offset });
    if (!page) throw new AppError('not_found', 'No such vehicle or board.');
    return page;
  },
  { cost: EXPENSIVE },
);
