import 'server-only';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { env } from '../env';

// The running build's id, which names the service worker's cache (public/sw.js): a new deploy gets
// a new worker URL and its activation drops the previous build's cache.

let cached: string | null | undefined;

/** `.next/BUILD_ID` of a production server; null in development (no worker there: its caches would serve stale code between edits). */
export function serviceWorkerVersion(): string | null {
  if (env.NODE_ENV !== 'production') return null;
  if (cached !== undefined) return cached;
  try {
    cached =
      readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), '.next', 'BUILD_ID'), 'utf8').trim() ||
      null;
  } catch {
    cached = null;
  }
  return cached;
}
