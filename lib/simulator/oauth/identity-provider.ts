import type { RouteFamily } from '../context';
import { HttpError, sendJson } from '../http';
import { isSimBrand, type SimBrand } from '../world/brands';
import { authorize } from './authorize';
import { OAuthError } from './client-auth';
import { revoke, token, userinfo } from './token-endpoints';

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

export { SIM_OWNER_PASSWORD } from './client-auth';

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
