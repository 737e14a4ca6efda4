import { getHealth } from '@/lib/health';
import { jsonResponse, withRoute } from '@/lib/route-handler';

export const dynamic = 'force-dynamic';

export const GET = withRoute(async () => {
  const health = await getHealth();
  return jsonResponse(health, { status: health.status === 'ok' ? 200 : 503 });
});
