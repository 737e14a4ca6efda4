import type { IncomingMessage } from 'node:http';

// The `stale` fault: the request is answered with the car's data as it was some time ago, so every
// `createdAt` is old, as when a car's uploads stop reaching the cloud. The fault layer marks the
// request; the v4 handlers read the mark when they pick the instant they describe.

/** How old stale data is when the rule gives no `delayS`: six hours. */
export const DEFAULT_STALE_S = 6 * 3600;

const shifts = new WeakMap<IncomingMessage, number>();

export function markStale(request: IncomingMessage, shiftMs: number): void {
  shifts.set(request, shiftMs);
}

/** How far in the past this request's data lies (0 for a genuine answer). */
export function staleShiftMs(request: IncomingMessage): number {
  return shifts.get(request) ?? 0;
}
