// Sessions for benchmarks, through Auth.js's own endpoints as a browser makes them: the CSRF
// token, then a provider's callback. Answers the Cookie header to send afterwards.

const cookiePairs = (response: Response): string[] =>
  response.headers.getSetCookie().map((line) => line.split(';')[0] ?? '');

async function callbackSession(
  baseUrl: string,
  provider: 'credentials' | 'demo',
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/${provider}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      ...headers,
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiePairs(csrf).join('; '),
    },
    body: new URLSearchParams({ ...fields, csrfToken, callbackUrl: '/' }),
  });
  await response.arrayBuffer();
  const location = response.headers.get('location') ?? '';
  const cookies = cookiePairs(response);
  if (response.status !== 302 || location.includes('error='))
    throw new Error(`the ${provider} sign-in answered ${response.status} ${location}`);
  if (!cookies.some((pair) => pair.includes('session-token=')))
    throw new Error(`the ${provider} sign-in set no session cookie`);
  return cookies.join('; ');
}

/** An owner's session by e-mail and password, from `address` (X-Forwarded-For, as a proxy sets it). */
export const signIn = (baseUrl: string, email: string, address: string, password: string) =>
  callbackSession(baseUrl, 'credentials', { email, password }, { 'x-forwarded-for': address });

/** The demo visitor's session, as the login page's "Try the demo" posts it. */
export const signInToDemoOverHttp = (baseUrl: string) => callbackSession(baseUrl, 'demo', {});
