import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createNonce } from './csp';

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(map.has(name), `directive ${name} appears twice`).toBe(false);
    map.set(name, values);
  }
  return map;
}

describe('contentSecurityPolicy', () => {
  const nonce = createNonce();

  for (const dev of [false, true]) {
    describe(dev ? 'in development' : 'in production', () => {
      const policy = directives(contentSecurityPolicy(nonce, { dev }));

      it("allows scripts only from this origin with this request's nonce, trusted transitively", () => {
        const scripts = policy.get('script-src') ?? [];
        expect(scripts.slice(0, 3)).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
        expect(scripts).not.toContain("'unsafe-inline'");
        expect(scripts).not.toContain('*');
        expect(scripts.some((source) => source.startsWith('http') || source === 'data:')).toBe(false);
        if (dev) expect(scripts).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", "'unsafe-eval'"]);
        else expect(scripts).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
      });

      it('locks down plugins, base URLs, framing and form targets', () => {
        expect(policy.get('object-src')).toEqual(["'none'"]);
        expect(policy.get('base-uri')).toEqual(["'none'"]);
        expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
        expect(policy.get('form-action')).toEqual(["'self'"]);
        expect(policy.get('default-src')).toEqual(["'self'"]);
      });

      it(dev ? 'allows the dev server websocket' : 'connects only to this origin', () => {
        expect(policy.get('connect-src')).toEqual(dev ? ["'self'", 'ws:'] : ["'self'"]);
      });
    });
  }

  it("never allows 'unsafe-eval' outside development", () => {
    const policy = contentSecurityPolicy(createNonce(), { dev: false });
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('ws:');
  });
});

describe('form-action', () => {
  it('is this origin only, plus the identity providers it is given', () => {
    const only = directives(contentSecurityPolicy(createNonce(), { dev: false }));
    expect(only.get('form-action')).toEqual(["'self'"]);
    const withIdp = directives(
      contentSecurityPolicy(createNonce(), { dev: false, formOrigins: ['https://idpcvs.peugeot.com'] }),
    );
    expect(withIdp.get('form-action')).toEqual(["'self'", 'https://idpcvs.peugeot.com']);
  });
});

describe('createNonce', () => {
  it('is at least 128 random bits, base64-encoded', () => {
    const nonce = createNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(nonce, 'base64').length * 8).toBeGreaterThanOrEqual(128);
  });

  it('differs on every call', () => {
    const nonces = new Set(Array.from({ length: 1000 }, () => createNonce()));
    expect(nonces.size).toBe(1000);
  });
});
