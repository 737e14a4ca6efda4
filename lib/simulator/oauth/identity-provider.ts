import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteFamily, SimContext } from '../context';
import { HttpError, readBodyText, sendJson } from '../http';
import { BRAND_INFO, isSimBrand, type SimBrand } from '../world/brands';
import { DEMO_OWNER_EMAIL, type SimClient, type World } from '../world/world';
import { AuthorizationCodeStore, isS256Challenge, verifierMatches } from './authorization-codes';
import { SUPPORTED_SCOPES } from './scopes';
import { PAGE_HEADERS, renderErrorPage, renderSignInPage } from './sign-in-page';
import type { TokenStore } from './token-store';

// The simulated PSA identity providers (vehicle-apis.md §2): ForgeRock-style `/am/oauth2/*`
// endpoints doing the OAuth 2.0 authorization-code flow with optional PKCE (S256 only).
//
// One server plays the four brands' IdPs (idpcvs.peugeot.com, …). The brand of a request is the
// brand of its `client_id` (world.clients). A client that wants one base URL per brand, as the
// real hosts are, can use `/{brand}/am/oauth2/…` (e.g. `/peugeot/am/oauth2/authorize`); there a
// client of another brand is refused, which is how a per-host IdP would behave.
//
//   GET  /am/oauth2/authorize     sign-in page (HTML) for the client's brand
//   POST /am/oauth2/authorize     form post of the page → 302 to redirect_uri?code=&state=&scope=
//   POST /am/oauth2/access_token  grant_type=authorization_code | refresh_token (`?realm=` optional)
//   POST /am/oauth2/token/revoke  token= (or refresh_token=, as the PSA doc's sample sends), `?realm=`
//   GET  /am/oauth2/userinfo      Bearer token → { sub, name, email }: the profile an OAuth
//                                 client such as Auth.js reads after the exchange.
//
// Client authentication: HTTP Basic (client_secret_basic, what PSA documents) or client_id +
// client_secret in the form body (client_secret_post, what many clients send); never both.

/** Every simulated owner's password, the demo owner's included. The simulator has no others. */
export const SIM_OWNER_PASSWORD = 'sim-password';

// Bounds on what the authorize endpoint echoes into pages and redirects.
const MAX_PARAM_CHARS = 2048;
const MAX_EMAIL_CHARS = 254;
const MAX_PASSWORD_CHARS = 1024;
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

// The observed PSA error bodies (vehicle-apis.md §2.2): every bad grant gets the same words, so
// a failure says nothing about which check failed.
const INVALID_GRANT = 'grant is invalid';
const INVALID_CLIENT = 'Invalid client id or secret.';

// Codes belong to the identity provider whose tokens they buy; the context has no slot for them,
// so they hang off its token store (one per simulator, dropped with it).
const codeStores = new WeakMap<TokenStore, AuthorizationCodeStore>();

function codesOf(ctx: SimContext): AuthorizationCodeStore {
  let store = codeStores.get(ctx.tokens);
  if (!store) {
    store = new AuthorizationCodeStore(ctx.clock);
    codeStores.set(ctx.tokens, store);
  }
  return store;
}

// --- form bodies -------------------------------------------------------------------------------

/**
 * Parses `application/x-www-form-urlencoded` text strictly: a repeated parameter is refused
 * (RFC 6749 §3.1, §3.2) and so is broken percent-encoding, instead of guessing.
 */
export function parseFormEncoded(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const rawValue = equals === -1 ? '' : pair.slice(equals + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replaceAll('+', ' '));
      value = decodeURIComponent(rawValue.replaceAll('+', ' '));
    } catch {
      throw new HttpError(400, 'invalid_request', 'The parameters are not valid URL encoding.');
    }
    if (fields.has(name)) throw new HttpError(400, 'invalid_request', 'A parameter is given more than once.');
    fields.set(name, value);
  }
  return fields;
}

/** Reads a form-encoded request body of at most MAX_BODY_BYTES (64 KiB); 413 beyond. */
export async function readFormBody(request: IncomingMessage): Promise<Map<string, string>> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== FORM_CONTENT_TYPE) {
    throw new HttpError(400, 'invalid_request', `The body must be ${FORM_CONTENT_TYPE}.`);
  }
  const text = await readBodyText(request);
  return parseFormEncoded(text);
}

// --- shared checks -----------------------------------------------------------------------------

/** The OAuth error an endpoint answers with (RFC 6749 §5.2), thrown and turned into JSON. */
class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

const invalidGrant = () => new OAuthError(400, 'invalid_grant', INVALID_GRANT);
const invalidClient = () =>
  new OAuthError(401, 'invalid_client', INVALID_CLIENT, { 'www-authenticate': 'Basic realm="oauth2"' });

function sameSecret(expected: string, actual: string): boolean {
  // Digests first: timingSafeEqual needs equal lengths, and the length must not leak either.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(actual));
}

function passwordMatches(password: string): boolean {
  return sameSecret(SIM_OWNER_PASSWORD, password);
}

/** Decodes `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1); null when malformed. */
function parseBasicAuthorization(header: string): { id: string; secret: string } | null {
  const match = /^basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  try {
    const decode = (part: string) => decodeURIComponent(part.replaceAll('+', ' '));
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

function findClient(
  world: World,
  clientId: string | undefined,
  pathBrand: SimBrand | null,
): SimClient | null {
  if (!clientId) return null;
  const client = world.clients.find((candidate) => candidate.clientId === clientId);
  if (!client || (pathBrand && client.brand !== pathBrand)) return null;
  return client;
}

/** The confidential client making a token or revocation request, from Basic auth or the form. */
function authenticateClient(
  ctx: SimContext,
  request: IncomingMessage,
  form: Map<string, string>,
  pathBrand: SimBrand | null,
): SimClient {
  const header = request.headers.authorization;
  let id: string | undefined;
  let secret: string | undefined;
  if (header !== undefined) {
    const basic = parseBasicAuthorization(header);
    if (!basic) throw invalidClient();
    // RFC 6749 §2.3: a client uses one authentication method per request.
    if (form.has('client_secret')) {
      throw new OAuthError(400, 'invalid_request', 'Authenticate the client in one way only.');
    }
    if (form.has('client_id') && form.get('client_id') !== basic.id) throw invalidClient();
    ({ id, secret } = basic);
  } else {
    id = form.get('client_id');
    secret = form.get('client_secret');
  }
  const client = findClient(ctx.world, id, pathBrand);
  // The secret is compared even for an unknown client id, so timing does not tell them apart.
  const secretOk = sameSecret(client?.clientSecret ?? '\u0000', secret ?? '');
  if (!client || secret === undefined || !secretOk) throw invalidClient();
  return client;
}

/**
 * `?realm=` on refresh and revoke (vehicle-apis.md §2.2): optional here, but when given it must
 * be the client's own realm, the realm a real IdP would look the client up in.
 */
function checkRealm(url: URL, client: SimClient): void {
  const query = parseFormEncoded(url.search.slice(1));
  const realm = query.get('realm');
  if (realm === undefined) return;
  const known = Object.values(BRAND_INFO).some((info) => info.realm === realm);
  if (!known) throw new OAuthError(400, 'invalid_request', 'Invalid realm.');
  if (realm !== client.realm) throw invalidClient();
}

// --- authorize ---------------------------------------------------------------------------------

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

async function authorize(
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
  const code = codesOf(ctx).issue({
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

// --- token, revoke, userinfo -------------------------------------------------------------------

function exchangeCode(ctx: SimContext, client: SimClient, form: Map<string, string>) {
  const code = form.get('code');
  const redirectUri = form.get('redirect_uri');
  if (!code) throw new OAuthError(400, 'invalid_request', 'code is required.');
  if (!redirectUri) throw new OAuthError(400, 'invalid_request', 'redirect_uri is required.');
  const codes = codesOf(ctx);
  const redemption = codes.redeem(code);
  if (!redemption.ok) {
    // A replayed code means it leaked: what it bought is revoked too (RFC 6749 §4.1.2).
    if (redemption.reason === 'replayed' && redemption.refreshToken)
      ctx.tokens.revoke(redemption.refreshToken);
    throw invalidGrant();
  }
  const { grant } = redemption;
  if (grant.clientId !== client.clientId || grant.redirectUri !== redirectUri) throw invalidGrant();
  const verifier = form.get('code_verifier');
  if (grant.codeChallenge !== null) {
    if (verifier === undefined || !verifierMatches(grant.codeChallenge, verifier)) throw invalidGrant();
  } else if (verifier !== undefined) {
    // A verifier for a code issued without a challenge is a PKCE downgrade (RFC 9700 §2.1.1).
    throw invalidGrant();
  }
  const tokens = ctx.tokens.issue({
    ownerIndex: grant.ownerIndex,
    brand: grant.brand,
    clientId: grant.clientId,
    scopes: grant.scopes,
  });
  codes.recordTokens(code, tokens.refresh_token);
  return tokens;
}

/** The token and revoke endpoints' common start: read the form, authenticate the client, check the realm. */
async function readClientForm(
  ctx: SimContext,
  request: IncomingMessage,
  url: URL,
  pathBrand: SimBrand | null,
) {
  const form = await readFormBody(request);
  const client = authenticateClient(ctx, request, form, pathBrand);
  checkRealm(url, client);
  return { form, client };
}

async function token(
  ctx: SimContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  pathBrand: SimBrand | null,
): Promise<void> {
  const { form, client } = await readClientForm(ctx, request, url, pathBrand);
  const grantType = form.get('grant_type');
  if (!grantType) throw new OAuthError(400, 'invalid_request', 'grant_type is required.');
  let body: unknown;
  if (grantType === 'authorization_code') {
    body = exchangeCode(ctx, client, form);
  } else if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) throw new OAuthError(400, 'invalid_request', 'refresh_token is required.');
    // A `scope` here is ignored: the answer always carries the scopes originally granted.
    body = ctx.tokens.refresh(refreshToken, client.clientId);
    if (!body) throw invalidGrant();
  } else {
    throw new OAuthError(400, 'unsupported_grant_type', 'The grant type is not supported.');
  }
  sendJson(response, 200, body, { pragma: 'no-cache' });
}

/**
 * Revokes a token the client holds (RFC 7009). Another client's token is left alone, and the
 * answer is the same either way, so revocation cannot be used to probe for tokens.
 */
function revokeForClient(tokens: TokenStore, token: string, clientId: string): void {
  const access = tokens.checkAccess(token);
  if (access.ok) {
    if (access.grant.clientId === clientId) tokens.revoke(token);
    return;
  }
  if (access.reason === 'expired') {
    tokens.revoke(token);
    return;
  }
  if (tokens.refreshTokenClient(token) === clientId) tokens.revoke(token);
}

async function revoke(
  ctx: SimContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  pathBrand: SimBrand | null,
): Promise<void> {
  const { form, client } = await readClientForm(ctx, request, url, pathBrand);
  const given = form.get('token') ?? form.get('refresh_token');
  if (!given) throw new OAuthError(400, 'invalid_request', 'token is required.');
  revokeForClient(ctx.tokens, given, client.clientId);
  sendJson(response, 200, {});
}

function userinfo(
  ctx: SimContext,
  request: IncomingMessage,
  response: ServerResponse,
  pathBrand: SimBrand | null,
) {
  const match = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  const check = ctx.tokens.checkAccess(match?.[1]);
  if (!check.ok || (pathBrand && check.grant.brand !== pathBrand)) {
    const challenge = check.ok || check.reason !== 'missing' ? 'Bearer error="invalid_token"' : 'Bearer';
    throw new OAuthError(401, 'invalid_token', 'The access token is invalid or expired.', {
      'www-authenticate': challenge,
    });
  }
  const { grant } = check;
  if (!grant.scopes.includes('openid')) {
    throw new OAuthError(403, 'insufficient_scope', 'The openid scope is required.', {
      'www-authenticate': 'Bearer error="insufficient_scope", scope="openid"',
    });
  }
  const owner = ctx.world.ownerAt(grant.ownerIndex);
  // `sub` matches the id_token's. Name and e-mail come with `profile`: PSA grants no `email` scope.
  const profile = grant.scopes.includes('profile') ? { name: owner.name, email: owner.email } : {};
  sendJson(response, 200, { sub: String(owner.index), ...profile });
}

// --- routing -----------------------------------------------------------------------------------

const ENDPOINTS: Record<string, readonly string[]> = {
  authorize: ['GET', 'POST'],
  access_token: ['POST'],
  'token/revoke': ['POST'],
  userinfo: ['GET'],
};

/** `/am/oauth2/<endpoint>` or `/{brand}/am/oauth2/<endpoint>`; null for any other path. */
function matchOAuthPath(pathname: string): { brand: SimBrand | null; endpoint: string } | null {
  const match = /^(?:\/([^/]+))?\/am\/oauth2(?:\/(.*))?$/.exec(pathname);
  if (!match) return null;
  const brand = match[1];
  if (brand !== undefined && !isSimBrand(brand)) return null;
  return { brand: brand ?? null, endpoint: match[2] ?? '' };
}

/** The simulated identity providers; every path under `/am/oauth2` is theirs (404 if unknown). */
export const oauthRoutes: RouteFamily = async (ctx, request, response, url) => {
  const matched = matchOAuthPath(url.pathname);
  if (!matched) return false;
  const { brand, endpoint } = matched;
  const methods = Object.hasOwn(ENDPOINTS, endpoint) ? ENDPOINTS[endpoint] : undefined;
  if (!methods) throw new HttpError(404, 'not_found', 'Not found.');
  const method = request.method ?? 'GET';
  if (!methods.includes(method)) {
    sendJson(
      response,
      405,
      { error: { code: 'method_not_allowed', message: `${method} is not allowed here.` } },
      { allow: methods.join(', ') },
    );
    return true;
  }
  if (endpoint === 'authorize') {
    await authorize(ctx, request, response, url, brand);
    return true;
  }
  try {
    if (endpoint === 'access_token') await token(ctx, request, response, url, brand);
    else if (endpoint === 'token/revoke') await revoke(ctx, request, response, url, brand);
    else userinfo(ctx, request, response, brand);
  } catch (error) {
    // Token-side endpoints answer in OAuth's own error shape (RFC 6749 §5.2), whatever failed.
    if (error instanceof OAuthError) {
      sendJson(
        response,
        error.status,
        { error: error.error, error_description: error.description },
        error.headers,
      );
    } else if (error instanceof HttpError) {
      sendJson(response, error.status, { error: 'invalid_request', error_description: error.message });
    } else {
      throw error;
    }
  }
  return true;
};
