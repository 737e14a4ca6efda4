import 'server-only';
import { env } from '../env';
import { type DbHandle, openDatabase } from './client';

// One handle per process, opened lazily on first use (never at import, so `next build` does not
// open the database) and kept on globalThis so dev-mode reloads do not leak connections.
const globalForDb = globalThis as typeof globalThis & { kineticDb?: DbHandle };

export function getDbHandle(): DbHandle {
  globalForDb.kineticDb ??= openDatabase(env);
  return globalForDb.kineticDb;
}

export function getDb() {
  return getDbHandle().db;
}
