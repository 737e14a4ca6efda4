import { createHash } from 'node:crypto';
import type { RouteFamily, SimContext } from '../context';
import { sendJson } from '../http';
import type { SimOwner } from '../world/world';
import { sendV4Error, V4ApiError, V4GatewayError } from './errors';
import { type GatewayPass, passGateway } from './gateway';
import {
  apiBaseUrl,
  decodePageToken,
  HAL_CONTENT_TYPE,
  halCollection,
  type PageContext,
  type PageTokenKey,
  pageOf,
  parseIndexRange,
  parsePageSize,
  V4_BASE_PATH,
} from './hal';
import {
  parseCountry,
  parseVehicleExtensions,
  parseVinPrefix,
  singleParam,
  VEHICLE_EXTENSIONS,
  type VehicleExtension,
} from './params';
import { RateLimiter, type RateLimitOptions } from './rate-limiter';
import { ownerId, userResource, vehicleResource } from './resources';

// PSA Connected Car v4, first slice: `GET /user`, `GET /user/vehicles`, `GET /user/vehicles/{id}`
// behind the gateway checks. Every answer under /connectedcar/v4 is the API's own (HAL body,
// portal error or gateway error), never the simulator's generic error shape.

export type V4Options = { rateLimit?: RateLimitOptions };

type Call = {
  ctx: SimContext;
  url: URL;
  apiBase: string;
  pass: GatewayPass;
  owner: SimOwner;
};

type Handler = (call: Call, params: Record<string, string>) => unknown;

/** Read endpoints by path pattern; `{id}` is one path segment. */
const ROUTES: { segments: readonly string[]; handler: Handler }[] = [
  { segments: ['user'], handler: getUser },
  { segments: ['user', 'vehicles'], handler: listVehicles },
  { segments: ['user', 'vehicles', '{id}'], handler: getVehicle },
];

/** A v4 route family with its own rate limit counters (per simulator context). */
export function createV4Routes(options: V4Options = {}): RouteFamily {
  const limiters = new WeakMap<SimContext, RateLimiter>();
  const limiterFor = (ctx: SimContext) => {
    let limiter = limiters.get(ctx);
    if (!limiter) {
      limiter = new RateLimiter(options.rateLimit);
      limiters.set(ctx, limiter);
    }
    return limiter;
  };

  return async (ctx, request, response, url) => {
    const path = url.pathname;
    if (path !== V4_BASE_PATH && !path.startsWith(`${V4_BASE_PATH}/`)) return false;
    const headers: Record<string, string> = {};
    try {
      const pass = passGateway(ctx, request, url, limiterFor(ctx), headers);
      const route = matchRoute(path.slice(V4_BASE_PATH.length + 1).split('/'));
      if (!route) throw new V4ApiError('resourceNotFound', 'Target resource not found.');
      if (request.method !== 'GET') {
        // A body we will not read must still be drained for the connection to be reused.
        request.resume();
        throw new V4ApiError('methodNotAllowed', 'Only GET is allowed here.', { allow: 'GET' });
      }
      const owner = ctx.world.ownerAt(pass.grant.ownerIndex);
      const body = route.handler({ ctx, url, apiBase: apiBaseUrl(request), pass, owner }, route.params);
      sendJson(response, 200, body, { 'content-type': HAL_CONTENT_TYPE, ...headers });
    } catch (error) {
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

type MatchedRoute = { handler: Handler; params: Record<string, string> };

function matchRoute(segments: readonly string[]): MatchedRoute | null {
  for (const route of ROUTES) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = route.segments.every((expected, index) => {
      const actual = segments[index] ?? '';
      if (expected !== '{id}') return actual === expected;
      params.id = actual;
      return actual !== '';
    });
    if (matches) return { handler: route.handler, params };
  }
  return null;
}

/** A percent-decoded path parameter; malformed encoding is the caller's 400. */
function pathParam(params: Record<string, string>, name: string): string {
  try {
    return decodeURIComponent(params[name] ?? '');
  } catch {
    throw new V4ApiError('invalidPathParameter', `Invalid path parameter ${name}.`);
  }
}

// --- Handlers -----------------------------------------------------------------------------------

function getUser({ ctx, url, apiBase, owner }: Call) {
  parseCountry(url);
  return userResource(ctx, apiBase, owner);
}

function pageTokenKey(ctx: SimContext, call: Call, collectionPath: string): PageTokenKey {
  return {
    secret: createHash('sha256').update(`kinetic-sim|v4-page-token|${ctx.world.seed}`).digest('hex'),
    binding: `${ownerId(ctx.world.seed, call.owner.index)}|${call.pass.client.clientId}|${collectionPath}`,
  };
}

function listVehicles(call: Call) {
  const { ctx, url, apiBase, owner } = call;
  // Every parameter is validated even when a pageToken carries the context that is used.
  parseCountry(url);
  const range = parseIndexRange(singleParam(url, 'indexRange'));
  const pageSize = parsePageSize(singleParam(url, 'pageSize'));
  const vinPrefix = parseVinPrefix(url);
  const extensions = parseVehicleExtensions(url);
  const pageToken = singleParam(url, 'pageToken');
  const key = pageTokenKey(ctx, call, '/user/vehicles');

  const context: PageContext =
    pageToken !== undefined
      ? decodePageToken(pageToken, key)
      : {
          page: 1,
          pageSize,
          range,
          filters: { ...(vinPrefix ? { vinPrefix: [vinPrefix] } : {}), extension: extensions },
        };
  const prefix = context.filters.vinPrefix?.[0];
  const tokenExtensions = (context.filters.extension ?? []).filter((value): value is VehicleExtension =>
    (VEHICLE_EXTENSIONS as readonly string[]).includes(value),
  );

  const vehicles = owner.vehicles.filter((vehicle) => !prefix || vehicle.vin.startsWith(prefix));
  // Observed: an account without (matching) vehicles is a 404 "No vehicule found", not an empty list.
  if (vehicles.length === 0) throw new V4ApiError('noVehicleFound', 'No vehicule found');
  const page = pageOf(vehicles, context);
  if (!page) throw new V4ApiError('noDataForContext', 'No data availble for such context.');
  return halCollection({
    name: 'vehicles',
    page,
    collectionUrl: `${apiBase}/user/vehicles`,
    context,
    key,
    render: (vehicle) => vehicleResource(ctx, apiBase, vehicle, tokenExtensions),
  });
}

function getVehicle({ ctx, url, apiBase, owner }: Call, params: Record<string, string>) {
  parseCountry(url);
  const extensions = parseVehicleExtensions(url);
  const id = pathParam(params, 'id');
  // Another owner's car and a car that does not exist get the same 403: the real API answers
  // "no access" for wrong ids (§3.4), and a different answer would tell callers which ids exist.
  const vehicle = owner.vehicles.find((candidate) => candidate.id === id);
  if (!vehicle) throw new V4ApiError('noAccessToVehicle', 'User has no access to this vehicle.');
  return vehicleResource(ctx, apiBase, vehicle, extensions);
}
