import { expect } from '@playwright/test';

/**
 * docs/security-tests.md HD-01 on one HTML answer: the Content-Security-Policy has a nonce with
 * 'strict-dynamic', object-src, base-uri and frame-ancestors 'none', form-action 'self', no
 * 'unsafe-inline' for scripts and no 'unsafe-eval' (production build); every <script> carries
 * the nonce. Returns the nonce, for the caller to check that it is fresh.
 */
export function expectNonceCsp(what: string, policy: string, html: string): string {
  expect(policy, what).toMatch(/(^|; )script-src 'self' 'nonce-[A-Za-z0-9+/=]{22,}' 'strict-dynamic'(;|$)/);
  expect(policy, what).not.toMatch(/'unsafe-eval'/);
  expect(policy, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"])
    expect(policy.split('; '), what).toContain(directive);
  expect(policy, what).toMatch(/(^|; )form-action 'self'/);
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1] as string;
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, what).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, what).toContain(`nonce="${nonce}"`);
  return nonce;
}
