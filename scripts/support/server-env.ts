import type { Env } from '../../lib/env-schema';
import { EnvError } from '../../lib/env-schema';

/**
 * The validated configuration for a script, or a plain message naming the bad variable and exit
 * code 1 (no stack trace: it is the operator's input that is wrong, not the program).
 */
export async function loadServerEnv(): Promise<Env> {
  try {
    return (await import('../../lib/env')).env;
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
