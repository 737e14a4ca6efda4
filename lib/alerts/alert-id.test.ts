import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAlertId, encodeAlertId } from './alert-id';

describe('alert ids', () => {
  it('round-trip any key, and are URL-safe', () => {
    const part = fc.string({ minLength: 1, maxLength: 60, unit: 'binary' });
    fc.assert(
      fc.property(part, part, part, (vehicleId, provider, providerAlertId) => {
        const key = { vehicleId, provider, providerAlertId };
        const id = encodeAlertId(key);
        expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeAlertId(id)).toEqual(key);
      }),
    );
  });

  it('encode the JSON array of the key in base64url', () => {
    // ["v1","psa-v4","a/b"] in base64url, worked out by hand from the bytes.
    const id = encodeAlertId({ vehicleId: 'v1', provider: 'psa-v4', providerAlertId: 'a/b' });
    expect(Buffer.from(id, 'base64url').toString('utf8')).toBe('["v1","psa-v4","a/b"]');
    expect(id).not.toContain('=');
  });

  it('refuse what is not one of their ids', () => {
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    expect(decodeAlertId('')).toBeNull();
    expect(decodeAlertId('not an id!')).toBeNull();
    expect(decodeAlertId(b64('{"a":1}'))).toBeNull();
    expect(decodeAlertId(b64('["v","p"]'))).toBeNull();
    expect(decodeAlertId(b64('["v","p",3]'))).toBeNull();
    expect(decodeAlertId(b64('["v","","a"]'))).toBeNull();
    expect(decodeAlertId(b64('[ "v","p","a"]'))).toBeNull(); // not the canonical spelling
    expect(decodeAlertId('A'.repeat(2000))).toBeNull();
  });
});
