import 'server-only';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  type CarAccount,
  connectCarAccount,
  type LinkedVehicle,
  linkVehicles,
} from '../db/queries/car-accounts';
import { hitRateLimit } from '../db/queries/rate-limits';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { plainHttp, type UpstreamHttp } from '../vehicle-api/http/upstream';
import { createPsaV1Client } from '../vehicle-api/psa-v1/client';
import {
  PsaV1ConfigurationError,
  PsaV1NotFoundError,
  PsaV1RateLimitedError,
} from '../vehicle-api/psa-v1/errors';
import type { PsaV1Brand } from '../vehicle-api/psa-v1/provider';

// Linking a car over PSA Connected Car v1 (vehicle-apis.md §7): v1 knows no owner sign-in; a car is
// read with the brand application's API key and named by its VIN and the owner's service contract.
// The contract is what the owner can show and a stranger cannot: v1 answers the same 404 for an
// unknown VIN, a wrong contract and another brand's car, so a VIN cannot be probed.
//
// One car account per car (maker subject: the VIN), holding no tokens (the key is configuration);
// the car is linked with its contract, which the worker sends with every sync.

export const NO_SUCH_CAR_MESSAGE = 'No car with this VIN and contract';

/**
 * Attempts per owner and hour. The contract is the only secret guarding a car's data, and v1 answers
 * every try: without a limit an owner account could walk contract numbers for a VIN. Ten an hour
 * leaves room for typos and makes walking even a million numbers take over ten years.
 */
export const V1_CONNECT_LIMIT = { max: 10, windowMs: 60 * 60_000 } as const;

export const V1_CONNECT_BRANDS = ['peugeot', 'citroen', 'ds'] as const satisfies readonly PsaV1Brand[];

/** ISO 3779: 17 characters, no I, O or Q (the spec's example `VF73AAHXTFJ807314`). */
const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

const BRAND_LETTER = { peugeot: 'P', citroen: 'C', ds: 'C' } as const;
export const V1_BRAND_LABELS = { peugeot: 'Peugeot', citroen: 'Citroën', ds: 'DS' } as const;
export const CONTRACT_MAX_LENGTH = 64;

/** The owner's input, checked (the server action validates with it too). */
export const connectV1InputSchema = z.object({
  brand: z.enum(V1_CONNECT_BRANDS, { message: 'Pick Peugeot, Citroën or DS.' }),
  vin: z
    .string()
    .trim()
    .transform((vin) => vin.replace(/\s+/g, '').toUpperCase())
    // The spec's VIN alphabet (psaV1VinSchema), with a message for the owner.
    .pipe(z.string().regex(VIN_PATTERN, { message: 'A VIN has 17 letters and digits (no I, O or Q).' })),
  contract: z
    .string()
    .trim()
    .min(1, { message: 'Enter the contract number.' })
    .max(CONTRACT_MAX_LENGTH, { message: `A contract number is at most ${CONTRACT_MAX_LENGTH} characters.` }),
});
export type ConnectV1Input = z.infer<typeof connectV1InputSchema>;

/** Where v1 is and the brand applications' keys (PsaConfig satisfies it). */
export type V1ConnectConfig = {
  v1BaseUrl: string;
  apps: readonly { brand: string; clientId: string }[];
};

export type ConnectV1Result = { account: CarAccount; vehicle: LinkedVehicle; created: boolean };

export async function connectV1Car(
  db: Kysely<Database>,
  config: V1ConnectConfig,
  input: { ownerId: string } & ConnectV1Input,
  options: { http?: UpstreamHttp; now?: number } = {},
): Promise<ConnectV1Result> {
  const parsed = connectV1InputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('bad_request', parsed.error.issues[0]?.message ?? 'The car details are not valid.');
  }
  const { brand, vin, contract } = parsed.data;
  const now = options.now ?? Date.now();
  const attempts = await hitRateLimit(db, `v1-connect:${input.ownerId}`, V1_CONNECT_LIMIT.windowMs, now);
  if (attempts.count > V1_CONNECT_LIMIT.max) {
    throw new AppError('rate_limited', 'Too many attempts to link a car. Try again later.', {
      retryAfterS: attempts.retryAfterS,
    });
  }
  const app = config.apps.find((candidate) => candidate.brand === brand);
  if (!app) throw new AppError('bad_request', `${V1_BRAND_LABELS[brand]} cars cannot be linked here.`);

  // One cheap call: the active alerts list answers an existing car (even an empty list), and 404
  // for every "no" (provider.ts, changedAlerts).
  const client = createPsaV1Client({
    baseUrl: config.v1BaseUrl,
    apiKey: app.clientId,
    http: options.http ?? plainHttp,
  });
  try {
    await client.alerts({ vin, contract, brand: BRAND_LETTER[brand] }, true);
  } catch (error) {
    if (error instanceof PsaV1NotFoundError) throw new AppError('not_found', NO_SUCH_CAR_MESSAGE);
    if (error instanceof PsaV1RateLimitedError) {
      throw new AppError('rate_limited', 'The vehicle service is busy. Try again in a minute.', {
        ...(error.retryAfterMs === null ? {} : { retryAfterS: Math.ceil(error.retryAfterMs / 1000) }),
      });
    }
    if (error instanceof PsaV1ConfigurationError) {
      // The application key was refused: the installation's problem, not the owner's.
      console.error(`[car-accounts] PSA v1 refused the ${brand} API key`);
    }
    throw new AppError('upstream_unavailable', undefined, { cause: error });
  }

  const { account, created } = await connectCarAccount(db, null, {
    ownerId: input.ownerId,
    provider: 'psa-v1',
    brand,
    makerSubject: vin,
    tokens: null,
    now,
  });
  const linked = await linkVehicles(
    db,
    input.ownerId,
    account.id,
    [
      {
        providerVehicleId: vin,
        vin,
        contract,
        label: `${V1_BRAND_LABELS[brand]} ${vin.slice(-6)}`,
        brand: V1_BRAND_LABELS[brand],
        // v1 tells neither; the first syncs show the powertrain by what the car reports.
        model: 'Unknown model',
        powertrain: 'unknown',
      },
    ],
    { now },
  );
  const vehicle = linked?.[0];
  if (!vehicle) throw new AppError('internal', 'The car could not be linked.');
  return { account, vehicle, created };
}
