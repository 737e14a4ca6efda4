'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { useLoadMoreOnScroll } from '@/components/ui/use-load-more-on-scroll';
import { tripsInfiniteQueryOptions } from '@/lib/api-client/trips';
import type { TripDto, TripFilterQuery } from '@/lib/schemas/trips';
import type { UnitPreferences } from '@/lib/units/preferences';
import { consumptionText, distanceText, durationParts } from './format';

// The trip list with infinite scroll: the first page comes hydrated from the server render, the
// next ones load when the end of the list scrolls into view (IntersectionObserver), and a "Load
// more" button does the same for keyboards, screen readers and browsers without the observer.

export function TripList({ filter, units }: { filter: TripFilterQuery; units: UnitPreferences }) {
  const t = useTranslations('trips');
  const query = useInfiniteQuery(tripsInfiniteQueryOptions(filter));
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const sentinel = useLoadMoreOnScroll(query);

  const trips = query.data?.pages.flatMap((page) => page.trips) ?? [];

  if (query.isError && trips.length === 0)
    return (
      <p role="alert" className="text-danger text-sm">
        {t('list.error', { message: query.error.message })}
      </p>
    );
  if (query.isSuccess && trips.length === 0) return <p className="text-muted text-sm">{t('list.empty')}</p>;

  return (
    <div className="flex flex-col gap-3">
      <ol className="flex flex-col gap-2" data-testid="trip-list">
        {trips.map((trip) => (
          <li key={trip.id}>
            <TripRow trip={trip} units={units} />
          </li>
        ))}
      </ol>
      <div ref={sentinel} aria-hidden="true" />
      <p aria-live="polite" className="text-muted text-sm">
        {isFetchingNextPage
          ? t('list.loading')
          : query.isError
            ? t('list.error', { message: query.error.message })
            : !hasNextPage && trips.length > 0
              ? t('list.end', { count: trips.length })
              : ''}
      </p>
      {hasNextPage ? (
        <Button variant="secondary" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
          {t('list.loadMore')}
        </Button>
      ) : null}
    </div>
  );
}

function TripRow({ trip, units }: { trip: TripDto; units: UnitPreferences }) {
  const t = useTranslations('trips');
  const format = useFormatter();
  const locale = useLocale();
  const date = format.dateTime(new Date(trip.startedAt), { dateStyle: 'medium', timeStyle: 'short' });
  const parts = trip.durationS === null ? null : durationParts(trip.durationS);
  const facts = [
    distanceText(trip.distanceKm, units, locale),
    parts === null
      ? null
      : parts.hours > 0
        ? t('duration.hoursMinutes', parts)
        : parts.minutes > 0
          ? t('duration.minutes', parts)
          : t('duration.seconds', parts),
    consumptionText(trip.avgConsumption, units, locale),
  ].filter((fact): fact is string => fact !== null);
  return (
    <Link
      href={`/vehicles/${encodeURIComponent(trip.vehicleId)}/trips/${encodeURIComponent(trip.id)}`}
      aria-label={t('list.open', { date, vehicle: trip.vehicleLabel })}
      className="flex min-h-11 flex-col gap-1 rounded-lg border border-border bg-surface p-3 transition hover:bg-surface-2"
    >
      <span className="flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="font-medium">{date}</span>
        <span className="text-muted text-sm">{trip.vehicleLabel}</span>
      </span>
      <span className="flex flex-wrap gap-x-3 text-sm">
        {facts.map((fact) => (
          <span key={fact}>{fact}</span>
        ))}
        {trip.endedAt === null ? <span className="text-accent">{t('list.ongoing')}</span> : null}
      </span>
      <span className="flex flex-wrap gap-x-3 text-muted text-xs">
        {trip.tag ? (
          <span className="rounded border border-border px-1.5 font-medium text-fg">
            {t(`tags.${trip.tag}`)}
          </span>
        ) : null}
        <span>{t('list.events', { count: trip.events.length })}</span>
      </span>
    </Link>
  );
}
