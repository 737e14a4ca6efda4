import { CalendarPlus, CircleAlert, CircleCheck, CircleHelp, Wrench } from 'lucide-react';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { maintenanceIcsUrl } from '@/lib/api-client/maintenance';
import { cn } from '@/lib/cn';
import { roughDuration } from '@/lib/maintenance/forecast';
import type { MaintenanceDto } from '@/lib/schemas/maintenance';
import { convertDistance, formatWithUnit } from '@/lib/units/convert';
import { METRIC_UNITS, type UnitPreferences } from '@/lib/units/preferences';

type ServiceCardProps = {
  maintenance: MaintenanceDto;
  units?: UnitPreferences;
  /** The clock the "reported … ago" text counts from (the page's request time). */
  now?: number;
  /** Heading level: h2 on its own page, h3 inside the glance's grid. */
  headingLevel?: 'h2' | 'h3';
  /** Hide the calendar link (e.g. on a compact glance card). */
  showCalendarLink?: boolean;
};

const STATUS_ICON = { ok: CircleCheck, overdue: CircleAlert, unknown: CircleHelp } as const;

/**
 * The service card: days and distance left, the forecast sentence ("at your pace: about 6 weeks,
 * distance will come first"), the overdue and unknown states, and the calendar link. A Server
 * Component; the glance reuses it with the same DTO.
 */
export async function ServiceCard({
  maintenance,
  units = METRIC_UNITS,
  now = Date.now(),
  headingLevel = 'h2',
  showCalendarLink = true,
}: ServiceCardProps) {
  const [t, format, locale] = await Promise.all([
    getTranslations('maintenance'),
    getFormatter(),
    getLocale(),
  ]);
  const { report, forecast } = maintenance;
  const distance = (km: number) => {
    const converted = convertDistance(Math.abs(km), units.speed);
    return formatWithUnit(
      converted.value === null ? null : Math.round(converted.value),
      converted.unit,
      locale,
    );
  };
  const duration = (days: number) => {
    const rough = roughDuration(days);
    return t('duration', { unit: rough.unit, count: rough.count });
  };

  const days = forecast.daysBeforeServiceNow;
  const km = forecast.kmBeforeServiceNow;
  const daysText =
    days === null
      ? t('card.notReported')
      : days < 0
        ? t('card.daysOverdue', { days: Math.ceil(-days) })
        : t('card.days', { days: Math.floor(days) });
  const kmText =
    km === null
      ? t('card.notReported')
      : km < 0
        ? t('card.distanceOverdue', { distance: distance(km) })
        : distance(km);

  let sentence: string;
  if (forecast.status === 'unknown') {
    sentence = report === null ? t('card.unknown') : t('card.unknownDate');
  } else if (forecast.status === 'overdue') {
    const ago = -(forecast.daysLeft ?? 0);
    sentence =
      roughDuration(ago).count === 0
        ? t('card.overdueNow')
        : t('card.overdue', { limit: forecast.firstLimit ?? 'time', duration: duration(ago) });
  } else if (forecast.paceKmPerDay === null && forecast.firstLimit === 'time') {
    sentence = t('card.timeOnly', { duration: duration(forecast.daysLeft ?? 0) });
  } else if (roughDuration(forecast.daysLeft ?? 0).count === 0) {
    sentence = t('card.forecastToday', { limit: forecast.firstLimit ?? 'time' });
  } else {
    sentence = t('card.forecast', {
      duration: duration(forecast.daysLeft ?? 0),
      limit: forecast.firstLimit ?? 'time',
    });
  }

  const statusLabel = {
    ok: t('card.statusOk'),
    overdue: t('card.statusOverdue'),
    unknown: t('card.statusUnknown'),
  }[forecast.status];
  const StatusIcon = STATUS_ICON[forecast.status];
  const icsHref = maintenanceIcsUrl(maintenance.vehicleId);

  return (
    <Card aria-labelledby={`service-${maintenance.vehicleId}`} className="flex flex-col gap-4">
      <div className="flex items-start justify-between gap-3">
        <div className="flex items-center gap-2" id={`service-${maintenance.vehicleId}`}>
          <Wrench aria-hidden="true" className="size-5 text-muted" />
          <CardTitle as={headingLevel}>{t('card.title')}</CardTitle>
        </div>
        {/* Text and icon, never colour alone. */}
        <span
          className={cn(
            'inline-flex items-center gap-1 rounded-full border px-2 py-0.5 font-medium text-xs',
            forecast.status === 'overdue' ? 'border-danger/40 text-danger' : 'border-border text-muted',
            forecast.status === 'ok' && 'text-ok',
          )}
        >
          <StatusIcon aria-hidden="true" className="size-3.5" />
          {statusLabel}
        </span>
      </div>

      <dl className="grid grid-cols-2 gap-3">
        <div className="rounded-lg bg-surface-2 p-3">
          <dt className="text-muted text-xs">{t('card.timeLeft')}</dt>
          <dd
            className={cn('font-semibold text-lg tabular-nums', days !== null && days < 0 && 'text-danger')}
          >
            {daysText}
          </dd>
        </div>
        <div className="rounded-lg bg-surface-2 p-3">
          <dt className="text-muted text-xs">{t('card.distanceLeft')}</dt>
          <dd className={cn('font-semibold text-lg tabular-nums', km !== null && km < 0 && 'text-danger')}>
            {kmText}
          </dd>
        </div>
      </dl>

      <p className="text-fg text-sm" data-testid="service-forecast">
        {sentence}
      </p>

      {(forecast.dueAt !== null || forecast.paceKmPerDay !== null || report !== null) && (
        <ul className="flex flex-col gap-1 text-muted text-xs">
          {forecast.dueAt !== null && forecast.status === 'ok' && (
            <li>
              {t('card.dueAround', {
                date: format.dateTime(new Date(forecast.dueAt), { dateStyle: 'long' }),
              })}
            </li>
          )}
          {forecast.paceKmPerDay !== null && (
            <li>{t('card.pace', { distance: distance(forecast.paceKmPerDay) })}</li>
          )}
          {report !== null && (
            <li>{t('card.reported', { ago: format.relativeTime(new Date(report.at), new Date(now)) })}</li>
          )}
        </ul>
      )}

      {showCalendarLink && forecast.dueAt !== null && (
        <a
          href={icsHref}
          download
          aria-label={t('card.addToCalendarLabel', { vehicle: maintenance.vehicleLabel })}
          className={buttonClasses('secondary', 'self-start')}
        >
          <CalendarPlus aria-hidden="true" className="size-4" />
          {t('card.addToCalendar')}
        </a>
      )}
    </Card>
  );
}
