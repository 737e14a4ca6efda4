// The HTML pages of the simulated identity providers: the brand's sign-in form and the error page
// shown when a request cannot safely be sent back to the client. Everything that came from the
// request is escaped: the page echoes `state`, the redirect URI and the e-mail address, all of
// which an attacker can choose. No script runs on these pages.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (character) => HTML_ESCAPES[character] ?? character);
}

/**
 * Headers for every page: nothing loads or runs but the inline style, and no other site may frame
 * the password form. No `form-action` directive: browsers apply it to the redirect that follows
 * the form post, which goes to the client's own origin.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1d21}
main{max-width:24rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin:0 0 1rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{box-sizing:border-box;width:100%;padding:.6rem;font:inherit;border:1px solid #8a8f98;border-radius:.4rem}
button{margin-top:1.25rem;width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;background:#1b3a8c;border:0;border-radius:.4rem}
.error{padding:.6rem .8rem;background:#fde8e8;color:#8a1c1c;border-radius:.4rem}
.note{font-size:.85rem;color:#4a4f57}
`;

// A language tag for the page's `lang` (PSA's authorize URL carries it as `locale`, or `local`).
const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Z]{2})?$/;

export function pageLanguage(locale: string | undefined): string {
  return locale && LOCALE_PATTERN.test(locale) ? locale : 'en-GB';
}

function page(title: string, body: string, locale?: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(pageLanguage(locale))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export type SignInPage = {
  /** The brand's display name, e.g. "Peugeot". */
  brandLabel: string;
  /** The path the form posts back to (the authorize endpoint the browser is on). */
  action: string;
  /** The validated authorization request, carried through the form as hidden fields. */
  hiddenFields: Readonly<Record<string, string>>;
  /** The e-mail address to put back into the form after a failed attempt. */
  email?: string;
  error?: string;
  locale?: string;
  /** The rule for the simulated owners' password, shown so that a person can try the flow. */
  passwordHint: string;
};

export function renderSignInPage(input: SignInPage): string {
  const title = `Sign in — My${input.brandLabel} (simulated)`;
  const hidden = Object.entries(input.hiddenFields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>\n` : '';
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
${error}<form method="post" action="${escapeHtml(input.action)}">
${hidden}
<label for="email">E-mail</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="note">Kinetic vehicle-cloud simulator. ${escapeHtml(input.passwordHint)}</p>`,
    input.locale,
  );
}

export function renderErrorPage(input: { title: string; message: string; locale?: string }): string {
  return page(
    input.title,
    `<h1>${escapeHtml(input.title)}</h1>
<p class="error" role="alert">${escapeHtml(input.message)}</p>
<p class="note">The application that sent you here made an invalid sign-in request, so you were not sent back to it.</p>`,
    input.locale,
  );
}
