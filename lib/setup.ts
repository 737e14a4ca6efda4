import 'server-only';
import { openDatabase } from './db/client';
import { migrateToLatest } from './db/migrate';
import { ensureDemoOwner } from './demo/demo-owner';
import type { Env } from './env-schema';
import { getAuthSecret, getTokenEncryptionKey } from './secrets';

/**
 * What every start does before serving: check the secrets can be had, bring the schema to the
 * latest migration and, in the demo, seed its owner. Safe to run again and from several processes.
 */
export async function prepareInstallation(env: Env): Promise<{ applied: string[] }> {
  getAuthSecret(env);
  getTokenEncryptionKey(env);
  const handle = openDatabase(env);
  try {
    const applied = await migrateToLatest(handle.db);
    if (env.DEMO) await ensureDemoOwner(handle.db);
    return { applied };
  } finally {
    await handle.close();
  }
}
