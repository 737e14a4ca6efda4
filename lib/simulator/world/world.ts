import { createRng, deriveSeed } from '../physics/random';
import { VEHICLE_MODELS, type VehicleModel } from '../physics/vehicle-models';
import { BRAND_INFO, SIM_BRANDS, type SimBrand } from './brands';
import { makeVin } from './vin';

// The simulated world: owners and their cars, derived from the seed and an index alone. Nothing is
// stored or precomputed: owner 73,512 of a 100,000-owner world costs the same to produce as owner 1,
// and the same seed always gives the same world.

export const DEMO_OWNER_EMAIL = 'demo@kinetic.local';
const MAX_PEERS = 100_000;

export type SimVehicle = {
  id: string;
  vin: string;
  contract: string;
  brand: SimBrand;
  model: string;
  modelId: string;
  powertrain: VehicleModel['powertrain'];
  /** The owner's position in the world (0 is the demo owner). */
  ownerIndex: number;
};

export type SimOwner = {
  index: number;
  email: string;
  name: string;
  brand: SimBrand;
  style: { aggressiveness: number };
  vehicles: SimVehicle[];
};

export type SimClient = { brand: SimBrand; realm: string; clientId: string; clientSecret: string };

export type World = {
  seed: string;
  ownerCount: number;
  clients: SimClient[];
  ownerAt: (index: number) => SimOwner;
  findOwnerByEmail: (email: string) => SimOwner | null;
  findVehicle: (vehicleId: string) => SimVehicle | null;
  /** The car with this VIN; its serial (the last six characters) says whose it is. */
  findVehicleByVin: (vin: string) => SimVehicle | null;
  clientFor: (brand: SimBrand) => SimClient;
};

const FIRST_NAMES = [
  'Camille',
  'Lucas',
  'Léa',
  'Hugo',
  'Chloé',
  'Louis',
  'Manon',
  'Jules',
  'Inès',
  'Noah',
  'Sarah',
  'Adam',
  'Emma',
  'Paul',
  'Zoé',
  'Max',
  'Anna',
  'Leon',
  'Mia',
  'Felix',
];
const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Rossi',
  'Garcia',
  'Smith',
  'Jones',
  'Taylor',
];

const hex = (value: number, width: number) => (value >>> 0).toString(16).padStart(width, '0').slice(-width);

function modelsOf(brand: SimBrand): readonly VehicleModel[] {
  return VEHICLE_MODELS.filter((model) => model.brand === brand);
}

function requireModel(predicate: (model: VehicleModel) => boolean, what: string): VehicleModel {
  const model = VEHICLE_MODELS.find(predicate);
  if (!model) throw new Error(`The vehicle catalog has no ${what}.`);
  return model;
}

// Vehicle ids are long hex strings like the real API's. The owner's index and the car's position
// are written into the id, so a lookup needs no table; the rest is seed-dependent filler.
function vehicleId(seedHash: number, ownerIndex: number, slot: number): string {
  const filler = deriveSeed(seedHash, 'vehicle-id', ownerIndex, slot);
  return `${hex(ownerIndex, 8)}${hex(slot, 2)}${hex(filler, 8)}${hex(deriveSeed(filler, 'more'), 8)}${hex(seedHash, 6)}`;
}

function parseVehicleId(id: string): { ownerIndex: number; slot: number } | null {
  if (!/^[0-9a-f]{32}$/.test(id)) return null;
  return { ownerIndex: Number.parseInt(id.slice(0, 8), 16), slot: Number.parseInt(id.slice(8, 10), 16) };
}

export function createWorld(options: { seed: string; peers: number }): World {
  const peers = Math.max(0, Math.min(MAX_PEERS, Math.floor(options.peers)));
  const seedHash = deriveSeed(options.seed);
  const ownerCount = peers + 1;

  const clients = SIM_BRANDS.map((brand) => ({
    brand,
    realm: BRAND_INFO[brand].realm,
    clientId: `${hex(deriveSeed(seedHash, 'client-id', brand), 8)}-${hex(deriveSeed(seedHash, 'client-id-2', brand), 8)}`,
    clientSecret: `${hex(deriveSeed(seedHash, 'secret', brand), 8)}${hex(deriveSeed(seedHash, 'secret-2', brand), 8)}`,
  }));

  const makeVehicle = (
    ownerIndex: number,
    slot: number,
    brand: SimBrand,
    model: VehicleModel,
  ): SimVehicle => {
    const serial = ownerIndex * 4 + slot;
    return {
      id: vehicleId(seedHash, ownerIndex, slot),
      vin: makeVin({
        wmi: model.vinPrefix,
        descriptor: model.id.replace(/[^a-z0-9]/g, '').slice(-5),
        modelYear: 2019 + (deriveSeed(seedHash, 'year', serial) % 6),
        plant: 'L',
        serial,
      }),
      contract: `CT${String(deriveSeed(seedHash, 'contract', serial) % 100_000_000).padStart(8, '0')}`,
      brand,
      model: model.name,
      modelId: model.id,
      powertrain: model.powertrain,
      ownerIndex,
    };
  };

  const demoOwner = (): SimOwner => {
    // The demo owner's world is fixed: two Peugeots on one account, one combustion, one electric.
    const combustion = requireModel(
      (model) =>
        model.brand === 'peugeot' && (model.powertrain === 'petrol' || model.powertrain === 'diesel'),
      'combustion Peugeot',
    );
    const electric = requireModel(
      (model) => model.brand === 'peugeot' && model.powertrain === 'electric',
      'electric Peugeot',
    );
    return {
      index: 0,
      email: DEMO_OWNER_EMAIL,
      name: 'Demo driver',
      brand: 'peugeot',
      style: { aggressiveness: 0.35 },
      vehicles: [makeVehicle(0, 0, 'peugeot', combustion), makeVehicle(0, 1, 'peugeot', electric)],
    };
  };

  const peerOwner = (index: number): SimOwner => {
    const rng = createRng(deriveSeed(seedHash, 'owner', index));
    // Brands rotate so that every brand has owners in even the smallest world.
    const brand = SIM_BRANDS[(index - 1) % SIM_BRANDS.length] ?? 'peugeot';
    const catalog = modelsOf(brand);
    const model = catalog[Math.floor((index - 1) / SIM_BRANDS.length) % catalog.length] ?? rng.pick(catalog);
    const vehicles = [makeVehicle(index, 0, brand, model)];
    // About one owner in six has a second car of the same brand (one account covers both).
    if (rng.next() < 1 / 6) vehicles.push(makeVehicle(index, 1, brand, rng.pick(catalog)));
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    return {
      index,
      email: `driver${index}@${BRAND_INFO[brand].emailDomain}`,
      name: `${first} ${last}`,
      brand,
      // Spread over the whole range from smooth to aggressive, evenly on average.
      style: { aggressiveness: Math.round(rng.next() * 1000) / 1000 },
      vehicles,
    };
  };

  const ownerAt = (index: number): SimOwner => {
    if (!Number.isInteger(index) || index < 0 || index >= ownerCount) {
      throw new RangeError(`No owner ${index} in a world of ${ownerCount}.`);
    }
    return index === 0 ? demoOwner() : peerOwner(index);
  };

  return {
    seed: options.seed,
    ownerCount,
    clients,
    ownerAt,
    findOwnerByEmail(email) {
      const normalized = email.trim().toLowerCase();
      if (normalized === DEMO_OWNER_EMAIL) return ownerAt(0);
      const match = /^driver(\d+)@([a-z.]+)$/.exec(normalized);
      if (!match) return null;
      const index = Number(match[1]);
      if (index < 1 || index >= ownerCount) return null;
      const owner = ownerAt(index);
      return owner.email === normalized ? owner : null;
    },
    findVehicle(id) {
      const parsed = parseVehicleId(id);
      if (!parsed || parsed.ownerIndex >= ownerCount) return null;
      return ownerAt(parsed.ownerIndex).vehicles.find((vehicle) => vehicle.id === id) ?? null;
    },
    findVehicleByVin(vin) {
      const serial = /^[A-HJ-NPR-Z0-9]{11}(\d{6})$/.exec(vin)?.[1];
      if (serial === undefined) return null;
      const ownerIndex = Math.floor(Number(serial) / 4);
      if (ownerIndex >= ownerCount) return null;
      return ownerAt(ownerIndex).vehicles.find((vehicle) => vehicle.vin === vin) ?? null;
    },
    clientFor(brand) {
      const client = clients.find((candidate) => candidate.brand === brand);
      if (!client) throw new Error(`No client for ${brand}`);
      return client;
    },
  };
}
