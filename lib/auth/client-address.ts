import 'server-only';

/**
 * The address a request came from, for throttling. Next sets X-Forwarded-For to the socket's
 * address when the header is absent; a reverse proxy appends the address it saw, so the last hop
 * is the one our side of the connection vouches for.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  const lastHop = forwarded?.split(',').at(-1)?.trim();
  if (lastHop) return lastHop.slice(0, 64);
  return headers.get('x-real-ip')?.trim().slice(0, 64) || 'unknown';
}
