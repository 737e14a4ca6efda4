import 'server-only';
import { createHash } from 'node:crypto';
import { NextResponse } from 'next/server';

// Conditional GETs for the dashboard's JSON: a weak ETag from the body's hash, a 304 with no body
// when the client already holds it, and a Cache-Control that fits the resource. Answers are always
// `private` (they belong to one owner) and vary on the cookie that says who that is.

export type CachePolicy = {
  /** Seconds a browser may reuse the answer without asking (0: always revalidate with the ETag). */
  maxAgeS: number;
  /** Seconds a stale answer may be shown while it is refreshed in the background. */
  staleWhileRevalidateS?: number;
};

/** Revalidate every time: the data can change at any moment (live status, alerts). */
export const REVALIDATE: CachePolicy = { maxAgeS: 0 };

export function cacheControl(policy: CachePolicy): string {
  const parts = ['private', `max-age=${policy.maxAgeS}`];
  if (policy.maxAgeS === 0) parts.push('must-revalidate');
  if (policy.staleWhileRevalidateS) parts.push(`stale-while-revalidate=${policy.staleWhileRevalidateS}`);
  return parts.join(', ');
}

export function weakEtag(text: string): string {
  return `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}

/** True when an `If-None-Match` header names this ETag (weak comparison, lists and `*`). */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

/** A 200 with the JSON body, an ETag and the policy's Cache-Control, or a bodiless 304. */
export function cachedJson(request: Request, body: unknown, policy: CachePolicy): NextResponse {
  const text = JSON.stringify(body);
  const etag = weakEtag(text);
  const headers = { ETag: etag, 'Cache-Control': cacheControl(policy), Vary: 'Cookie' };
  if (matchesEtag(request.headers.get('if-none-match'), etag))
    return new NextResponse(null, { status: 304, headers });
  return new NextResponse(text, { status: 200, headers: { ...headers, 'Content-Type': 'application/json' } });
}
