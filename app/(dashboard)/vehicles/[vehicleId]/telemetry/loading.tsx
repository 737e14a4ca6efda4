import { ChartsSkeleton } from '@/components/telemetry/charts-skeleton';
import { Skeleton } from '@/components/ui/skeleton';

// The Charts page's shape while the server reads: title, range controls, then the charts' exact
// footprint, so the page does not jump when it arrives.
export default function TelemetryLoading() {
  return (
    <div className="flex flex-col gap-4" aria-busy="true">
      <span className="sr-only">Loading…</span>
      <div className="flex flex-col gap-1">
        <Skeleton className="h-8 w-40" />
        <Skeleton className="h-5 w-64" />
      </div>
      <Skeleton className="h-11 w-full" />
      <Skeleton className="h-11 w-full" />
      <Skeleton className="h-11 w-full" />
      <ChartsSkeleton />
    </div>
  );
}
