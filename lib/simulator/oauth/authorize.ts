import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context';
import { HttpError } from '../http';
import { BRAND_INFO, type SimBrand } from '../world/brands';
import { DEMO_OWNER_EMAIL, type SimClient, type World } from '../world/world';
import { authorizationCodesOf, isS256Challenge } from './authorization-codes';
import { findClient, passwordMatches, SIM_OWNER_PASSWORD } from './client-auth';
import { parseFormEncoded, readFormBody } from './form-body';
import { SUPPORTED_SCOPES } from './scopes';
import { PAGE_HEADERS, renderErrorPage, renderSignInPage } from './sign-in-page';

// GET and POST /am/oauth2/authorize: the sign-in page of a brand's identity provider and its form
// post, which redirects back to the client with a code (or an error).

// Bounds on what the authorize endpoint echoes into pages and redirects.
const MAX_PARAM_CHARS = 2048;
const MAX_EMAIL_CHARS = 254;
const MAX_PASSWORD_CHARS = 1024;

type AuthorizationRequest = {
  client: SimClient;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  codeChallenge: string | null;
  locale: string | undefined;
};

type AuthorizationCheck =
  | { ok: true; request: AuthorizationRequest }
  // The client or its redirect URI cannot be trusted: show an error page, never redirect.
  | { ok: false; page: string; locale: string | undefined }
  // The client is known and the redirect URI well formed: report the error to the client.
  | { ok: false; redirect: URL };

/**
 * The simulator has no registered redirect URIs, so it accepts any https URI and plain http on
 * localhost only (where Kinetic runs; see toolchain.md, pitfall 2), and binds the code to it.
 */
export function acceptableRedirectUri(value: string): URL | null {
  if (value.length > MAX_PARAM_CHARS || value.includes('#')) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && url.hostname === 'localhost') return url;
  return null;
}

/** Scopes are space-separated (RFC 6749) or comma-separated (PSA's doc example). */
function parseScopes(value: string): string[] {
  return [...new Set(value.split(/[\s,]+/).filter((scope) => scope !== ''))];
}

function checkAuthorizationRequest(
  ctx: SimContext,
  params: Map<string, string>,
  pathBrand: SimBrand | null,
): AuthorizationCheck {
  const locale = params.get('locale') ?? params.get('local');
  const page = (message: string): AuthorizationCheck => ({ ok: false, page: message, locale });
  const client = findClient(ctx.world, params.get('client_id'), pathBrand);
  if (!client)
    return page('The application is not registered with this sign-in service (unknown client_id).');
  const redirectUri = params.get('redirect_uri') ?? '';
  const redirectUrl = acceptableRedirectUri(redirectUri);
  if (!redirectUrl) {
    return page('The redirect_uri is missing or not allowed: it must be an https URL or http://localhost.');
  }
  if (params.get('response_type') !== 'code') {
    return page('Only the authorization-code flow is supported (response_type=code).');
  }
  const state = params.get('state') ?? null;
  if (state !== null && state.length > MAX_PARAM_CHARS) return page('The state parameter is too long.');

  const redirectError = (error: string, description: string): AuthorizationCheck => {
    const url = new URL(redirectUri);
    url.searchParams.set('error', error);
    url.searchParams.set('error_description', description);
    if (state !== null) url.searchParams.set('state', state);
    return { ok: false, redirect: url };
  };
  const scopes = parseScopes(params.get('scope') ?? '');
  if (scopes.length === 0) return redirectError('invalid_scope', 'A scope is required.');
  if (!scopes.every((scope) => SUPPORTED_SCOPES.includes(scope))) {
    return redirectError('invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
  }
  const challenge = params.get('code_challenge') ?? null;
  const method = params.get('code_challenge_method');
  if (challenge === null && method !== undefined) {
    return redirectError('invalid_request', 'code_challenge_method was given without code_challenge.');
  }
  if (challenge !== null) {
    // A challenge without a method means `plain` (RFC 7636 §4.3), which is refused like an
    // explicit `plain`: it protects nothing once the authorization request is seen.
    if (method !== 'S256')
      return redirectError('invalid_request', 'Only code_challenge_method=S256 is supported.');
    if (!isS256Challenge(challenge))
      return redirectError('invalid_request', 'The code_challenge is malformed.');
  }
  return {
    ok: true,
    request: { client, redirectUri, scopes, state, codeChallenge: challenge, locale },
  };
}

function sendPage(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { ...PAGE_HEADERS, 'content-length': String(Buffer.byteLength(html)) });
  response.end(html);
}

function sendRedirect(response: ServerResponse, location: URL): void {
  response.writeHead(302, {
    location: location.toString(),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-length': '0',
  });
  response.end();
}

function sendErrorPage(response: ServerResponse, status: number, message: string, locale?: string): void {
  sendPage(response, status, renderErrorPage({ title: 'Sign-in request refused', message, locale }));
}

/** The first owner of the brand, to name on the page as an account a person can try. */
function exampleOwnerEmail(world: World, brand: SimBrand): string | null {
  if (brand === world.ownerAt(0).brand) return DEMO_OWNER_EMAIL;
  for (let index = 1; index < Math.min(world.ownerCount, 9); index += 1) {
    const owner = world.ownerAt(index);
    if (owner.brand === brand) return owner.email;
  }
  return null;
}

function showSignInPage(
  ctx: SimContext,
  response: ServerResponse,
  action: string,
  request: AuthorizationRequest,
  failure?: { email: string; error: string },
): void {
  const { client, redirectUri, scopes, state, codeChallenge, locale } = request;
  // Only validated values go back into the form; the post is checked again all the same.
  const hiddenFields: Record<string, string> = {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: scopes.join(' '),
  };
  if (state !== null) hiddenFields.state = state;
  if (codeChallenge !== null) {
    hiddenFields.code_challenge = codeChallenge;
    hiddenFields.code_challenge_method = 'S256';
  }
  if (locale !== undefined) hiddenFields.locale = locale;
  const example = exampleOwnerEmail(ctx.world, client.brand);
  sendPage(
    response,
    200,
    renderSignInPage({
      brandLabel: BRAND_INFO[client.brand].label,
      action,
      hiddenFields,
      locale,
      email: failure?.email,
      error: failure?.error,
      passwordHint:
        `Every simulated owner's password is "${SIM_OWNER_PASSWORD}"` +
        (example ? ` (for example ${example}).` : '.'),
    }),
  );
}

export async function authorize(
  ctx: SimContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  pathBrand: SimBrand | null,
): Promise<void> {
  let params: Map<string, string>;
  try {
    params = request.method === 'POST' ? await readFormBody(request) : parseFormEncoded(url.search.slice(1));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return sendErrorPage(response, error.status, error.message);
  }
  const check = checkAuthorizationRequest(ctx, params, pathBrand);
  if (!check.ok) {
    if ('redirect' in check) return sendRedirect(response, check.redirect);
    return sendErrorPage(response, 400, check.page, check.locale);
  }
  const authorization = check.request;
  if (request.method !== 'POST') return showSignInPage(ctx, response, url.pathname, authorization);

  const email = (params.get('email') ?? '').trim().slice(0, MAX_EMAIL_CHARS);
  const password = params.get('password') ?? '';
  const owner = email ? ctx.world.findOwnerByEmail(email) : null;
  // An owner of another brand has no account at this brand's IdP: the same answer as a typo.
  const passwordOk = passwordMatches(password.slice(0, MAX_PASSWORD_CHARS));
  if (!owner || owner.brand !== authorization.client.brand || !passwordOk) {
    return showSignInPage(ctx, response, url.pathname, authorization, {
      email,
      error: 'The e-mail address or password is incorrect.',
    });
  }
  const code = authorizationCodesOf(ctx).issue({
    clientId: authorization.client.clientId,
    brand: authorization.client.brand,
    redirectUri: authorization.redirectUri,
    ownerIndex: owner.index,
    scopes: authorization.scopes,
    codeChallenge: authorization.codeChallenge,
  });
  const location = new URL(authorization.redirectUri);
  location.searchParams.set('code', code);
  if (authorization.state !== null) location.searchParams.set('state', authorization.state);
  location.searchParams.set('scope', authorization.scopes.join(' '));
  sendRedirect(response, location);
}
