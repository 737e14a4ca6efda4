import { z } from 'zod';
import { countActiveAlerts } from '@/lib/alerts/alerts';
import { getDb } from '@/lib/db';
import { cachedJson, REVALIDATE } from '@/lib/http-cache';
import { parseWith, searchParamsOf, withAuth } from '@/lib/route-handler';

// Active, unacknowledged alerts by severity: the navigation badge (docs/api.md › Alerts).
export const GET = withAuth(async (request, { user }) => {
  parseWith(z.strictObject({}), searchParamsOf(request));
  return cachedJson(request, await countActiveAlerts(getDb(), user.userId), REVALIDATE);
});
