import { describe, expect, it } from 'vitest';
import { DAY_MS, type TripRecord } from '../fleet/vehicle-timeline';
import type { SimVehicle } from '../world/world';
import { setupV1Server, V1_TEST_NOW } from './test-server';

// One car, one instant, two APIs: what v1 says must be what v4 says. Both are called over HTTP at
// the same simulated instant and compared field by field — odometer, levels, speeds, engine,
// acceleration, lamps, position, temperature, trips and alerts — converting only what v1 writes
// differently (strings, numeric trip ids, imperial units).

const sim = setupV1Server({ seed: 'v1-v4-cross-check', peers: 30, backfillDays: 10 });
const { ctx } = sim;

type Status = {
  createdAt: string;
  odometer: { mileage: number };
  energies: { type: string; level: number }[];
  kinetic?: { acceleration: number; speed: number };
  engines: { speed: number }[];
  environment: { air: { temp: number } };
  lightingSystem: {
    turn: { direction: string; position: string; status: string }[];
    fog: { position: string; status: string }[];
  };
  lastPosition?: { geometry: { coordinates: number[] } };
};
type V4Trip = {
  id: string;
  startedAt: string;
  duration: number;
  distance: number;
  startMileage: number;
  kinetic?: { avgSpeed: number };
};
type V1Trip = {
  tripId: number;
  dateTripBegin: string;
  tripDuration: number;
  tripMileage: number;
  totMileage: number;
  avgSpeed: number;
  ecoDriving: number;
};

const ownerIndexOf = (vehicle: SimVehicle) => {
  for (let index = 0; index < ctx.world.ownerCount; index++) {
    if (ctx.world.ownerAt(index).vehicles.some((candidate) => candidate.id === vehicle.id)) return index;
  }
  throw new Error(`no owner for ${vehicle.id}`);
};

async function v4Status(vehicle: SimVehicle): Promise<Status> {
  const answer = await sim.v4Get(`/user/vehicles/${vehicle.id}/status`, ownerIndexOf(vehicle));
  expect(answer.status).toBe(200);
  return answer.body as Status;
}

async function v1(path: string, vehicle: SimVehicle, extra: Record<string, string> = {}) {
  const answer = await sim.get(path, { ...sim.labelledQueryOf(vehicle), ...extra });
  expect(answer.status, `${path}: ${JSON.stringify(answer.body).slice(0, 200)}`).toBe(200);
  return answer.body as Record<string, unknown>;
}

/** A driving instant: 10 minutes into the car's latest trip of at least 15 minutes before now. */
function drivingInstant(vehicle: SimVehicle): { trip: TripRecord; ms: number } {
  const trips = ctx.fleet.timelineOf(vehicle).tripsBetween(V1_TEST_NOW - 4 * DAY_MS, V1_TEST_NOW);
  const trip = trips.filter((candidate) => candidate.endMs - candidate.startMs >= 15 * 60_000).at(-1);
  if (!trip) throw new Error(`no long trip for ${vehicle.id}`);
  return { trip, ms: trip.startMs + 10 * 60_000 + 7_000 };
}

const fuelLevelOf = (status: Status) => status.energies.find((energy) => energy.type === 'Fuel')?.level;
const lampOn = (status: Status, direction: string) =>
  status.lightingSystem.turn.some((lamp) => lamp.direction === direction && lamp.status === 'On') ? 1 : 0;

describe('v1 and v4 tell the same story about the same car', () => {
  for (const instant of ['driving', 'parked'] as const) {
    it(`petrol 208 ${instant}: odometer, fuel, engine, acceleration, lamps, position and air`, async () => {
      const car = sim.combustion;
      sim.setNow(instant === 'driving' ? drivingInstant(car).ms : V1_TEST_NOW);
      const status = await v4Status(car);
      const maintenance = await v1(`/maintenance/${car.vin}`, car);
      const running = await v1(`/running/data/${car.vin}`, car);
      const lights = await v1(`/running/data/lightstatus/${car.vin}`, car);
      const environment = await v1(`/environment/get/${car.vin}`, car);
      const position = await v1(`/place/lastposition/${car.vin}`, car, { near: '0' });

      // The same report: v1's minute ends where v4's status was created.
      expect(Date.parse(String(maintenance.lastUpdate))).toBe(Date.parse(status.createdAt));
      const maintenanceBlock = maintenance.maintenance as unknown as { totMileage: number };
      expect(maintenanceBlock.totMileage).toBeCloseTo(status.odometer.mileage, 1);
      const fuel = maintenance.fuel as unknown as { fuelLevel: number };
      expect(fuel.fuelLevel).toBeCloseTo(fuelLevelOf(status) ?? Number.NaN, 1);
      expect(Number(running.fuelLevel)).toBeCloseTo(fuelLevelOf(status) ?? Number.NaN, 1);
      // Second 60 of v1's minute is the report itself.
      expect((running.engineSpeed as Record<string, number>)['60']).toBe(status.engines[0]?.speed);
      expect((running.accelerationVeh as Record<string, number>)['60']).toBeCloseTo(
        status.kinetic?.acceleration ?? 0,
        2,
      );
      expect((lights.turnLeft as Record<string, number>)['60']).toBe(lampOn(status, 'Left'));
      expect((lights.turnRight as Record<string, number>)['60']).toBe(lampOn(status, 'Right'));
      expect((environment.exteriorTemp as Record<string, number>)['41']).toBeCloseTo(
        status.environment.air.temp,
        1,
      );
      const [lon, lat] = status.lastPosition?.geometry.coordinates ?? [];
      expect(Number((position.latitude as Record<string, string>)['60'])).toBeCloseTo(lat ?? Number.NaN, 5);
      expect(Number((position.longitude as Record<string, string>)['60'])).toBeCloseTo(lon ?? Number.NaN, 5);
      if (instant === 'driving') {
        expect(status.kinetic?.speed).toBeGreaterThan(0);
        expect((running.engineSpeed as Record<string, number>)['60']).toBeGreaterThan(0);
      }
    });
  }

  it('trips: the same distance, duration, odometer and average speed, metric and imperial', async () => {
    sim.setNow(V1_TEST_NOW);
    for (const car of [sim.combustion, sim.electric]) {
      const v4Trips = await sim.v4Get(`/user/vehicles/${car.id}/trips?pageSize=60`, 0);
      expect(v4Trips.status).toBe(200);
      const byStart = new Map(
        ((v4Trips.body as { _embedded: { trips: V4Trip[] } })._embedded.trips ?? []).map((trip) => [
          Date.parse(trip.startedAt),
          trip,
        ]),
      );
      const metric = (await v1(`/trip/last/${car.vin}`, car, { limit: '8', unit: '0' }))
        .trips as unknown as V1Trip[];
      const imperial = (await v1(`/trip/last/${car.vin}`, car, { limit: '8', unit: '1' }))
        .trips as unknown as V1Trip[];
      expect(metric.length).toBeGreaterThan(3);
      for (const [i, trip] of metric.entries()) {
        const twin = byStart.get(Date.parse(trip.dateTripBegin));
        expect(twin, `v4 has the trip starting ${trip.dateTripBegin}`).toBeDefined();
        if (!twin) continue;
        expect(twin.id.endsWith(`-${Math.floor(trip.tripId / 1000)}-${trip.tripId % 1000}`)).toBe(true);
        expect(trip.tripDuration).toBe(twin.duration);
        expect(trip.tripMileage).toBeCloseTo(twin.distance, 1);
        expect(trip.totMileage).toBeCloseTo(twin.startMileage + twin.distance, 0);
        expect(trip.avgSpeed).toBeCloseTo(twin.kinetic?.avgSpeed ?? Number.NaN, 1);
        const miles = imperial[i] as V1Trip;
        expect(miles.tripId).toBe(trip.tripId);
        // Both are rounded to 0.1 from the same unrounded figure.
        expect(Math.abs(miles.tripMileage - trip.tripMileage / 1.609344)).toBeLessThanOrEqual(0.1);
        expect(Math.abs(miles.avgSpeed - trip.avgSpeed / 1.609344)).toBeLessThanOrEqual(0.1);
        // The trip's eco-driving figure is its evaluation's driving mark.
        const evaluation = await v1(`/ecodriving/evaluation/pertrip/${car.vin}/${trip.tripId}`, car);
        expect((evaluation.globalEvaluation as unknown as { drivingMark: number }).drivingMark).toBe(
          trip.ecoDriving,
        );
      }
    }
  });

  it('alerts: the same ids, starts, ends and states for cars with alerts', async () => {
    sim.setNow(V1_TEST_NOW);
    let compared = 0;
    for (let index = 0; index < ctx.world.ownerCount && compared < 5; index++) {
      for (const car of ctx.world.ownerAt(index).vehicles) {
        if (car.brand === 'opel') continue;
        const v4 = await sim.v4Get(`/user/vehicles/${car.id}/alerts?pageSize=60`, index);
        if (v4.status === 404) continue;
        expect(v4.status, JSON.stringify(v4.body)).toBe(200);
        const v4Alerts = (
          v4.body as {
            _embedded: { alerts: { id: string; active: boolean; startedAt?: string; endedAt?: string }[] };
          }
        )._embedded.alerts;
        const v1Alerts: {
          idAlert: string;
          alertState: number;
          dateAlertBegin: string;
          dateAlertEnd: string;
        }[] = [];
        for (const active of ['1', '0']) {
          v1Alerts.push(
            ...((await v1(`/maintenance/alert/${car.vin}`, car, { active }))
              .listAlert as unknown as typeof v1Alerts),
          );
        }
        expect(v1Alerts.map((alert) => alert.idAlert).sort()).toEqual(
          v4Alerts.map((alert) => alert.id).sort(),
        );
        for (const alert of v4Alerts) {
          const twin = v1Alerts.find((candidate) => candidate.idAlert === alert.id);
          expect(twin?.alertState).toBe(alert.active ? 1 : 0);
          if (alert.startedAt)
            expect(Date.parse(twin?.dateAlertBegin ?? '')).toBe(Date.parse(alert.startedAt));
          if (!alert.active && alert.endedAt)
            expect(Date.parse(twin?.dateAlertEnd ?? '')).toBe(Date.parse(alert.endedAt));
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });
});
