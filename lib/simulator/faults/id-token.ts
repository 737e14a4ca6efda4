import type { IncomingMessage } from 'node:http';
import { SIM_BRANDS, type SimBrand } from '../world/brands';
import type { IdTokenFaultKind } from './rules';

// The id_token faults: the token endpoint answers a genuine exchange (real access and refresh
// tokens) with an id_token whose claims a client must refuse (security-tests.md AC-11) — issued
// for another application (`aud`), by another brand's IdP (`iss`), carrying a nonce the client
// never sent, or already expired. The token is signed with the IdP's own key, so only its claims
// give it away. The fault layer marks the request; the token endpoint reads the mark.

const marked = new WeakMap<IncomingMessage, IdTokenFaultKind>();

export function markIdTokenFault(request: IncomingMessage, kind: IdTokenFaultKind): void {
  marked.set(request, kind);
}

/** The id_token fault of this request, or null for a genuine answer. */
export function idTokenFaultOf(request: IncomingMessage): IdTokenFaultKind | null {
  return marked.get(request) ?? null;
}

/** A brand other than `brand`: whose application or IdP the tampered token names. */
export function otherBrand(brand: SimBrand): SimBrand {
  return SIM_BRANDS.find((candidate) => candidate !== brand) as SimBrand;
}

/** How long ago the `id_token_expired` token expired: well past any client's clock tolerance. */
export const EXPIRED_ID_TOKEN_AGE_S = 3600;
