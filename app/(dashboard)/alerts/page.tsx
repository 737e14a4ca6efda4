import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getMessages, getTranslations } from 'next-intl/server';
import { buttonClasses } from '@/components/ui/button';
import { isAlertCursor, listAlerts } from '@/lib/alerts/alerts';
import { SEVERITY_ORDER } from '@/lib/alerts/catalogue';
import { alertsQueryOptions } from '@/lib/api-client/alerts';
import { getQueryClient } from '@/lib/api-client/query-client';
import { requireUser } from '@/lib/auth';
import { cn } from '@/lib/cn';
import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';
import type { AlertFilters } from '@/lib/schemas/alerts';
import type { EnglishMessages } from '@/messages/en';
import { AlertCard } from './_components/alert-card';
import { AlertFiltersForm } from './_components/alert-filters-form';
import { alertPageHref, parseAlertPageParams } from './_components/page-params';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('alerts');
  return { title: t('title') };
}

/** One page of alerts; older ones are a link away (the cursor lives in the URL, so it is shareable). */
const PAGE_SIZE = 50;

export default async function AlertsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parsed = parseAlertPageParams(await searchParams);
  // A cursor this API did not give out (an edited URL) starts from the newest instead of failing.
  const params =
    parsed.cursor === undefined || isAlertCursor(parsed.cursor) ? parsed : { ...parsed, cursor: undefined };
  const user = await requireUser();
  const db = getDb();
  const filters: AlertFilters = { ...params, limit: PAGE_SIZE };
  const now = Date.now();
  const [page, vehicles, t, messages] = await Promise.all([
    listAlerts(db, user.userId, { ...params, limit: PAGE_SIZE, now }),
    listVehicles(db, user.userId),
    getTranslations('alerts'),
    getMessages(),
  ]);
  const alertMessages = (messages as EnglishMessages).alerts;

  // The client leaves read the same list from the cache: nothing is fetched again on first paint.
  const queryClient = getQueryClient();
  queryClient.setQueryData(alertsQueryOptions(filters).queryKey, page);

  const groups = SEVERITY_ORDER.map((severity) => ({
    severity,
    alerts: page.alerts.filter((alert) => alert.severity === severity),
  })).filter((group) => group.alerts.length > 0);

  const tabs = (['active', 'history', 'all'] as const).map((state) => ({
    state,
    href: alertPageHref({ ...params, state, cursor: undefined }),
    current: params.state === state,
  }));

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
        <p className="text-muted text-sm">{t('intro')}</p>
      </div>

      <nav aria-label={t('state.label')}>
        <ul className="flex gap-1 rounded-lg border border-border bg-surface p-1">
          {tabs.map((tab) => (
            <li key={tab.state} className="flex-1">
              <Link
                href={tab.href}
                aria-current={tab.current ? 'page' : undefined}
                className={cn(
                  'flex min-h-11 items-center justify-center rounded-md px-3 font-medium text-sm',
                  tab.current ? 'bg-surface-2 text-accent' : 'text-muted hover:text-fg',
                )}
              >
                {t(`state.${tab.state}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <AlertFiltersForm
        state={params.state}
        severity={params.severity}
        vehicleId={params.vehicleId}
        vehicles={vehicles.map((vehicle) => ({ id: vehicle.id, label: vehicle.label }))}
        labels={{
          severity: t('severity.label'),
          anySeverity: t('severity.any'),
          severities: {
            critical: t('severity.critical'),
            warning: t('severity.warning'),
            information: t('severity.information'),
          },
          vehicle: t('vehicle.label'),
          anyVehicle: t('vehicle.any'),
          apply: t('filter'),
          reset: t('resetFilters'),
        }}
        resetHref={alertPageHref({ state: params.state })}
      />

      <HydrationBoundary state={dehydrate(queryClient)}>
        {groups.length === 0 ? (
          <p className="rounded-xl border border-border bg-surface p-6 text-center text-muted text-sm">
            {t(`empty.${params.state}`)}
          </p>
        ) : (
          groups.map((group) => (
            <section
              key={group.severity}
              aria-labelledby={`alerts-${group.severity}`}
              className="flex flex-col gap-3"
            >
              <div>
                <h2 id={`alerts-${group.severity}`} className="font-semibold text-lg">
                  {t(`severity.${group.severity}`)}{' '}
                  <span className="font-normal text-muted text-sm">
                    ({t('count', { count: group.alerts.length })})
                  </span>
                </h2>
                <p className="text-muted text-xs">{t(`severityHint.${group.severity}`)}</p>
              </div>
              <ul className="flex flex-col gap-3">
                {group.alerts.map((alert) => (
                  <li key={alert.id}>
                    <AlertCard alert={alert} filters={filters} messages={alertMessages} />
                  </li>
                ))}
              </ul>
            </section>
          ))
        )}
      </HydrationBoundary>

      {page.nextCursor !== null && (
        <Link
          href={alertPageHref({ ...params, cursor: page.nextCursor })}
          className={buttonClasses('secondary', 'self-center')}
        >
          {t('older')}
        </Link>
      )}
    </div>
  );
}
