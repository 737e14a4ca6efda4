import 'server-only';
import type { UpstreamHttp } from '../vehicle-api/http/upstream';

// A request budget per provider: a token bucket every upstream request of that provider takes
// one token from, whichever account or car it is for. It sits under the resilient layer, so each
// retry pays too.
//
// Why: PSA's gateway limits each application (client id), not each account — 100 requests a
// second and 100,000 a day for the v4 and v1 subscriptions (docs/simulator.md, "gateway checks",
// after the PSA portal's subscription plans). The worker's default budget is half the per-second
// limit (50/s, bursts of 50), leaving room for the web app's own calls (connect, first sync) on
// the same application. A caller waits for its token; nothing is dropped.

export type TokenBucketClock = { now(): number; sleep(ms: number): Promise<void> };

const realClock: TokenBucketClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type TokenBucket = {
  /** Resolves once a token is taken (at once while the bucket holds one). */
  take(): Promise<void>;
  /** Tokens in the bucket now (fractional while refilling). */
  available(): number;
};

export const DEFAULT_REQUEST_BUDGET = { perSecond: 50, burst: 50 } as const;

export function createTokenBucket(
  options: { perSecond: number; burst: number },
  clock: TokenBucketClock = realClock,
): TokenBucket {
  if (!(options.perSecond > 0) || !(options.burst >= 1))
    throw new RangeError('a bucket needs a rate > 0 and a burst ≥ 1');
  let tokens = options.burst;
  let updatedAt = clock.now();
  /** Waiters queue behind each other so tokens go out in arrival order. */
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const now = clock.now();
    tokens = Math.min(options.burst, tokens + ((now - updatedAt) / 1000) * options.perSecond);
    updatedAt = now;
  };

  return {
    take() {
      const turn = queue.then(async () => {
        refill();
        while (tokens < 1) {
          await clock.sleep(Math.ceil(((1 - tokens) / options.perSecond) * 1000));
          refill();
        }
        tokens -= 1;
      });
      queue = turn.catch(() => {});
      return turn;
    },
    available() {
      refill();
      return tokens;
    },
  };
}

/** `inner` with every request paying one token of `bucket` first. */
export function budgetedHttp(inner: UpstreamHttp, bucket: TokenBucket): UpstreamHttp {
  return {
    async request(request) {
      await bucket.take();
      return inner.request(request);
    },
  };
}
