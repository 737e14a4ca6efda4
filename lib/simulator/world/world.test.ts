import { describe, expect, it } from 'vitest';
import { VEHICLE_MODELS } from '../physics/vehicle-models';
import { SIM_BRANDS } from './brands';
import { isValidVin } from './vin';
import { createWorld, DEMO_OWNER_EMAIL } from './world';

describe('the simulated world', () => {
  it('is the same for the same seed and different for another', () => {
    const a = createWorld({ seed: 'alpha', peers: 20 });
    const b = createWorld({ seed: 'alpha', peers: 20 });
    const c = createWorld({ seed: 'beta', peers: 20 });
    for (let index = 0; index < 21; index += 1) expect(a.ownerAt(index)).toEqual(b.ownerAt(index));
    expect(a.clients).toEqual(b.clients);
    expect(a.ownerAt(5).vehicles[0]?.id).not.toBe(c.ownerAt(5).vehicles[0]?.id);
    expect(a.clients[0]?.clientId).not.toBe(c.clients[0]?.clientId);
  });

  it('starts with the demo owner: two Peugeots on one account, one combustion and one electric', () => {
    const demo = createWorld({ seed: 'kinetic', peers: 3 }).ownerAt(0);
    expect(demo.email).toBe(DEMO_OWNER_EMAIL);
    expect(demo.brand).toBe('peugeot');
    expect(demo.vehicles).toHaveLength(2);
    expect(demo.vehicles.every((vehicle) => vehicle.brand === 'peugeot')).toBe(true);
    expect(['petrol', 'diesel']).toContain(demo.vehicles[0]?.powertrain);
    expect(demo.vehicles[1]?.powertrain).toBe('electric');
  });

  it('gives peers of every brand and powertrain, a spread of styles, valid unique VINs and ids', () => {
    const world = createWorld({ seed: 'kinetic', peers: 100 });
    expect(world.ownerCount).toBe(101);
    const owners = Array.from({ length: world.ownerCount }, (_, index) => world.ownerAt(index));
    const vehicles = owners.flatMap((owner) => owner.vehicles);
    expect(new Set(owners.map((owner) => owner.brand))).toEqual(new Set(SIM_BRANDS));
    expect(new Set(vehicles.map((vehicle) => vehicle.powertrain))).toEqual(
      new Set(['petrol', 'diesel', 'hybrid', 'electric']),
    );
    expect(new Set(vehicles.map((vehicle) => vehicle.id)).size).toBe(vehicles.length);
    expect(new Set(vehicles.map((vehicle) => vehicle.vin)).size).toBe(vehicles.length);
    expect(new Set(owners.map((owner) => owner.email)).size).toBe(owners.length);
    for (const vehicle of vehicles) {
      expect(isValidVin(vehicle.vin)).toBe(true);
      expect(vehicle.id).toMatch(/^[0-9a-f]{32}$/);
      const model = VEHICLE_MODELS.find((candidate) => candidate.id === vehicle.modelId);
      expect(model?.brand).toBe(vehicle.brand);
    }
    const styles = owners.slice(1).map((owner) => owner.style.aggressiveness);
    expect(Math.min(...styles)).toBeLessThan(0.15);
    expect(Math.max(...styles)).toBeGreaterThan(0.85);
  });

  it('finds owners by e-mail and vehicles by id without a table, and refuses strangers', () => {
    const world = createWorld({ seed: 'kinetic', peers: 100_000 });
    const owner = world.ownerAt(73_512);
    expect(world.findOwnerByEmail(owner.email.toUpperCase())).toEqual(owner);
    const vehicle = owner.vehicles[0];
    expect(vehicle && world.findVehicle(vehicle.id)).toEqual(vehicle);
    expect(world.findOwnerByEmail('driver100001@mypeugeot.sim')).toBeNull();
    expect(world.findOwnerByEmail('driver5@wrong.example')).toBeNull();
    expect(world.findVehicle('not-an-id')).toBeNull();
    expect(world.findVehicle(`${vehicle?.id.slice(0, 31)}0`)).toBeNull();
    expect(() => world.ownerAt(100_001)).toThrow(RangeError);
  });
});

describe('findVehicleByVin', () => {
  it('finds every car by its VIN and nothing else', () => {
    const world = createWorld({ seed: 'vin-lookup', peers: 30 });
    for (let index = 0; index < world.ownerCount; index++) {
      for (const vehicle of world.ownerAt(index).vehicles) {
        expect(world.findVehicleByVin(vehicle.vin)).toEqual(vehicle);
      }
    }
    const vin = world.ownerAt(3).vehicles[0]?.vin ?? '';
    expect(world.findVehicleByVin(`${vin.slice(0, 16)}9`)).toBeNull();
    expect(world.findVehicleByVin(vin.toLowerCase())).toBeNull();
    expect(world.findVehicleByVin('VF3XXXXXXXX999999')).toBeNull();
    expect(world.findVehicleByVin('')).toBeNull();
  });
});
