import { getDb } from '@/lib/db';
import { EXPENSIVE } from '@/lib/http/owner-rate-limit';
import { withAuth } from '@/lib/route-handler';
import { telemetryMarksResponse } from '@/lib/telemetry/query/handlers';

// GET /api/vehicles/{id}/telemetry/marks — docs/api.md; the work is in lib/telemetry/query.
export const GET = withAuth<{ vehicleId: string }>(
  (request, { user, params }) =>
    telemetryMarksResponse(request, { db: getDb(), ownerId: user.userId, params }),
  { cost: EXPENSIVE },
);
