import { CarFront, ParkingSquare } from 'lucide-react';
import type { GlanceActivity } from '@/lib/schemas/glance';
import { convertSpeed, formatWithUnit } from '@/lib/units/convert';
import { BigValue, GlanceCard } from './glance-card';
import { freshnessText, type GlanceContext, shortDateTime } from './glance-context';

/** Driving now (with the current speed) or parked since when. */
export function ActivityCard({ ctx, activity }: { ctx: GlanceContext; activity: GlanceActivity }) {
  const driving = activity.state === 'driving';
  const speed = convertSpeed(activity.speedKmh, ctx.units.speed);
  return (
    <GlanceCard
      title={ctx.t('activity.title')}
      icon={driving ? CarFront : ParkingSquare}
      testId="glance-activity"
      availability={activity.availability}
      footer={freshnessText(ctx, activity.availability, activity.measuredAt, ctx.t('metric.activity'))}
    >
      <BigValue>
        <span data-state={activity.state} data-testid="activity-state">
          {driving
            ? ctx.t('activity.driving')
            : activity.state === 'parked'
              ? ctx.t('activity.parked')
              : ctx.t('activity.unknown')}
        </span>
      </BigValue>
      {driving && speed.value !== null ? (
        <p className="text-sm tabular-nums">
          {ctx.t('activity.speed', { speed: formatWithUnit(speed.value, speed.unit, ctx.locale) })}
        </p>
      ) : null}
      {!driving && activity.since !== null ? (
        <p className="text-sm">
          {ctx.t('activity.parkedSince', { date: shortDateTime(ctx, activity.since) })}
        </p>
      ) : null}
    </GlanceCard>
  );
}
