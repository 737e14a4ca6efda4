import type { ServerResponse } from 'node:http';
import type { SimContext } from '../context';
import { sendJson } from '../http';
import { apiConnectErrorBody } from '../v4/errors';
import type { RateLimiter } from '../v4/rate-limiter';
import type { SimClient, SimVehicle } from '../world/world';

// PSA "Connected Car Development" 1.0.5 (vehicle-apis.md §7) sat behind IBM API Connect
// (`x-ibm-name: connected-car-dev-api`) with one security scheme: the application's `client_id`
// in the query. The spec documents no error bodies, so every refusal is API Connect's own
// `{ httpCode, httpMessage, moreInformation }` — the shape v4's gateway still answers with. [infer]

export const V1_BASE_PATH = '/dev/connectedcar/v1';

export class V1Error extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 413 | 429 | 500,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendV1Error(response: ServerResponse, error: V1Error, headers: Record<string, string>) {
  sendJson(response, error.status, apiConnectErrorBody(error.status, error.message), {
    ...headers,
    ...error.headers,
  });
}

/** The application named by `client_id` (its brand's client), counted against its rate limits. */
export function passV1Gateway(
  ctx: SimContext,
  url: URL,
  limiter: RateLimiter,
  headers: Record<string, string>,
): SimClient {
  const ids = url.searchParams.getAll('client_id');
  const client =
    ids.length === 1 ? ctx.world.clients.find((candidate) => candidate.clientId === ids[0]) : undefined;
  if (!client) throw new V1Error(401, 'Invalid client id or secret.');
  const decision = limiter.consume(client.clientId, ctx.clock.now());
  Object.assign(headers, decision.headers);
  if (!decision.allowed) throw new V1Error(429, 'Rate Limit exceeded');
  return client;
}

/**
 * The car a call names by VIN and `contract`: it must exist, carry that contract and be of the
 * key's brand. Every mismatch answers the same 404, so a key cannot probe for other brands' VINs
 * or for contracts. Opel joined PSA after this API: its cars are not served.
 */
export function vehicleOf(ctx: SimContext, client: SimClient, vin: string, contract: string): SimVehicle {
  const vehicle = ctx.world.findVehicleByVin(vin);
  if (
    !vehicle ||
    vehicle.contract !== contract ||
    vehicle.brand !== client.brand ||
    vehicle.brand === 'opel'
  ) {
    throw new V1Error(404, 'No vehicle for this VIN and contract.');
  }
  return vehicle;
}
