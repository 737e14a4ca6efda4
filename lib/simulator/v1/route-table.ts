import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context';
import { HttpError, readJsonBody } from '../http';
import type { SimClient, SimVehicle } from '../world/world';
import { V1Error, vehicleOf } from './gateway';
import { brandLetter, readBrand, readContract } from './params';

// The v1 route table. Every operation of the spec is one `V1Route`: a method, a path template
// (`/trip/id/{vin}/{tripid}`) and a handler. Most operations name one car (`{vin}` + `contract`
// query); their POST `…/list` twins name several in a body `{ listvin, listcontract }` and answer
// an array, one element per car found. `vehicleRoute` and `listRoute` build both from one handler.

export type V1Method = 'GET' | 'PUT' | 'POST';

/** One call through the gateway: the key's client, the query, path parameters and the clock. */
export type V1Call = {
  ctx: SimContext;
  client: SimClient;
  url: URL;
  request: IncomingMessage;
  /** Path parameters by template name, percent-decoded (`{vin}` → `vin`). */
  params: Readonly<Record<string, string>>;
  /** The simulated now, minus the `stale` fault's shift. */
  nowMs: number;
};

export type V1Route = {
  method: V1Method;
  /** Under V1_BASE_PATH, with `{name}` segments. */
  path: string;
  handle: (call: V1Call) => unknown | Promise<unknown>;
};

/** A handler for one car, already looked up and checked against the key, contract and brand. */
export type V1VehicleHandler = (call: V1Call, vehicle: SimVehicle) => unknown;

/** VIN characters (ISO 3779: no I, O or Q); whether one exists is the lookup's 404. */
const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

function checkedVin(vin: string): string {
  if (!VIN_PATTERN.test(vin)) throw new V1Error(400, 'Invalid VIN: 17 characters, no I, O or Q.');
  return vin;
}

const NOT_FOUND = 'No vehicle for this VIN and contract.';

/**
 * The car of a VIN + contract for this key. When the operation takes `brand` and the caller gave
 * one, a letter that does not match the car is the same 404 as a wrong contract.
 */
export function carOf(call: V1Call, vin: string, contract: string): SimVehicle {
  const vehicle = vehicleOf(call.ctx, call.client, checkedVin(vin), contract);
  const brand = readBrand(call.url);
  if (brand !== null && brandLetter(vehicle.brand) !== brand) throw new V1Error(404, NOT_FOUND);
  return vehicle;
}

/** `METHOD /…/{vin}…`: the car from the path's VIN and the `contract` query parameter. */
export function vehicleRoute(method: V1Method, path: string, handler: V1VehicleHandler): V1Route {
  return {
    method,
    path,
    handle: (call) => {
      const contract = readContract(call.url);
      return handler(call, carOf(call, call.params.vin ?? '', contract));
    },
  };
}

/** How many cars one list call may name. [infer] The spec gives no bound; a gateway has one. */
export const MAX_LIST_VEHICLES = 100;

/**
 * The per-car answers of a POST `…/list` call: `{ listvin: [...], listcontract: [...] }`, the i-th
 * contract belonging to the i-th VIN, answered by `handler` car by car in the order asked. Pairs
 * that name no car this key may read, or a car without data yet, are left out, as the single-car
 * twin would have answered 404 for them.
 */
export async function answersPerCar<T>(
  call: V1Call,
  handler: (call: V1Call, vehicle: SimVehicle) => T,
): Promise<T[]> {
  const { vins, contracts } = await readVehicleList(call.request);
  const answers: T[] = [];
  for (const [i, vin] of vins.entries()) {
    try {
      answers.push(handler(call, carOf(call, vin, contracts[i] ?? '')));
    } catch (error) {
      if (error instanceof V1Error && error.status === 404) continue;
      throw error;
    }
  }
  return answers;
}

/** `POST …/list`: the single-car handler's answers for every car named, as an array. */
export function listRoute(path: string, handler: V1VehicleHandler): V1Route {
  return { method: 'POST', path, handle: (call) => answersPerCar(call, handler) };
}

async function readVehicleList(request: IncomingMessage): Promise<{ vins: string[]; contracts: string[] }> {
  let body: unknown;
  try {
    body = await readJsonBody(request);
  } catch (error) {
    if (error instanceof HttpError) throw new V1Error(error.status === 413 ? 413 : 400, error.message);
    throw error;
  }
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : null;
  const vins = record ? (record as Record<string, unknown>).listvin : undefined;
  const contracts = record ? (record as Record<string, unknown>).listcontract : undefined;
  const isStrings = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length <= 64);
  if (!isStrings(vins) || !isStrings(contracts)) {
    throw new V1Error(400, 'The body must be { "listvin": [VIN…], "listcontract": [contract…] }.');
  }
  if (vins.length !== contracts.length) {
    throw new V1Error(400, 'listvin and listcontract must have the same length.');
  }
  if (vins.length === 0) throw new V1Error(400, 'listvin must name at least one vehicle.');
  if (vins.length > MAX_LIST_VEHICLES) {
    throw new V1Error(400, `At most ${MAX_LIST_VEHICLES} vehicles per call.`);
  }
  for (const vin of vins) checkedVin(vin);
  return { vins, contracts };
}

export type CompiledV1Routes = {
  /** The route for a path, or the methods that path allows when the method does not match. */
  match(
    method: string,
    path: string,
  ): { route: V1Route; params: Record<string, string> } | { allow: string[] } | null;
};

export function compileV1Routes(routes: readonly V1Route[]): CompiledV1Routes {
  const compiled = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  return {
    match(method, path) {
      const parts = path.split('/').slice(1);
      const allow: string[] = [];
      for (const { route, segments } of compiled) {
        if (segments.length !== parts.length) continue;
        const params: Record<string, string> = {};
        let matches = true;
        for (const [i, segment] of segments.entries()) {
          const part = parts[i] ?? '';
          if (segment.startsWith('{') && segment.endsWith('}')) {
            let value: string;
            try {
              value = decodeURIComponent(part);
            } catch {
              throw new V1Error(400, `Invalid path parameter ${segment}.`);
            }
            if (value === '') {
              matches = false;
              break;
            }
            params[segment.slice(1, -1)] = value;
          } else if (segment !== part) {
            matches = false;
            break;
          }
        }
        if (!matches) continue;
        if (route.method === method) return { route, params };
        allow.push(route.method);
      }
      return allow.length > 0 ? { allow } : null;
    },
  };
}
