// The numbers of the per-owner request budget (owner-rate-limit.ts), apart from the limiter so
// that the HTTP tests, which run outside Next's server build, can read them too.

export const OWNER_BUDGET = {
  /** Units an owner can spend at once. */
  capacity: 600,
  /** Units given back per second. */
  refillPerS: 20,
} as const;

/** The cost of a read that scans samples, trips or rankings: 120 at once, 4 a second after that. */
export const EXPENSIVE = 5;
