import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimClock } from './clock';
import { FaultSwitchboard } from './faults/switchboard';
import { createFleet, type Fleet } from './fleet/fleet';
import { TokenStore } from './oauth/token-store';
import { createWorld, type World } from './world/world';

/** Everything a simulator route needs: the world, its clock and the identity providers' tokens. */
export type SimContext = {
  world: World;
  /** The cars' data (trips, traces, state), generated on demand. */
  fleet: Fleet;
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

export type SimContextOptions = {
  seed: string;
  peers: number;
  /** SIM_BACKFILL_DAYS; 30 by default. */
  backfillDays?: number;
  /** Real time when omitted. */
  clock?: SimClock;
  testEndpoints?: boolean;
  /** Fault switches; none on, drawing from `seed`, when omitted. */
  faults?: FaultSwitchboard;
};

/** One simulated vehicle cloud: world, fleet, clock, tokens and fault switches. */
export function createSimContext(options: SimContextOptions): SimContext {
  const world = createWorld({ seed: options.seed, peers: options.peers });
  const clock = options.clock ?? new SimClock();
  return {
    world,
    fleet: createFleet(world, { backfillDays: options.backfillDays ?? 30 }),
    clock,
    tokens: new TokenStore(clock),
    testEndpoints: options.testEndpoints ?? false,
    faults: options.faults ?? new FaultSwitchboard(undefined, { seed: options.seed }),
  };
}
