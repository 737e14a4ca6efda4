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

/** One call, no retries: fetch with a timeout, the body read and parsed as JSON. */
export const plainHttp: UpstreamHttp = {
  async request({ url, method = 'GET', headers = {}, body, timeoutMs = DEFAULT_UPSTREAM_TIMEOUT_MS }) {
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
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      throw new UpstreamNetworkError(error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
    if (text.trim() === '') return { status: response.status, headers: response.headers, body: undefined };
    try {
      return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown };
    } catch {
      throw new UpstreamBodyError(
        response.status,
        `${method} ${new URL(url).pathname}: the answer is not JSON`,
      );
    }
  },
};
