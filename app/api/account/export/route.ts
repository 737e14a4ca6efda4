import { getDb } from '@/lib/db';
import { EXPENSIVE } from '@/lib/http/owner-rate-limit';
import { withAuth } from '@/lib/route-handler';
import { exportAccount } from '@/lib/settings/account';

// Streams for as long as the export takes; never prerendered or cached.
export const dynamic = 'force-dynamic';

export const GET = withAuth((request, { user }) => exportAccount(getDb(), user, request), {
  cost: EXPENSIVE,
});
