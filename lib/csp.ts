// Content-Security-Policy with a per-request nonce (docs/security-tests.md HD-01). Inline styles
// stay allowed: chart libraries and Next's own style injection need them; scripts never do.

export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

/**
 * `formOrigins`: where a form may lead besides this origin — the car makers' sign-in pages, which
 * "Sign in with MyPeugeot" reaches by a redirect after a form post (form-action covers redirects).
 */
export function contentSecurityPolicy(
  nonce: string,
  options: { dev: boolean; formOrigins?: readonly string[] },
): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${options.dev ? ' ws:' : ''}`,
    // The service worker (public/sw.js) and the manifest: this origin only. worker-src must be explicit,
    // since it would fall back to script-src, where 'strict-dynamic' makes 'self' ignored.
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    ["form-action 'self'", ...(options.formOrigins ?? [])].join(' '),
    "frame-ancestors 'none'",
  ].join('; ');
}
