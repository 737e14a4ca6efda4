import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { refuseCrossSite } from './same-origin';

function request(method: string, headers: Record<string, string>) {
  return new Request('http://localhost:3000/api/imports', { method, headers });
}

function outcome(method: string, headers: Record<string, string>): string {
  try {
    refuseCrossSite(request(method, headers));
    return 'allowed';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('refuseCrossSite (AC-07)', () => {
  it('allows our own pages: Origin names the host the client addressed', () => {
    expect(outcome('POST', { host: 'localhost:3000', origin: 'http://localhost:3000' })).toBe('allowed');
    expect(
      outcome('DELETE', {
        host: 'localhost:3000',
        origin: 'http://localhost:3000',
        'sec-fetch-site': 'same-origin',
      }),
    ).toBe('allowed');
  });

  it('compares with the proxy-forwarded host, by host only (TLS ends at the proxy)', () => {
    expect(
      outcome('POST', {
        host: '10.0.0.5:3000',
        'x-forwarded-host': 'kinetic.example',
        origin: 'https://kinetic.example',
      }),
    ).toBe('allowed');
    expect(
      outcome('POST', {
        host: '10.0.0.5:3000',
        'x-forwarded-host': 'kinetic.example',
        origin: 'https://evil.example',
      }),
    ).toBe('forbidden');
  });

  it('refuses another site, an opaque origin, and what the browser marks cross-site', () => {
    expect(outcome('POST', { host: 'localhost:3000', origin: 'https://evil.example' })).toBe('forbidden');
    expect(outcome('PATCH', { host: 'localhost:3000', origin: 'http://localhost:3001' })).toBe('forbidden');
    expect(outcome('PUT', { host: 'localhost:3000', origin: 'null' })).toBe('forbidden');
    expect(outcome('POST', { host: 'localhost:3000', 'sec-fetch-site': 'cross-site' })).toBe('forbidden');
  });

  it('leaves reads alone, and callers that are not browsers (no Origin) to their credentials', () => {
    expect(outcome('GET', { host: 'localhost:3000', origin: 'https://evil.example' })).toBe('allowed');
    expect(outcome('HEAD', { host: 'localhost:3000', 'sec-fetch-site': 'cross-site' })).toBe('allowed');
    expect(outcome('POST', { host: 'localhost:3000' })).toBe('allowed');
  });
});
