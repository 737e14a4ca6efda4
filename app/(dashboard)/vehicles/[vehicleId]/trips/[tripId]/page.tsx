import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ClientMessages } from '@/components/i18n/client-messages';
import { MakerEvaluationCard } from '@/components/scores/maker-evaluation-card';
import { TripScoreCard } from '@/components/scores/trip-score-card';
import { TelemetryExplorer } from '@/components/telemetry/telemetry-explorer';
import { RouteMap } from '@/components/trips/route-map';
import { TagControl } from '@/components/trips/tag-control';
import { TripEvents } from '@/components/trips/trip-events';
import { TripSummary } from '@/components/trips/trip-summary';
import { Card, CardTitle } from '@/components/ui/card';
import { getQueryClient } from '@/lib/api-client/query-client';
import { tripDetailQueryOptions } from '@/lib/api-client/trips';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { tripMakerEvaluation } from '@/lib/scores/maker-evaluation';
import { getTripScore } from '@/lib/scores/vehicle-score';
import { getUserPreferences } from '@/lib/settings/preferences';
import { getOwnerTrip } from '@/lib/trips/detail';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

type Params = { vehicleId: string; tripId: string };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('trips');
  return { title: t('title') };
}

export default async function TripPage({ params }: { params: Promise<Params> }) {
  const { vehicleId, tripId } = await params;
  const user = await requireUser();
  const db = getDb();
  // The layout has checked the vehicle; the trip must be of that vehicle and owner too.
  const [vehicle, detail, tripScore, maker, preferences, t, format] = await Promise.all([
    getOwnedVehicleOrNotFound(vehicleId),
    tripId.length <= 128 ? getOwnerTrip(db, user.userId, vehicleId, tripId) : null,
    tripId.length <= 128 ? getTripScore(db, user.userId, tripId) : null,
    tripId.length <= 128 ? tripMakerEvaluation(db, user.userId, tripId) : null,
    getUserPreferences(db, user.userId),
    getTranslations('trips'),
    getFormatter(),
  ]);
  if (!detail) notFound();
  const { trip, route } = detail;

  const queryClient = getQueryClient();
  queryClient.setQueryData(tripDetailQueryOptions(vehicleId, tripId).queryKey, detail);
  const date = format.dateTime(new Date(trip.startedAt), { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <Link
          href="/trips"
          className="inline-flex min-h-11 items-center gap-1 self-start text-accent text-sm underline-offset-4 hover:underline"
        >
          <ArrowLeft aria-hidden="true" className="size-4" />
          {t('detail.back')}
        </Link>
        <h1 className="font-semibold text-2xl tracking-tight">{t('detail.title', { date })}</h1>
        <p className="text-muted text-sm">{vehicle.label}</p>
      </div>

      <Card className="flex flex-col gap-4">
        <CardTitle>{t('detail.summary')}</CardTitle>
        <TripSummary trip={trip} units={preferences.units} />
        <ClientMessages namespaces={['trips']}>
          <HydrationBoundary state={dehydrate(queryClient)}>
            <TagControl vehicleId={vehicleId} tripId={tripId} />
          </HydrationBoundary>
        </ClientMessages>
      </Card>

      <TripScoreCard
        detail={tripScore}
        vehicleId={vehicleId}
        powertrain={vehicle.powertrain}
        units={preferences.units}
      />

      {maker ? <MakerEvaluationCard evaluation={maker} brand={vehicle.brand} /> : null}

      <Card className="flex flex-col gap-3">
        <CardTitle>{t('route.heading')}</CardTitle>
        <RouteMap
          route={route}
          labels={{
            title: t('route.label'),
            none: t('route.none'),
            start: t('route.start'),
            end: t('route.end'),
            points: route.available
              ? t('route.points', { kept: route.pointsKept, read: route.pointsRead })
              : '',
          }}
        />
      </Card>

      <section
        data-slot="trip-charts"
        aria-labelledby="trip-charts-heading"
        className="flex flex-col gap-3 rounded-xl border border-border bg-surface p-4 sm:p-6"
      >
        <h2 id="trip-charts-heading" className="font-semibold text-base">
          {t('charts.heading')}
        </h2>
        {/* The trip's own range; the explorer fetches it at the width it measures (no URL state here). */}
        <ClientMessages namespaces={['telemetry']}>
          <TelemetryExplorer
            vehicleId={vehicleId}
            powertrain={vehicle.powertrain}
            units={preferences.units}
            initialRange={{
              from: trip.startedAt,
              to: trip.endedAt ?? new Date().toISOString(),
              preset: 'trip',
            }}
            live={false}
            rangeInUrl={false}
          />
        </ClientMessages>
      </section>

      <Card className="flex flex-col gap-3">
        <CardTitle>{t('events.heading')}</CardTitle>
        <TripEvents events={trip.events} />
      </Card>
    </div>
  );
}
