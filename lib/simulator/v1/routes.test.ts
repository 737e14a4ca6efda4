import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { maintenanceAt } from '../fleet/maintenance';
import type { SimVehicle } from '../world/world';
import { type Query, setupV1Server, V1_TEST_NOW } from './test-server';

// PSA v1 over real HTTP: the gateway's key, the car by VIN + contract + brand letter, and
// GET /maintenance/{vin} agreeing with the v4 view of the same car at the same instant.

const kit = setupV1Server({ seed: 'v1-test' });
const { ctx, combustion, electric } = kit;
const peugeotKey = ctx.world.clientFor('peugeot').clientId;
const baseQuery = kit.labelledQueryOf;
const expectRefusal = (path: string, query: Query, status: number) =>
  kit.expectRefusal(kit.get(path, query), status);

const label = z.strictObject({ label: z.string().min(1), groupLabel: z.string().min(1) });
const maintenanceSchema = z.strictObject({
  fuel: z.record(z.string(), z.union([z.number(), label])).optional(),
  maintenance: z.strictObject({
    totMileage: z.number().min(0),
    totMileageLabel: label,
    indDayBeforeMaint: z.enum(['0', '1', '2']),
    indDayBeforeMaintLabel: label,
    indMileageBeforeMaint: z.enum(['0', '1', '2']),
    indMileageBeforeMaintLabel: label,
    dayBeforeMaint: z.number().int(),
    dayBeforeMaintLabel: label,
    mileageBeforeMaint: z.number(),
    mileageBeforeMaintLabel: label,
  }),
  vin: z.string().length(17),
  lastUpdate: z.iso.datetime(),
  contract: z.string(),
});

describe('PSA v1 gateway and car lookup', () => {
  it('refuses a missing, unknown or repeated client_id with the gateway’s 401', async () => {
    const path = `/maintenance/${combustion.vin}`;
    await expectRefusal(path, { ...baseQuery(combustion), client_id: undefined }, 401);
    const body = await expectRefusal(path, { ...baseQuery(combustion), client_id: 'nope' }, 401);
    expect(body.moreInformation).toBe('Invalid client id or secret.');
    await expectRefusal(path, { ...baseQuery(combustion), client_id: [peugeotKey, peugeotKey] }, 401);
  });

  it('answers bad parameters with 400 and unknown cars, contracts and brands with one 404', async () => {
    const path = `/maintenance/${combustion.vin}`;
    const query = baseQuery(combustion);
    for (const bad of [
      { contract: undefined },
      { locale: undefined },
      { locale: 'french' },
      { brand: 'X' },
      { brand: undefined },
      { unit: '2' },
    ]) {
      await expectRefusal(path, { ...query, ...bad }, 400);
    }
    await expectRefusal('/maintenance/NOT-A-VIN', query, 400);
    await expectRefusal(`/maintenance/${combustion.vin.replace(/.$/, 'Q')}`, query, 400);
    const notFound = [
      await expectRefusal(path, { ...query, contract: 'CT00000000' }, 404),
      await expectRefusal(path, { ...query, brand: 'C' }, 404),
      await expectRefusal(path, { ...query, client_id: ctx.world.clientFor('citroen').clientId }, 404),
      await expectRefusal(`/maintenance/${combustion.vin.slice(0, 11)}999999`, query, 404),
    ];
    // The same words whatever was wrong: a key cannot probe for VINs or contracts.
    expect(new Set(notFound.map((body) => body.moreInformation)).size).toBe(1);
    await expectRefusal('/nothing/here', query, 404);
    await kit.expectRefusal(kit.post(path, query, {}), 405);
  });

  it('does not serve Opel cars, which joined after this API', async () => {
    for (let index = 1; index < ctx.world.ownerCount; index++) {
      const owner = ctx.world.ownerAt(index);
      if (owner.brand !== 'opel') continue;
      const car = owner.vehicles[0] as SimVehicle;
      await expectRefusal(
        `/maintenance/${car.vin}`,
        {
          client_id: ctx.world.clientFor('opel').clientId,
          contract: car.contract,
          locale: 'en_GB',
          brand: 'C',
        },
        404,
      );
      return;
    }
    throw new Error('no Opel owner in the test world');
  });
});

describe('PSA v1 GET /maintenance/{vin}', () => {
  it('gives the fuel block and the service counters of the v4 view, with labels', async () => {
    const { status, body } = await kit.get(`/maintenance/${combustion.vin}`, baseQuery(combustion));
    expect(status).toBe(200);
    const parsed = maintenanceSchema.parse(body);
    const counters = maintenanceAt(ctx, combustion, V1_TEST_NOW);
    expect(parsed.maintenance.dayBeforeMaint).toBe(counters?.daysBeforeMaintenance);
    expect(parsed.maintenance.mileageBeforeMaint).toBeCloseTo(counters?.mileageBeforeMaintenance ?? 0, 0);
    const reported = Date.parse(parsed.lastUpdate);
    expect(reported).toBeLessThanOrEqual(V1_TEST_NOW);
    const state = ctx.fleet.timelineOf(combustion).stateAt(reported);
    expect(parsed.maintenance.totMileage).toBeCloseTo(state.odometerKm, 0);
    expect(parsed.fuel?.fuelLevel).toBeCloseTo(state.fuelLevelPct ?? -1, 1);
    expect(parsed.fuel?.fuelTankCapacity).toBe(ctx.fleet.timelineOf(combustion).model.tankLitres);
    expect(parsed.fuel?.fuelLevelLabel).toEqual({ label: 'Fuel level', groupLabel: 'Fuel' });
    expect(parsed.vin).toBe(combustion.vin);
    expect(parsed.contract).toBe(combustion.contract);
  });

  it('speaks French for fr_FR and answers in miles and gallons for unit=1', async () => {
    const metric = maintenanceSchema.parse(
      (await kit.get(`/maintenance/${combustion.vin}`, baseQuery(combustion))).body,
    );
    const imperial = maintenanceSchema.parse(
      (
        await kit.get(`/maintenance/${combustion.vin}`, {
          ...baseQuery(combustion),
          unit: '1',
          locale: 'fr_FR',
        })
      ).body,
    );
    expect(imperial.maintenance.totMileage).toBeCloseTo(metric.maintenance.totMileage / 1.609344, 0);
    expect(imperial.fuel?.fuelTankCapacity).toBeCloseTo(Number(metric.fuel?.fuelTankCapacity) / 4.54609, 1);
    expect(imperial.maintenance.dayBeforeMaint).toBe(metric.maintenance.dayBeforeMaint);
    expect(imperial.maintenance.totMileageLabel).toEqual({
      label: 'Kilométrage total',
      groupLabel: 'Entretien',
    });
  });

  it('has no fuel block for an electric car', async () => {
    const { status, body } = await kit.get(`/maintenance/${electric.vin}`, baseQuery(electric));
    expect(status).toBe(200);
    expect(maintenanceSchema.parse(body).fuel).toBeUndefined();
  });
});

describe('PSA v1 gateway rate limit', () => {
  // The burst window at the documented 100 calls a second per subscription (vehicle-apis.md §3.5);
  // the other servers lift it, as their frozen clock puts every call in the same second.
  const limited = setupV1Server({ seed: 'v1-test', rateLimit: { perSecond: 100 } });

  it('refuses the 101st call of a second with 429, counts each key apart and frees the window a second later', async () => {
    const path = `/maintenance/${limited.combustion.vin}`;
    const query = limited.labelledQueryOf(limited.combustion);
    for (let call = 0; call < 100; call++) await limited.expectOk(limited.get(path, query));
    await limited.expectRefusal(limited.get(path, query), 429);
    const citroen = Array.from({ length: limited.ctx.world.ownerCount }, (_, i) =>
      limited.ctx.world.ownerAt(i),
    )
      .flatMap((owner) => owner.vehicles)
      .find((car) => car.brand === 'citroen');
    if (!citroen) throw new Error('no Citroën in the test world');
    await limited.expectOk(limited.get(`/maintenance/${citroen.vin}`, limited.labelledQueryOf(citroen)));
    limited.setNow(V1_TEST_NOW + 1000);
    await limited.expectOk(limited.get(path, query));
  });
});
