import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context';
import { EXPIRED_ID_TOKEN_AGE_S, idTokenFaultOf, otherBrand } from '../faults/id-token';
import type { IdTokenFaultKind } from '../faults/rules';
import { sendJson } from '../http';
import type { SimBrand } from '../world/brands';
import type { SimClient } from '../world/world';
import { authorizationCodesOf, verifierMatches } from './authorization-codes';
import { authenticateClient, checkRealm, invalidGrant, OAuthError } from './client-auth';
import { readFormBody } from './form-body';
import { idTokenIssuer, resignIdToken, type TokenResponse, type TokenStore } from './token-store';

// POST /am/oauth2/access_token (authorization code and refresh grants), POST
// /am/oauth2/token/revoke and GET /am/oauth2/userinfo.

function exchangeCode(ctx: SimContext, client: SimClient, form: Map<string, string>) {
  const code = form.get('code');
  const redirectUri = form.get('redirect_uri');
  if (!code) throw new OAuthError(400, 'invalid_request', 'code is required.');
  if (!redirectUri) throw new OAuthError(400, 'invalid_request', 'redirect_uri is required.');
  const codes = authorizationCodesOf(ctx);
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

/** The id_token faults' token (faults/id-token.ts): the genuine one with one claim a client must refuse. */
function tamperedIdToken(
  ctx: SimContext,
  client: SimClient,
  idToken: string,
  fault: IdTokenFaultKind,
): string {
  const other = otherBrand(client.brand);
  return resignIdToken(idToken, (claims) => {
    switch (fault) {
      case 'id_token_wrong_aud':
        // Issued to another application of the same IdP.
        return { ...claims, aud: ctx.world.clientFor(other).clientId };
      case 'id_token_wrong_iss':
        return { ...claims, iss: idTokenIssuer(other) };
      case 'id_token_nonce':
        // A nonce from some other authorization request: the client sent none, or another one.
        return { ...claims, nonce: randomBytes(16).toString('base64url') };
      case 'id_token_expired':
        return {
          ...claims,
          iat: claims.iat - 2 * EXPIRED_ID_TOKEN_AGE_S,
          exp: claims.iat - EXPIRED_ID_TOKEN_AGE_S,
        };
    }
  });
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

export async function token(
  ctx: SimContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  pathBrand: SimBrand | null,
): Promise<void> {
  const { form, client } = await readClientForm(ctx, request, url, pathBrand);
  const grantType = form.get('grant_type');
  if (!grantType) throw new OAuthError(400, 'invalid_request', 'grant_type is required.');
  let body: TokenResponse;
  if (grantType === 'authorization_code') {
    body = exchangeCode(ctx, client, form);
  } else if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) throw new OAuthError(400, 'invalid_request', 'refresh_token is required.');
    // A `scope` here is ignored: the answer always carries the scopes originally granted.
    const refreshed = ctx.tokens.refresh(refreshToken, client.clientId);
    if (!refreshed) throw invalidGrant();
    body = refreshed;
  } else {
    throw new OAuthError(400, 'unsupported_grant_type', 'The grant type is not supported.');
  }
  const fault = idTokenFaultOf(request);
  if (fault) body = { ...body, id_token: tamperedIdToken(ctx, client, body.id_token, fault) };
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

export async function revoke(
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

export function userinfo(
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
