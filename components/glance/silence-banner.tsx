import { CloudOff } from 'lucide-react';
import type { GlanceSilence } from '@/lib/schemas/glance';
import type { GlanceContext } from './glance-context';
import { shortDateTime } from './glance-context';
import { GlanceNotice } from './glance-notice';

/** "Data stopped arriving": shown above the cards when the car is silent beyond its cadence. */
export function SilenceBanner({ ctx, silence }: { ctx: GlanceContext; silence: GlanceSilence }) {
  if (!silence.silent) return null;
  return (
    <GlanceNotice
      icon={CloudOff}
      testId="glance-silence"
      title={ctx.t('silence.title')}
      text={
        silence.lastMeasuredAt === null
          ? ctx.t('silence.never')
          : ctx.t('silence.since', { date: shortDateTime(ctx, silence.lastMeasuredAt) })
      }
    />
  );
}
