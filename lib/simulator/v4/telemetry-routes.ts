import { maintenanceAt } from '../fleet/maintenance';
import type { SimVehicle } from '../world/world';
import { pinnedAt, pinnedWindow, rangesAt } from './collection-window';
import { V4ApiError } from './errors';
import {
  type Call,
  type Filters,
  hasScope,
  ownedVehicle,
  pagedCollection,
  pathParam,
  requireScopes,
  type V4Route,
} from './route-types';
import {
  TELEMETRY_EXTENSIONS,
  TELEMETRY_TYPES,
  type TelemetryItem,
  telemetryRenderer,
  telemetrySeconds,
  tripsForRanges,
} from './telemetry-resources';
import type { TimeRange } from './timestamps';
import { tripPrivacy, visibleTrip } from './trip-resources';

// getTelemetry and getTelemetryForTrip (spec 4.17, vehicle-apis.md §4.1, §5.5): one message per
// second driven, pages of up to 2000 (pageSizeHighFrequency). Like the trip collections, the
// instant described is pinned in the page token (`at`).

const MAX_TELEMETRY_PAGE_SIZE = 2000;
/**
 * The vehicle's telemetry without `timestamps` covers the last 24 h before now. The spec is silent;
 * the whole 30-day history would be 100,000+ messages for a daily commuter.
 */
const DEFAULT_WINDOW_MS = 24 * 3_600_000;

const invalid = (name: string, expected: readonly string[]) =>
  new V4ApiError('invalidParameter', `Invalid query parameter ${name}: expected ${expected.join(', ')}.`);

/**
 * An enum array parameter: repeated (`type=a&type=b`, the spec's exploded form) or comma-separated
 * (older generated clients); 1..max distinct values.
 */
function enumValues(url: URL, name: string, allowed: readonly string[], max: number): string[] {
  const values: string[] = [];
  for (const value of url.searchParams.getAll(name).flatMap((text) => text.split(','))) {
    if (!allowed.includes(value)) throw invalid(name, allowed);
    if (!values.includes(value)) values.push(value);
  }
  if (values.length > max) {
    throw new V4ApiError('invalidParameter', `Invalid query parameter ${name}: at most ${max} values.`);
  }
  return values;
}

function telemetryFilters(call: Call, url: URL): Filters {
  return {
    ...pinnedWindow(call),
    type: enumValues(url, 'type', TELEMETRY_TYPES, TELEMETRY_TYPES.length),
    extension: enumValues(url, 'extension', TELEMETRY_EXTENSIONS, TELEMETRY_EXTENSIONS.length),
  };
}

function renderer(call: Call, vehicle: SimVehicle, filters: Filters) {
  return telemetryRenderer({
    apiBase: call.apiBase,
    vehicle,
    timeline: call.ctx.fleet.timelineOf(vehicle),
    seed: call.ctx.world.seed,
    types: filters.type ?? [],
    location: (filters.extension ?? []).includes('location') && hasScope(call, 'data:position'),
    maintenanceAt: (filters.extension ?? []).includes('maintenance')
      ? (ms) => maintenanceAt(call.ctx, vehicle, ms)
      : null,
    atMs: pinnedAt(filters),
  });
}

/**
 * pagedCollection renders item by item with the page's filters; one renderer per request shares
 * each trip's facts (trace, start mileage) across the page.
 */
function memoRender(call: Call, vehicle: SimVehicle) {
  let render: ((item: TelemetryItem) => unknown) | null = null;
  return (item: TelemetryItem, filters: Filters) => {
    render ??= renderer(call, vehicle, filters);
    return render(item);
  };
}

function vehicleTelemetry(call: Call, params: Record<string, string>) {
  requireScopes(call, 'data:telemetry');
  const vehicle = ownedVehicle(call, params);
  const { ctx } = call;
  return pagedCollection(call, {
    name: 'telemetries',
    collectionPath: `/user/vehicles/${vehicle.id}/telemetry`,
    maxPageSize: MAX_TELEMETRY_PAGE_SIZE,
    readFilters: (url) => telemetryFilters(call, url),
    items: (filters) => {
      const atMs = pinnedAt(filters);
      const ranges: TimeRange[] = rangesAt(filters.timestamps, atMs) ?? [
        { fromMs: atMs - DEFAULT_WINDOW_MS, toMs: atMs + 1 },
      ];
      if (ranges.length === 0) return [];
      // Full privacy: the car shares no driving data, so those trips send no telemetry.
      const trips = tripsForRanges(ctx, vehicle, ranges, atMs).filter(
        (trip) => tripPrivacy(ctx.world.seed, vehicle, trip) !== 'Full',
      );
      return telemetrySeconds(trips, ranges, atMs);
    },
    render: memoRender(call, vehicle),
  });
}

function tripTelemetry(call: Call, params: Record<string, string>) {
  requireScopes(call, 'data:trip');
  const vehicle = ownedVehicle(call, params);
  const tripId = pathParam(params, 'tid');
  const { ctx } = call;
  return pagedCollection(call, {
    name: 'telemetries',
    collectionPath: `/user/vehicles/${vehicle.id}/trips/${encodeURIComponent(tripId)}/telemetry`,
    maxPageSize: MAX_TELEMETRY_PAGE_SIZE,
    readFilters: (url) => telemetryFilters(call, url),
    items: (filters) => {
      const atMs = pinnedAt(filters);
      const trip = visibleTrip(ctx, vehicle, tripId, atMs);
      if (tripPrivacy(ctx.world.seed, vehicle, trip) === 'Full') return [];
      // Without `timestamps`, the whole trip (up to now while it is pending).
      const ranges = rangesAt(filters.timestamps, atMs) ?? [{ fromMs: trip.startMs, toMs: atMs + 1 }];
      return telemetrySeconds([trip], ranges, atMs);
    },
    render: memoRender(call, vehicle),
  });
}

export const telemetryRoutes: readonly V4Route[] = [
  { path: 'user/vehicles/{id}/telemetry', handler: vehicleTelemetry },
  { path: 'user/vehicles/{id}/trips/{tid}/telemetry', handler: tripTelemetry },
];
