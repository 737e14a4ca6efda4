import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from './safe-redirect';

describe('safeCallbackPath (AC-13)', () => {
  it.each([
    ['an absolute URL', 'https://evil.example'],
    ['an absolute URL on a look-alike host', 'https://ourhost.evil.example/settings'],
    ['a protocol-relative URL', '//evil.example'],
    ['a protocol-relative URL with a path', '//evil.example/login'],
    ['a backslash after the slash', '/\\evil.example'],
    ['a backslash later on', '/foo\\..\\\\evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a relative path', 'settings'],
    ['a leading space', ' /settings'],
    ['a tab that browsers strip into //', '/\t/evil.example'],
    ['a newline', '/settings\nLocation: https://evil.example'],
    ['a carriage return', '/settings\r'],
    ['a NUL', '/settings\u0000'],
    ['DEL', '/settings\u007f'],
    ['an escape', '/\u001b[31m'],
    ['an empty string', ''],
    ['a path over 512 characters', `/${'a'.repeat(512)}`],
  ])('refuses %s', (_case, value) => {
    expect(safeCallbackPath(value)).toBe('/');
  });

  it.each([undefined, null, 42, ['/settings'], { href: '/settings' }])(
    'refuses a non-string (%s)',
    (value) => {
      expect(safeCallbackPath(value)).toBe('/');
    },
  );

  it.each([
    '/',
    '/settings?x=1',
    '/vehicles/3f2a/trips?from=2024-01-01T00:00:00Z#top',
    '/search?q=https://example.com',
    '/a%2F%2Fb',
    `/${'a'.repeat(511)}`,
  ])('keeps the path on this site: %s', (value) => {
    expect(safeCallbackPath(value)).toBe(value);
  });

  it('whatever it returns resolves to this origin', () => {
    const origin = 'https://kinetic.example';
    const attempts = [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      'javascript:alert(1)',
      '/settings?x=1',
      '/ok',
    ];
    for (const attempt of attempts) {
      const target = new URL(safeCallbackPath(attempt), origin);
      expect(target.origin).toBe(origin);
      expect(target.protocol).toBe('https:');
    }
  });
});
