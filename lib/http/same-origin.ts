import 'server-only';
import { AppError } from '../errors';

// AC-07 (docs/security-tests.md): a state-changing route refuses a request another site's page
// made. The session cookie is SameSite=Lax, so a browser does not send it on a cross-site POST;
// this check is the second lock, for the routes a cross-site form can reach without a preflight
// (a text/plain import, a bodiless acknowledge). Browsers send `Origin` on every cross-origin
// request and on same-origin POST, PUT, PATCH and DELETE; server-to-server callers (the maker's
// webhooks, the CLI, curl) send none and are judged by their credentials alone. The comparison is
// by host, as Next.js does for Server Actions: behind a TLS-terminating proxy the scheme differs.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host the client addressed: the proxy's X-Forwarded-Host (its first value), else Host. */
export function addressedHost(headers: Headers): string | null {
  const forwarded = headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return forwarded || headers.get('host');
}

export function refuseCrossSite(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site') throw new AppError('forbidden', 'Requests from other sites are refused.');
  const origin = request.headers.get('origin');
  if (origin === null) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) is opaque: never our own page.
    throw new AppError('forbidden', 'Requests from other sites are refused.');
  }
  if (host !== addressedHost(request.headers))
    throw new AppError('forbidden', 'Requests from other sites are refused.');
}
