import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Runs one statement on its own connection (create and drop database cannot run in a pool's transaction). */
async function runAlone(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database named `<prefix>_<random>` on the PostgreSQL server at `serverUrl` (a benchmark's
 * or a test's throwaway cluster), and a way to drop it again.
 */
export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await runAlone(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runAlone(serverUrl, `drop database if exists ${name} with (force)`),
  };
}
