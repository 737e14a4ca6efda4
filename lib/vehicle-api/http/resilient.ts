import 'server-only';
import {
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  UpstreamBodyError,
  type UpstreamHttp,
  type UpstreamMethod,
  UpstreamNetworkError,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream';

// The resilience layer around any UpstreamHttp, one instance per provider (so one circuit breaker,
// one rate-limit gate and one concurrency limit per provider):
// - every call has a timeout (passed down to the inner transport);
// - 5xx and 408 answers, unreadable bodies (UpstreamBodyError) and network failures are retried with capped
//   exponential backoff and FULL jitter: sleep = random(0, min(cap, base · 2^attempt)) (AWS
//   Architecture Blog, "Exponential Backoff And Jitter", 2015);
// - 429 honours Retry-After (delta-seconds or HTTP-date, RFC 9110 §10.2.3; 300 s when absent, the
//   issue's rule), and holds back every other call to the same provider until then. A caller that
//   cannot wait that long (`maxWaitMs`) gets UpstreamRateLimitedError with the instant to come back;
// - a 403 whose body says a quota or limit was exceeded (isQuotaExceeded: the subscription's daily
//   quota, as gateways word it, not "no access to this vehicle") is a rate limit too, held 900 s
//   when it names no Retry-After (TeslaMate's rule for its 403 EXCEEDED_LIMIT, security-tests.md UP-01);
// - a circuit breaker: after `failureThreshold` consecutive failures it opens and calls fail fast
//   (UpstreamCircuitOpenError) for `coolDownMs`; then one probe is let through (half-open), which
//   closes it on success or opens it again on failure;
// - at most `maxConcurrency` requests in flight (a slot is held only while a request is on the
//   wire, never while sleeping).
//
// Non-idempotent methods: POST is not retried after it may have reached the server (5xx, body
// error, network error — a timeout cannot tell "not sent" from "applied"), since repeating it could
// apply it twice (RFC 9110 §9.2.2). It IS retried after a 429 and never sent while the circuit is
// open: in both cases the server did not act on it. GET, PUT and DELETE are idempotent and retried.
// A caller that makes a POST safe to repeat (an idempotency key) says so with `idempotent: true`.
//
// Logging goes through `onEvent` and names the method and the URL PATH only: query strings can hold
// credentials (PSA v1's API key is the `client_id` query parameter) and headers hold bearer tokens.

export type ResilienceClock = {
  now(): number;
  sleep(ms: number): Promise<void>;
};

export const systemClock: ResilienceClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type ResilienceEvent =
  | { type: 'retry'; method: UpstreamMethod; path: string; attempt: number; delayMs: number; reason: string }
  | { type: 'rate-limited'; method: UpstreamMethod; path: string; retryAt: number }
  | { type: 'circuit-open'; until: number }
  | { type: 'circuit-half-open' }
  | { type: 'circuit-closed' };

export type ResilienceOptions = {
  /** The provider name, carried by errors and events. */
  provider: string;
  /** Attempts per call, the first included (default 4: three retries). */
  maxAttempts?: number;
  /** Backoff base and cap (defaults 500 ms and 30 s). */
  baseDelayMs?: number;
  capDelayMs?: number;
  /** Retry-After when a 429 has none (default 300 s, the rule). */
  defaultRetryAfterMs?: number;
  /** Retry-After when a quota-exceeded 403 has none (default 900 s). */
  quotaRetryAfterMs?: number;
  /** Longest wait for a rate limit before failing instead; per call overridable (default 60 s). */
  maxWaitMs?: number;
  /** Consecutive failures that open the circuit (default 5) and how long it stays open (30 s). */
  failureThreshold?: number;
  coolDownMs?: number;
  /** Requests in flight at once (default 8). */
  maxConcurrency?: number;
  /** Per-call timeout when the request names none. */
  timeoutMs?: number;
  clock?: ResilienceClock;
  /** Uniform in [0, 1): the jitter's source. */
  random?: () => number;
  onEvent?: (event: ResilienceEvent) => void;
};

/** What a caller may add to a request for this layer; the inner transport ignores it. */
export type ResilientRequest = UpstreamRequest & {
  /** Fail with UpstreamRateLimitedError rather than wait longer than this for a rate limit. */
  maxWaitMs?: number;
  /** Treat this request as safe to repeat whatever its method. */
  idempotent?: boolean;
};

export type ResilientHttp = {
  request(request: ResilientRequest): Promise<UpstreamResponse>;
};

/** The provider asked us to wait (429) longer than the caller accepts: come back at `retryAt`. */
export class UpstreamRateLimitedError extends Error {
  constructor(
    readonly provider: string,
    readonly retryAt: number,
  ) {
    super(`${provider}: rate limited until ${new Date(retryAt).toISOString()}`);
    this.name = 'UpstreamRateLimitedError';
  }
}

/** The provider's circuit is open after repeated failures: nothing is sent before `retryAt`. */
export class UpstreamCircuitOpenError extends Error {
  constructor(
    readonly provider: string,
    readonly retryAt: number,
  ) {
    super(`${provider}: circuit open until ${new Date(retryAt).toISOString()}`);
    this.name = 'UpstreamCircuitOpenError';
  }
}

export const DEFAULTS = {
  maxAttempts: 4,
  baseDelayMs: 500,
  capDelayMs: 30_000,
  defaultRetryAfterMs: 300_000,
  quotaRetryAfterMs: 900_000,
  maxWaitMs: 60_000,
  failureThreshold: 5,
  coolDownMs: 30_000,
  maxConcurrency: 8,
} as const;

/** Full jitter: a uniform draw in [0, min(cap, base · 2^attempt)); `attempt` counts retries from 0. */
export function fullJitterDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds to wait from a Retry-After value: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Null when absent or unreadable (the caller applies its default).
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date always names a weekday and GMT; anything else (e.g. "-5", "soon") is unreadable.
  if (!/GMT$/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

/**
 * Whether a 403 body says a quota or rate limit was exceeded ("Quota limit exceeded", "Rate Limit
 * exceeded", "EXCEEDED_LIMIT"), in any of the fields gateways put their text in. A 403 that says
 * anything else (no access to this vehicle, a missing scope) is an ordinary refusal.
 */
export function isQuotaExceeded(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const record = body as Record<string, unknown>;
  const texts = ['message', 'moreInformation', 'error', 'error_description', 'httpMessage']
    .map((key) => record[key])
    .filter((value): value is string => typeof value === 'string');
  return texts.some((text) => /\b(?:quota|limit)\b.*\bexceeded\b|\bexceeded[ _]limit\b/i.test(text));
}

const IDEMPOTENT: ReadonlySet<UpstreamMethod> = new Set(['GET', 'PUT', 'DELETE']);

/** A counting semaphore, FIFO. */
class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

type CircuitState =
  | { kind: 'closed'; failures: number }
  | { kind: 'open'; until: number }
  | { kind: 'half-open' };

class CircuitBreaker {
  #state: CircuitState = { kind: 'closed', failures: 0 };
  #probing = false;

  constructor(
    private readonly threshold: number,
    private readonly coolDownMs: number,
    private readonly onEvent: (event: ResilienceEvent) => void,
  ) {}

  /** Whether a request may go now; when not, the instant to come back. */
  admit(now: number): { ok: true; probe: boolean } | { ok: false; retryAt: number } {
    const state = this.#state;
    if (state.kind === 'closed') return { ok: true, probe: false };
    if (state.kind === 'open') {
      if (now < state.until) return { ok: false, retryAt: state.until };
      this.#state = { kind: 'half-open' };
      this.onEvent({ type: 'circuit-half-open' });
    }
    // Half-open: one probe at a time; the others wait out a short while as if still open.
    if (this.#probing) return { ok: false, retryAt: now + this.coolDownMs };
    this.#probing = true;
    return { ok: true, probe: true };
  }

  success(probe: boolean): void {
    if (probe) this.#probing = false;
    if (this.#state.kind !== 'closed') this.onEvent({ type: 'circuit-closed' });
    this.#state = { kind: 'closed', failures: 0 };
  }

  failure(probe: boolean, now: number): void {
    if (probe) this.#probing = false;
    const state = this.#state;
    const failures = state.kind === 'closed' ? state.failures + 1 : this.threshold;
    if (failures >= this.threshold) {
      this.#state = { kind: 'open', until: now + this.coolDownMs };
      this.onEvent({ type: 'circuit-open', until: now + this.coolDownMs });
    } else {
      this.#state = { kind: 'closed', failures };
    }
  }

  /** A request that ended without telling whether the upstream is healthy (429). */
  neutral(probe: boolean): void {
    if (probe) this.#probing = false;
  }
}

const pathOf = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid url)';
  }
};

type Outcome =
  | { kind: 'done'; response: UpstreamResponse }
  | { kind: 'retry'; reason: string; error?: unknown; response?: UpstreamResponse; notApplied?: boolean }
  | { kind: 'rate-limited'; retryAt: number; response: UpstreamResponse };

export function createResilientHttp(inner: UpstreamHttp, options: ResilienceOptions): ResilientHttp {
  const provider = options.provider;
  const maxAttempts = options.maxAttempts ?? DEFAULTS.maxAttempts;
  const baseDelayMs = options.baseDelayMs ?? DEFAULTS.baseDelayMs;
  const capDelayMs = options.capDelayMs ?? DEFAULTS.capDelayMs;
  const defaultRetryAfterMs = options.defaultRetryAfterMs ?? DEFAULTS.defaultRetryAfterMs;
  const quotaRetryAfterMs = options.quotaRetryAfterMs ?? DEFAULTS.quotaRetryAfterMs;
  const defaultMaxWaitMs = options.maxWaitMs ?? DEFAULTS.maxWaitMs;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const emit = options.onEvent ?? (() => {});
  const breaker = new CircuitBreaker(
    options.failureThreshold ?? DEFAULTS.failureThreshold,
    options.coolDownMs ?? DEFAULTS.coolDownMs,
    emit,
  );
  const slots = new Semaphore(options.maxConcurrency ?? DEFAULTS.maxConcurrency);
  /** The provider said "not before": shared by every call, so one 429 holds them all back. */
  let blockedUntil = 0;

  async function attempt(request: UpstreamRequest): Promise<Outcome> {
    const admitted = breaker.admit(clock.now());
    if (!admitted.ok) throw new UpstreamCircuitOpenError(provider, admitted.retryAt);
    await slots.acquire();
    let response: UpstreamResponse;
    try {
      response = await inner.request(request);
    } catch (error) {
      if (error instanceof UpstreamNetworkError || error instanceof UpstreamBodyError) {
        breaker.failure(admitted.probe, clock.now());
        return { kind: 'retry', reason: error.constructor.name, error };
      }
      // A programming error in the transport says nothing about the upstream's health.
      breaker.neutral(admitted.probe);
      throw error;
    } finally {
      slots.release();
    }
    if (response.status === 429 || (response.status === 403 && isQuotaExceeded(response.body))) {
      breaker.neutral(admitted.probe);
      const fallbackMs = response.status === 429 ? defaultRetryAfterMs : quotaRetryAfterMs;
      const waitMs = parseRetryAfter(response.headers.get('retry-after'), clock.now()) ?? fallbackMs;
      return { kind: 'rate-limited', retryAt: clock.now() + waitMs, response };
    }
    if (response.status >= 500) {
      breaker.failure(admitted.probe, clock.now());
      return { kind: 'retry', reason: `status ${response.status}`, response };
    }
    if (response.status === 408) {
      // Request Timeout: the server gave up waiting for the request and did not act on it
      // (RFC 9110 §15.5.9: the client MAY repeat it), so it is retried like a 5xx, a POST too.
      breaker.failure(admitted.probe, clock.now());
      return { kind: 'retry', reason: 'status 408', response, notApplied: true };
    }
    breaker.success(admitted.probe);
    return { kind: 'done', response };
  }

  return {
    async request(request) {
      const { maxWaitMs = defaultMaxWaitMs, idempotent, ...upstream } = request;
      const method = upstream.method ?? 'GET';
      const path = pathOf(upstream.url);
      const repeatable = idempotent ?? IDEMPOTENT.has(method);
      const call: UpstreamRequest = {
        ...upstream,
        method,
        timeoutMs: upstream.timeoutMs ?? options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
      };
      let retries = 0;
      for (let tries = 1; ; tries++) {
        // Honour a rate limit another call (or this one) was given.
        const waitMs = blockedUntil - clock.now();
        if (waitMs > 0) {
          if (waitMs > maxWaitMs) {
            emit({ type: 'rate-limited', method, path, retryAt: blockedUntil });
            throw new UpstreamRateLimitedError(provider, blockedUntil);
          }
          await clock.sleep(waitMs);
        }
        const outcome = await attempt(call);
        if (outcome.kind === 'done') return outcome.response;
        if (outcome.kind === 'rate-limited') {
          blockedUntil = Math.max(blockedUntil, outcome.retryAt);
          // A 429 was refused at the gateway: safe to repeat even for a POST, within the attempts.
          if (tries >= maxAttempts) {
            emit({ type: 'rate-limited', method, path, retryAt: blockedUntil });
            throw new UpstreamRateLimitedError(provider, blockedUntil);
          }
          continue;
        }
        if ((!repeatable && !outcome.notApplied) || tries >= maxAttempts) {
          if (outcome.response) return outcome.response;
          throw outcome.error;
        }
        const delayMs = fullJitterDelay(retries, baseDelayMs, capDelayMs, random);
        retries++;
        emit({ type: 'retry', method, path, attempt: tries, delayMs, reason: outcome.reason });
        await clock.sleep(delayMs);
      }
    },
  };
}
