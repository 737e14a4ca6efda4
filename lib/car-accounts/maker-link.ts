import 'server-only';
import type { Kysely } from 'kysely';
import type { AccountTokens, TokenCipher } from '../crypto/token-cipher';
import {
  type CarAccount,
  connectCarAccount,
  type LinkedVehicle,
  type LinkVehicleInput,
  linkVehicles,
} from '../db/queries/car-accounts';
import type { Database } from '../db/schema';
import type { NormalizedVehicle } from '../telemetry/model';
import type { PsaBrand, PsaConfig } from '../vehicle-api/psa-config';
import { PSA_BRAND_FACTS } from '../vehicle-api/psa-config';
import {
  type CallbackClients,
  createProviderFactory,
  type ProviderFactory,
  providerConfigOf,
} from '../worker/providers';

// Linking a maker account once the identity provider has vouched for it (OAuth code exchanged,
// state, PKCE and id_token checked by the caller): the account with its encrypted tokens, then the
// cars, all of them (sign-in with the maker: one consent) or the ones the owner picks (Connect a
// car). Used by the sign-in callback, the Connect-a-car callback and the simulated owners alike.

/** A provider factory over the installation's PSA configuration, for one request's work. */
export function appProviders(
  db: Kysely<Database>,
  cipher: TokenCipher,
  config: PsaConfig,
): ProviderFactory & CallbackClients {
  return createProviderFactory({
    db,
    cipher,
    ...providerConfigOf(config),
  });
}

/** What linking needs to know of a listed car; cars the API gives no VIN for cannot be linked. */
export function linkInputOf(vehicle: NormalizedVehicle, fallbackBrand: string): LinkVehicleInput | null {
  if (!vehicle.vin) return null;
  const brand = vehicle.brand ?? fallbackBrand;
  const model = vehicle.model ?? 'Unknown model';
  return {
    providerVehicleId: vehicle.providerVehicleId,
    vin: vehicle.vin,
    label: `${brand} ${model}`,
    brand,
    model,
    powertrain: vehicle.powertrain ?? 'unknown',
  };
}

export type MakerGrant = {
  ownerId: string;
  brand: PsaBrand;
  /** The IdP's `sub` for this person (from the validated id_token). */
  makerSubject: string;
  tokens: AccountTokens;
};

/** Creates or renews the owner's account for this maker identity (no cars linked yet). */
export async function connectMakerAccount(
  db: Kysely<Database>,
  cipher: TokenCipher,
  grant: MakerGrant,
): Promise<{ account: CarAccount; created: boolean }> {
  return connectCarAccount(db, cipher, {
    ownerId: grant.ownerId,
    provider: 'psa-v4',
    brand: grant.brand,
    makerSubject: grant.makerSubject,
    tokens: grant.tokens,
  });
}

/** The cars the maker account holds, as its API lists them now (for the owner to pick from). */
export async function listMakerVehicles(
  providers: ProviderFactory,
  account: Pick<CarAccount, 'id' | 'provider' | 'brand'>,
): Promise<LinkVehicleInput[]> {
  const listed = await providers.forAccount(account).listVehicles();
  const fallback = PSA_BRAND_FACTS[account.brand as PsaBrand]?.label ?? account.brand;
  return listed.flatMap((vehicle) => {
    const input = linkInputOf(vehicle, fallback);
    return input ? [input] : [];
  });
}

/**
 * Links the cars with these provider ids (all listed cars when `choice` is 'all'). Ids the
 * account does not list are ignored: the owner can only pick what the maker says is theirs.
 * Answers null when the account is not the owner's.
 */
export async function linkMakerVehicles(
  db: Kysely<Database>,
  providers: ProviderFactory,
  ownerId: string,
  account: Pick<CarAccount, 'id' | 'provider' | 'brand'>,
  choice: 'all' | readonly string[],
): Promise<LinkedVehicle[] | null> {
  const listed = await listMakerVehicles(providers, account);
  const wanted = choice === 'all' ? listed : listed.filter((car) => choice.includes(car.providerVehicleId));
  return linkVehicles(db, ownerId, account.id, wanted);
}
