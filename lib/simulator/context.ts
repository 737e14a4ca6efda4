import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimClock } from './clock';
import type { FaultSwitchboard } from './faults/switchboard';
import type { TokenStore } from './oauth/token-store';
import type { World } from './world/world';

/** Everything a simulator route needs: the world, its clock and the identity providers' tokens. */
export type SimContext = {
  world: World;
  clock: SimClock;
  tokens: TokenStore;
  /** Whether the /sim/* test endpoints are mounted (SIM_TEST_TOKENS=1). */
  testEndpoints: boolean;
  /** Upstream fault switches (SIM_FAULTS, /sim/faults); no rules means genuine answers only. */
  faults: FaultSwitchboard;
};

/**
 * One family of routes. Returns true when it answered the request, false to let the next family
 * try. Throwing an HttpError answers with the simulator's own error shape.
 */
export type RouteFamily = (
  ctx: SimContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => Promise<boolean>;
