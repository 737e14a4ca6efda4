// Cookies the browser writes itself (the last vehicle opened, the browser's time zone): whole site,
// SameSite=Lax, Secure over https, like the ones the server writes. Client-only helpers.

export const ONE_YEAR_S = 365 * 24 * 60 * 60;

export function writeBrowserCookie(name: string, value: string, maxAgeS: number): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  // The Cookie Store API is not in every browser the dashboard supports; document.cookie is.
  // biome-ignore lint/suspicious/noDocumentCookie: see above
  document.cookie = `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${maxAgeS}; SameSite=Lax${secure}`;
}

/** The cookie's value as the browser sees it, or undefined. */
export function readBrowserCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const entry = part.trim();
    if (entry.startsWith(`${name}=`)) return decodeURIComponent(entry.slice(name.length + 1));
  }
  return undefined;
}

export const hasBrowserCookie = (name: string): boolean => readBrowserCookie(name) !== undefined;
