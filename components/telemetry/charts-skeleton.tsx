import { Skeleton } from '@/components/ui/skeleton';
import { chartHeight, TELEMETRY_CHART_METRICS } from '@/lib/telemetry-view/layout';

/**
 * The charts' exact footprint (caption lines and plot heights), shown while the chart code or the
 * first data loads, so nothing below moves when they arrive.
 */
export function ChartsSkeleton() {
  return (
    <div className="flex flex-col gap-3" aria-hidden="true">
      {TELEMETRY_CHART_METRICS.map((metric, index) => (
        <div key={metric} className="flex flex-col gap-1">
          <Skeleton className="h-5 w-32" />
          <div
            className="w-full animate-pulse rounded-lg bg-surface-2"
            style={{ height: chartHeight(index === TELEMETRY_CHART_METRICS.length - 1) }}
          />
        </div>
      ))}
    </div>
  );
}
