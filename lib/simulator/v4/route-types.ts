import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context';
import { staleShiftMs } from '../faults/stale';
import type { SimOwner, SimVehicle } from '../world/world';
import { V4ApiError } from './errors';
import type { GatewayPass } from './gateway';
import {
  decodePageToken,
  halCollection,
  type ListLike,
  type PageContext,
  type PageTokenKey,
  pageOf,
  parseIndexRange,
  parsePageSize,
} from './hal';
import { singleParam } from './params';
import { ownerId } from './resources';

// What every v4 read handler gets, and the helpers they share: the caller's own car from a path
// id, scope checks, and paged HAL collections.

export type Call = {
  ctx: SimContext;
  request: IncomingMessage;
  url: URL;
  /** `http://<host>/connectedcar/v4`: where absolute hrefs start. */
  apiBase: string;
  pass: GatewayPass;
  owner: SimOwner;
  /**
   * The instant the answer describes: the simulated now, or earlier when the `stale` fault holds
   * the car's data back. Handlers read the clock only through this.
   */
  now: number;
  /** The parsed JSON body of a POST or PUT (`{}` when empty); undefined for GET and DELETE. */
  body: unknown;
};

/** The methods v4 routes answer: reads, and the writes of callbacks and monitors (§4.2). */
export type V4Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * An answer other than 200 with a body: the 202 of a write, the 204 of a delete (no body). A
 * handler returning anything else answers 200 with it.
 */
export class V4Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}

export type Handler = (call: Call, params: Record<string, string>) => unknown;

export type V4Route = {
  /** GET unless said otherwise. */
  method?: V4Method;
  /** Path under /connectedcar/v4 with `{name}` parameters, each one path segment. */
  path: string;
  handler: Handler;
  /** application/hal+json unless said otherwise (lastPosition is GeoJSON). */
  contentType?: string;
};

export function makeCall(
  ctx: SimContext,
  request: IncomingMessage,
  url: URL,
  apiBase: string,
  pass: GatewayPass,
  body?: unknown,
): Call {
  return {
    ctx,
    request,
    url,
    apiBase,
    pass,
    owner: ctx.world.ownerAt(pass.grant.ownerIndex),
    now: ctx.clock.now() - staleShiftMs(request),
    body,
  };
}

/** A percent-decoded path parameter; malformed encoding is the caller's 400. */
export function pathParam(params: Record<string, string>, name: string): string {
  try {
    return decodeURIComponent(params[name] ?? '');
  } catch {
    throw new V4ApiError('invalidPathParameter', `Invalid path parameter ${name}.`);
  }
}

/**
 * The caller's car named by the `{id}` path parameter. Another owner's car and a car that does not
 * exist get the same 403: the real API answers "no access" for wrong ids (§3.4), and a different
 * answer would tell callers which ids exist.
 */
export function ownedVehicle(call: Call, params: Record<string, string>): SimVehicle {
  const id = pathParam(params, 'id');
  const vehicle = call.owner.vehicles.find((candidate) => candidate.id === id);
  if (!vehicle) throw new V4ApiError('noAccessToVehicle', 'User has no access to this vehicle.');
  return vehicle;
}

/** Whether the token was granted `scope` (the spec's optional scopes shape what an answer holds). */
export function hasScope(call: Call, scope: string): boolean {
  return call.pass.grant.scopes.includes(scope);
}

/** The spec's required scopes of an operation: without one, 403. [infer: the real code is unpublished] */
export function requireScopes(call: Call, ...scopes: string[]): void {
  const missing = scopes.filter((scope) => !hasScope(call, scope));
  if (missing.length > 0) {
    throw new V4ApiError('missingScope', `The access token lacks the scope ${missing.join(', ')}.`);
  }
}

/** `href` of a path under the API base, e.g. `/user/vehicles/{id}/trips`. */
export const hrefOf = (call: Call, path: string) => `${call.apiBase}${path}`;

export function pageTokenKey(call: Call, collectionPath: string): PageTokenKey {
  return {
    secret: createHash('sha256').update(`kinetic-sim|v4-page-token|${call.ctx.world.seed}`).digest('hex'),
    binding: `${ownerId(call.ctx.world.seed, call.owner.index)}|${call.pass.client.clientId}|${collectionPath}`,
  };
}

export type Filters = Record<string, string[]>;

/**
 * A paged HAL collection: validates `indexRange`, `pageSize` and the collection's own filters on
 * every call, then serves the page a `pageToken` names (its stored filters, so page 2 shows the
 * same window as page 1 even while the clock moves) or the first page of the query's filters.
 * An empty result, or a page past the end, is the API's 404 "No data availble for such context."
 */
export function pagedCollection<T>(
  call: Call,
  options: {
    /** `_embedded` key, exact case (`trips`, `alerts`, `Collisions`, `telemetries`…). */
    name: string;
    /** Path under the API base, e.g. `/user/vehicles/{id}/trips` with the id filled in. */
    collectionPath: string;
    /** 60 by default; high-frequency telemetry allows 2000. */
    maxPageSize?: number;
    /** Reads and validates the collection's filters from the query (resolving relative times). */
    readFilters: (url: URL) => Filters;
    /** The whole result for a set of filters (an array, or a lazy list of the same shape). */
    items: (filters: Filters) => ListLike<T>;
    /** Renders one item; `filters` are the page's own (from its token on later pages). */
    render: (item: T, filters: Filters) => unknown;
  },
) {
  const { url } = call;
  const range = parseIndexRange(singleParam(url, 'indexRange'));
  const pageSize = parsePageSize(singleParam(url, 'pageSize'), options.maxPageSize);
  const filters = options.readFilters(url);
  const pageToken = singleParam(url, 'pageToken');
  const key = pageTokenKey(call, options.collectionPath);
  const context: PageContext =
    pageToken !== undefined ? decodePageToken(pageToken, key) : { page: 1, pageSize, range, filters };
  const page = pageOf(options.items(context.filters), context);
  if (!page) throw new V4ApiError('noDataForContext', 'No data availble for such context.');
  return halCollection({
    name: options.name,
    page,
    collectionUrl: hrefOf(call, options.collectionPath),
    context,
    key,
    render: (item) => options.render(item, context.filters),
  });
}
