import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

// Static security headers live here as well as in proxy.ts: a request that slips past the proxy
// (prefetch, a matcher gap, a bypass header) still gets them. The per-request CSP nonce is the
// proxy's job, since it must change on every response.
const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
  { key: 'Permissions-Policy', value: 'geolocation=(), camera=(), microphone=(), payment=(), usb=()' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ['better-sqlite3', 'pg', 'pg-copy-streams', '@node-rs/argon2'],
  images: { unoptimized: true },
  // Metadata is static here, so streaming it gains nothing; blocking it for every client keeps
  // real status codes (a foreign or missing vehicle is a 404, not a 200 with a noindex tag).
  htmlLimitedBots: /./,
  experimental: {
    // The stylesheet is small (about 5 kB gzip): inlining it saves a render-blocking round trip,
    // which is most of first paint on a phone's slow link.
    inlineCss: true,
    // React's taint API (lib/security/taint.ts): upstream tokens, password hashes and our own
    // secrets are registered as tainted, so a Server Component or Action that hands one to the
    // client fails the render instead of leaking it (docs/security-tests.md AC-16). The price:
    // Next then runs the app on the React *experimental* build it vendors (next/dist/compiled/
    // react-experimental and the matching server renderers) instead of its canary build. Both ship
    // inside the pinned `next` package; nothing else is installed.
    taint: true,
  },
  typescript: { ignoreBuildErrors: false },
  async headers() {
    return [
      { source: '/:path*', headers: SECURITY_HEADERS },
      // Shared links (docs/security-tests.md PV-04): the token in the URL never leaks through
      // Referer, and no search engine keeps the page. Later rules win for the same header.
      {
        source: '/s/:path*',
        headers: [
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Robots-Tag', value: 'noindex, nofollow' },
        ],
      },
    ];
  },
};

// Languages without locale routing: the request config picks the owner's language per request.
const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

export default withNextIntl(nextConfig);
