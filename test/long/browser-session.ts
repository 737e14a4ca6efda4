// TEST SUPPORT ONLY (long tests): what a browser keeps between requests — its cookies — and the
// next-auth sign-in and sign-out a browser performs, over plain fetch, so one session can be
// carried from one app instance to another (as a load balancer without sticky sessions does).

export type BrowserSession = {
  /** The `cookie` header this browser sends. */
  cookieHeader(): string;
  cookie(name: string): string | undefined;
  /** Keeps what a response sets (and forgets what it expires). */
  store(response: Response): void;
  /** Another browser holding the same cookies from now on (a stolen or copied cookie). */
  copy(): BrowserSession;
  fetch(url: string, init?: RequestInit): Promise<Response>;
};

export function createBrowserSession(initial: ReadonlyMap<string, string> = new Map()): BrowserSession {
  const cookies = new Map(initial);
  const session: BrowserSession = {
    cookieHeader: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    cookie: (name) => cookies.get(name),
    store(response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        const expired = attributes.some((attribute) => {
          const [key = '', setting = ''] = attribute.split('=').map((part) => part.trim());
          if (key.toLowerCase() === 'max-age') return Number(setting) <= 0;
          if (key.toLowerCase() === 'expires') return Date.parse(setting) <= Date.now();
          return false;
        });
        if (expired || value === '') cookies.delete(name);
        else cookies.set(name, value);
      }
    },
    copy: () => createBrowserSession(cookies),
    async fetch(url, init = {}) {
      const headers = new Headers(init.headers);
      if (cookies.size > 0) headers.set('cookie', session.cookieHeader());
      const response = await fetch(url, { ...init, headers, redirect: 'manual' });
      session.store(response);
      return response;
    },
  };
  return session;
}

/** next-auth's session cookie over plain http (`__Secure-` prefixed over https). */
export const SESSION_COOKIE = 'authjs.session-token';

async function csrfToken(session: BrowserSession, baseUrl: string): Promise<string> {
  const response = await session.fetch(`${baseUrl}/api/auth/csrf`);
  if (!response.ok) throw new Error(`${baseUrl}/api/auth/csrf answered ${response.status}`);
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

/**
 * A sign-in attempt through next-auth's own endpoints, as the sign-in form makes it: the CSRF
 * token, then the provider's callback with the credentials (`demo` takes none: the "Try the demo"
 * button). A redirect (`location`: `/login?error=…&code=…` when refused), or a throttled 429.
 */
export async function attemptSignIn(
  session: BrowserSession,
  baseUrl: string,
  provider: 'credentials' | 'demo',
  credentials: Record<string, string> = {},
): Promise<{ status: number; location: string; retryAfter: string | null }> {
  const token = await csrfToken(session, baseUrl);
  const response = await session.fetch(`${baseUrl}/api/auth/callback/${provider}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...credentials, csrfToken: token, callbackUrl: '/' }),
  });
  await response.body?.cancel();
  return {
    status: response.status,
    location: response.headers.get('location') ?? '',
    retryAfter: response.headers.get('retry-after'),
  };
}

/** Signs in (see attemptSignIn), or throws. */
export async function signIn(
  session: BrowserSession,
  baseUrl: string,
  provider: 'credentials' | 'demo',
  credentials: Record<string, string> = {},
): Promise<void> {
  const { status, location } = await attemptSignIn(session, baseUrl, provider, credentials);
  if (status !== 302 || location.includes('error=')) {
    throw new Error(`sign-in at ${baseUrl} refused: ${status} ${location}`);
  }
  if (!session.cookie(SESSION_COOKIE)) throw new Error(`sign-in at ${baseUrl} set no session cookie`);
}

/** Signs out through next-auth's endpoint, as the menu's "Sign out" does. */
export async function signOut(session: BrowserSession, baseUrl: string): Promise<void> {
  const token = await csrfToken(session, baseUrl);
  const response = await session.fetch(`${baseUrl}/api/auth/signout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken: token, callbackUrl: '/login' }),
  });
  await response.body?.cancel();
  if (response.status !== 302) throw new Error(`sign-out at ${baseUrl} answered ${response.status}`);
}

export type JsonAnswer = { status: number; etag: string | null; body: unknown };

export async function getJson(session: BrowserSession, url: string, init?: RequestInit): Promise<JsonAnswer> {
  const response = await session.fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    body: text === '' ? null : (JSON.parse(text) as unknown),
  };
}
