import { createServer, type Server } from 'node:http';
import type { SimClock } from './clock';
import { HttpError, readJsonBody, sendJson } from './http';
import { changeClock, listOwners } from './test-endpoints';
import type { World } from './world/world';

export type SimulatorOptions = { world: World; clock: SimClock; testEndpoints: boolean };

function queryOf(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (Object.hasOwn(query, key))
      throw new HttpError(400, 'bad_request', `${key}: give this parameter only once.`);
    Object.defineProperty(query, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return query;
}

export function createSimulatorServer(options: SimulatorOptions): Server {
  const { world, clock, testEndpoints } = options;

  return createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://simulator.local');
      const route = `${request.method ?? 'GET'} ${url.pathname}`;
      if (route === 'GET /health') {
        return sendJson(response, 200, { status: 'ok', now: clock.state().now, owners: world.ownerCount });
      }
      if (testEndpoints && url.pathname.startsWith('/sim/')) {
        if (route === 'GET /sim/owners') return sendJson(response, 200, listOwners(world, queryOf(url)));
        if (route === 'GET /sim/clock') return sendJson(response, 200, clock.state());
        if (route === 'POST /sim/clock')
          return sendJson(response, 200, changeClock(clock, await readJsonBody(request)));
        if (['/sim/owners', '/sim/clock'].includes(url.pathname)) {
          throw new HttpError(405, 'method_not_allowed', `${request.method} is not allowed here.`);
        }
      }
      throw new HttpError(404, 'not_found', 'Not found.');
    } catch (error) {
      if (error instanceof HttpError) {
        return sendJson(response, error.status, { error: { code: error.code, message: error.message } });
      }
      console.error('[simulator] unhandled error', error);
      return sendJson(response, 500, { error: { code: 'internal', message: 'The simulator failed.' } });
    }
  });
}
