import { describe, expect, it } from 'vitest';
import { escapeHtml, pageLanguage, renderErrorPage, renderSignInPage } from './sign-in-page';

describe('sign-in pages', () => {
  it('escapes every character that could end a text node or an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
  });

  it('escapes hidden fields, the e-mail and the error, and posts to the given action', () => {
    const html = renderSignInPage({
      brandLabel: 'Peugeot',
      action: '/am/oauth2/authorize',
      hiddenFields: { state: '"><script>alert(1)</script>', redirect_uri: 'https://a.example/?x=1&y=2' },
      email: '"><img src=x onerror=alert(2)>',
      error: '<b>wrong</b>',
      passwordHint: 'Password is "sim-password".',
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain(
      '<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
    );
    expect(html).toContain('value="https://a.example/?x=1&amp;y=2"');
    expect(html).toContain('<form method="post" action="/am/oauth2/authorize">');
    expect(html).toContain('name="password" type="password"');
    expect(html).toContain('role="alert">&lt;b&gt;wrong&lt;/b&gt;</p>');
    expect(html).toContain('<title>Sign in — MyPeugeot (simulated)</title>');
  });

  it('takes the page language from a well-formed locale only', () => {
    expect(pageLanguage('fr-FR')).toBe('fr-FR');
    expect(pageLanguage('de')).toBe('de');
    expect(pageLanguage('"><x')).toBe('en-GB');
    expect(pageLanguage(undefined)).toBe('en-GB');
    expect(renderErrorPage({ title: 'T', message: '<m>', locale: 'x" onload="y' })).toContain(
      '<html lang="en-GB">',
    );
  });
});
