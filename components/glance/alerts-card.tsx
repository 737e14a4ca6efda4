import { Bell, CircleAlert, Info, OctagonAlert } from 'lucide-react';
import Link from 'next/link';
import type { GlanceAlerts } from '@/lib/schemas/glance';
import { GlanceCard } from './glance-card';
import type { GlanceContext } from './glance-context';

/** Active alerts counted by severity, each with its own icon and word (not colour alone). */
export function AlertsCard({ ctx, alerts }: { ctx: GlanceContext; alerts: GlanceAlerts }) {
  const total = alerts.critical + alerts.warning + alerts.information;
  const rows = [
    { key: 'critical', count: alerts.critical, icon: OctagonAlert, tone: 'text-danger' },
    { key: 'warning', count: alerts.warning, icon: CircleAlert, tone: 'text-fg' },
    { key: 'information', count: alerts.information, icon: Info, tone: 'text-muted' },
  ] as const;
  return (
    <GlanceCard title={ctx.t('alerts.title')} icon={Bell} testId="glance-alerts">
      {total === 0 ? (
        <p className="font-semibold text-ok text-lg" data-testid="alerts-none">
          {ctx.t('alerts.none')}
        </p>
      ) : (
        <ul className="flex flex-col gap-1">
          {rows
            .filter((row) => row.count > 0)
            .map(({ key, count, icon: Icon, tone }) => (
              <li
                key={key}
                className={`flex items-center gap-2 font-medium ${tone}`}
                data-testid={`alerts-${key}`}
              >
                <Icon aria-hidden="true" className="size-4 shrink-0" />
                {ctx.t(`alerts.${key}`, { count })}
              </li>
            ))}
        </ul>
      )}
      <Link
        href="/alerts"
        className="mt-auto inline-flex min-h-11 items-center text-accent text-sm underline-offset-4 hover:underline"
      >
        {ctx.t('alerts.link')}
      </Link>
    </GlanceCard>
  );
}
