import { z } from 'zod';
import { acknowledgeAlert } from '@/lib/alerts/alerts';
import { getDb } from '@/lib/db';
import { parseWith, withAuth } from '@/lib/route-handler';
import { alertIdSchema } from '@/lib/schemas/alerts';

const paramsSchema = z.object({ alertId: alertIdSchema });

// Marks one alert as seen; idempotent. Answers the alert (docs/api.md › Alerts). No body.
export const POST = withAuth<{ alertId: string }>(async (_request, { user, params }) => {
  const { alertId } = parseWith(paramsSchema, params);
  return { alert: await acknowledgeAlert(getDb(), user.userId, alertId, Date.now()) };
});
