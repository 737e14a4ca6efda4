import { TriangleAlert } from 'lucide-react';
import type { GlanceSync } from '@/lib/schemas/glance';
import type { GlanceContext } from './glance-context';
import { shortDateTime } from './glance-context';
import { GlanceNotice } from './glance-notice';

/**
 * "Not updated since …": shown above the cards while fetching the car from its maker fails (the
 * service down, rate-limited, access revoked). The cards still show the last values received, each
 * with its own time; this says they are not being refreshed.
 */
export function SyncStaleBanner({ ctx, sync }: { ctx: GlanceContext; sync: GlanceSync }) {
  if (sync.staleSince === null) return null;
  return (
    <GlanceNotice
      icon={TriangleAlert}
      testId="glance-sync-stale"
      title={ctx.t('syncStale.title', { date: shortDateTime(ctx, sync.staleSince) })}
      text={
        sync.rateLimitedUntil === null
          ? ctx.t('syncStale.text')
          : ctx.t('syncStale.rateLimited', {
              time: ctx.format.dateTime(sync.rateLimitedUntil, { hour: '2-digit', minute: '2-digit' }),
            })
      }
    />
  );
}
