import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context';
import { BRAND_INFO, type SimBrand } from '../world/brands';
import type { SimClient, World } from '../world/world';
import { parseFormEncoded } from './form-body';

// What the identity providers' endpoints share: their OAuth errors, client authentication, the
// realm check and the owners' password.

/** Every simulated owner's password, the demo owner's included. The simulator has no others. */
export const SIM_OWNER_PASSWORD = 'sim-password';

// The observed PSA error bodies (vehicle-apis.md §2.2): every bad grant gets the same words, so
// a failure says nothing about which check failed.
const INVALID_GRANT = 'grant is invalid';
const INVALID_CLIENT = 'Invalid client id or secret.';

/** The OAuth error an endpoint answers with (RFC 6749 §5.2), thrown and turned into JSON. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

export const invalidGrant = () => new OAuthError(400, 'invalid_grant', INVALID_GRANT);
export const invalidClient = () =>
  new OAuthError(401, 'invalid_client', INVALID_CLIENT, { 'www-authenticate': 'Basic realm="oauth2"' });

function sameSecret(expected: string, actual: string): boolean {
  // Digests first: timingSafeEqual needs equal lengths, and the length must not leak either.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(actual));
}

export function passwordMatches(password: string): boolean {
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

export function findClient(
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
export function authenticateClient(
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
export function checkRealm(url: URL, client: SimClient): void {
  const query = parseFormEncoded(url.search.slice(1));
  const realm = query.get('realm');
  if (realm === undefined) return;
  const known = Object.values(BRAND_INFO).some((info) => info.realm === realm);
  if (!known) throw new OAuthError(400, 'invalid_request', 'Invalid realm.');
  if (realm !== client.realm) throw invalidClient();
}
