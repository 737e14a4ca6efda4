import type { RouteFamily, SimContext } from '../context';
import { staleShiftMs } from '../faults/stale';
import { sendJson } from '../http';
import { limiterPerContext } from '../v4/rate-limiter';
import type { SimClient } from '../world/world';
import { passV1Gateway, sendV1Error, V1_BASE_PATH, V1Error, vehicleOf } from './gateway';
import { maintenanceBody } from './maintenance';
import { brandLetter, readCommon } from './params';

// PSA Connected Car v1 ("Connected Car Development" 1.0.5) under /dev/connectedcar/v1, first
// slice: the gateway (client_id), the car by VIN + contract, and the Maintenance family's
// `GET /maintenance/{vin}`. Telemetry, trips, alerting and eco-driving come in later slices.

type V1Input = { ctx: SimContext; client: SimClient; url: URL; vin: string; nowMs: number };
type V1Handler = (input: V1Input) => unknown;

const VIN_ROUTES: Record<string, V1Handler> = {
  maintenance: (input) => {
    const common = readCommon(input.url);
    return maintenanceBody(input.ctx, carOf(input, common.contract, common.brand), common, input.nowMs);
  },
};

// A brand letter that does not match the car is the same 404 as a wrong contract.
function carOf({ ctx, client, vin }: V1Input, contract: string, brand: 'P' | 'C') {
  const vehicle = vehicleOf(ctx, client, vin, contract);
  if (brandLetter(vehicle.brand) !== brand) throw new V1Error(404, 'No vehicle for this VIN and contract.');
  return vehicle;
}

/** VIN characters (ISO 3779: no I, O or Q); whether one exists is the lookup's 404. */
const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

const limiterFor = limiterPerContext();

export const v1Routes: RouteFamily = async (ctx, request, response, url) => {
  const path = url.pathname;
  if (path !== V1_BASE_PATH && !path.startsWith(`${V1_BASE_PATH}/`)) return false;
  const headers: Record<string, string> = {};
  try {
    const client = passV1Gateway(ctx, url, limiterFor(ctx), headers);
    const match = /^\/([a-z]+)\/([^/]*)$/.exec(path.slice(V1_BASE_PATH.length));
    const handler = match ? VIN_ROUTES[match[1] ?? ''] : undefined;
    if (!match || !handler) throw new V1Error(404, 'Resource not found.');
    if (request.method !== 'GET') {
      request.resume();
      throw new V1Error(405, 'Only GET is allowed here.', { allow: 'GET' });
    }
    let vin: string;
    try {
      vin = decodeURIComponent(match[2] ?? '');
    } catch {
      throw new V1Error(400, 'Invalid VIN.');
    }
    if (!VIN_PATTERN.test(vin)) throw new V1Error(400, 'Invalid VIN: 17 characters, no I, O or Q.');
    const nowMs = ctx.clock.now() - staleShiftMs(request);
    sendJson(response, 200, handler({ ctx, client, url, vin, nowMs }), headers);
  } catch (error) {
    if (error instanceof V1Error) {
      sendV1Error(response, error, headers);
    } else {
      console.error('[simulator] v1 route failed', error);
      sendV1Error(response, new V1Error(500, 'Internal error.'), headers);
    }
  }
  return true;
};
