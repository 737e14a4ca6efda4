import { getDb } from '@/lib/db';
import { handlePsaWebhook } from '@/lib/ingest/webhooks/handler';
import { withRoute } from '@/lib/route-handler';

// PSA v4 webhook deliveries. No user: the delivery authenticates with its subscription's secret.
// Events are stored here and processed by the sync worker (processPendingWebhookEvents).
export const dynamic = 'force-dynamic';

export const POST = withRoute((request) => handlePsaWebhook(request, { db: getDb() }));
