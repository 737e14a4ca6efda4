import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { EXPENSIVE } from '@/lib/http/owner-rate-limit';
import { cachedJson, REVALIDATE } from '@/lib/http-cache';
import { parseWith, searchParamsOf, withAuth } from '@/lib/route-handler';
import { tripListQuerySchema } from '@/lib/schemas/trips';
import { ownerTripList, requestTimeZone } from '@/lib/trips/owner-trips';

// GET /api/trips: a page of the owner's trips (newest first) and the totals of the whole filter.
// New trips arrive at any moment and tags change: always revalidated (ETag, 304).
export const GET = withAuth(
  async (request, { user }) => {
    const query = parseWith(tripListQuerySchema, searchParamsOf(request));
    const list = await ownerTripList(getDb(), user.userId, query, requestTimeZone(request));
    if (!list) throw new AppError('not_found', 'No such vehicle.');
    return cachedJson(request, list, REVALIDATE);
  },
  { cost: EXPENSIVE },
);
