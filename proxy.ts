import { type NextRequest, NextResponse } from 'next/server';
import { contentSecurityPolicy, createNonce } from '@/lib/csp';
import { env } from '@/lib/env';
import { identityProviderOrigins } from '@/lib/vehicle-api/psa-config';

// The proxy sets the per-request CSP nonce and makes optimistic redirects only. It is never the
// access control: every page, route and action checks the session in the data layer itself.

const PUBLIC_PATHS = ['/login', '/signup', '/methodology'];
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
