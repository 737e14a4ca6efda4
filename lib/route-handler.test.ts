import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, DEFAULT_MESSAGES } from './errors';
import { EXPENSIVE, OWNER_BUDGET } from './http/owner-rate-limit';

// lib/auth builds next-auth at import, and next-auth 5.0.0-beta.32 cannot load in plain Node: its
// ESM file `next-auth/lib/env.js` imports "next/server" without an extension, and `next` has no
// "exports" map, so Node's ESM resolver refuses it (ERR_MODULE_NOT_FOUND; Next's bundler resolves
// it, Node does not). Only requireApiUser is replaced here; everything else is the real module.
const { requireApiUser } = vi.hoisted(() => ({ requireApiUser: vi.fn() }));
vi.mock('@/lib/auth', () => ({ requireApiUser }));

const {
  errorResponse,
  jsonResponse,
  MAX_JSON_BODY_BYTES,
  parseWith,
  readJson,
  searchParamsOf,
  toErrorResponse,
  OWNER_RATE_LIMITED_MESSAGE,
  withAuth,
  withRoute,
} = await import('./route-handler');

const URL_BASE = 'http://localhost/api/test';
const bodySchema = z.object({ label: z.string().min(1), count: z.number().int() });

function post(
  body: BodyInit | null,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return new Request(URL_BASE, { method: 'POST', headers, body });
}

/** A body streamed in chunks, so the request has no content-length header. */
function streamed(totalBytes: number, chunkBytes = 16 * 1024): Request {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) {
        controller.close();
        return;
      }
      const size = Math.min(chunkBytes, totalBytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
  return new Request(URL_BASE, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function expectAppError(promise: Promise<unknown>, code: string, status: number) {
  const error = await caught(promise);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).status).toBe(status);
  return error as AppError;
}

afterEach(() => {
  vi.restoreAllMocks();
  requireApiUser.mockReset();
});

describe('readJson', () => {
  it('parses a valid body with the schema', async () => {
    await expect(readJson(post('{"label":"Fabia","count":2}'), bodySchema)).resolves.toEqual({
      label: 'Fabia',
      count: 2,
    });
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/merge-patch+json',
  ])('accepts content type %s', async (contentType) => {
    const request = post('{"label":"a","count":1}', { 'content-type': contentType });
    await expect(readJson(request, bodySchema)).resolves.toEqual({ label: 'a', count: 1 });
  });

  it('turns malformed JSON into a 400 bad_request', async () => {
    const error = await expectAppError(
      readJson(post('{"label": "unterminated'), bodySchema),
      'bad_request',
      400,
    );
    expect(error.message).toBe('The request body is not valid JSON.');
    await expectAppError(readJson(post(''), bodySchema), 'bad_request', 400);
  });

  it.each([
    ['text/plain'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    ['application/jsonp'],
    ['text/json'],
  ])('refuses content type %s with 415', async (contentType) => {
    await expectAppError(
      readJson(post('{"label":"a","count":1}', { 'content-type': contentType }), bodySchema),
      'unsupported_media_type',
      415,
    );
  });

  it('refuses a body without a content type with 415', async () => {
    await expectAppError(
      readJson(post('{"label":"a","count":1}', {}), bodySchema),
      'unsupported_media_type',
      415,
    );
  });

  it('refuses a body over 256 KiB declared by content-length without reading it', async () => {
    const big = `"${'x'.repeat(MAX_JSON_BODY_BYTES)}"`;
    const request = post(big, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(big)),
    });
    expect(request.headers.get('content-length')).toBe(String(MAX_JSON_BODY_BYTES + 2));
    await expectAppError(readJson(request, z.string()), 'payload_too_large', 413);
    expect(request.bodyUsed).toBe(false);
  });

  it('refuses a body over 256 KiB that has no content-length', async () => {
    const request = streamed(MAX_JSON_BODY_BYTES + 1);
    expect(request.headers.get('content-length')).toBeNull();
    await expectAppError(readJson(request, z.unknown()), 'payload_too_large', 413);
  });

  it('refuses an oversized body whose content-length understates it', async () => {
    const big = `"${'x'.repeat(MAX_JSON_BODY_BYTES + 10)}"`;
    const request = post(big, { 'content-type': 'application/json', 'content-length': '10' });
    await expectAppError(readJson(request, z.string()), 'payload_too_large', 413);
  });

  it('accepts a body of exactly 256 KiB', async () => {
    const exact = `"${'x'.repeat(MAX_JSON_BODY_BYTES - 2)}"`;
    expect(Buffer.byteLength(exact)).toBe(MAX_JSON_BODY_BYTES);
    await expect(readJson(post(exact), z.string())).resolves.toHaveLength(MAX_JSON_BODY_BYTES - 2);
    // The cap counts bytes, not characters: 256 KiB of 2-byte characters is too much.
    const wide = `"${'é'.repeat(MAX_JSON_BODY_BYTES / 2)}"`;
    await expectAppError(readJson(post(wide), z.string()), 'payload_too_large', 413);
  });

  it('lets a schema mismatch through as a ZodError (mapped to 400 by toErrorResponse)', async () => {
    const error = await caught(readJson(post('{"label":"","count":1.5}'), bodySchema));
    expect(error).toBeInstanceOf(z.ZodError);
    const response = toErrorResponse(error);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('bad_request');
  });
});

describe('toErrorResponse', () => {
  it('maps an AppError to its status and { error: { code, message } }', async () => {
    const response = toErrorResponse(new AppError('not_found'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);

    const custom = toErrorResponse(new AppError('conflict', 'That VIN is already registered.'));
    expect(custom.status).toBe(409);
    expect(await custom.json()).toEqual({
      error: { code: 'conflict', message: 'That VIN is already registered.' },
    });
  });

  it('carries Retry-After for a rate-limited AppError', async () => {
    const response = toErrorResponse(new AppError('rate_limited', undefined, { retryAfterS: 42 }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('42');
    expect(await response.json()).toEqual({
      error: { code: 'rate_limited', message: DEFAULT_MESSAGES.rate_limited },
    });
  });

  it('maps a ZodError to 400 bad_request naming the field', async () => {
    const parsed = z
      .object({ vehicle: z.object({ vin: z.string().length(17) }) })
      .safeParse({ vehicle: { vin: 'x' } });
    expect(parsed.success).toBe(false);
    const response = toErrorResponse(parsed.error);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(/^vehicle\.vin: /);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('maps anything else to a 500 internal that reveals nothing about the error', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    const response = toErrorResponse(error);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: DEFAULT_MESSAGES.internal } });
    expect(text).not.toContain('ECONNREFUSED');
    expect(text).not.toContain('hunter2');
    for (const line of (error.stack ?? '').split('\n').slice(1)) expect(text).not.toContain(line.trim());
    expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+/);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    // The detail goes to the server log instead.
    expect(logged).toHaveBeenCalledWith('[api] unhandled error', error);
  });

  it('answers 503 unavailable with Retry-After while the database is unreachable or restarting', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const withCode = (message: string, fields: Record<string, string>) =>
      Object.assign(new Error(message), fields);
    const unreachable = [
      // What pg and Node report while PostgreSQL stops, is down, and starts again.
      withCode('terminating connection due to administrator command', { code: '57P01' }),
      withCode('the database system is shutting down', { code: '57P03' }),
      withCode('the database system is starting up', { code: '57P03' }),
      withCode('connection failure', { code: '08006' }),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', syscall: 'connect' }),
      withCode('read ECONNRESET', { code: 'ECONNRESET', syscall: 'read' }),
      new AggregateError([
        withCode('connect ECONNREFUSED ::1:5432', { code: 'ECONNREFUSED', syscall: 'connect' }),
      ]),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
    ];
    for (const error of unreachable) {
      const response = toErrorResponse(error);
      expect(response.status, error.message).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        error: { code: 'unavailable', message: 'The database is not answering. Try again in a moment.' },
      });
      expect(text).not.toMatch(/ECONN|57P0|terminat|\bat \S+ \(/);
    }
    expect(logged).toHaveBeenCalledTimes(unreachable.length);

    // A query that is wrong, or a browser that gave up on its upload, is not the database away.
    const notUnreachable = [
      withCode('duplicate key value violates unique constraint', { code: '23505' }),
      withCode('syntax error at or near "selec"', { code: '42601' }),
      withCode('aborted', { code: 'ECONNRESET' }),
      new Error('connect ECONNREFUSED 10.0.0.5:5432'),
    ];
    for (const error of notUnreachable) expect(toErrorResponse(error).status, error.message).toBe(500);
  });

  it('maps thrown non-errors to 500 internal too', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const thrown of ['a string', { secret: 's3cr3t' }, null, undefined]) {
      const response = toErrorResponse(thrown);
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text).error.code).toBe('internal');
      expect(text).not.toContain('s3cr3t');
    }
  });
});

describe('errorResponse and jsonResponse', () => {
  it('sets Retry-After in whole seconds, at least 1', () => {
    expect(errorResponse('rate_limited', undefined, 30).headers.get('retry-after')).toBe('30');
    expect(errorResponse('rate_limited', undefined, 2.2).headers.get('retry-after')).toBe('3');
    expect(errorResponse('rate_limited', undefined, 0).headers.get('retry-after')).toBe('1');
    expect(errorResponse('rate_limited').headers.get('retry-after')).toBeNull();
  });

  it('uses the status of the code and the default message', async () => {
    for (const [code, status] of [
      ['bad_request', 400],
      ['unauthorized', 401],
      ['not_found', 404],
      ['rate_limited', 429],
      ['upstream_unavailable', 502],
    ] as const) {
      const response = errorResponse(code);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: { code, message: DEFAULT_MESSAGES[code] } });
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    }
  });

  it('jsonResponse is never cached and keeps extra headers', async () => {
    const response = jsonResponse({ ok: true }, { status: 201, headers: { 'X-Extra': '1' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-extra')).toBe('1');
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('searchParamsOf and parseWith', () => {
  it('returns the query as an object', () => {
    expect(searchParamsOf(new Request(`${URL_BASE}?from=2024-01-01&to=2024-02-01&empty=`))).toEqual({
      from: '2024-01-01',
      to: '2024-02-01',
      empty: '',
    });
    expect(searchParamsOf(new Request(URL_BASE))).toEqual({});
  });

  it('refuses a repeated key with a 400 naming it', () => {
    let error: unknown;
    try {
      searchParamsOf(new Request(`${URL_BASE}?metrics=speed&width=100&metrics=rpm`));
    } catch (caughtError) {
      error = caughtError;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).message).toBe('metrics: give this parameter only once.');
  });

  it('treats keys named like Object properties as ordinary keys', () => {
    expect(searchParamsOf(new Request(`${URL_BASE}?constructor=1&toString=2`))).toEqual({
      constructor: '1',
      toString: '2',
    });
    // `__proto__` is kept as an ordinary key (not dropped, not a prototype write) and counted.
    const proto = searchParamsOf(new Request(`${URL_BASE}?__proto__=1`));
    expect(Object.hasOwn(proto, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value).toBe('1');
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(() => searchParamsOf(new Request(`${URL_BASE}?__proto__=1&__proto__=2`))).toThrow(
      '__proto__: give this parameter only once.',
    );
  });

  it('parseWith throws a ZodError on a mismatch', () => {
    const schema = z.object({ width: z.coerce.number().int().min(1) });
    expect(parseWith(schema, { width: '300' })).toEqual({ width: 300 });
    expect(() => parseWith(schema, { width: '0' })).toThrow(z.ZodError);
  });
});

describe('withRoute and withAuth', () => {
  const context = { params: Promise.resolve({ id: 'v1' }) };

  it('withRoute passes awaited params and wraps a plain result as uncached JSON', async () => {
    const handler = withRoute<{ id: string }>(async (_request, { params }) => ({ id: params.id }));
    const response = await handler(new Request(URL_BASE), context);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.json()).toEqual({ id: 'v1' });
  });

  it('withRoute maps a thrown error to its response', async () => {
    const handler = withRoute<{ id: string }>(async () => {
      throw new AppError('not_found');
    });
    const response = await handler(new Request(URL_BASE), context);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
  });

  it('withAuth answers 401 before the handler runs when nobody is signed in', async () => {
    requireApiUser.mockRejectedValue(new AppError('unauthorized'));
    const inner = vi.fn();
    const response = await withAuth<{ id: string }>(inner)(new Request(URL_BASE), context);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'unauthorized', message: DEFAULT_MESSAGES.unauthorized },
    });
    expect(inner).not.toHaveBeenCalled();
  });

  it('withAuth hands the signed-in user to the handler', async () => {
    const user = {
      sessionId: 's',
      userId: 'u1',
      email: 'a@example.com',
      name: null,
      isDemo: false,
      timeZone: null,
    };
    requireApiUser.mockResolvedValue(user);
    const response = await withAuth<{ id: string }>(async (_request, ctx) => ({
      owner: ctx.user.userId,
      id: ctx.params.id,
    }))(new Request(URL_BASE), context);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ owner: 'u1', id: 'v1' });
  });

  it('withAuth answers 429 with Retry-After once the owner has spent the budget, before the handler runs, and only for that owner', async () => {
    const owner = (userId: string) => ({
      sessionId: `s-${userId}`,
      userId,
      email: `${userId}@example.com`,
      name: null,
      isDemo: false,
      timeZone: null,
    });
    const inner = vi.fn(async () => ({ ok: true }));
    const expensive = withAuth<{ id: string }>(inner, { cost: EXPENSIVE });
    const noisy = `noisy-${crypto.randomUUID()}`;
    requireApiUser.mockResolvedValue(owner(noisy));
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      const response = await expensive(new Request(URL_BASE), context);
      statuses.push(response.status);
      if (response.status !== 200) refused = response;
    }
    // The whole burst went through, then the refusal, with nothing else in between.
    expect(statuses.slice(0, -1).every((status) => status === 200)).toBe(true);
    expect(statuses.length - 1).toBeGreaterThanOrEqual(OWNER_BUDGET.capacity / EXPENSIVE - 1);
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused?.json()).toEqual({
      error: { code: 'rate_limited', message: OWNER_RATE_LIMITED_MESSAGE },
    });
    expect(inner).toHaveBeenCalledTimes(statuses.length - 1);

    requireApiUser.mockResolvedValue(owner(`quiet-${crypto.randomUUID()}`));
    expect((await expensive(new Request(URL_BASE), context)).status).toBe(200);
  });
});
