import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { V4ApiError } from './errors';

// HAL conventions of PSA Connected Car v4 (vehicle-apis.md §3.2, §3.3): absolute hrefs, RFC 3339
// UTC timestamps, and collections paged by `indexRange`, `pageSize` and an opaque `pageToken`.
// Observed hrefs carry no client_id and collection links carry nothing but the pageToken, which is
// why the token holds the whole paging context (the spec: it "acts as an HTTP COOKIE").

export const V4_BASE_PATH = '/connectedcar/v4';
export const HAL_CONTENT_TYPE = 'application/hal+json';
export const MAX_PAGE_SIZE = 60;

export type HalLink = { href: string };

const HOST_PATTERN = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * `http://<Host>/connectedcar/v4`, so that links work for whoever called (127.0.0.1 in tests, a
 * container name in compose). A missing or malformed Host falls back to the socket's own address
 * rather than reflecting arbitrary text into every href.
 */
export function apiBaseUrl(request: IncomingMessage): string {
  const host = request.headers.host;
  if (host && host.length <= 255 && HOST_PATTERN.test(host)) return `http://${host}${V4_BASE_PATH}`;
  const address = request.socket.localAddress ?? '127.0.0.1';
  const hostPart = address.includes(':') ? `[${address}]` : address;
  return `http://${hostPart}:${request.socket.localPort ?? 80}${V4_BASE_PATH}`;
}

export function link(href: string): HalLink {
  return { href };
}

/** RFC 3339 in UTC without fractions, as the API writes it: `2021-04-01T16:17:01Z`. */
export function rfc3339(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// --- Collection parameters -------------------------------------------------------------------

export type IndexRange = { start: number; end: number | null };

/** `indexRange` `\d+-\d*` (default `0-`): `0-9` is the first ten results, `5-` from the sixth on. */
export function parseIndexRange(value: string | undefined): IndexRange {
  if (value === undefined) return { start: 0, end: null };
  const match = /^(\d{1,15})-(\d{0,15})$/.exec(value);
  const start = Number(match?.[1]);
  const end = match?.[2] ? Number(match[2]) : null;
  if (
    !match ||
    !Number.isSafeInteger(start) ||
    (end !== null && (!Number.isSafeInteger(end) || end < start))
  ) {
    throw new V4ApiError(
      'invalidParameter',
      'Invalid query parameter indexRange: expected "<start>-<end>" with end >= start, e.g. "0-9" or "5-".',
    );
  }
  return { start, end };
}

/** `pageSize` 1..max (60 by default; high-frequency telemetry allows 2000), default 60. */
export function parsePageSize(value: string | undefined, max = MAX_PAGE_SIZE): number {
  if (value === undefined) return Math.min(MAX_PAGE_SIZE, max);
  const size = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(size >= 1 && size <= max)) {
    throw new V4ApiError(
      'invalidParameter',
      `Invalid query parameter pageSize: expected an integer from 1 to ${max}.`,
    );
  }
  return size;
}

// --- Page tokens -------------------------------------------------------------------------------

export type PageContext = {
  /** 1-based page within the range. */
  page: number;
  pageSize: number;
  range: IndexRange;
  /** The collection's own filters (vinPrefix, extension, …), replayed on every page. */
  filters: Record<string, string[]>;
};

const MAX_TOKEN_LENGTH = 2048;
const CHECK_LENGTH = 32;

const tokenPayloadSchema = z
  .object({
    v: z.literal(1),
    p: z.number().int().min(1).max(1_000_000),
    s: z.number().int().min(1).max(2000),
    r: z.tuple([z.number().int().min(0), z.number().int().min(0).nullable()]),
    f: z.record(z.string().max(64), z.array(z.string().max(256)).max(16)),
  })
  .strict();

export type PageTokenKey = {
  /** Secret of this simulator instance (derived from the world seed). */
  secret: string;
  /** What the token is valid for: owner, client and collection path. */
  binding: string;
};

function checkOf(key: PageTokenKey, payload: string): string {
  return createHmac('sha256', key.secret)
    .update(`${key.binding}\n${payload}`)
    .digest('hex')
    .slice(0, CHECK_LENGTH);
}

/** Hex check followed by base64url JSON, the same two-part look as the real tokens. */
export function encodePageToken(context: PageContext, key: PageTokenKey): string {
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      p: context.page,
      s: context.pageSize,
      r: [context.range.start, context.range.end],
      f: context.filters,
    }),
  ).toString('base64url');
  return `${checkOf(key, payload)}${payload}`;
}

/** The context of a token this server made for the same owner, client and collection; else 400. */
export function decodePageToken(token: string, key: PageTokenKey): PageContext {
  const invalid = new V4ApiError('invalidPageToken', 'Invalid query parameter pageToken.');
  if (token.length > MAX_TOKEN_LENGTH || !/^[0-9a-f]{32}[A-Za-z0-9_-]+$/.test(token)) throw invalid;
  const check = Buffer.from(token.slice(0, CHECK_LENGTH));
  const payload = token.slice(CHECK_LENGTH);
  if (!timingSafeEqual(check, Buffer.from(checkOf(key, payload)))) throw invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const parsed = tokenPayloadSchema.safeParse(decoded);
  if (!parsed.success) throw invalid;
  const [start, end] = parsed.data.r;
  return {
    page: parsed.data.p,
    pageSize: parsed.data.s,
    range: { start, end },
    filters: parsed.data.f,
  };
}

// --- Collection envelope ------------------------------------------------------------------------

export type Page<T> = { items: T[]; total: number; totalPage: number; currentPage: number };

/** An array, or a lazy list that renders only the slice asked for (telemetry's seconds). */
export type ListLike<T> = { readonly length: number; slice(start: number, end: number): readonly T[] };

/**
 * The page of `all` that a context asks for, or null when it lies past the results (the range
 * starts after the last result, or the page after the last page).
 */
export function pageOf<T>(all: ListLike<T>, context: PageContext): Page<T> | null {
  const { start, end } = context.range;
  if (start >= all.length) return null;
  const windowEnd = end === null ? all.length : Math.min(all.length, end + 1);
  const total = windowEnd - start;
  const totalPage = Math.max(1, Math.ceil(total / context.pageSize));
  if (context.page > totalPage) return null;
  const from = start + (context.page - 1) * context.pageSize;
  return {
    items: [...all.slice(from, Math.min(windowEnd, from + context.pageSize))],
    total,
    totalPage,
    currentPage: context.page,
  };
}

/** `{ _links: {self, first, prev?, next?, last}, total, totalPage, currentPage, _embedded: {<name>: […]} }`. */
export function halCollection<T>(options: {
  name: string;
  page: Page<T>;
  /** Absolute URL of the collection, without query. */
  collectionUrl: string;
  context: PageContext;
  key: PageTokenKey;
  render: (item: T) => unknown;
}) {
  const { name, page, collectionUrl, context, key, render } = options;
  const linkTo = (pageNumber: number) =>
    link(`${collectionUrl}?pageToken=${encodePageToken({ ...context, page: pageNumber }, key)}`);
  return {
    _links: {
      self: linkTo(page.currentPage),
      first: linkTo(1),
      ...(page.currentPage > 1 ? { prev: linkTo(page.currentPage - 1) } : {}),
      ...(page.currentPage < page.totalPage ? { next: linkTo(page.currentPage + 1) } : {}),
      last: linkTo(page.totalPage),
    },
    total: page.total,
    totalPage: page.totalPage,
    currentPage: page.currentPage,
    _embedded: { [name]: page.items.map(render) },
  };
}
