import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context';
import type { TokenGrant } from '../oauth/token-store';
import type { SimClient } from '../world/world';
import { GATEWAY_MESSAGES, V4GatewayError } from './errors';
import { parseLocale } from './params';
import type { RateLimiter } from './rate-limiter';

// The checks the PSA API gateway makes before any v4 backend sees a call (vehicle-apis.md §0, §2,
// §3.1, §3.5, §10), in this order:
// 1. `client_id` query parameter names a registered application, else 401 "Invalid client id or
//    secret." (observed). Nothing is counted for an unknown client: there is no subscription to
//    count against, and keeping counters for made-up ids would let anyone grow our memory.
// 2. Rate limits of that client's subscription; every later answer carries X-RateLimit-* headers,
//    and an exhausted window answers 429 with X-RateLimit-Reset and Retry-After.
// 3. `x-introspect-realm` equals the realm of the client's brand. The gateway introspects the token
//    in that realm, so a missing or foreign realm cannot validate any token: 401 with the gateway's
//    generic "Cannot pass the security checks…" (observed text), not "Token is invalid", since
//    refreshing the token would not help. [infer: the real answer to this exact case is unpublished]
// 4. A Bearer token that is live and was issued to this very client, else 401 "Token is invalid"
//    for missing, unknown, expired and foreign tokens alike (what clients key their refresh on).
// 5. `locale`, if given, matches `\w+(-\w+)?`, else the backend's 400.

export type GatewayPass = { client: SimClient; grant: TokenGrant; locale: string | undefined };

const BEARER_PATTERN = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
export const INVALID_TOKEN_HEADERS = { 'www-authenticate': 'Bearer error="invalid_token"' };

/**
 * Runs the gateway checks, writing the rate limit headers into `headers` as soon as the client is
 * known; throws V4GatewayError / V4ApiError to refuse.
 */
export function passGateway(
  ctx: SimContext,
  request: IncomingMessage,
  url: URL,
  limiter: RateLimiter,
  headers: Record<string, string>,
): GatewayPass {
  const clientIds = url.searchParams.getAll('client_id');
  const client =
    clientIds.length === 1
      ? ctx.world.clients.find((candidate) => candidate.clientId === clientIds[0])
      : undefined;
  if (!client) throw new V4GatewayError(401, GATEWAY_MESSAGES.invalidClient);

  const decision = limiter.consume(client.clientId, ctx.clock.now());
  Object.assign(headers, decision.headers);
  if (!decision.allowed) throw new V4GatewayError(429, GATEWAY_MESSAGES.rateLimited);

  if (request.headers['x-introspect-realm'] !== client.realm) {
    throw new V4GatewayError(401, GATEWAY_MESSAGES.securityChecks);
  }

  const grant = checkBearer(ctx, request.headers.authorization);
  if (!grant || grant.clientId !== client.clientId || grant.brand !== client.brand) {
    throw new V4GatewayError(401, GATEWAY_MESSAGES.invalidToken, INVALID_TOKEN_HEADERS);
  }

  return { client, grant, locale: parseLocale(url) };
}

function checkBearer(ctx: SimContext, authorization: string | undefined): TokenGrant | null {
  const token = authorization ? BEARER_PATTERN.exec(authorization)?.[1] : undefined;
  const check = ctx.tokens.checkAccess(token);
  if (!check.ok) return null;
  // A token can outlive its owner only if the world shrank under it; treat that as invalid.
  if (check.grant.ownerIndex < 0 || check.grant.ownerIndex >= ctx.world.ownerCount) return null;
  return check.grant;
}
