import { CircleAlert, Info, TriangleAlert } from 'lucide-react';
import { getFormatter, getTranslations } from 'next-intl/server';
import { AcknowledgeButton } from '@/components/alerts/acknowledge-button';
import { alertTextOf } from '@/lib/alerts/catalogue';
import { cn } from '@/lib/cn';
import type { AlertDto, AlertFilters } from '@/lib/schemas/alerts';
import type { EnglishMessages } from '@/messages/en';

const SEVERITY_STYLE = {
  critical: { icon: CircleAlert, className: 'border-l-danger text-danger' },
  warning: { icon: TriangleAlert, className: 'border-l-accent text-accent' },
  information: { icon: Info, className: 'border-l-border text-muted' },
} as const;

type AlertCardProps = {
  alert: AlertDto;
  filters: AlertFilters;
  messages: EnglishMessages['alerts'];
};

/** One alert: what it is, what to do, when and where, and the Acknowledge control. */
export async function AlertCard({ alert, filters, messages }: AlertCardProps) {
  const [t, format] = await Promise.all([getTranslations('alerts'), getFormatter()]);
  const text = alertTextOf(alert.type, messages);
  const style = SEVERITY_STYLE[alert.severity];
  const Icon = style.icon;
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const coordinates = (value: number) =>
    format.number(value, { maximumFractionDigits: 5, minimumFractionDigits: 5 });

  return (
    <article
      aria-labelledby={`alert-${alert.id}`}
      data-testid="alert-card"
      className={cn(
        'flex flex-col gap-3 rounded-xl border border-border border-l-4 bg-surface p-4',
        style.className,
      )}
    >
      <div className="flex items-start gap-2">
        {/* The severity is in the section heading and here as an icon with a label: never colour alone. */}
        <Icon role="img" aria-label={t(`severity.${alert.severity}`)} className="mt-0.5 size-5 shrink-0" />
        <div className="flex min-w-0 flex-col gap-1">
          <h3 id={`alert-${alert.id}`} className="font-semibold text-base text-fg">
            {text.title}
          </h3>
          <p className="text-fg text-sm">{text.advice}</p>
        </div>
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted">{t('vehicleName')}</dt>
        <dd className="text-fg">{alert.vehicleLabel}</dd>
        <dt className="text-muted">{t('started')}</dt>
        <dd className="text-fg">
          <time dateTime={alert.startedAt}>{when(alert.startedAt)}</time>
        </dd>
        <dt className="text-muted">{t('ended')}</dt>
        <dd className="text-fg">
          {alert.endedAt === null ? (
            t('ongoing')
          ) : (
            <time dateTime={alert.endedAt}>{when(alert.endedAt)}</time>
          )}
        </dd>
        <dt className="text-muted">{t('where')}</dt>
        <dd className="text-fg tabular-nums">
          {alert.position === null
            ? t('noPosition')
            : t('position', {
                latitude: coordinates(alert.position.latitude),
                longitude: coordinates(alert.position.longitude),
              })}
        </dd>
      </dl>
      <AcknowledgeButton
        alertId={alert.id}
        filters={filters}
        initialAcknowledgedAt={alert.acknowledgedAt}
        labels={{
          acknowledge: t('acknowledge'),
          acknowledging: t('acknowledging'),
          acknowledged: t('acknowledged'),
          failed: t('acknowledgeFailed'),
          accessible: t('acknowledgeLabel', { title: text.title, vehicle: alert.vehicleLabel }),
        }}
      />
    </article>
  );
}
