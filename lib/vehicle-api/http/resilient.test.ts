import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createResilientHttp,
  fullJitterDelay,
  isQuotaExceeded,
  parseRetryAfter,
  type ResilienceEvent,
  type ResilienceOptions,
  UpstreamCircuitOpenError,
  UpstreamRateLimitedError,
} from './resilient';
import {
  UpstreamBodyError,
  type UpstreamHttp,
  UpstreamNetworkError,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream';

// The resilience rules with a scripted upstream and a fake clock: sleeping advances the clock at
// once and is recorded, so every delay is asserted exactly and the suite runs in milliseconds.

type Step = number | { status: number; headers?: Record<string, string>; body?: unknown } | Error;

function scripted(steps: Step[]) {
  const calls: UpstreamRequest[] = [];
  let index = 0;
  const http: UpstreamHttp = {
    async request(request) {
      calls.push(request);
      const step = steps[Math.min(index++, steps.length - 1)];
      if (step === undefined) throw new Error('script is empty');
      if (step instanceof Error) throw step;
      const {
        status,
        headers = {},
        body = { ok: status < 400 },
      } = typeof step === 'number' ? { status: step } : step;
      return { status, headers: new Headers(headers), body } satisfies UpstreamResponse;
    },
  };
  return { http, calls };
}

function fakeClock(start = Date.parse('2026-03-01T08:00:00Z')) {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    advance: (ms: number) => {
      now += ms;
    },
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        slept.push(ms);
        now += ms;
      },
    },
  };
}

function setup(steps: Step[], options: Partial<ResilienceOptions> = {}) {
  const upstream = scripted(steps);
  const time = fakeClock();
  const events: ResilienceEvent[] = [];
  const http = createResilientHttp(upstream.http, {
    provider: 'test',
    clock: time.clock,
    // The top of every jitter window: delays are then the exponential ceiling, easy to compute.
    random: () => 0.999_999,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { http, upstream, time, events };
}

const URL_WITH_SECRET = 'https://api.example/connectedcar/v4/user/vehicles?client_id=secret-key';

describe('full jitter', () => {
  it('stays in [0, min(cap, base·2^attempt)) for any draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, cap, draw) => {
          const delay = fullJitterDelay(attempt, base, cap, () => draw);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.min(cap, base * 2 ** attempt));
        },
      ),
    );
  });

  it('uses the whole window: a draw of 0 sleeps 0, a draw of 0.5 half the ceiling', () => {
    expect(fullJitterDelay(3, 500, 30_000, () => 0)).toBe(0);
    // 500 · 2³ = 4000 → half is 2000.
    expect(fullJitterDelay(3, 500, 30_000, () => 0.5)).toBe(2000);
    // 500 · 2⁷ = 64,000 is capped at 30,000.
    expect(fullJitterDelay(7, 500, 30_000, () => 0.5)).toBe(15_000);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-03-01T08:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 08:01:30 GMT', now)).toBe(90_000);
    // A date already past means "now".
    expect(parseRetryAfter('Sun, 01 Mar 2026 07:00:00 GMT', now)).toBe(0);
  });
  it('says null for absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('retries', () => {
  it('retries a 5xx and returns the success, after full-jitter sleeps', async () => {
    const { http, upstream, time } = setup([503, 500, 200]);
    const response = await http.request({ url: URL_WITH_SECRET });
    expect(response.status).toBe(200);
    expect(upstream.calls).toHaveLength(3);
    // random ≈ 1: the ceilings 500·2⁰ and 500·2¹, floored just below.
    expect(time.slept).toEqual([499, 999]);
  });

  it('retries body and network errors', async () => {
    const { http, upstream } = setup([
      new UpstreamNetworkError('reset'),
      new UpstreamBodyError(200, 'not JSON'),
      200,
    ]);
    expect((await http.request({ url: URL_WITH_SECRET })).status).toBe(200);
    expect(upstream.calls).toHaveLength(3);
  });

  it('gives up after maxAttempts: the last 5xx is returned, the last error rethrown', async () => {
    const five = setup([500], { maxAttempts: 3, failureThreshold: 100 });
    expect((await five.http.request({ url: URL_WITH_SECRET })).status).toBe(500);
    expect(five.upstream.calls).toHaveLength(3);

    const net = setup([new UpstreamNetworkError('down')], { maxAttempts: 2, failureThreshold: 100 });
    await expect(net.http.request({ url: URL_WITH_SECRET })).rejects.toBeInstanceOf(UpstreamNetworkError);
    expect(net.upstream.calls).toHaveLength(2);
  });

  it('does not retry 4xx answers other than 408 and 429', async () => {
    for (const status of [400, 401, 404, 409, 422]) {
      const { http, upstream } = setup([status, 200]);
      expect((await http.request({ url: URL_WITH_SECRET })).status).toBe(status);
      expect(upstream.calls).toHaveLength(1);
    }
  });

  it('retries a 408 with full-jitter backoff, a POST too: the server did not act on it (UP-02)', async () => {
    const get = setup([408, 408, 200]);
    expect((await get.http.request({ url: URL_WITH_SECRET })).status).toBe(200);
    expect(get.upstream.calls).toHaveLength(3);
    expect(get.time.slept).toEqual([499, 999]);

    const post = setup([408, 200]);
    expect((await post.http.request({ url: URL_WITH_SECRET, method: 'POST', body: {} })).status).toBe(200);
    expect(post.upstream.calls).toHaveLength(2);

    // Bounded like any retry: the last 408 is returned after maxAttempts.
    const stuck = setup([408], { maxAttempts: 3, failureThreshold: 100 });
    expect((await stuck.http.request({ url: URL_WITH_SECRET })).status).toBe(408);
    expect(stuck.upstream.calls).toHaveLength(3);
  });

  it('never repeats a POST that may have been applied, unless marked idempotent', async () => {
    const post = setup([503, 200]);
    expect((await post.http.request({ url: URL_WITH_SECRET, method: 'POST', body: {} })).status).toBe(503);
    expect(post.upstream.calls).toHaveLength(1);

    const keyed = setup([503, 200]);
    const response = await keyed.http.request({ url: URL_WITH_SECRET, method: 'POST', idempotent: true });
    expect(response.status).toBe(200);
    expect(keyed.upstream.calls).toHaveLength(2);

    const put = setup([503, 200]);
    expect((await put.http.request({ url: URL_WITH_SECRET, method: 'PUT' })).status).toBe(200);
  });

  it('passes a timeout down on every call', async () => {
    const { http, upstream } = setup([200], { timeoutMs: 1234 });
    await http.request({ url: URL_WITH_SECRET });
    await http.request({ url: URL_WITH_SECRET, timeoutMs: 99 });
    expect(upstream.calls.map((call) => call.timeoutMs)).toEqual([1234, 99]);
  });

  it('logs the path only, never the query or headers', async () => {
    const { http, events } = setup([500, 200]);
    await http.request({ url: URL_WITH_SECRET, headers: { authorization: 'Bearer tok-123' } });
    const logged = JSON.stringify(events);
    expect(logged).toContain('/connectedcar/v4/user/vehicles');
    expect(logged).not.toContain('secret-key');
    expect(logged).not.toContain('tok-123');
  });
});

describe('429 and Retry-After', () => {
  it('waits what Retry-After says, then succeeds', async () => {
    const { http, upstream, time } = setup([{ status: 429, headers: { 'retry-after': '7' } }, 200]);
    expect((await http.request({ url: URL_WITH_SECRET })).status).toBe(200);
    expect(upstream.calls).toHaveLength(2);
    expect(time.slept).toEqual([7000]);
  });

  it('waits 300 s when Retry-After is absent (if the caller accepts that long)', async () => {
    const { http, time } = setup([429, 200]);
    await http.request({ url: URL_WITH_SECRET, maxWaitMs: 600_000 });
    expect(time.slept).toEqual([300_000]);
  });

  it('fails with the instant to come back when the wait exceeds the caller’s limit', async () => {
    const { http, upstream, time } = setup([{ status: 429, headers: { 'retry-after': '120' } }, 200]);
    const start = time.clock.now();
    const error = await http.request({ url: URL_WITH_SECRET, maxWaitMs: 30_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect((error as UpstreamRateLimitedError).retryAt).toBe(start + 120_000);
    expect(upstream.calls).toHaveLength(1);
    expect(time.slept).toEqual([]);
  });

  it('holds back every other call to the provider until Retry-After has passed', async () => {
    const { http, upstream, time } = setup([{ status: 429, headers: { 'retry-after': '120' } }, 200]);
    await expect(http.request({ url: URL_WITH_SECRET, maxWaitMs: 0 })).rejects.toBeInstanceOf(
      UpstreamRateLimitedError,
    );
    // A second caller does not hit the provider before the minute is over.
    await expect(http.request({ url: URL_WITH_SECRET, maxWaitMs: 0 })).rejects.toBeInstanceOf(
      UpstreamRateLimitedError,
    );
    expect(upstream.calls).toHaveLength(1);
    time.advance(120_000);
    expect((await http.request({ url: URL_WITH_SECRET, maxWaitMs: 0 })).status).toBe(200);
  });
});

describe('403 quota exceeded (UP-01)', () => {
  const QUOTA = { httpCode: '403', httpMessage: 'Forbidden', moreInformation: 'Quota limit exceeded' };

  it('reads the quota wording, not an ordinary refusal', () => {
    expect(isQuotaExceeded(QUOTA)).toBe(true);
    expect(isQuotaExceeded({ error: 'EXCEEDED_LIMIT' })).toBe(true);
    expect(isQuotaExceeded({ message: 'Rate limit exceeded for this subscription' })).toBe(true);
    expect(isQuotaExceeded({ code: 40301, message: 'Vehicle not accessible for this user.' })).toBe(false);
    expect(isQuotaExceeded({ code: 40302, message: 'Missing scope data:telemetry.' })).toBe(false);
    expect(isQuotaExceeded(undefined)).toBe(false);
    expect(isQuotaExceeded('Quota limit exceeded')).toBe(false);
  });

  it('holds every call to the provider back 900 s when the 403 names no Retry-After', async () => {
    const { http, upstream, time } = setup([{ status: 403, body: QUOTA }, 200]);
    const start = time.clock.now();
    const error = await http.request({ url: URL_WITH_SECRET, maxWaitMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect((error as UpstreamRateLimitedError).retryAt).toBe(start + 900_000);
    // Nothing more goes out until then, for this call or any other.
    time.advance(899_999);
    await expect(http.request({ url: URL_WITH_SECRET, maxWaitMs: 0 })).rejects.toBeInstanceOf(
      UpstreamRateLimitedError,
    );
    expect(upstream.calls).toHaveLength(1);
    time.advance(1);
    expect((await http.request({ url: URL_WITH_SECRET, maxWaitMs: 0 })).status).toBe(200);
    expect(upstream.calls).toHaveLength(2);
  });

  it('honours a Retry-After the 403 does carry, and waits in-line when the caller accepts it', async () => {
    const { http, upstream, time } = setup([
      { status: 403, body: QUOTA, headers: { 'retry-after': '20' } },
      200,
    ]);
    expect((await http.request({ url: URL_WITH_SECRET, maxWaitMs: 60_000 })).status).toBe(200);
    expect(time.slept).toEqual([20_000]);
    expect(upstream.calls).toHaveLength(2);
  });

  it('an ordinary 403 is answered as it is: not retried, nothing held back', async () => {
    const { http, upstream } = setup([
      { status: 403, body: { code: 40301, message: 'Vehicle not accessible for this user.' } },
      200,
    ]);
    expect((await http.request({ url: URL_WITH_SECRET })).status).toBe(403);
    expect((await http.request({ url: URL_WITH_SECRET, maxWaitMs: 0 })).status).toBe(200);
    expect(upstream.calls).toHaveLength(2);
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive failures, fails fast, then closes after a good half-open probe', async () => {
    const { http, upstream, time, events } = setup([500, 500, 500, 200], {
      maxAttempts: 1,
      failureThreshold: 3,
      coolDownMs: 10_000,
    });
    for (let i = 0; i < 3; i++) expect((await http.request({ url: URL_WITH_SECRET })).status).toBe(500);
    const open = await http.request({ url: URL_WITH_SECRET }).catch((e: unknown) => e);
    expect(open).toBeInstanceOf(UpstreamCircuitOpenError);
    expect((open as UpstreamCircuitOpenError).retryAt).toBe(time.clock.now() + 10_000);
    // Nothing was sent while open.
    expect(upstream.calls).toHaveLength(3);

    time.advance(10_000);
    expect((await http.request({ url: URL_WITH_SECRET })).status).toBe(200);
    expect(events.map((event) => event.type)).toEqual([
      'circuit-open',
      'circuit-half-open',
      'circuit-closed',
    ]);
    // Closed again: calls go through.
    expect((await http.request({ url: URL_WITH_SECRET })).status).toBe(200);
    expect(upstream.calls).toHaveLength(5);
  });

  it('a failed probe opens it again for another cool-down', async () => {
    const { http, upstream, time } = setup([500, 500, 200], {
      maxAttempts: 1,
      failureThreshold: 1,
      coolDownMs: 5000,
    });
    await http.request({ url: URL_WITH_SECRET });
    time.advance(5000);
    expect((await http.request({ url: URL_WITH_SECRET })).status).toBe(500);
    await expect(http.request({ url: URL_WITH_SECRET })).rejects.toBeInstanceOf(UpstreamCircuitOpenError);
    time.advance(5000);
    expect((await http.request({ url: URL_WITH_SECRET })).status).toBe(200);
    expect(upstream.calls).toHaveLength(3);
  });

  it('a success in between resets the count', async () => {
    const { http, upstream } = setup([500, 500, 200, 500, 500, 200], { maxAttempts: 1, failureThreshold: 3 });
    for (let i = 0; i < 6; i++) await http.request({ url: URL_WITH_SECRET });
    expect(upstream.calls).toHaveLength(6);
  });

  it('stops retrying a call once the circuit opens under it', async () => {
    const { http, upstream } = setup([500], { maxAttempts: 10, failureThreshold: 2 });
    await expect(http.request({ url: URL_WITH_SECRET })).rejects.toBeInstanceOf(UpstreamCircuitOpenError);
    expect(upstream.calls).toHaveLength(2);
  });
});

describe('bounded concurrency', () => {
  it('never has more than maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const inner: UpstreamHttp = {
      async request() {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        return { status: 200, headers: new Headers(), body: {} };
      },
    };
    const http = createResilientHttp(inner, { provider: 'test', maxConcurrency: 3 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => http.request({ url: URL_WITH_SECRET })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(peak).toBe(3);
  });
});
