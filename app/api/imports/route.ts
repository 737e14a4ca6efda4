import { getDb } from '@/lib/db';
import { EXPENSIVE } from '@/lib/http/owner-rate-limit';
import { deriveImportedTrips } from '@/lib/import/import-trips';
import { handleImportUpload } from '@/lib/import/upload';
import { withAuth } from '@/lib/route-handler';

// An OBD-II log uploaded from the dashboard's import page (docs/api.md › POST /api/imports).
// The body streams to a temporary file; nothing about the upload is cached or prerendered.
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withAuth(
  (request, { user }) => handleImportUpload(request, { db: getDb(), user, deriveTrips: deriveImportedTrips }),
  { cost: EXPENSIVE },
);
