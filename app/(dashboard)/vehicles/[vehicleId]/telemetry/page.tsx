import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { getTimeZone, getTranslations } from 'next-intl/server';
import { ClientMessages } from '@/components/i18n/client-messages';
import { TelemetryExplorer } from '@/components/telemetry/telemetry-explorer';
import { getQueryClient } from '@/lib/api-client/query-client';
import { telemetryMarksQueryOptions, telemetryQueryOptions } from '@/lib/api-client/telemetry';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { DEFAULT_TELEMETRY_METRICS } from '@/lib/schemas/telemetry';
import { getUserPreferences } from '@/lib/settings/preferences';
import { readTelemetryMarks } from '@/lib/telemetry/query/read-marks';
import { readTelemetry } from '@/lib/telemetry/query/read-telemetry';
import { defaultSelection, parseSelection, resolveRange } from '@/lib/telemetry-view/range';
import { SERVER_WIDTH_PX } from '@/lib/telemetry-view/zoom';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('telemetry');
  return { title: t('title') };
}

// The Charts page. The range comes from the URL (`?range=week&from=2026-11-23`; anything invalid
// shows today), resolved on the owner's wall clock. The page reads the series at a phone's plot
// width and the marks together with the owner's units (one Promise.all, no waterfall) and hands
// them to the client through HydrationBoundary: a phone paints real numbers with the HTML and only
// downloads the chart code after; a wider screen refetches once at its own width, in parallel with
// that download, showing the phone-resolution data meanwhile.
export default async function TelemetryPage({
  params,
  searchParams,
}: PageProps<'/vehicles/[vehicleId]/telemetry'>) {
  const [{ vehicleId }, query, timeZone, user, t] = await Promise.all([
    params,
    searchParams,
    getTimeZone(),
    requireUser(),
    getTranslations('telemetry'),
  ]);
  const now = Date.now();
  const range = resolveRange(parseSelection(query) ?? defaultSelection(now, timeZone), now, timeZone);
  const db = getDb();
  const seriesArgs = {
    vehicleId,
    metrics: DEFAULT_TELEMETRY_METRICS,
    from: range.from,
    to: range.to,
    width: SERVER_WIDTH_PX,
  };
  const [vehicle, preferences, telemetry, marks] = await Promise.all([
    // Already checked (and cached) by the vehicle layout; the reads below are owner-scoped too.
    getOwnedVehicleOrNotFound(vehicleId),
    getUserPreferences(db, user.userId),
    // A failed prefetch is not a failed page: the client asks again and shows its own error.
    readTelemetry(db, user.userId, vehicleId, {
      ...seriesArgs,
      metrics: [...DEFAULT_TELEMETRY_METRICS],
    }).catch(() => null),
    readTelemetryMarks(db, user.userId, vehicleId, { from: range.from, to: range.to }).catch(() => null),
  ]);

  const queryClient = getQueryClient();
  if (telemetry) queryClient.setQueryData(telemetryQueryOptions(seriesArgs).queryKey, telemetry);
  if (marks)
    queryClient.setQueryData(
      telemetryMarksQueryOptions({ vehicleId, from: range.from, to: range.to }).queryKey,
      marks,
    );

  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
        <p className="text-muted text-sm">{t('description', { vehicle: vehicle.label })}</p>
      </div>
      <ClientMessages namespaces={['telemetry']}>
        <HydrationBoundary state={dehydrate(queryClient)}>
          <TelemetryExplorer
            vehicleId={vehicle.id}
            powertrain={vehicle.powertrain}
            units={preferences.units}
            initialRange={{
              from: new Date(range.from).toISOString(),
              to: new Date(range.to).toISOString(),
              preset: range.preset,
            }}
          />
        </HydrationBoundary>
      </ClientMessages>
    </div>
  );
}
