// The numbers of the per-owner request budget (owner-rate-limit.ts), apart from the limiter so
// that the HTTP tests, which run outside Next's server build, can read them too.

/** What the budget holds at once, in seconds of its refill. */
export const BURST_SECONDS = 30;

export const OWNER_BUDGET = {
  /** Units an owner can spend at once. */
  capacity: 600,
  /** Units given back per second (OWNER_BUDGET_PER_S changes it, and the capacity with it). */
  refillPerS: 20,
} as const;

/** The budget for a configured refill rate (OWNER_BUDGET_PER_S), or the default. */
export function ownerBudgetOf(refillPerS: number | undefined): { capacity: number; refillPerS: number } {
  return refillPerS === undefined ? OWNER_BUDGET : { capacity: refillPerS * BURST_SECONDS, refillPerS };
}

/** The cost of a read that scans samples, trips or rankings: 120 at once, 4 a second after that. */
export const EXPENSIVE = 5;
