import 'server-only';

// How provider adapters talk HTTP to a car maker's API. Adapters depend on this small interface,
// not on fetch, so the resilience layer (timeouts, retries with backoff, Retry-After, circuit
// breaker — resilient.ts) wraps any of them, and every call has a timeout.

export type UpstreamMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type UpstreamRequest = {
  url: string;
  method?: UpstreamMethod;
  headers?: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
  /** Gives up after this long (default DEFAULT_UPSTREAM_TIMEOUT_MS). */
  timeoutMs?: number;
};

export type UpstreamResponse = {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the body is empty. */
  body: unknown;
};

export type UpstreamHttp = {
  request(request: UpstreamRequest): Promise<UpstreamResponse>;
};

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 15_000;

/** The answer was not JSON (or was cut off): a transient upstream fault, like a 5xx. */
export class UpstreamBodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The request timed out or the connection failed before an answer. */
export class UpstreamNetworkError extends Error {}

/**
 * The answer is bigger or more deeply nested than we accept (UPSTREAM_LIMITS): refused before it
 * is parsed. Not transient — the same request would bring the same answer — so the resilient layer
 * does not retry it; the sync records it as a failure and stores nothing of the answer.
 */
export class UpstreamAnswerRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamAnswerRefusedError';
  }
}

/**
 * What we accept of an upstream answer (security-tests.md IN-06: upstream data is untrusted input,
 * OWASP API10:2023 "does not limit the resources available to process third-party responses"):
 * - bytes: 8 MiB. The largest genuine answer is a PSA v4 telemetry page of 2000 messages with every
 *   type and the location, about 3.2 MB (measured on the simulator); 8 MiB leaves room for a richer
 *   real car without letting an answer fill memory. Checked on Content-Length and while reading.
 * - nesting: 64 levels of arrays and objects. PSA's deepest resources nest about 10 (HAL
 *   `_embedded` → telemetry → vehicle → transmission → gearbox → mode); a thousand levels would only
 *   ever be an attack on the parser and on every recursive walk after it.
 */
export const UPSTREAM_LIMITS = { maxBytes: 8 * 1024 * 1024, maxDepth: 64 } as const;

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count). */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return deepest;
}

/** Reads the body as text, refusing it as soon as it passes `maxBytes` (the rest is not read). */
async function readCapped(response: Response, maxBytes: number, what: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new UpstreamAnswerRefusedError(`${what}: the answer is over ${maxBytes} bytes`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw new UpstreamAnswerRefusedError(`${what}: the answer is over ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One call, no retries: fetch with a timeout, the body read (within the limits) and parsed as JSON. */
export function createPlainHttp(
  limits: { maxBytes: number; maxDepth: number } = UPSTREAM_LIMITS,
): UpstreamHttp {
  return {
    async request({ url, method = 'GET', headers = {}, body, timeoutMs = DEFAULT_UPSTREAM_TIMEOUT_MS }) {
      const what = `${method} ${new URL(url).pathname}`;
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method,
          headers: {
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          // Covers the whole exchange, the body's last byte included: an answer trickling in a
          // byte at a time is aborted at the budget like one that never starts.
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        text = await readCapped(response, limits.maxBytes, what);
      } catch (error) {
        if (error instanceof UpstreamAnswerRefusedError) throw error;
        throw new UpstreamNetworkError(error instanceof Error ? error.message : String(error), {
          cause: error,
        });
      }
      if (text.trim() === '') return { status: response.status, headers: response.headers, body: undefined };
      if (jsonNestingDepth(text) > limits.maxDepth) {
        throw new UpstreamAnswerRefusedError(
          `${what}: the answer nests deeper than ${limits.maxDepth} levels`,
        );
      }
      try {
        return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown };
      } catch {
        throw new UpstreamBodyError(response.status, `${what}: the answer is not JSON`);
      }
    },
  };
}

export const plainHttp: UpstreamHttp = createPlainHttp();
