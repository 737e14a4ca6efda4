import { listOwnerCharges } from '@/lib/charging/sessions';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { EXPENSIVE } from '@/lib/http/owner-rate-limit';
import { cachedJson, REVALIDATE } from '@/lib/http-cache';
import { parseWith, searchParamsOf, withAuth } from '@/lib/route-handler';
import { chargeListQuerySchema, DEFAULT_CHARGES_PAGE } from '@/lib/schemas/charging';

// GET /api/charging: a page of the owner's charges, newest first. A charge may be under way:
// always revalidated (ETag, 304).
export const GET = withAuth(
  async (request, { user }) => {
    const query = parseWith(chargeListQuerySchema, searchParamsOf(request));
    const list = await listOwnerCharges(getDb(), user.userId, {
      ...(query.vehicleId !== undefined ? { vehicleId: query.vehicleId } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      limit: query.limit ?? DEFAULT_CHARGES_PAGE,
    });
    if (!list) throw new AppError('not_found', 'No such vehicle.');
    return cachedJson(request, list, REVALIDATE);
  },
  { cost: EXPENSIVE },
);
