import { Wrench } from 'lucide-react';
import type { GlanceService } from '@/lib/schemas/glance';
import { convertDistance, formatWithUnit } from '@/lib/units/convert';
import { BigValue, GlanceCard, NoValue } from './glance-card';
import { freshnessText, type GlanceContext } from './glance-context';

/**
 * Days and distance before the next service as the car last counted them (negative: overdue), and
 * when it falls due at the owner's own pace (lib/maintenance/forecast.ts).
 */
export function ServiceCard({ ctx, service }: { ctx: GlanceContext; service: GlanceService }) {
  const { daysBeforeService: days, kmBeforeService: km } = service;
  const distance = convertDistance(km === null ? null : Math.abs(km), ctx.units.speed);
  const distanceText =
    distance.value === null ? null : formatWithUnit(Math.round(distance.value), distance.unit, ctx.locale);
  return (
    <GlanceCard
      title={ctx.t('service.title')}
      icon={Wrench}
      testId="glance-service"
      availability={service.availability}
      footer={freshnessText(ctx, service.availability, service.measuredAt, ctx.t('metric.service'))}
    >
      {days === null && km === null ? (
        <NoValue />
      ) : (
        <>
          {service.overdue ? (
            <p className="font-semibold text-danger text-sm" data-testid="service-overdue">
              {ctx.t('service.overdue')}
            </p>
          ) : null}
          {days !== null ? (
            <BigValue>
              {days < 0 ? ctx.t('service.overdueDays', { days: -days }) : ctx.t('service.inDays', { days })}
            </BigValue>
          ) : null}
          {distanceText !== null && km !== null ? (
            <p className={days === null ? 'font-semibold text-2xl tabular-nums' : 'text-sm tabular-nums'}>
              {km < 0
                ? ctx.t('service.overdueDistance', { distance: distanceText })
                : days !== null && days < 0
                  ? ctx.t('service.distanceLeft', { distance: distanceText })
                  : ctx.t('service.inDistance', { distance: distanceText })}
            </p>
          ) : null}
          {service.forecast?.status === 'ok' && service.forecast.dueAt !== null ? (
            <p className="text-muted text-sm" data-testid="service-forecast">
              {ctx.t(
                service.forecast.firstLimit === 'distance'
                  ? 'service.forecastDistance'
                  : 'service.forecastTime',
                {
                  date: ctx.format.dateTime(service.forecast.dueAt, { dateStyle: 'medium' }),
                },
              )}
            </p>
          ) : null}
        </>
      )}
    </GlanceCard>
  );
}
