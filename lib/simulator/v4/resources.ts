import { createHash } from 'node:crypto';
import type { SimContext } from '../context';
import { deriveSeed } from '../physics/random';
import type { Powertrain } from '../physics/vehicle-models';
import { BRAND_INFO } from '../world/brands';
import type { SimOwner, SimVehicle } from '../world/world';
import { link, rfc3339 } from './hal';
import type { VehicleExtension } from './params';

// The v4 `User` and `Vehicle` representations (spec 4.17 components/schemas, vehicle-apis.md §5.1,
// §6) built from the simulated world. Everything is derived from the seed, so the same seed and
// clock always give the same bodies.

/** 4.17 `motorization`; the 4.0 `engine[]` array is not sent, as real 2021 bodies had none. */
const MOTORIZATION: Record<Powertrain, 'Thermic' | 'Hybrid' | 'Electric'> = {
  petrol: 'Thermic',
  diesel: 'Thermic',
  hybrid: 'Hybrid',
  electric: 'Electric',
};

/**
 * A long hex id per owner, stable for a seed and index. The spec's `User` has no id field, so it
 * is not sent; it binds page tokens to their owner.
 */
export function ownerId(seed: string, ownerIndex: number): string {
  return createHash('sha256').update(`kinetic-sim|owner|${seed}|${ownerIndex}`).digest('hex');
}

/** When the car joined the connected service, never after the simulated now. */
function enrolledAt(ctx: SimContext, vehicle: SimVehicle): number {
  return Math.min(ctx.fleet.enrolledAtMs(vehicle), ctx.clock.now());
}

function picturesOf(vehicle: SimVehicle): string[] {
  // A host under the simulator's own .sim domain: a client showing pictures never calls the
  // brands' real image servers with made-up parameters.
  const host = `visuel3d-secure.${BRAND_INFO[vehicle.brand].emailDomain}`;
  return ['001', '002'].map(
    (view) =>
      `https://${host}/V3DImage.ashx?client=kinetic-sim&format=png&version=${encodeURIComponent(vehicle.modelId)}&view=${view}`,
  );
}

function onboardCapabilities(powertrain: Powertrain) {
  const thermic = powertrain !== 'electric';
  const traction = powertrain === 'electric' || powertrain === 'hybrid';
  const vehicleData = [
    'ignition',
    ...(traction ? ['preconditioning'] : []),
    'energies',
    ...(thermic ? ['engines'] : []),
    'doorsState',
    'powertrain',
    'battery',
    'safety',
    'odometer',
    'kinetic',
    ...(thermic ? ['transmission'] : []),
    'lightingSystem',
    'maintenance',
    'drivingBehavior',
    'alarm',
  ].map((name) => `data:telemetry:vehicle:${name}`);
  return {
    data: [
      ...(powertrain === 'electric' ? ['data:vehicle:devices:pnc'] : []),
      'data:telemetry',
      'data:telemetry:environment',
      'data:telemetry:privacy',
      'data:telemetry:vehicle',
      ...vehicleData,
      'data:position',
      'data:trip',
      'data:alert',
      'data:collision',
    ],
    remote: {
      preconditioning: {
        supported: traction,
        scopeName: 'remote:preconditioning:write',
        parameters: traction ? { programs: { size: 4 }, immediate: true } : {},
      },
      door: { supported: true, scopeName: 'remote:door:write' },
      horn: { supported: true, scopeName: 'remote:horn:write' },
      charging: {
        supported: traction,
        scopeName: 'remote:charging:write',
        parameters: traction
          ? {
              immediate: { start: true, stop: true },
              schedule: {
                programs: { supported: true, size: 1 },
                nextDelayedTime: true,
                preferences: { level: false, type: false },
              },
            }
          : {},
      },
      lights: { supported: true, scopeName: 'remote:lights:write' },
      wakeup: { supported: true, scopeName: 'remote:wakeup:write' },
      navigation: { supported: false, scopeName: 'remote:navigation:write' },
    },
  };
}

export function vehicleUrl(apiBase: string, vehicleId: string): string {
  return `${apiBase}/user/vehicles/${vehicleId}`;
}

export function vehicleResource(
  ctx: SimContext,
  apiBase: string,
  vehicle: SimVehicle,
  extensions: readonly VehicleExtension[] = [],
  /** The `hostile_names` fault's name for the car (faults/hostile.ts); its model otherwise. */
  nameOverride: string | null = null,
) {
  const self = vehicleUrl(apiBase, vehicle.id);
  const name = nameOverride ?? vehicle.model;
  const at = rfc3339(enrolledAt(ctx, vehicle));
  const brand = BRAND_INFO[vehicle.brand].label;
  const extension = {
    ...(extensions.includes('onboardCapabilities')
      ? { onboardCapabilities: onboardCapabilities(vehicle.powertrain) }
      : {}),
    ...(extensions.includes('branding') ? { branding: { brand, label: name } } : {}),
    ...(extensions.includes('pictures') ? { pictures: picturesOf(vehicle) } : {}),
  };
  return {
    createdAt: at,
    updatedAt: at,
    id: vehicle.id,
    vin: vehicle.vin,
    // brand, label and pictures are deprecated in 4.17 but still sent by the real API (§6).
    brand,
    label: name,
    motorization: MOTORIZATION[vehicle.powertrain],
    pictures: picturesOf(vehicle),
    _links: {
      self: link(self),
      user: link(`${apiBase}/user`),
      status: link(`${self}/status`),
      lastPosition: link(`${self}/lastPosition`),
      telemetry: link(`${self}/telemetry`),
      maintenance: link(`${self}/maintenance`),
      alerts: link(`${self}/alerts`),
      trips: link(`${self}/trips`),
      collisions: link(`${self}/collisions`),
      alarms: link(`${self}/alarms`),
      callbacks: link(`${apiBase}/user/callbacks`),
    },
    ...(extensions.length > 0 ? { _embedded: { extension } } : {}),
  };
}

export function userResource(ctx: SimContext, apiBase: string, owner: SimOwner) {
  const firstVehicleAt = Math.min(
    ctx.clock.now(),
    ...owner.vehicles.map((vehicle) => enrolledAt(ctx, vehicle)),
  );
  // The account predates its first connected car by a few days.
  const accountAt =
    firstVehicleAt - (deriveSeed(ctx.world.seed, 'v4-account', owner.index) % 30) * 24 * 3600 * 1000;
  const [firstName = '', ...rest] = owner.name.split(' ');
  return {
    createdAt: rfc3339(accountAt),
    updatedAt: rfc3339(accountAt),
    email: owner.email,
    firstName,
    lastName: rest.join(' '),
    _links: { self: link(`${apiBase}/user`), vehicles: link(`${apiBase}/user/vehicles`) },
    _embedded: { Vehicles: owner.vehicles.map((vehicle) => vehicleResource(ctx, apiBase, vehicle)) },
  };
}
