import { TriangleAlert } from 'lucide-react';
import type { GlanceSync } from '@/lib/schemas/glance';
import type { GlanceContext } from './glance-context';
import { shortDateTime } from './glance-context';

/**
 * "Not updated since …": shown above the cards while fetching the car from its maker fails (the
 * service down, rate-limited, access revoked). The cards still show the last values received, each
 * with its own time; this says they are not being refreshed.
 */
export function SyncStaleBanner({ ctx, sync }: { ctx: GlanceContext; sync: GlanceSync }) {
  if (sync.staleSince === null) return null;
  return (
    <div
      role="status"
      className="flex items-start gap-3 rounded-xl border border-danger/40 bg-surface p-4 text-sm"
      data-testid="glance-sync-stale"
    >
      <TriangleAlert aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-danger" />
      <div>
        <p className="font-semibold">
          {ctx.t('syncStale.title', { date: shortDateTime(ctx, sync.staleSince) })}
        </p>
        <p className="text-muted">
          {sync.rateLimitedUntil === null
            ? ctx.t('syncStale.text')
            : ctx.t('syncStale.rateLimited', {
                time: ctx.format.dateTime(sync.rateLimitedUntil, { hour: '2-digit', minute: '2-digit' }),
              })}
        </p>
      </div>
    </div>
  );
}
