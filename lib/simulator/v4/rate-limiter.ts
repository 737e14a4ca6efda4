// Per-subscription rate limits of the PSA API gateway (vehicle-apis.md §3.5): a daily sliding
// window and a one-second burst window, counted per client id in memory. Times are passed in by
// the caller so that the simulated clock, not the wall clock, moves the windows.

export const DEFAULT_CALLS_PER_DAY = 100_000;
export const DEFAULT_CALLS_PER_SECOND = 100;

const DAY_MS = 24 * 3600 * 1000;
const SECOND_MS = 1000;

export type RateLimitOptions = { perDay?: number; perSecond?: number };

export type RateLimitDecision = {
  allowed: boolean;
  /** The X-RateLimit-* headers (plus X-RateLimit-Reset and Retry-After when refused). */
  headers: Record<string, string>;
  /** Whole seconds until a call would pass again; only when refused. */
  retryAfterS?: number;
};

/**
 * Calls inside a sliding window. Calls landing in the same slot share one entry, so memory is
 * bounded by window / slot whatever the limit (86,400 entries a day at one-second slots).
 */
class SlidingWindow {
  readonly #entries: { at: number; count: number }[] = [];
  #head = 0;
  #used = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly slotMs: number,
  ) {}

  remaining(now: number): number {
    this.#expire(now);
    return Math.max(0, this.limit - this.#used);
  }

  /** Milliseconds until the oldest counted call leaves the window and frees a place. */
  msUntilFree(now: number): number {
    this.#expire(now);
    const oldest = this.#entries[this.#head];
    return oldest ? Math.max(0, oldest.at + this.windowMs - now) : 0;
  }

  record(now: number): void {
    const slot = Math.floor(now / this.slotMs) * this.slotMs;
    const last = this.#entries[this.#entries.length - 1];
    if (last && this.#entries.length > this.#head && last.at === slot) last.count += 1;
    else this.#entries.push({ at: slot, count: 1 });
    this.#used += 1;
  }

  #expire(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head];
      if (!entry || entry.at > cutoff) break;
      this.#used -= entry.count;
      this.#head += 1;
    }
    // Drop consumed entries now and then instead of shifting the array on every call.
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

type ClientWindows = { day: SlidingWindow; second: SlidingWindow };

export class RateLimiter {
  readonly perDay: number;
  readonly perSecond: number;
  readonly #clients = new Map<string, ClientWindows>();

  constructor(options: RateLimitOptions = {}) {
    this.perDay = positiveInteger(options.perDay ?? DEFAULT_CALLS_PER_DAY, 'perDay');
    this.perSecond = positiveInteger(options.perSecond ?? DEFAULT_CALLS_PER_SECOND, 'perSecond');
  }

  /**
   * Counts one call for `key` at `now` (epoch ms) if both windows have room. A refused call is not
   * counted, as a gateway that answered 429 did not serve it.
   */
  consume(key: string, now: number): RateLimitDecision {
    const windows = this.#windowsOf(key);
    const dayLeft = windows.day.remaining(now);
    const secondLeft = windows.second.remaining(now);
    if (dayLeft > 0 && secondLeft > 0) {
      windows.day.record(now);
      windows.second.record(now);
      return { allowed: true, headers: this.#headers(dayLeft - 1, secondLeft - 1) };
    }
    const waitMs = Math.max(
      dayLeft === 0 ? windows.day.msUntilFree(now) : 0,
      secondLeft === 0 ? windows.second.msUntilFree(now) : 0,
    );
    const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000));
    return {
      allowed: false,
      retryAfterS,
      headers: {
        ...this.#headers(dayLeft, secondLeft),
        'x-ratelimit-reset': String(retryAfterS),
        'retry-after': String(retryAfterS),
      },
    };
  }

  #windowsOf(key: string): ClientWindows {
    let windows = this.#clients.get(key);
    if (!windows) {
      windows = {
        day: new SlidingWindow(this.perDay, DAY_MS, SECOND_MS),
        second: new SlidingWindow(this.perSecond, SECOND_MS, 1),
      };
      this.#clients.set(key, windows);
    }
    return windows;
  }

  #headers(dayLeft: number, secondLeft: number): Record<string, string> {
    return {
      'x-ratelimit-limit-1': String(this.perDay),
      'x-ratelimit-remaining-1': String(dayLeft),
      'x-ratelimit-limit-2': String(this.perSecond),
      'x-ratelimit-remaining-2': String(secondLeft),
    };
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer.`);
  return value;
}

/**
 * One limiter per simulator context, made on first use: a route family keeps its own counters for
 * each simulated cloud (tests run several side by side), and they go with the context.
 */
export function limiterPerContext(options?: RateLimitOptions): (ctx: object) => RateLimiter {
  const limiters = new WeakMap<object, RateLimiter>();
  return (ctx) => {
    let limiter = limiters.get(ctx);
    if (!limiter) {
      limiter = new RateLimiter(options);
      limiters.set(ctx, limiter);
    }
    return limiter;
  };
}
