import { listAlerts } from '@/lib/alerts/alerts';
import { getDb } from '@/lib/db';
import { cachedJson, REVALIDATE } from '@/lib/http-cache';
import { parseWith, searchParamsOf, withAuth } from '@/lib/route-handler';
import { alertListQuerySchema } from '@/lib/schemas/alerts';

// The owner's alerts, newest first, one keyset page at a time (docs/api.md › Alerts).
export const GET = withAuth(async (request, { user }) => {
  const query = parseWith(alertListQuerySchema, searchParamsOf(request));
  const page = await listAlerts(getDb(), user.userId, query);
  return cachedJson(request, page, REVALIDATE);
});
