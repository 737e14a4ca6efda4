import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimVehicle } from '../world/world';
import { isFaultablePath, v1VinOf } from './paths';
import { type FaultTestServer, startFaultServer } from './test-server';

// The fault switches on PSA v1 (/dev/connectedcar/v1): the same kinds as v4, answered in v1's
// own error shape (API Connect's), aimed at a car by its vehicle id even though v1 names it by VIN.

let sim: FaultTestServer;
let car: SimVehicle;
let other: SimVehicle;

beforeAll(async () => {
  sim = await startFaultServer();
  [car, other] = sim.ctx.world.ownerAt(0).vehicles as [SimVehicle, SimVehicle];
});
afterAll(() => sim.close());
beforeEach(() => sim.setRules([]));

function v1(path: string, vehicle: SimVehicle, clientId = sim.client.clientId) {
  const url = new URL(`${sim.origin}/dev/connectedcar/v1${path}`);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('contract', vehicle.contract);
  url.searchParams.set('locale', 'en_GB');
  url.searchParams.set('brand', 'P');
  return fetch(url);
}

const maintenanceOf = (vehicle: SimVehicle, clientId?: string) =>
  v1(`/maintenance/${vehicle.vin}`, vehicle, clientId);

describe('v1 paths under the fault switches', () => {
  it('are faultable, and their VIN names the car', () => {
    expect(isFaultablePath('/dev/connectedcar/v1/maintenance/VF3AAAAAAAA000001')).toBe(true);
    expect(v1VinOf('/dev/connectedcar/v1/trip/id/VF3AAAAAAAA000001/20500001')).toBe('VF3AAAAAAAA000001');
    expect(v1VinOf('/dev/connectedcar/v1/referential/alert')).toBeNull();
    expect(v1VinOf('/connectedcar/v4/user/vehicles/VF3AAAAAAAA000001')).toBeNull();
  });

  it('rate_limit and server_error answer in the gateway’s shape', async () => {
    sim.setRules([{ kind: 'rate_limit', rate: 1, params: { retryAfterS: 30 } }]);
    const limited = await maintenanceOf(car);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(((await limited.json()) as { httpCode: string }).httpCode).toBe('429');

    sim.setRules([{ kind: 'server_error', rate: 1 }]);
    const failed = await maintenanceOf(car);
    expect([500, 503]).toContain(failed.status);
    expect(failed.headers.get('x-sim-fault')).toBe('server_error');
    expect(await failed.json()).toMatchObject({ httpCode: String(failed.status) });
  });

  it('targets one car by vehicle id', async () => {
    sim.setRules([{ kind: 'server_error', rate: 1, vehicles: [car.id] }]);
    expect((await maintenanceOf(car)).status).toBeGreaterThanOrEqual(500);
    expect((await maintenanceOf(other)).status).toBe(200);
  });

  it('silent hides the car’s data from its brand’s key only', async () => {
    sim.setRules([{ kind: 'silent', rate: 1 }]);
    const hidden = await maintenanceOf(car);
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get('x-sim-fault')).toBe('silent');
    // Another brand's key gets the genuine answer (the same 404 as any car it may not read).
    const foreign = await maintenanceOf(car, sim.ctx.world.clientFor('citroen').clientId);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('x-sim-fault')).toBeNull();
  });

  it('stale shifts v1 answers back in time', async () => {
    const fresh = (await (await maintenanceOf(car)).json()) as { lastUpdate: string };
    sim.setRules([{ kind: 'stale', rate: 1, params: { delayS: 3 * 86_400 } }]);
    const stale = await maintenanceOf(car);
    expect(stale.headers.get('x-sim-fault')).toBe('stale');
    const body = (await stale.json()) as { lastUpdate: string };
    expect(Date.parse(body.lastUpdate)).toBeLessThanOrEqual(Date.parse(fresh.lastUpdate) - 2 * 86_400_000);
  });

  it('malformed sends a body that is not JSON', async () => {
    sim.setRules([{ kind: 'malformed', rate: 1 }]);
    const response = await maintenanceOf(car);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(response.json()).rejects.toThrow();
  });
});
