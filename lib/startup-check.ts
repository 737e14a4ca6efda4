import 'server-only';
import { EnvError } from './env-schema';
import { MissingSecretError } from './secrets';

/** Loads and checks the configuration; on a bad value, says which and stops the process. */
export async function loadServerConfig(): Promise<void> {
  try {
    // Imported here, not at the top, so that a parse failure lands in the catch below.
    const { env } = await import('./env');
    const { getAuthSecret } = await import('./secrets');
    getAuthSecret(env);
  } catch (error) {
    if (error instanceof EnvError || error instanceof MissingSecretError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
