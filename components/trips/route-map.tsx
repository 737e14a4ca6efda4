import type { TripRouteDto } from '@/lib/schemas/trips';

// The trip's route as inline SVG, projected and simplified on the server (lib/trips/route-geometry):
// no map tiles, nothing fetched. Start is a circle and end a square, so colour is never the only
// sign; the path scales with the box and its stroke stays the same width.

export function RouteMap({
  route,
  labels,
}: {
  route: TripRouteDto;
  labels: { title: string; none: string; start: string; end: string; points: string };
}) {
  if (!route.available)
    return (
      <p className="text-muted text-sm" data-testid="route-none">
        {labels.none}
      </p>
    );
  const marker = 7;
  return (
    <figure className="flex flex-col gap-2">
      <svg
        role="img"
        aria-labelledby="route-title"
        viewBox={route.viewBox}
        className="h-auto w-full max-w-xl rounded-lg border border-border bg-surface-2"
        data-testid="route-map"
      >
        <title id="route-title">{labels.title}</title>
        <path
          d={route.path}
          fill="none"
          className="stroke-accent"
          strokeWidth={3}
          strokeLinecap="round"
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
        />
        <circle
          cx={route.start.x}
          cy={route.start.y}
          r={marker}
          className="fill-ok stroke-surface"
          strokeWidth={2}
        >
          <title>{labels.start}</title>
        </circle>
        <rect
          x={route.end.x - marker}
          y={route.end.y - marker}
          width={marker * 2}
          height={marker * 2}
          className="fill-danger stroke-surface"
          strokeWidth={2}
        >
          <title>{labels.end}</title>
        </rect>
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 text-muted text-xs">
        <span className="inline-flex items-center gap-1">
          <svg aria-hidden="true" viewBox="0 0 10 10" className="size-3">
            <circle cx="5" cy="5" r="4" className="fill-ok" />
          </svg>
          {labels.start}
        </span>
        <span className="inline-flex items-center gap-1">
          <svg aria-hidden="true" viewBox="0 0 10 10" className="size-3">
            <rect x="1" y="1" width="8" height="8" className="fill-danger" />
          </svg>
          {labels.end}
        </span>
        <span>{labels.points}</span>
      </figcaption>
    </figure>
  );
}
