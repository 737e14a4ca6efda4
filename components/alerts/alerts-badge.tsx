'use client';

import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { alertsSummaryQueryOptions } from '@/lib/api-client/alerts';

/**
 * The navigation's count of active critical and warning alerts not yet acknowledged. Renders
 * nothing until the summary arrives and when there is nothing to say. The number is for the eye;
 * screen readers get the sentence. Needs the `alerts.badge` message (AlertsNavBadge provides it).
 */
export function AlertsBadge() {
  const t = useTranslations('alerts');
  const { data } = useQuery(alertsSummaryQueryOptions());
  const count = data?.attention ?? 0;
  if (count === 0) return null;
  const critical = (data?.active.critical ?? 0) > 0;
  return (
    <span
      data-testid="alerts-badge"
      className={
        critical
          ? 'ml-auto inline-flex min-w-5 items-center justify-center rounded-full bg-danger px-1.5 font-semibold text-[0.7rem] text-white leading-5'
          : 'ml-auto inline-flex min-w-5 items-center justify-center rounded-full bg-accent px-1.5 font-semibold text-[0.7rem] text-accent-fg leading-5'
      }
    >
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="sr-only">{t('badge', { count })}</span>
    </span>
  );
}
