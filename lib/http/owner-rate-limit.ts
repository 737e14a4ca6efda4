import 'server-only';
import { setNewest } from '../bounded-map';
import { env } from '../env';
import { OWNER_BUDGET, ownerBudgetOf } from './owner-budget';

// Per-owner request budget for the signed-in API (docs/security-tests.md LD-03: one noisy owner
// must not slow everyone else down). A token bucket per owner id, weighted by what a request
// costs the server: a cheap read (vehicle list, alert badge) costs 1, a read that scans samples
// or trips (telemetry, trip lists, exports, leaderboards) costs EXPENSIVE. A person tapping
// through the dashboard and zooming charts stays far below it; a script hammering the telemetry
// route meets a 429 with Retry-After within seconds, while other owners are not counted at all.
//
// Kept in process memory, not in the database: a write per read would cost every owner more than
// the limiter saves. Each app instance counts on its own, so N instances allow N times the rate
// (docs/deploy.md); the budget is about protecting the server's CPU, which is per instance too.

export { EXPENSIVE, OWNER_BUDGET } from './owner-budget';

/** Owners remembered at most; the least recently seen are dropped first (they start full again). */
const MAX_OWNERS = 50_000;

type Bucket = { units: number; at: number };

export type OwnerRateLimiter = {
  /** Spends `cost` units of `ownerId`'s budget: null when allowed, else the seconds to wait. */
  spend(ownerId: string, cost: number, now?: number): number | null;
};

export function createOwnerRateLimiter(
  budget: { capacity: number; refillPerS: number } = OWNER_BUDGET,
): OwnerRateLimiter {
  const buckets = new Map<string, Bucket>();
  return {
    spend(ownerId, cost, now = Date.now()) {
      const bucket = buckets.get(ownerId) ?? { units: budget.capacity, at: now };
      const elapsedS = Math.max(0, now - bucket.at) / 1000;
      const units = Math.min(budget.capacity, bucket.units + elapsedS * budget.refillPerS);
      // Set anew on every request, so the Map's order is least recently seen first.
      if (units < cost) {
        setNewest(buckets, ownerId, { units, at: now }, MAX_OWNERS);
        return Math.max(1, Math.ceil((cost - units) / budget.refillPerS));
      }
      setNewest(buckets, ownerId, { units: units - cost, at: now }, MAX_OWNERS);
      return null;
    },
  };
}

// On globalThis: each route is its own bundle entry, and one budget must span them all.
const shared = globalThis as { kineticOwnerRateLimiter?: OwnerRateLimiter };

shared.kineticOwnerRateLimiter ??= createOwnerRateLimiter(ownerBudgetOf(env.OWNER_BUDGET_PER_S));

/** The app's one limiter (one per process). */
export const ownerRateLimiter: OwnerRateLimiter = shared.kineticOwnerRateLimiter;
