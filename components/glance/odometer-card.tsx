import { Gauge } from 'lucide-react';
import type { NumberReading } from '@/lib/schemas/glance';
import { convertDistance, formatWithUnit } from '@/lib/units/convert';
import { BigValue, GlanceCard, NoValue } from './glance-card';
import { freshnessText, type GlanceContext } from './glance-context';

export function OdometerCard({ ctx, reading }: { ctx: GlanceContext; reading: NumberReading }) {
  const distance = convertDistance(reading.value, ctx.units.speed);
  return (
    <GlanceCard
      title={ctx.t('odometer.title')}
      icon={Gauge}
      testId="glance-odometer"
      availability={reading.availability}
      footer={freshnessText(ctx, reading.availability, reading.measuredAt, ctx.t('metric.odometer'))}
    >
      {distance.value === null ? (
        <NoValue />
      ) : (
        // Whole kilometres or miles: an odometer's tenths are noise at a glance.
        <BigValue>{formatWithUnit(Math.round(distance.value), distance.unit, ctx.locale)}</BigValue>
      )}
    </GlanceCard>
  );
}
