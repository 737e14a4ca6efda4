import { z } from 'zod';
import type { SimClock } from './clock';
import type { RouteFamily } from './context';
import { changeFaults } from './faults/sim-endpoint';
import { HttpError, queryOf, readJsonBody, sendJson } from './http';
import { mintTestTokens } from './oauth/test-tokens';
import type { World } from './world/world';

// The simulator's test endpoints (interfaces.md › Simulator): only mounted with SIM_TEST_TOKENS=1,
// never in a production configuration.

const ownersQuerySchema = z
  .object({
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export function listOwners(world: World, query: Record<string, string>) {
  const parsed = ownersQuerySchema.safeParse(query);
  if (!parsed.success) throw new HttpError(400, 'bad_request', zodMessage(parsed.error));
  const { offset, limit } = parsed.data;
  const end = Math.min(world.ownerCount, offset + limit);
  const owners = [];
  for (let index = offset; index < end; index += 1) {
    const owner = world.ownerAt(index);
    owners.push({
      email: owner.email,
      name: owner.name,
      brand: owner.brand,
      style: owner.style,
      vehicles: owner.vehicles.map(({ id, vin, contract, brand, model, powertrain }) => ({
        id,
        vin,
        contract,
        brand,
        model,
        powertrain,
      })),
    });
  }
  return {
    // The secret too: these are test endpoints, and the embedded Kinetic needs it for the OAuth
    // code exchange, refreshes and revocation, as it would have a real application's.
    clients: world.clients.map(({ brand, realm, clientId, clientSecret }) => ({
      brand,
      realm,
      clientId,
      clientSecret,
    })),
    owners,
    total: world.ownerCount,
    offset,
    limit,
  };
}

const clockChangeSchema = z
  .object({
    now: z.iso.datetime({ offset: true }).optional(),
    rate: z.number().min(0).max(100_000).optional(),
    frozen: z.boolean().optional(),
  })
  .strict();

export function changeClock(clock: SimClock, body: unknown) {
  const parsed = clockChangeSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'bad_request', zodMessage(parsed.error));
  const { now, rate, frozen } = parsed.data;
  clock.set({
    ...(now ? { now: Date.parse(now) } : {}),
    ...(rate !== undefined ? { rate } : {}),
    ...(frozen !== undefined ? { frozen } : {}),
  });
  return clock.state();
}

function zodMessage(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

/** `/sim/*`, mounted only with SIM_TEST_TOKENS=1: outside that, these paths do not exist. */
export const testRoutes: RouteFamily = async (ctx, request, response, url) => {
  if (!ctx.testEndpoints || !url.pathname.startsWith('/sim/')) return false;
  const route = `${request.method ?? 'GET'} ${url.pathname}`;
  if (route === 'GET /sim/owners') {
    sendJson(response, 200, listOwners(ctx.world, queryOf(url)));
    return true;
  }
  if (route === 'GET /sim/clock') {
    sendJson(response, 200, ctx.clock.state());
    return true;
  }
  if (route === 'POST /sim/tokens') {
    sendJson(response, 200, mintTestTokens(ctx, await readJsonBody(request)));
    return true;
  }
  if (route === 'POST /sim/clock') {
    sendJson(response, 200, changeClock(ctx.clock, await readJsonBody(request)));
    return true;
  }
  if (route === 'GET /sim/faults') {
    sendJson(response, 200, ctx.faults.get());
    return true;
  }
  if (route === 'POST /sim/faults') {
    sendJson(response, 200, changeFaults(ctx.faults, await readJsonBody(request)));
    return true;
  }
  if (['/sim/owners', '/sim/clock', '/sim/tokens', '/sim/faults'].includes(url.pathname)) {
    throw new HttpError(405, 'method_not_allowed', `${request.method} is not allowed here.`);
  }
  return false;
};
