import 'server-only';
import type { z } from 'zod';
import type { ResilientHttp } from '../http/resilient';
import type { UpstreamMethod, UpstreamResponse } from '../http/upstream';
import { NO_DATA_CODE, PsaV4ApiError, PsaV4SchemaError } from './client';
import {
  type PsaV4CallbackRef,
  type PsaV4CallbackSubscribe,
  type PsaV4Monitor,
  type PsaV4MonitorParameter,
  type PsaV4MonitorRef,
  type PsaV4UserCallback,
  psaV4CallbackRefSchema,
  psaV4CallbackSubscribeSchema,
  psaV4ErrorBodySchema,
  psaV4MonitorParameterSchema,
  psaV4MonitorRefSchema,
  psaV4MonitorsSchema,
  psaV4UserCallbacksSchema,
} from './schema';
import type { TokenManager } from './tokens';

// The PSA v4 push channel's calls Kinetic makes (spec 4.17 tags Subscribe and Monitors;
// vehicle-apis.md §4.2): list, create, re-subscribe and delete callbacks, list and create a car's
// monitors. Same rules as the polling client (lib/vehicle-api/psa-v4/client.ts): bearer token,
// `x-introspect-realm`, `client_id`; bodies checked with Kinetic's own schemas before they leave
// and answers parsed with them; a 401 is handed to the token manager (refresh once, then
// "re-authorisation needed"). A 404 "no data for such context" on a list is an empty list.

const HAL = 'application/hal+json';
/** Collections are paged; 60 is the API's largest page (COLLECTION_MAX_PAGE_SIZE). */
const PAGE_SIZE = '60';
/** A user has a handful of callbacks and a car at most 5 monitors: a few pages at most. */
const MAX_PAGES = 10;
/** 401s in a row within one call before giving up; the token manager normally decides first. */
const MAX_UNAUTHORIZED_PER_CALL = 3;

export type PsaV4CallbacksClientOptions = {
  baseUrl: string;
  clientId: string;
  realm: string;
  tokens: TokenManager;
  http: ResilientHttp;
};

export type PsaV4CallbacksClient = {
  listCallbacks(): Promise<PsaV4UserCallback[]>;
  createCallback(subscribe: PsaV4CallbackSubscribe): Promise<PsaV4CallbackRef>;
  /** PUT: replaces the subscription (a new secret) and keeps the callback's id and monitors. */
  updateCallback(callbackId: string, subscribe: PsaV4CallbackSubscribe): Promise<PsaV4CallbackRef>;
  /** DELETE (its monitors go with it). Answers false when the callback was already gone (404). */
  deleteCallback(callbackId: string): Promise<boolean>;
  listMonitors(vehicleId: string, callbackId: string): Promise<PsaV4Monitor[]>;
  createMonitor(
    vehicleId: string,
    callbackId: string,
    monitor: PsaV4MonitorParameter,
  ): Promise<PsaV4MonitorRef>;
};

type Answer = { status: number; body: unknown; path: string };

function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

export function createPsaV4CallbacksClient(options: PsaV4CallbacksClientOptions): PsaV4CallbacksClient {
  const base = new URL(options.baseUrl.replace(/\/+$/, ''));

  const urlOf = (path: string, query: Record<string, string> = {}) => {
    const url = new URL(`${base.origin}${base.pathname}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('client_id', options.clientId);
    return url;
  };

  /** A HAL `next` link, followed only inside this API (the bearer token never leaves it). */
  const nextUrl = (href: string | undefined): URL | null => {
    if (href === undefined) return null;
    const url = new URL(href, base);
    if (url.origin !== base.origin || !`${url.pathname}/`.startsWith(`${base.pathname}/`)) return null;
    url.searchParams.set('client_id', options.clientId);
    return url;
  };

  async function send(method: UpstreamMethod, url: URL, body?: unknown): Promise<Answer> {
    let token = await options.tokens.accessToken();
    for (let refusals = 0; ; refusals++) {
      const response: UpstreamResponse = await options.http.request({
        url: url.toString(),
        method,
        headers: {
          accept: HAL,
          authorization: `Bearer ${token}`,
          'x-introspect-realm': options.realm,
        },
        ...(body === undefined ? {} : { body }),
      });
      if (response.status !== 401) {
        if (response.status < 500) options.tokens.accepted(token);
        return { status: response.status, body: response.body, path: url.pathname };
      }
      if (refusals + 1 >= MAX_UNAUTHORIZED_PER_CALL) {
        throw new PsaV4ApiError(401, url.pathname, null, 'the tokens keep being refused');
      }
      token = await options.tokens.rejected(token);
    }
  }

  function refusal(answer: Answer): PsaV4ApiError {
    const error = psaV4ErrorBodySchema.safeParse(answer.body);
    const code =
      error.success && 'code' in error.data && typeof error.data.code === 'number' ? error.data.code : null;
    const message = error.success && 'message' in error.data ? (error.data.message ?? '') : '';
    return new PsaV4ApiError(answer.status, answer.path, code, message);
  }

  function parse<S extends z.ZodType>(answer: Answer, schema: S): z.infer<S> {
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw new PsaV4SchemaError(answer.path, issuesOf(parsed.error));
    return parsed.data;
  }

  const ok = (answer: Answer) => answer.status >= 200 && answer.status < 300;
  const isNoData = (answer: Answer) => {
    if (answer.status !== 404) return false;
    const error = psaV4ErrorBodySchema.safeParse(answer.body);
    return error.success && 'code' in error.data && error.data.code === NO_DATA_CODE;
  };

  async function collect<T>(
    first: URL,
    read: (answer: Answer) => { items: T[]; next: string | undefined },
  ): Promise<T[]> {
    const items: T[] = [];
    let url: URL | null = first;
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const answer = await send('GET', url);
      if (isNoData(answer)) break;
      if (!ok(answer)) throw refusal(answer);
      const { items: found, next } = read(answer);
      items.push(...found);
      url = nextUrl(next);
    }
    return items;
  }

  const callbackPath = (callbackId: string) => `/user/callbacks/${encodeURIComponent(callbackId)}`;
  const monitorsPath = (vehicleId: string, callbackId: string) =>
    `/user/vehicles/${encodeURIComponent(vehicleId)}/callbacks/${encodeURIComponent(callbackId)}/monitors`;

  return {
    listCallbacks: () =>
      collect(urlOf('/user/callbacks', { pageSize: PAGE_SIZE }), (answer) => {
        const page = parse(answer, psaV4UserCallbacksSchema);
        return { items: page._embedded.callbacks ?? [], next: page._links.next?.href };
      }),

    async createCallback(subscribe) {
      const body = psaV4CallbackSubscribeSchema.parse(subscribe);
      // Not retried by the resilient layer once it may have reached PSA (a POST): a lost answer
      // leaves a callback Kinetic does not know, which the subscriber finds by its target next time.
      const answer = await send('POST', urlOf('/user/callbacks'), body);
      if (!ok(answer)) throw refusal(answer);
      return parse(answer, psaV4CallbackRefSchema);
    },

    async updateCallback(callbackId, subscribe) {
      const body = psaV4CallbackSubscribeSchema.parse(subscribe);
      const answer = await send('PUT', urlOf(callbackPath(callbackId)), body);
      if (!ok(answer)) throw refusal(answer);
      return parse(answer, psaV4CallbackRefSchema);
    },

    async deleteCallback(callbackId) {
      const answer = await send('DELETE', urlOf(callbackPath(callbackId)));
      if (answer.status === 404) return false;
      if (!ok(answer)) throw refusal(answer);
      return true;
    },

    listMonitors: (vehicleId, callbackId) =>
      collect(urlOf(monitorsPath(vehicleId, callbackId), { pageSize: PAGE_SIZE }), (answer) => {
        const page = parse(answer, psaV4MonitorsSchema);
        return { items: page._embedded.monitors ?? [], next: page._links.next?.href };
      }),

    async createMonitor(vehicleId, callbackId, monitor) {
      const body = psaV4MonitorParameterSchema.parse(monitor);
      const answer = await send('POST', urlOf(monitorsPath(vehicleId, callbackId)), body);
      if (!ok(answer)) throw refusal(answer);
      return parse(answer, psaV4MonitorRefSchema);
    },
  };
}
