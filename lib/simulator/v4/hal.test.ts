import { describe, expect, it } from 'vitest';
import {
  decodePageToken,
  encodePageToken,
  type PageContext,
  pageOf,
  parseIndexRange,
  parsePageSize,
  rfc3339,
} from './hal';

const key = { secret: 'secret', binding: 'owner|client|/user/vehicles' };
const context: PageContext = {
  page: 2,
  pageSize: 3,
  range: { start: 1, end: 7 },
  filters: { vinPrefix: ['VF3'], extension: ['branding'] },
};

describe('HAL helpers', () => {
  it('writes RFC 3339 UTC timestamps without fractions', () => {
    expect(rfc3339(Date.parse('2021-04-01T16:17:01.987Z'))).toBe('2021-04-01T16:17:01Z');
  });

  it('parses indexRange and pageSize per the spec', () => {
    expect(parseIndexRange(undefined)).toEqual({ start: 0, end: null });
    expect(parseIndexRange('0-9')).toEqual({ start: 0, end: 9 });
    expect(parseIndexRange('5-')).toEqual({ start: 5, end: null });
    expect(() => parseIndexRange('9-0')).toThrow(/indexRange/);
    expect(parsePageSize(undefined)).toBe(60);
    expect(parsePageSize('2000', 2000)).toBe(2000);
    expect(() => parsePageSize('61')).toThrow(/pageSize/);
  });

  it('round-trips page tokens and refuses them for another binding or when altered', () => {
    const token = encodePageToken(context, key);
    expect(token).toMatch(/^[0-9a-f]{32}[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, key)).toEqual(context);
    expect(() => decodePageToken(token, { ...key, binding: 'other|client|/user/vehicles' })).toThrow(
      /pageToken/,
    );
    expect(() => decodePageToken(token, { ...key, secret: 'other' })).toThrow(/pageToken/);
    // A validly signed payload of the wrong shape is refused too.
    const forged = encodePageToken({ ...context, page: 0 }, key);
    expect(() => decodePageToken(forged, key)).toThrow(/pageToken/);
  });

  it('slices the range first, then the page', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    expect(pageOf(items, context)).toEqual({
      items: ['e', 'f', 'g'],
      total: 7,
      totalPage: 3,
      currentPage: 2,
    });
    expect(pageOf(items, { ...context, page: 3 })?.items).toEqual(['h']);
    expect(pageOf(items, { ...context, page: 4 })).toBeNull();
    expect(pageOf(items, { ...context, range: { start: 10, end: null } })).toBeNull();
  });
});
