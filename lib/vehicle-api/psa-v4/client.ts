import 'server-only';
import type { z } from 'zod';
import type { UpstreamHttp, UpstreamResponse } from '../http/upstream';
import {
  type PsaV4Alert,
  type PsaV4Maintenance,
  type PsaV4Position,
  type PsaV4Status,
  type PsaV4Telemetry,
  type PsaV4Trip,
  type PsaV4Vehicle,
  psaV4AlertsSchema,
  psaV4ErrorBodySchema,
  psaV4MaintenanceSchema,
  psaV4PositionSchema,
  psaV4StatusSchema,
  psaV4TelemetriesSchema,
  psaV4TripsSchema,
  psaV4VehiclesSchema,
  psaV4WayPointsSchema,
} from './schema';
import type { TokenManager } from './tokens';

// A thin PSA Connected Car v4 client (vehicle-apis.md §3–§4): every call carries the bearer token,
// `x-introspect-realm` and `client_id`; every answer is parsed with Kinetic's own schemas; a 404
// "no data for such context" (40499 — what the API answers for an empty collection or a car with
// nothing to report) is an empty result, not an error. Collections follow the HAL `next` link, and
// only when it points back into the same API: the bearer token never leaves for another host.

/** Telemetry pages may hold up to 2000 messages (`pageSizeHighFrequency`); other collections 60. */
export const TELEMETRY_MAX_PAGE_SIZE = 2000;
export const COLLECTION_MAX_PAGE_SIZE = 60;
/** 3 digits of HTTP status + 2 of the API: no data for such context (vehicle-apis.md §3.4). */
export const NO_DATA_CODE = 40499;
/** The gateway's wording for a wrong application id (not a token problem: refreshing cannot help). */
const INVALID_CLIENT_TEXT = 'Invalid client id or secret.';
/** 401s in a row within one call before giving up; the token manager normally decides first. */
const MAX_UNAUTHORIZED_PER_CALL = 3;

const HAL = 'application/hal+json';
const GEOJSON = 'application/vnd.geo+json';

/** The API answered with an error we do not turn into data. Never carries tokens or query strings. */
export class PsaV4ApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly code: number | null,
    message: string,
  ) {
    super(`PSA v4 ${path}: ${status}${code === null ? '' : ` (${code})`} ${message}`);
    this.name = 'PsaV4ApiError';
  }
}

/** The answer did not match the spec's schema: untrusted input refused whole, with where it failed. */
export class PsaV4SchemaError extends Error {
  constructor(
    readonly path: string,
    readonly issues: string,
  ) {
    super(`PSA v4 ${path}: unexpected answer (${issues})`);
    this.name = 'PsaV4SchemaError';
  }
}

export type PsaV4ClientOptions = {
  /** e.g. `https://api.groupe-psa.com/connectedcar/v4`. */
  baseUrl: string;
  clientId: string;
  /** `clientsB2CPeugeot`, … */
  realm: string;
  tokens: TokenManager;
  http: UpstreamHttp;
};

export type Collected<T> = {
  items: T[];
  /** False when `maxPages` stopped the walk before the last page. */
  complete: boolean;
};

export type WindowQuery = {
  /** `timestamps` ranges (`T1/T2`, `T/`, …), 1 to 10. */
  timestamps?: string[];
  maxPages?: number;
};

export type TelemetryQuery = WindowQuery & {
  /** TelemetryEnum 4.17 values; all blocks when absent. */
  types?: string[];
  extensions?: ('location' | 'maintenance')[];
  pageSize?: number;
};

const DEFAULT_MAX_PAGES = 20;

type Query = Record<string, string | readonly string[] | undefined>;

/** Where a zod error failed, paths only: values may be personal data. */
function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

export function createPsaV4Client(options: PsaV4ClientOptions) {
  const base = new URL(options.baseUrl.replace(/\/+$/, ''));
  const basePath = base.pathname;

  function urlOf(path: string, query: Query = {}): URL {
    const url = new URL(`${base.origin}${basePath}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const item of typeof value === 'string' ? [value] : value) url.searchParams.append(name, item);
    }
    url.searchParams.set('client_id', options.clientId);
    return url;
  }

  /** A HAL link of this API, or null for anything pointing elsewhere. */
  function linkUrl(href: string): URL | null {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return null;
    }
    if (url.origin !== base.origin || !`${url.pathname}/`.startsWith(`${basePath}/`)) return null;
    url.searchParams.set('client_id', options.clientId);
    return url;
  }

  async function send(url: URL, accept: string): Promise<UpstreamResponse> {
    let token = await options.tokens.accessToken();
    for (let refusals = 0; ; refusals++) {
      const response = await options.http.request({
        url: url.toString(),
        headers: { accept, authorization: `Bearer ${token}`, 'x-introspect-realm': options.realm },
      });
      if (response.status !== 401) {
        if (response.status < 500) options.tokens.accepted(token);
        return response;
      }
      const body = psaV4ErrorBodySchema.safeParse(response.body);
      if (
        body.success &&
        'moreInformation' in body.data &&
        body.data.moreInformation === INVALID_CLIENT_TEXT
      ) {
        throw new PsaV4ApiError(401, url.pathname, null, 'the application id was refused');
      }
      // A backstop only: the token manager decides when the account needs re-authorisation.
      if (refusals + 1 >= MAX_UNAUTHORIZED_PER_CALL) {
        throw new PsaV4ApiError(401, url.pathname, null, 'the tokens keep being refused');
      }
      token = await options.tokens.rejected(token);
    }
  }

  /** GET and parse; null for "no data" (404 40499). */
  async function get<S extends z.ZodType>(url: URL, schema: S, accept = HAL): Promise<z.infer<S> | null> {
    const response = await send(url, accept);
    const path = url.pathname;
    if (response.status >= 200 && response.status < 300) {
      const parsed = schema.safeParse(response.body);
      if (!parsed.success) throw new PsaV4SchemaError(path, issuesOf(parsed.error));
      return parsed.data;
    }
    const error = psaV4ErrorBodySchema.safeParse(response.body);
    const code =
      error.success && 'code' in error.data && typeof error.data.code === 'number' ? error.data.code : null;
    if (response.status === 404 && code === NO_DATA_CODE) return null;
    const message = error.success && 'message' in error.data ? (error.data.message ?? '') : '';
    throw new PsaV4ApiError(response.status, path, code, message);
  }

  /** Walks a collection through its `next` links, at most `maxPages` pages. */
  async function collect<T>(
    first: URL,
    read: (url: URL) => Promise<{ items: T[]; next?: string } | null>,
    maxPages = DEFAULT_MAX_PAGES,
  ): Promise<Collected<T>> {
    const items: T[] = [];
    let url: URL | null = first;
    for (let pages = 0; url; pages++) {
      if (pages >= maxPages) return { items, complete: false };
      const page = await read(url);
      if (!page) break;
      items.push(...page.items);
      if (page.next === undefined) break;
      const next = linkUrl(page.next);
      if (!next) throw new PsaV4SchemaError(url.pathname, '_links.next points outside the API');
      url = next;
    }
    return { items, complete: true };
  }

  const vehiclePath = (vehicleId: string) => `/user/vehicles/${encodeURIComponent(vehicleId)}`;
  const pageSize = (size: number | undefined, max: number) =>
    String(Math.max(1, Math.min(max, Math.floor(size ?? max))));

  return {
    /** Every car of the account (`GET /user/vehicles`). */
    async listVehicles(): Promise<PsaV4Vehicle[]> {
      const url = urlOf('/user/vehicles', { pageSize: String(COLLECTION_MAX_PAGE_SIZE) });
      const result = await collect(url, async (page) => {
        const body = await get(page, psaV4VehiclesSchema);
        return body && { items: body._embedded.vehicles ?? [], next: body._links.next?.href };
      });
      return result.items;
    },

    status(vehicleId: string): Promise<PsaV4Status | null> {
      return get(urlOf(`${vehiclePath(vehicleId)}/status`), psaV4StatusSchema);
    },

    lastPosition(vehicleId: string): Promise<PsaV4Position | null> {
      return get(urlOf(`${vehiclePath(vehicleId)}/lastPosition`), psaV4PositionSchema, GEOJSON);
    },

    maintenance(vehicleId: string): Promise<PsaV4Maintenance | null> {
      return get(urlOf(`${vehiclePath(vehicleId)}/maintenance`), psaV4MaintenanceSchema);
    },

    telemetry(vehicleId: string, query: TelemetryQuery = {}): Promise<Collected<PsaV4Telemetry>> {
      const url = urlOf(`${vehiclePath(vehicleId)}/telemetry`, {
        timestamps: query.timestamps,
        type: query.types,
        extension: query.extensions,
        pageSize: pageSize(query.pageSize, TELEMETRY_MAX_PAGE_SIZE),
      });
      return collect(
        url,
        async (page) => {
          const body = await get(page, psaV4TelemetriesSchema);
          return body && { items: body._embedded.telemetries ?? [], next: body._links.next?.href };
        },
        query.maxPages,
      );
    },

    trips(vehicleId: string, query: WindowQuery = {}): Promise<Collected<PsaV4Trip>> {
      const url = urlOf(`${vehiclePath(vehicleId)}/trips`, {
        timestamps: query.timestamps,
        pageSize: String(COLLECTION_MAX_PAGE_SIZE),
      });
      return collect(
        url,
        async (page) => {
          const body = await get(page, psaV4TripsSchema);
          return body && { items: body._embedded.trips ?? [], next: body._links.next?.href };
        },
        query.maxPages,
      );
    },

    wayPoints(vehicleId: string, tripId: string, query: WindowQuery = {}): Promise<Collected<PsaV4Position>> {
      const url = urlOf(`${vehiclePath(vehicleId)}/trips/${encodeURIComponent(tripId)}/wayPoints`, {
        timestamps: query.timestamps,
      });
      return collect(
        url,
        async (page) => {
          const body = await get(page, psaV4WayPointsSchema);
          return body && { items: body._embedded.positions, next: body._links.next?.href };
        },
        query.maxPages,
      );
    },

    alerts(vehicleId: string, query: WindowQuery = {}): Promise<Collected<PsaV4Alert>> {
      const url = urlOf(`${vehiclePath(vehicleId)}/alerts`, {
        timestamps: query.timestamps,
        pageSize: String(COLLECTION_MAX_PAGE_SIZE),
      });
      return collect(
        url,
        async (page) => {
          const body = await get(page, psaV4AlertsSchema);
          return body && { items: body._embedded.alerts ?? [], next: body._links.next?.href };
        },
        query.maxPages,
      );
    },
  };
}

export type PsaV4Client = ReturnType<typeof createPsaV4Client>;
