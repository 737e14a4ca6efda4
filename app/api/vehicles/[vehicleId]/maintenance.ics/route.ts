import { getTimeZone, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { serviceEventOf } from '@/lib/maintenance/calendar';
import { allDayEventIcs } from '@/lib/maintenance/ics';
import { getMaintenance } from '@/lib/maintenance/service';
import { parseWith, withAuth } from '@/lib/route-handler';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';

const paramsSchema = z.object({ vehicleId: vehicleIdSchema });

// The forecast service date as a calendar file (docs/api.md › Maintenance): one all-day event on
// the owner's calendar day (their time zone), in their language. Errors stay JSON.
export const GET = withAuth<{ vehicleId: string }>(async (request, { user, params }) => {
  const { vehicleId } = parseWith(paramsSchema, params);
  const now = Date.now();
  const [maintenance, t, timeZone] = await Promise.all([
    getMaintenance(getDb(), user.userId, vehicleId, now),
    getTranslations('maintenance'),
    getTimeZone(),
  ]);
  if (!maintenance) throw new AppError('not_found', 'No such vehicle.');
  const event = serviceEventOf(maintenance, { now, timeZone, origin: new URL(request.url).origin });
  if (!event) throw new AppError('not_found', 'There is no service date to forecast for this vehicle yet.');
  const body = allDayEventIcs({
    ...event,
    summary: t('calendar.summary', { vehicle: maintenance.vehicleLabel }),
    description: t(`calendar.description.${event.firstLimit}`),
  });
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="${event.fileName}"`,
      'Cache-Control': 'private, no-store',
    },
  });
});
