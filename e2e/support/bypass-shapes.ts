// Requests in the shapes that have bypassed Next.js middleware or proxies before
// (docs/security-tests.md AC-02). The access-control suites send every protected page and route in
// each of them: e2e/api/anonymous-access.spec.ts anonymously, e2e/api/owner-matrix.spec.ts as
// owner A on owner B's ids. The answer must not depend on the shape, nor on the proxy.

export type BypassShape = {
  name: string;
  headers?: Record<string, string>;
  /** Rewrites a page's path (the App Router's transport URLs); pages only. */
  transform?: (path: string) => string;
  /** A header Next.js must ignore: the answer is the plain request's. */
  ignored?: true;
};

/** The header Next.js once trusted to skip middleware (CVE-2025-29927), in the values it took. */
const SUBREQUEST_VALUES = [
  'middleware',
  'src/middleware',
  'proxy',
  'src/proxy',
  'middleware:middleware:middleware:middleware:middleware',
  'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware',
  'proxy:proxy:proxy:proxy:proxy',
  'src/proxy:src/proxy:src/proxy:src/proxy:src/proxy',
];

const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`;
/** A page's path in the App Router's transport URL form (`/` is `/index`). */
const base = (path: string) => (path === '/' ? '/index' : path);

/** Shapes made of headers only: they apply to API routes as well as pages. */
export const HEADER_SHAPES: BypassShape[] = [
  { name: 'plain', ignored: true },
  ...SUBREQUEST_VALUES.map((value) => ({
    name: `x-middleware-subrequest: ${value}`,
    headers: { 'x-middleware-subrequest': value },
    ignored: true as const,
  })),
  { name: 'RSC', headers: { RSC: '1' } },
  { name: 'prefetch', headers: { RSC: '1', 'Next-Router-Prefetch': '1' } },
  {
    name: 'segment prefetch',
    headers: { RSC: '1', 'Next-Router-Prefetch': '1', 'Next-Router-Segment-Prefetch': '/_tree' },
  },
];

/** Every shape, for pages: the headers above and the transport URLs (CVE-2026-44575). */
export const PAGE_SHAPES: BypassShape[] = [
  ...HEADER_SHAPES,
  { name: '_rsc query', transform: (path) => withQuery(path, '_rsc=1') },
  { name: '.rsc suffix', transform: (path) => `${base(path)}.rsc` },
  { name: '.segments tree', transform: (path) => `${base(path)}.segments/_tree.segment.rsc` },
  {
    name: '.segments page',
    transform: (path) => `${base(path)}.segments/$c$children/__PAGE__.segment.rsc`,
  },
];

/**
 * The dynamic-route parameters of `ids`, repeated in the query as plain names and under Next's
 * internal `nxtP` prefix (the injection of CVE-2026-44574 altered the value the page saw while the
 * path stayed the same).
 */
export function injectedParams(ids: Record<string, string>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(ids)) {
    query.append(name, value);
    query.append(`nxtP${name}`, value);
  }
  return query.toString();
}

export { withQuery };
