import type { RouteFamily } from '../context';
import { staleShiftMs } from '../faults/stale';
import { sendJson } from '../http';
import { limiterPerContext, type RateLimitOptions } from '../v4/rate-limiter';
import type { SimVehicle } from '../world/world';
import { alertingRoutes } from './alerting/routes';
import { ecodrivingRoutes } from './ecodriving/routes';
import { passV1Gateway, sendV1Error, V1_BASE_PATH, V1Error } from './gateway';
import { maintenanceBody } from './maintenance';
import { readPresentation } from './params';
import { compileV1Routes, listRoute, type V1Call, type V1Route, vehicleRoute } from './route-table';
import { telemetryRoutes } from './telemetry/routes';
import { tripRoutes } from './trips/routes';

// PSA Connected Car v1 ("Connected Car Development" 1.0.5) under /dev/connectedcar/v1: the
// gateway (client_id and its rate limits), then one route per operation of the spec. Telemetry,
// trips, maintenance and alerting, and eco-driving evaluation each live in their own module.

const maintenanceRoutes: readonly V1Route[] = [
  vehicleRoute('GET', '/maintenance/{vin}', maintenance),
  listRoute('/maintenance/list', maintenance),
];

function maintenance(call: V1Call, vehicle: SimVehicle) {
  return maintenanceBody(call.ctx, vehicle, readPresentation(call.url), call.nowMs);
}

/** Every operation served, for the router and for tests that walk them all. */
export const V1_ROUTES: readonly V1Route[] = [
  ...telemetryRoutes,
  ...tripRoutes,
  ...maintenanceRoutes,
  ...alertingRoutes,
  ...ecodrivingRoutes,
];

const ROUTES = compileV1Routes(V1_ROUTES);

export type V1Options = { rateLimit?: RateLimitOptions };

/** A v1 route family with its own rate limit counters (per simulator context). */
export function createV1Routes(options: V1Options = {}): RouteFamily {
  const limiterFor = limiterPerContext(options.rateLimit);
  return async (ctx, request, response, url) => {
    const path = url.pathname;
    if (path !== V1_BASE_PATH && !path.startsWith(`${V1_BASE_PATH}/`)) return false;
    const headers: Record<string, string> = {};
    try {
      const client = passV1Gateway(ctx, url, limiterFor(ctx), headers);
      const found = ROUTES.match(request.method ?? 'GET', path.slice(V1_BASE_PATH.length));
      if (!found) throw new V1Error(404, 'Resource not found.');
      if ('allow' in found) {
        request.resume();
        throw new V1Error(405, `Only ${found.allow.join(', ')} allowed here.`, {
          allow: found.allow.join(', '),
        });
      }
      if (found.route.method !== 'POST') request.resume();
      const nowMs = ctx.clock.now() - staleShiftMs(request);
      const body = await found.route.handle({ ctx, client, url, request, params: found.params, nowMs });
      sendJson(response, 200, body ?? {}, headers);
    } catch (error) {
      // A refused call's body may be unread (a bad key or query on a POST): drain it, or the
      // connection could not carry the client's next request.
      request.resume();
      if (error instanceof V1Error) {
        sendV1Error(response, error, headers);
      } else {
        console.error('[simulator] v1 route failed', error);
        sendV1Error(response, new V1Error(500, 'Internal error.'), headers);
      }
    }
    return true;
  };
}

export const v1Routes: RouteFamily = createV1Routes();
