import { type NextRequest, NextResponse } from 'next/server';
import { clientAddress } from '@/lib/auth/client-address';
import { contentSecurityPolicy, createNonce } from '@/lib/csp';
import { env } from '@/lib/env';
import { createShareRateLimiter } from '@/lib/sharing/share-rate-limit';
import { identityProviderOrigins } from '@/lib/vehicle-api/psa-config';

// The proxy sets the per-request CSP nonce and makes optimistic redirects only. It is never the
// access control: every page, route and action checks the session in the data layer itself.

const PUBLIC_PATHS = ['/login', '/signup', '/methodology', '/s'];
/** Shared links: public, and rate-limited per address before anything renders. */
const SHARE_PREFIX = '/s/';
const shareLimiter = createShareRateLimiter();
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/** The car makers' sign-in origins (the embedded simulator's, or the configured IdPs'). */
const IDP_ORIGINS = identityProviderOrigins(env);

function isPublic(pathname: string): boolean {
  return PUBLIC_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`));
}

function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name));
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith(SHARE_PREFIX)) {
    const retryAfterS = shareLimiter.hit(clientAddress(request.headers));
    if (retryAfterS !== null) {
      return NextResponse.json(
        {
          error: { code: 'rate_limited', message: 'Too many requests for shared links: try again shortly.' },
        },
        { status: 429, headers: { 'Retry-After': String(retryAfterS), 'Cache-Control': 'no-store' } },
      );
    }
  }
  if (env.KINETIC_PROXY_AUTH === 'on' && !isPublic(pathname) && !hasSessionCookie(request)) {
    const login = new URL('/login', request.url);
    if (pathname !== '/') login.searchParams.set('callbackUrl', `${pathname}${search}`);
    return NextResponse.redirect(login);
  }

  const nonce = createNonce();
  const policy = contentSecurityPolicy(nonce, {
    dev: env.NODE_ENV === 'development',
    formOrigins: IDP_ORIGINS,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    '/((?!api/|_next/static/|_next/image|favicon.ico|icon.svg|robots.txt|fonts/|sw.js|manifest.webmanifest|icons/).*)',
  ],
};
