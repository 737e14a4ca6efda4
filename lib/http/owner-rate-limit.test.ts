import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownerBudgetOf } from './owner-budget';
import { createOwnerRateLimiter, EXPENSIVE, OWNER_BUDGET } from './owner-rate-limit';

const T0 = 1_700_000_000_000;

/** Spends until refused at one instant; answers how many requests went through and the wait. */
function drain(limiter: ReturnType<typeof createOwnerRateLimiter>, owner: string, cost: number, now: number) {
  let allowed = 0;
  for (;;) {
    const wait = limiter.spend(owner, cost, now);
    if (wait !== null) return { allowed, wait };
    allowed++;
  }
}

describe('the per-owner request budget (LD-03)', () => {
  it('lets a burst of the capacity through, then refuses with the seconds until the next request fits', () => {
    const limiter = createOwnerRateLimiter();
    const { allowed, wait } = drain(limiter, 'noisy', EXPENSIVE, T0);
    expect(allowed).toBe(OWNER_BUDGET.capacity / EXPENSIVE);
    // EXPENSIVE units come back in EXPENSIVE / refillPerS seconds, rounded up to whole seconds.
    expect(wait).toBe(Math.ceil(EXPENSIVE / OWNER_BUDGET.refillPerS));
  });

  it('keys by owner: one owner past the budget leaves every other owner untouched', () => {
    const limiter = createOwnerRateLimiter();
    drain(limiter, 'noisy', EXPENSIVE, T0);
    expect(limiter.spend('noisy', 1, T0)).not.toBeNull();
    const quiet = drain(limiter, 'quiet', EXPENSIVE, T0);
    expect(quiet.allowed).toBe(OWNER_BUDGET.capacity / EXPENSIVE);
  });

  it('refills at its rate: after the wait it gave, the refused request goes through', () => {
    const limiter = createOwnerRateLimiter({ capacity: 10, refillPerS: 2 });
    const { wait } = drain(limiter, 'a', 5, T0);
    expect(limiter.spend('a', 5, T0 + (wait * 1000) / 2)).not.toBeNull();
    expect(limiter.spend('a', 5, T0 + wait * 1000)).toBeNull();
  });

  it('never allows more than capacity plus what the elapsed time refilled, however requests arrive', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ gapMs: fc.integer({ min: 0, max: 3_000 }), cost: fc.constantFrom(1, EXPENSIVE) }),
          {
            minLength: 1,
            maxLength: 400,
          },
        ),
        (requests) => {
          const limiter = createOwnerRateLimiter();
          let now = T0;
          let spent = 0;
          for (const { gapMs, cost } of requests) {
            now += gapMs;
            const wait = limiter.spend('o', cost, now);
            if (wait === null) spent += cost;
            else expect(wait).toBeGreaterThanOrEqual(1);
            const ceiling = OWNER_BUDGET.capacity + ((now - T0) / 1000) * OWNER_BUDGET.refillPerS;
            expect(spent).toBeLessThanOrEqual(ceiling + 1e-9);
          }
        },
      ),
    );
  });

  it('a clock that steps back does not mint units', () => {
    const limiter = createOwnerRateLimiter({ capacity: 10, refillPerS: 1 });
    drain(limiter, 'a', 1, T0);
    expect(limiter.spend('a', 1, T0 - 60_000)).not.toBeNull();
  });

  it('takes its rate from OWNER_BUDGET_PER_S when set, with a burst of 30 seconds of it', () => {
    expect(ownerBudgetOf(undefined)).toEqual(OWNER_BUDGET);
    expect(OWNER_BUDGET.capacity).toBe(OWNER_BUDGET.refillPerS * 30);
    const raised = createOwnerRateLimiter(ownerBudgetOf(200));
    let allowed = 0;
    while (raised.spend('owner', EXPENSIVE, 0) === null) allowed++;
    expect(allowed).toBe((200 * 30) / EXPENSIVE);
    expect(raised.spend('owner', EXPENSIVE, 1000)).toBeNull();
  });
});
