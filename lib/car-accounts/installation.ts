import 'server-only';
import { type TokenCipher, tokenCipherFromEnv } from '../crypto/token-cipher';
import { env } from '../env';
import { loadPsaConfig, type PsaConfig } from '../vehicle-api/psa-config';

// This installation's car-account context for pages, routes and actions: the PSA configuration
// and the token cipher (one per process: the key is read once).

let cipher: TokenCipher | undefined;

export function getTokenCipher(): TokenCipher {
  cipher ??= tokenCipherFromEnv(env);
  return cipher;
}

export function getPsaConfig(): Promise<PsaConfig | null> {
  return loadPsaConfig(env);
}

/** Kinetic's public origin for OAuth redirect URIs: AUTH_URL when set, else the request's. */
export function publicOrigin(request: Request): string {
  return env.AUTH_URL ? new URL(env.AUTH_URL).origin : new URL(request.url).origin;
}
