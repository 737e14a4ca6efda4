import { createServer, type Server } from 'node:http';
import type { RouteFamily, SimContext } from './context';
import { FaultLayer } from './faults/apply';
import { HttpError, sendJson } from './http';
import { oauthRoutes } from './oauth/identity-provider';
import { testRoutes } from './test-endpoints';
import { v1Routes } from './v1/routes';
import { webhookDispatcherOf } from './v4/callbacks/dispatcher';
import { v4Routes } from './v4/user-routes';

// The vehicle cloud's HTTP server: each family of routes (identity providers, PSA Connected Car
// v4, PSA v1, test endpoints) answers its own paths in its own wire format.

const ROUTE_FAMILIES: RouteFamily[] = [oauthRoutes, testRoutes, v4Routes, v1Routes];

export type SimulatorServerOptions = {
  /**
   * Run the v4 webhook dispatcher on its timer while the server listens (default true). Tests that
   * drive deliveries with `webhookDispatcherOf(ctx).tick()` may turn it off.
   */
  webhooks?: boolean;
};

/** `families` defaults to every family; tests pass their own to exercise one in isolation. */
export function createSimulatorServer(
  ctx: SimContext,
  families: RouteFamily[] = ROUTE_FAMILIES,
  options: SimulatorServerOptions = {},
): Server {
  // The fault layer wraps the families only: /health (and /sim/*, which it never faults) stay reachable.
  const faults = new FaultLayer();
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://simulator.local');
      if (request.method === 'GET' && url.pathname === '/health') {
        return sendJson(response, 200, {
          status: 'ok',
          now: ctx.clock.state().now,
          owners: ctx.world.ownerCount,
        });
      }
      await faults.run(ctx, request, response, url, async () => {
        for (const family of families) {
          if (await family(ctx, request, response, url)) return;
        }
        throw new HttpError(404, 'not_found', 'Not found.');
      });
    } catch (error) {
      if (response.headersSent) return response.end();
      if (error instanceof HttpError) {
        return sendJson(response, error.status, { error: { code: error.code, message: error.message } });
      }
      console.error('[simulator] unhandled error', error);
      return sendJson(response, 500, { error: { code: 'internal', message: 'The simulator failed.' } });
    }
  });
  faults.attach(server);
  // Monitor events are raised and delivered while the server is up (v4/callbacks/dispatcher.ts).
  if (options.webhooks !== false) {
    const dispatcher = webhookDispatcherOf(ctx);
    server.on('listening', () => dispatcher.start());
    server.on('close', () => dispatcher.stop());
  }
  return server;
}
