import 'server-only';
import type { AddressInfo } from 'node:net';
import { SimClock } from '@/lib/simulator/clock';
import { createSimContext, type SimContext } from '@/lib/simulator/context';
import { createSimulatorServer } from '@/lib/simulator/server';
import { createV1Routes } from '@/lib/simulator/v1/routes';
import type { SimVehicle } from '@/lib/simulator/world/world';

// TEST SUPPORT ONLY (imported by this folder's *.test.ts, never by the adapter): the simulated
// vehicle cloud with its v1 routes on a free local port and a frozen clock, and the base URL the
// adapter is pointed at. lib/simulator/v1/test-server.ts does not expose its origin, so this starts
// the same server itself. The gateway's burst limit is lifted: a frozen clock puts every call in one
// second.

export type V1Simulator = {
  ctx: SimContext;
  /** e.g. `http://127.0.0.1:41234/dev/connectedcar/v1`. */
  baseUrl: string;
  /** The demo owner's petrol 208 and e-208. */
  combustion: SimVehicle;
  electric: SimVehicle;
  /** The v1 key (`client_id`) of a car's brand. */
  keyOf: (vehicle: SimVehicle) => string;
  setNow: (ms: number) => void;
  close: () => Promise<void>;
};

export async function startV1Simulator(options: {
  seed: string;
  now: number;
  peers?: number;
}): Promise<V1Simulator> {
  const ctx = createSimContext({
    seed: options.seed,
    peers: options.peers ?? 12,
    clock: new SimClock({ now: options.now, frozen: true }),
  });
  const [combustion, electric] = ctx.world.ownerAt(0).vehicles as [SimVehicle, SimVehicle];
  const server = createSimulatorServer(ctx, [createV1Routes({ rateLimit: { perSecond: 1_000_000 } })], {
    webhooks: false,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ctx,
    baseUrl: `http://127.0.0.1:${port}/dev/connectedcar/v1`,
    combustion,
    electric,
    keyOf: (vehicle) => ctx.world.clientFor(vehicle.brand).clientId,
    setNow: (ms) => ctx.clock.set({ now: ms, frozen: true }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
