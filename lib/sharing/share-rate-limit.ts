import 'server-only';
import { setNewest } from '../bounded-map';

// The per-address budget for opening shared links (docs/security-tests.md PV-03: guessing tokens
// must hit a wall long before it could matter). Kept in the proxy's memory, so it answers a real
// 429 before any page renders; each app instance counts on its own, which a 256-bit token can
// afford (guessing one is hopeless at any rate; the limit keeps scanners off the database).

export const SHARE_REQUESTS_PER_WINDOW = 60;
export const SHARE_WINDOW_MS = 60_000;
/** Addresses remembered at most; the oldest windows are dropped first. */
const MAX_ADDRESSES = 10_000;

type Window = { startedAt: number; count: number };

export type ShareRateLimiter = {
  /** Counts one request; the seconds to wait when over budget, else null. */
  hit(address: string, now?: number): number | null;
};

export function createShareRateLimiter(
  limit = SHARE_REQUESTS_PER_WINDOW,
  windowMs = SHARE_WINDOW_MS,
): ShareRateLimiter {
  const windows = new Map<string, Window>();
  return {
    hit(address, now = Date.now()) {
      let window = windows.get(address);
      if (!window || now - window.startedAt >= windowMs) {
        window = { startedAt: now, count: 0 };
        setNewest(windows, address, window, MAX_ADDRESSES);
      }
      window.count++;
      return window.count > limit ? Math.max(1, Math.ceil((window.startedAt + windowMs - now) / 1000)) : null;
    },
  };
}
