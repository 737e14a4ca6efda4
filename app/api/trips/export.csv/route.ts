import { getDb } from '@/lib/db';
import { getVehicle } from '@/lib/db/queries/vehicles';
import { AppError } from '@/lib/errors';
import { EXPENSIVE } from '@/lib/http/owner-rate-limit';
import { parseWith, searchParamsOf, withAuth } from '@/lib/route-handler';
import { tripFilterQuerySchema } from '@/lib/schemas/trips';
import { tripsCsv } from '@/lib/trips/csv';
import { ownerTripFilter, requestTimeZone } from '@/lib/trips/owner-trips';

// GET /api/trips/export.csv?…filters: the filtered trips as a CSV attachment, streamed a page at a
// time (a year of trips never sits in memory). The dot in the folder name is Next's way to a file
// name in the path (like app/rss.xml/route.ts).

export const GET = withAuth(
  async (request, { user }) => {
    const filter = parseWith(tripFilterQuerySchema, searchParamsOf(request));
    const db = getDb();
    if (filter.vehicleId !== undefined && !(await getVehicle(db, user.userId, filter.vehicleId)))
      throw new AppError('not_found', 'No such vehicle.');
    const lines = tripsCsv(db, user.userId, ownerTripFilter(filter, requestTimeZone(request)));
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await lines.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          // Headers are gone by now: the download ends short rather than carrying an error page.
          console.error('[api] trips export failed', error);
          controller.error(error);
        }
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="kinetic-trips-${day}.csv"`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  },
  { cost: EXPENSIVE },
);
