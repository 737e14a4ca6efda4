import 'server-only';
import { type CachePolicy, REVALIDATE } from '../http-cache';

/** A charge that ended over a day ago is settled (late samples have long arrived): an hour. */
export const SETTLED_CHARGE: CachePolicy = { maxAgeS: 3600 };
const SETTLED_AFTER_MS = 86_400_000;

export function chargeCachePolicy(endedAt: string | null, now: number): CachePolicy {
  return endedAt !== null && now - Date.parse(endedAt) > SETTLED_AFTER_MS ? SETTLED_CHARGE : REVALIDATE;
}
