import type { IncomingMessage } from 'node:http';
import type { RouteFamily } from '../context';
import { hostileVehicleName } from '../faults/hostile';
import { HttpError, readBodyText, sendJson } from '../http';
import { alertRoutes } from './alert-routes';
import { callbackRoutes } from './callbacks/routes';
import { collisionRoutes } from './collision-routes';
import { sendV4Error, V4ApiError, V4GatewayError } from './errors';
import { passGateway } from './gateway';
import { apiBaseUrl, HAL_CONTENT_TYPE, V4_BASE_PATH } from './hal';
import { maintenanceRoutes } from './maintenance-routes';
import {
  parseCountry,
  parseVehicleExtensions,
  parseVinPrefix,
  VEHICLE_EXTENSIONS,
  type VehicleExtension,
} from './params';
import { limiterPerContext, type RateLimitOptions } from './rate-limiter';
import { userResource, vehicleResource } from './resources';
import { type Call, makeCall, ownedVehicle, pagedCollection, V4Reply, type V4Route } from './route-types';
import { statusRoutes } from './status-routes';
import { telemetryRoutes } from './telemetry-routes';
import { tripRoutes } from './trip-routes';

// PSA Connected Car v4 endpoints behind the gateway checks: the account and its cars here, each
// car's data in the *-routes modules, and the push channel's callbacks and monitors (the only
// writes, §4.2) in callbacks/. Every answer under /connectedcar/v4 is the API's own (HAL body,
// portal error or gateway error), never the simulator's generic error shape.

export type V4Options = { rateLimit?: RateLimitOptions };

/** Every endpoint, by path pattern and method (GET unless said otherwise). */
const ROUTES: readonly V4Route[] = [
  { path: 'user', handler: getUser },
  { path: 'user/vehicles', handler: listVehicles },
  { path: 'user/vehicles/{id}', handler: getVehicle },
  ...statusRoutes,
  ...telemetryRoutes,
  ...tripRoutes,
  ...maintenanceRoutes,
  ...alertRoutes,
  ...collisionRoutes,
  ...callbackRoutes,
];
const COMPILED = ROUTES.map((route) => ({ route, segments: route.path.split('/') }));

/** A v4 route family with its own rate limit counters (per simulator context). */
export function createV4Routes(options: V4Options = {}): RouteFamily {
  const limiterFor = limiterPerContext(options.rateLimit);

  return async (ctx, request, response, url) => {
    const path = url.pathname;
    if (path !== V4_BASE_PATH && !path.startsWith(`${V4_BASE_PATH}/`)) return false;
    const headers: Record<string, string> = {};
    try {
      const pass = passGateway(ctx, request, url, limiterFor(ctx), headers);
      const candidates = matchRoutes(path.slice(V4_BASE_PATH.length + 1).split('/'));
      if (candidates.length === 0) throw new V4ApiError('resourceNotFound', 'Target resource not found.');
      const route = candidates.find((candidate) => (candidate.route.method ?? 'GET') === request.method);
      if (!route) {
        const allow = candidates.map((candidate) => candidate.route.method ?? 'GET').join(', ');
        throw new V4ApiError('methodNotAllowed', `Only ${allow} allowed here.`, { allow });
      }
      const body = await readBody(request);
      const call = makeCall(ctx, request, url, apiBaseUrl(request), pass, body);
      const result = await route.route.handler(call, route.params);
      const contentType = route.route.contentType ?? HAL_CONTENT_TYPE;
      if (!(result instanceof V4Reply)) {
        sendJson(response, 200, result, { 'content-type': contentType, ...headers });
      } else if (result.body === undefined) {
        response.writeHead(result.status, { 'cache-control': 'no-store', ...headers });
        response.end();
      } else {
        sendJson(response, result.status, result.body, { 'content-type': contentType, ...headers });
      }
    } catch (error) {
      // A body we did not read must still be drained for the connection to be reused.
      if (!request.readableEnded) request.resume();
      if (error instanceof V4ApiError || error instanceof V4GatewayError) {
        sendV4Error(response, error, ctx.clock.now(), headers);
      } else {
        console.error('[simulator] v4 route failed', error);
        sendV4Error(response, new V4ApiError('internal', 'Internal error.'), ctx.clock.now(), headers);
      }
    }
    return true;
  };
}

/** The v4 family with the documented default limits (100,000 calls a day, 100 a second). */
export const v4Routes: RouteFamily = createV4Routes();

/**
 * The JSON body of a POST or PUT (`{}` when empty, as the callback writes accept no empty body
 * anyway); GET and DELETE bodies are drained unread. Refusals are the API's 400 (413 past the size
 * limit), so that every
 * answer under /connectedcar/v4 stays in its own shape.
 */
async function readBody(request: IncomingMessage): Promise<unknown> {
  if (request.method !== 'POST' && request.method !== 'PUT') {
    request.resume();
    return undefined;
  }
  let text: string;
  try {
    text = await readBodyText(request);
  } catch (error) {
    if (error instanceof HttpError) {
      throw new V4ApiError(error.status === 413 ? 'payloadTooLarge' : 'invalidParameter', error.message);
    }
    throw error;
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new V4ApiError('invalidParameter', 'The request body is not valid JSON.');
  }
}

type MatchedRoute = { route: V4Route; params: Record<string, string> };

/** Every route (one per method) of the first path pattern the segments match. */
function matchRoutes(segments: readonly string[]): MatchedRoute[] {
  const matched: MatchedRoute[] = [];
  for (const { route, segments: expected } of COMPILED) {
    if (matched.length > 0 && route.path !== matched[0]?.route.path) continue;
    if (expected.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = expected.every((part, index) => {
      const actual = segments[index] ?? '';
      if (!part.startsWith('{')) return actual === part;
      params[part.slice(1, -1)] = actual;
      return actual !== '';
    });
    if (matches) matched.push({ route, params });
  }
  return matched;
}

// --- Handlers -----------------------------------------------------------------------------------

function getUser({ ctx, url, apiBase, owner }: Call) {
  parseCountry(url);
  return userResource(ctx, apiBase, owner);
}

function listVehicles(call: Call) {
  parseCountry(call.url);
  return pagedCollection(call, {
    name: 'vehicles',
    collectionPath: '/user/vehicles',
    readFilters: (url) => {
      const vinPrefix = parseVinPrefix(url);
      return { ...(vinPrefix ? { vinPrefix: [vinPrefix] } : {}), extension: parseVehicleExtensions(url) };
    },
    items: (filters) => {
      const prefix = filters.vinPrefix?.[0];
      const vehicles = call.owner.vehicles.filter((vehicle) => !prefix || vehicle.vin.startsWith(prefix));
      // Observed: an account without (matching) vehicles is a 404 "No vehicule found", not an empty list.
      if (vehicles.length === 0) throw new V4ApiError('noVehicleFound', 'No vehicule found');
      return vehicles;
    },
    render: (vehicle, filters) => {
      const extensions = (filters.extension ?? []).filter((value): value is VehicleExtension =>
        (VEHICLE_EXTENSIONS as readonly string[]).includes(value),
      );
      return vehicleResource(call.ctx, call.apiBase, vehicle, extensions, hostileVehicleName(call.request));
    },
  });
}

function getVehicle(call: Call, params: Record<string, string>) {
  parseCountry(call.url);
  const extensions = parseVehicleExtensions(call.url);
  return vehicleResource(
    call.ctx,
    call.apiBase,
    ownedVehicle(call, params),
    extensions,
    hostileVehicleName(call.request),
  );
}
