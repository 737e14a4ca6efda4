'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useFormatter, useLocale, useTranslations } from 'next-intl';
import { volumeText } from '@/components/trips/format';
import { Button } from '@/components/ui/button';
import { useLoadMoreOnScroll } from '@/components/ui/use-load-more-on-scroll';
import { chargesInfiniteQueryOptions } from '@/lib/api-client/charging';
import type { ChargeDto } from '@/lib/schemas/charging';

// A car's charging sessions, newest first: first page hydrated from the server, more on scroll
// (IntersectionObserver) or with the "Load more" button.

export function ChargeList({ vehicleId }: { vehicleId: string }) {
  const t = useTranslations('charging');
  const query = useInfiniteQuery(chargesInfiniteQueryOptions(vehicleId));
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const sentinel = useLoadMoreOnScroll(query);

  const charges = query.data?.pages.flatMap((page) => page.charges) ?? [];
  if (query.isError && charges.length === 0)
    return (
      <p role="alert" className="text-danger text-sm">
        {t('list.error', { message: query.error.message })}
      </p>
    );
  if (query.isSuccess && charges.length === 0) return <p className="text-muted text-sm">{t('list.empty')}</p>;

  return (
    <div className="flex flex-col gap-3">
      <ol className="flex flex-col gap-2" data-testid="charge-list">
        {charges.map((charge) => (
          <li key={charge.id}>
            <ChargeRow charge={charge} />
          </li>
        ))}
      </ol>
      <div ref={sentinel} aria-hidden="true" />
      <p aria-live="polite" className="text-muted text-sm">
        {isFetchingNextPage ? t('list.loading') : !hasNextPage && charges.length > 0 ? t('list.end') : ''}
      </p>
      {hasNextPage ? (
        <Button variant="secondary" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
          {t('list.loadMore')}
        </Button>
      ) : null}
    </div>
  );
}

function ChargeRow({ charge }: { charge: ChargeDto }) {
  const t = useTranslations('charging');
  const format = useFormatter();
  const locale = useLocale();
  const date = format.dateTime(new Date(charge.startedAt), { dateStyle: 'medium', timeStyle: 'short' });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const levels =
    charge.startLevelPct !== null && charge.endLevelPct !== null
      ? t('list.levels', {
          start: pct.format(charge.startLevelPct / 100),
          end: pct.format(charge.endLevelPct / 100),
        })
      : null;
  const energy = volumeText(charge.energyAddedKwh, 'kWh', locale);
  return (
    <Link
      href={`/vehicles/${encodeURIComponent(charge.vehicleId)}/charging/${charge.id}`}
      aria-label={t('list.open', { date })}
      className="flex min-h-11 flex-col gap-1 rounded-lg border border-border bg-surface p-3 transition hover:bg-surface-2"
    >
      <span className="font-medium">{date}</span>
      <span className="flex flex-wrap gap-x-3 text-sm">
        {energy ? <span>+{energy}</span> : null}
        {levels ? <span>{levels}</span> : null}
        {charge.endedAt === null ? <span className="text-accent">{t('list.ongoing')}</span> : null}
      </span>
    </Link>
  );
}
