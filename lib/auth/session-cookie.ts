import 'server-only';
import { createHash } from 'node:crypto';
import { getToken } from 'next-auth/jwt';
import { setNewest } from '../bounded-map';

// The session id a request's session cookie carries. next-auth's `auth()` answers by running its
// whole session endpoint on every call: a new CSRF token (random bytes and a SHA-256), the JWT
// decrypted, then re-encrypted into a refreshed cookie that a route handler's or page's `auth()`
// throws away, and a Response built and its JSON parsed back. Kinetic needs only the session id
// in the token (the session row is checked in the database on every request, lib/auth/index.ts),
// so this decrypts the same cookie with the same secret and salt and does nothing else — and,
// below, only once per cookie.

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

/** A decrypted session cookie: its session id, and until when the token itself is valid (ms). */
type Decoded = { sessionId: string; expiresAt: number };

/**
 * Cookies decrypted lately, by a digest of (secret, cookie scheme, Cookie header). Decrypting is
 * deterministic, so the same header always yields the same session id; what is cached is that
 * answer, never a decision: the session row is still read on every request (revocation and the
 * idle timeout act at once), and the token's own expiry is checked again on every hit. Decrypting
 * (HKDF, a key thumbprint, AES-CBC and two HMACs, all WebCrypto) was about a fifth of a signed-in
 * API request's server CPU in the profile of GET /api/vehicles under load — and every request an
 * owner past the request budget sends still pays the way to the 429. Only cookies that decrypted
 * to a session are kept: a forged one is decrypted (and refused) every time, as before.
 */
const decoded = new Map<string, Decoded>();
const DECODED_CACHE_SIZE = 10_000;

const cacheKey = (secret: string, secure: boolean, cookie: string) =>
  createHash('sha256')
    .update(secret)
    .update(secure ? '\u0001' : '\u0000')
    .update(cookie)
    .digest('base64url');

const remember = (key: string, value: Decoded) => setNewest(decoded, key, value, DECODED_CACHE_SIZE);

/** The session id in the request's session cookie; null when absent, forged, expired or unreadable. */
export async function sessionIdFromCookies(input: {
  headers: Headers;
  secret: string;
  authUrl: string | undefined;
}): Promise<string | null> {
  const cookie = input.headers.get('cookie');
  if (!cookie) return null;
  const secureCookie = usesSecureCookies(input.headers, input.authUrl);
  const key = cacheKey(input.secret, secureCookie, cookie);
  const hit = decoded.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.sessionId;
  if (hit) decoded.delete(key);
  // Only the Cookie header: getToken would also take an `Authorization: Bearer` token, which the
  // session endpoint never reads.
  const token = await getToken({ req: { headers: { cookie } }, secret: input.secret, secureCookie });
  const sessionId = token?.sid;
  if (typeof sessionId !== 'string' || sessionId.length === 0) return null;
  // Without an `exp` the token never expires by itself (Auth.js always sets one).
  if (typeof token?.exp === 'number') remember(key, { sessionId, expiresAt: token.exp * 1000 });
  return sessionId;
}
