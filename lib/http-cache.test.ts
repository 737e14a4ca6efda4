import { describe, expect, it } from 'vitest';
import { cacheControl, cachedJson, matchesEtag, REVALIDATE, weakEtag } from './http-cache';

const URL_BASE = 'http://localhost/api/thing';

describe('cachedJson', () => {
  it('answers 200 with a weak ETag, then 304 with no body for the same ETag', async () => {
    const first = cachedJson(new Request(URL_BASE), { a: 1 }, REVALIDATE);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(await first.json()).toEqual({ a: 1 });
    expect(first.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
    expect(first.headers.get('vary')).toBe('Cookie');

    const again = cachedJson(
      new Request(URL_BASE, { headers: { 'If-None-Match': etag } }),
      { a: 1 },
      REVALIDATE,
    );
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('answers 200 again once the body changed', () => {
    const etag = weakEtag(JSON.stringify({ a: 1 }));
    const changed = cachedJson(
      new Request(URL_BASE, { headers: { 'If-None-Match': etag } }),
      { a: 2 },
      REVALIDATE,
    );
    expect(changed.status).toBe(200);
  });
});

describe('matchesEtag', () => {
  it('compares weakly, in lists, and accepts *', () => {
    expect(matchesEtag('"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEtag('W/"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEtag('*', 'W/"abc"')).toBe(true);
    expect(matchesEtag('W/"abd"', 'W/"abc"')).toBe(false);
    expect(matchesEtag(null, 'W/"abc"')).toBe(false);
  });
});

describe('cacheControl', () => {
  it('lets settled data be reused and live data always revalidate', () => {
    expect(cacheControl({ maxAgeS: 300, staleWhileRevalidateS: 3600 })).toBe(
      'private, max-age=300, stale-while-revalidate=3600',
    );
    expect(cacheControl(REVALIDATE)).toBe('private, max-age=0, must-revalidate');
  });
});
