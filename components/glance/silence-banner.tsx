import { CloudOff } from 'lucide-react';
import type { GlanceSilence } from '@/lib/schemas/glance';
import type { GlanceContext } from './glance-context';
import { shortDateTime } from './glance-context';

/** "Data stopped arriving": shown above the cards when the car is silent beyond its cadence. */
export function SilenceBanner({ ctx, silence }: { ctx: GlanceContext; silence: GlanceSilence }) {
  if (!silence.silent) return null;
  return (
    <div
      role="status"
      className="flex items-start gap-3 rounded-xl border border-danger/40 bg-surface p-4 text-sm"
      data-testid="glance-silence"
    >
      <CloudOff aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-danger" />
      <div>
        <p className="font-semibold">{ctx.t('silence.title')}</p>
        <p className="text-muted">
          {silence.lastMeasuredAt === null
            ? ctx.t('silence.never')
            : ctx.t('silence.since', { date: shortDateTime(ctx, silence.lastMeasuredAt) })}
        </p>
      </div>
    </div>
  );
}
