import 'server-only';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Env, isBase64Key } from './env-schema';
import { TAINT_MESSAGES, taintValue } from './security/taint';

// Secrets the embedded default must not ask anyone to write. Each is generated once under the
// data folder (mode 0600) and reused; a deployment on PostgreSQL runs several instances that must
// share them, so there it has to be configured and a missing one stops start-up.

type SecretName = 'AUTH_SECRET' | 'TOKEN_ENCRYPTION_KEY';

const SECRET_FILES: Record<SecretName, string> = {
  AUTH_SECRET: 'auth-secret',
  TOKEN_ENCRYPTION_KEY: 'token-encryption-key',
};

export class MissingSecretError extends Error {
  constructor(name: SecretName) {
    super(
      `${name} is not set. With DATABASE_URL pointing to PostgreSQL every instance must share it: ` +
        `set ${name} (openssl rand -base64 32).`,
    );
    this.name = 'MissingSecretError';
  }
}

// What each secret file held when this process first read it. The auth secret is asked for on
// every signed-in request (the session cookie is decrypted with it); reading the file each time
// cost a mkdir, a refused exclusive create (an exception) and a read per request.
const readSecrets = new Map<string, string>();

function readOrCreateSecretFile(dataDir: string, name: SecretName): string {
  // The data folder is chosen at run time; tell the bundler not to trace it into the build.
  const file = path.join(/*turbopackIgnore: true*/ dataDir, SECRET_FILES[name]);
  const known = readSecrets.get(file);
  if (known) return known;
  fs.mkdirSync(/*turbopackIgnore: true*/ dataDir, { recursive: true });
  try {
    // 'wx' fails if the file exists, so two processes starting together agree on one value.
    fs.writeFileSync(/*turbopackIgnore: true*/ file, randomBytes(32).toString('base64'), {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const value = fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8').trim();
  if (!isBase64Key(value)) {
    throw new Error(
      `${file} is damaged: delete it to generate a new ${name} (signed-in users will be signed out).`,
    );
  }
  readSecrets.set(file, value);
  return value;
}

function resolveSecret(env: Env, name: SecretName): string {
  const configured = env[name];
  if (configured) {
    // The configuration holds it for the life of the process; so does the taint.
    taintValue(TAINT_MESSAGES.secret, env, configured);
    return configured;
  }
  if (env.databaseEngine === 'postgres') throw new MissingSecretError(name);
  const generated = readOrCreateSecretFile(env.dataDir, name);
  // Kept in `readSecrets` for the life of the process.
  taintValue(TAINT_MESSAGES.secret, readSecrets, generated);
  return generated;
}

export function getAuthSecret(env: Env): string {
  return resolveSecret(env, 'AUTH_SECRET');
}

export function getTokenEncryptionKey(env: Env): Buffer {
  return Buffer.from(resolveSecret(env, 'TOKEN_ENCRYPTION_KEY'), 'base64');
}
