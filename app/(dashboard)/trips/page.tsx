import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTimeZone, getTranslations } from 'next-intl/server';
import { ClientMessages } from '@/components/i18n/client-messages';
import { TripFilters } from '@/components/trips/trip-filters';
import { TripList } from '@/components/trips/trip-list';
import { TripTotals } from '@/components/trips/trip-totals';
import { buttonClasses } from '@/components/ui/button';
import { getQueryClient } from '@/lib/api-client/query-client';
import { tripsCsvUrl, tripsInfiniteQueryOptions } from '@/lib/api-client/trips';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';
import { getUserPreferences } from '@/lib/settings/preferences';
import { ownerTripList } from '@/lib/trips/owner-trips';
import { type PageSearch, tripFilterOfSearch } from '@/lib/trips/page-filter';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('trips');
  return { title: t('title') };
}

export default async function TripsPage({ searchParams }: { searchParams: Promise<PageSearch> }) {
  const user = await requireUser();
  const filter = tripFilterOfSearch(await searchParams);
  const db = getDb();
  // Days in the filter are the owner's days, in the zone the page shows times in.
  const timeZone = await getTimeZone();
  const [vehicles, preferences, list, t] = await Promise.all([
    listVehicles(db, user.userId),
    getUserPreferences(db, user.userId),
    ownerTripList(db, user.userId, filter, timeZone),
    getTranslations('trips'),
  ]);
  if (!list) notFound();

  const queryClient = getQueryClient();
  queryClient.setQueryData(tripsInfiniteQueryOptions(filter).queryKey, { pages: [list], pageParams: [null] });

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
          <p className="text-muted text-sm">{t('intro')}</p>
        </div>
        <a
          href={tripsCsvUrl(filter)}
          download
          className={buttonClasses('secondary')}
          data-testid="export-csv"
        >
          <Download aria-hidden="true" className="size-4" />
          {t('exportCsv')}
        </a>
      </div>
      <TripFilters filter={filter} vehicles={vehicles.map(({ id, label }) => ({ id, label }))} />
      <TripTotals totals={list.totals} units={preferences.units} />
      <section aria-labelledby="trip-list-heading" className="flex flex-col gap-3">
        <h2 id="trip-list-heading" className="font-semibold text-base">
          {t('list.heading')}
        </h2>
        <ClientMessages namespaces={['trips']}>
          <HydrationBoundary state={dehydrate(queryClient)}>
            <TripList filter={filter} units={preferences.units} />
          </HydrationBoundary>
        </ClientMessages>
      </section>
    </div>
  );
}
