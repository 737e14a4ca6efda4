import 'server-only';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { AccountTokens, TokenCipher } from '../crypto/token-cipher';
import { TAINT_MESSAGES, taintAccountTokens, taintValue } from '../security/taint';
import { PSA_SCOPES, type PsaApp, type PsaBrand } from '../vehicle-api/psa-config';
import { basicClientCredentials } from '../vehicle-api/psa-v4/tokens';

// "Connect a car": the OAuth 2.0 authorization-code flow with PKCE (S256) and state, run by
// Kinetic for an owner who is already signed in (signing in with the maker goes through Auth.js;
// this flow must not touch the session, which is why it is our own). oauth4webapi does the
// protocol: building the authorize URL, checking the callback's state, the code exchange with
// client_secret_basic and the id_token's claims (iss, aud, exp, iat) — its `sub` is the maker
// identity the account is bound to, never an e-mail address.
//
// What the callback must remember (state, PKCE verifier, who started it, for what) travels in a
// short-lived cookie sealed with the token cipher (AES-256-GCM): the browser carries it but can
// neither read the verifier nor forge a flow for another owner.

export const CONNECT_COOKIE = 'kinetic-connect';
export const CONNECT_FLOW_TTL_MS = 10 * 60_000;
const COOKIE_AD = 'connect-flow';

const flowSchema = z.strictObject({
  brand: z.string(),
  ownerId: z.string(),
  state: z.string(),
  verifier: z.string(),
  /** The account being re-authorised, if that is what this flow is for. */
  accountId: z.string().nullable(),
  expiresAt: z.number(),
});
export type ConnectFlow = z.infer<typeof flowSchema>;

export class ConnectFlowError extends Error {
  readonly reason: 'expired' | 'mismatch' | 'denied' | 'refused';
  constructor(reason: ConnectFlowError['reason'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConnectFlowError';
    this.reason = reason;
  }
}

function authorizationServer(app: PsaApp): oauth.AuthorizationServer {
  return {
    issuer: app.issuer,
    authorization_endpoint: app.authorizeUrl,
    token_endpoint: app.tokenUrl,
    userinfo_endpoint: app.userinfoUrl,
    revocation_endpoint: app.revokeUrl,
  };
}

/** Plain http is allowed only for the embedded simulator on this machine, never for a real IdP. */
function insecureAllowed(app: PsaApp): boolean {
  const host = new URL(app.tokenUrl).hostname;
  return host === '127.0.0.1' || host === 'localhost';
}

export async function beginConnectFlow(input: {
  app: PsaApp;
  cipher: TokenCipher;
  ownerId: string;
  accountId: string | null;
  redirectUri: string;
  now?: number;
}): Promise<{ authorizeUrl: string; cookie: string }> {
  const now = input.now ?? Date.now();
  const state = oauth.generateRandomState();
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(input.app.authorizeUrl);
  url.searchParams.set('client_id', input.app.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('scope', PSA_SCOPES.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  const flow: ConnectFlow = {
    brand: input.app.brand,
    ownerId: input.ownerId,
    state,
    verifier,
    accountId: input.accountId,
    expiresAt: now + CONNECT_FLOW_TTL_MS,
  };
  return { authorizeUrl: url.toString(), cookie: input.cipher.encrypt(JSON.stringify(flow), COOKIE_AD) };
}

/** The flow the cookie holds, or null when it is missing, tampered with or expired. */
export function openConnectFlow(
  cipher: TokenCipher,
  cookie: string | undefined,
  now = Date.now(),
): ConnectFlow | null {
  if (!cookie) return null;
  try {
    const flow = flowSchema.parse(JSON.parse(cipher.decrypt(cookie, COOKIE_AD)));
    return flow.expiresAt > now ? flow : null;
  } catch {
    return null;
  }
}

export type CompletedConnectFlow = { makerSubject: string; tokens: AccountTokens };

/**
 * Checks the IdP's redirect against the flow (same owner, same brand, same state), exchanges the
 * code with the PKCE verifier and validates the id_token. Throws ConnectFlowError.
 */
export async function completeConnectFlow(input: {
  app: PsaApp;
  brand: PsaBrand;
  flow: ConnectFlow | null;
  ownerId: string;
  callbackUrl: URL;
  redirectUri: string;
  now?: number;
  fetchImpl?: typeof fetch;
}): Promise<CompletedConnectFlow> {
  const { app, flow } = input;
  if (!flow) throw new ConnectFlowError('expired', 'The connection took too long or was started elsewhere.');
  if (flow.ownerId !== input.ownerId || flow.brand !== input.brand) {
    throw new ConnectFlowError(
      'mismatch',
      'This connection was started by another account or for another brand.',
    );
  }
  const as = authorizationServer(app);
  const client: oauth.Client = { client_id: app.clientId };
  const options = {
    [oauth.allowInsecureRequests]: insecureAllowed(app),
    ...(input.fetchImpl ? { [oauth.customFetch]: input.fetchImpl } : {}),
  };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, input.callbackUrl, flow.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      throw new ConnectFlowError('denied', 'The sign-in with the maker was cancelled or refused.', {
        cause: error,
      });
    }
    throw new ConnectFlowError('mismatch', 'The answer of the maker does not match this connection.', {
      cause: error,
    });
  }
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(app.clientSecret),
      params,
      input.redirectUri,
      flow.verifier,
      options,
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
      requireIdToken: true,
    });
    taintValue(TAINT_MESSAGES.idToken, result, result.id_token);
    const claims = oauth.getValidatedIdTokenClaims(result);
    if (!claims?.sub || !result.refresh_token) {
      throw new ConnectFlowError('refused', 'The maker did not grant lasting access.');
    }
    const now = input.now ?? Date.now();
    return {
      makerSubject: claims.sub,
      tokens: taintAccountTokens({
        accessToken: result.access_token,
        refreshToken: result.refresh_token,
        expiresAt: now + (result.expires_in ?? 3599) * 1000,
        scopes: (result.scope ?? '').split(/[ ,]+/).filter(Boolean),
      }),
    };
  } catch (error) {
    if (error instanceof ConnectFlowError) throw error;
    // Never the IdP's body or our tokens in the message: it reaches logs.
    throw new ConnectFlowError('refused', 'The maker refused the connection. Try again.', { cause: error });
  }
}

/**
 * Revokes a refresh token at the brand's IdP (which revokes its access tokens too, §2.2 step 5).
 * Best effort: a disconnect must not fail because the IdP is down; the tokens are deleted anyway.
 */
export async function revokeAtIdp(
  app: PsaApp,
  refreshToken: string,
  fetchImpl: typeof fetch = fetch,
): Promise<boolean> {
  const url = new URL(app.revokeUrl);
  url.searchParams.set('realm', app.realm);
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basicClientCredentials(app.clientId, app.clientSecret)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: refreshToken }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
