import 'server-only';
import { NextResponse } from 'next/server';
import { ZodError, type z } from 'zod';
import { type CurrentUser, requireApiUser } from './auth';
import { isDatabaseUnavailable } from './db/errors';
import { AppError, type ErrorCode, errorBody } from './errors';
import { ownerRateLimiter } from './http/owner-rate-limit';
import { refuseCrossSite } from './http/same-origin';
import { singleValuedParams } from './single-valued-params';

// Route handlers stay thin: this wrapper authenticates, parses, calls lib and turns every failure
// into `{ error: { code, message } }` with the right status. Nothing else ever reaches the client,
// so no stack trace or internal message can leak.

export const MAX_JSON_BODY_BYTES = 256 * 1024;

const NO_STORE = { 'Cache-Control': 'private, no-store' };

export function jsonResponse(
  body: unknown,
  init: { status?: number; headers?: HeadersInit } = {},
): NextResponse {
  return NextResponse.json(body, {
    status: init.status ?? 200,
    headers: { ...NO_STORE, ...Object.fromEntries(new Headers(init.headers)) },
  });
}

export function errorResponse(code: ErrorCode, message?: string, retryAfterS?: number): NextResponse {
  const error = new AppError(code, message);
  const headers: Record<string, string> = {};
  if (retryAfterS !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterS)));
  return jsonResponse(errorBody(code, error.message), { status: error.status, headers });
}

function describeZodError(error: ZodError): string {
  const first = error.issues[0];
  if (!first) return 'The request is not valid.';
  const where = first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  return `${where}${first.message}`;
}

/** What a client is told while the database is unreachable (PostgreSQL restarting, say). */
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is not answering. Try again in a moment.';
const DATABASE_RETRY_AFTER_S = 5;

export function toErrorResponse(error: unknown): NextResponse {
  if (error instanceof AppError) return errorResponse(error.code, error.message, error.retryAfterS);
  if (error instanceof ZodError) return errorResponse('bad_request', describeZodError(error));
  // Not a bug of ours and not for good: a 503 with Retry-After tells clients (and a load
  // balancer) to come back, where a 500 would say something is broken. One line in the log, no
  // stack: a restart of PostgreSQL fails every request in flight at once.
  if (isDatabaseUnavailable(error)) {
    console.error(`[api] database unavailable: ${(error as Error).message}`);
    return errorResponse('unavailable', DATABASE_UNAVAILABLE_MESSAGE, DATABASE_RETRY_AFTER_S);
  }
  console.error('[api] unhandled error', error);
  return errorResponse('internal');
}

type RouteContext<P> = { params: Promise<P> };
type Handler<P, C> = (request: Request, ctx: C & { params: P }) => Promise<Response | unknown>;

function toResponse(result: Response | unknown): Response {
  return result instanceof Response ? result : jsonResponse(result);
}

/** A public route: validated, error-mapped, never cached; writes from other sites refused (AC-07). */
export function withRoute<P = Record<string, never>>(handler: Handler<P, object>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      refuseCrossSite(request);
      return toResponse(await handler(request, { params: await context.params }));
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** What a signed-in owner sees past their request budget (lib/http/owner-rate-limit.ts). */
export const OWNER_RATE_LIMITED_MESSAGE =
  'Too many requests from your account in a short time. Try again in a few seconds.';

/**
 * A route for the signed-in owner only: anonymous requests get a 401 before the handler runs, and
 * each request spends `cost` units of the owner's budget (1, or EXPENSIVE for reads that scan
 * samples, trips or rankings); past it, a 429 with Retry-After before the handler runs.
 */
export function withAuth<P = Record<string, never>>(
  handler: Handler<P, { user: CurrentUser }>,
  options: { cost?: number } = {},
) {
  return withRoute<P>(async (request, ctx) => {
    const user = await requireApiUser();
    const waitS = ownerRateLimiter.spend(user.userId, options.cost ?? 1);
    if (waitS !== null)
      throw new AppError('rate_limited', OWNER_RATE_LIMITED_MESSAGE, { retryAfterS: waitS });
    return handler(request, { ...ctx, user });
  });
}

/** Parses route params or a query string with a schema; a mismatch is a 400. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  return schema.parse(value);
}

/** Query string as an object, refusing repeated keys (`?a=1&a=2` is ambiguous, so it is a 400). */
export function searchParamsOf(request: Request): Record<string, string> {
  const result = singleValuedParams(new URL(request.url).searchParams);
  if (result.repeated !== null)
    throw new AppError('bad_request', `${result.repeated}: give this parameter only once.`);
  return result.params;
}

/**
 * Reads a JSON body with a size cap before parsing: wrong content type 415, too large 413,
 * malformed JSON 400, schema mismatch 400.
 */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) throw new AppError('unsupported_media_type');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_JSON_BODY_BYTES) throw new AppError('payload_too_large');
  const text = await readLimitedText(request, MAX_JSON_BODY_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
  return schema.parse(value);
}

/** A request body as text, refused with 413 past `maxBytes` (counted as it streams in). */
export async function readLimitedText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new AppError('payload_too_large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
