import 'server-only';
import { getToken } from 'next-auth/jwt';

// The session id a request's session cookie carries. next-auth's `auth()` answers by running its
// whole session endpoint on every call: a new CSRF token (random bytes and a SHA-256), the JWT
// decrypted, then re-encrypted into a refreshed cookie that a route handler's or page's `auth()`
// throws away, and a Response built and its JSON parsed back. Kinetic needs only the session id
// in the token (the session row is checked in the database on every request, lib/auth/index.ts),
// so this decrypts the same cookie with the same secret and salt and does nothing else. With the
// secret no longer read from its file per request (lib/secrets.ts), a signed-in API request under
// the load benchmark's mix went from about 4.1 to 3.1 ms of server CPU (scripts/bench/load.ts).

/**
 * Whether next-auth names its cookies `__Secure-…` for this request: the rule of its session
 * endpoint (@auth/core's createActionURL, then `protocol === 'https:'`) — AUTH_URL's scheme when
 * set, else the request's X-Forwarded-Proto (Next sets it from the socket when absent), else https.
 */
export function usesSecureCookies(headers: Headers, authUrl: string | undefined): boolean {
  if (authUrl) return new URL(authUrl).protocol === 'https:';
  const protocol = headers.get('x-forwarded-proto') ?? 'https';
  return protocol.replace(/:$/, '') === 'https';
}

/** The session id in the request's session cookie; null when absent, forged, expired or unreadable. */
export async function sessionIdFromCookies(input: {
  headers: Headers;
  secret: string;
  authUrl: string | undefined;
}): Promise<string | null> {
  const cookie = input.headers.get('cookie');
  if (!cookie) return null;
  // Only the Cookie header: getToken would also take an `Authorization: Bearer` token, which the
  // session endpoint never reads.
  const token = await getToken({
    req: { headers: { cookie } },
    secret: input.secret,
    secureCookie: usesSecureCookies(input.headers, input.authUrl),
  });
  const sessionId = token?.sid;
  return typeof sessionId === 'string' && sessionId.length > 0 ? sessionId : null;
}
