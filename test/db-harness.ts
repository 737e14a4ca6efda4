import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgres, openSqlite, sqlitePathFor } from '@/lib/db/client';
import { migrateToLatest } from '@/lib/db/migrate';
import type { Database } from '@/lib/db/schema';
import { type Env, parseEnv } from '@/lib/env-schema';

// Data-layer tests run on both engines: a real SQLite file in a fresh temporary folder and a fresh
// PostgreSQL database on the server named by TEST_DATABASE_URL (`npm test` provides one). Each call
// gets its own database, so test files never see each other's rows.

export const ENGINES = ['sqlite', 'postgres'] as const;
export type TestEngine = (typeof ENGINES)[number];

export type TestDatabase = {
  db: Kysely<Database>;
  engine: TestEngine;
  /** Configuration that points the app's own code (CLI, setup) at this same database. */
  env: Env;
  cleanup(): Promise<void>;
};

export const MISSING_TEST_DATABASE_URL =
  'TEST_DATABASE_URL is not set, so the PostgreSQL variant of this test cannot run. Run the tests ' +
  'through `npm test` (it starts a throwaway PostgreSQL cluster), or set TEST_DATABASE_URL to a ' +
  'PostgreSQL URL whose user may CREATE DATABASE.';

export function requireTestDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error(MISSING_TEST_DATABASE_URL);
  return url;
}

async function withAdminClient<T>(serverUrl: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database on the TEST_DATABASE_URL server (or on `serverUrl`, a server the test
 * runs itself); `drop` removes it again.
 */
export async function createPostgresDatabase(serverUrl = requireTestDatabaseUrl()): Promise<{
  url: string;
  name: string;
  drop(): Promise<void>;
}> {
  const name = `kinetic_t_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withAdminClient(serverUrl, (client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
    },
  };
}

export type TestDatabaseOptions = {
  migrate?: boolean;
  /** PostgreSQL only: the server to create the database on, instead of TEST_DATABASE_URL's. */
  serverUrl?: string;
};

async function openEngine(engine: TestEngine, serverUrl: string | undefined) {
  if (engine === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'kinetic-test-'));
    const env = parseEnv({ KINETIC_DATA_DIR: dir }, dir);
    const handle = openSqlite(sqlitePathFor(env));
    return { env, handle, dispose: () => rm(dir, { recursive: true, force: true }) };
  }
  const database = await createPostgresDatabase(serverUrl);
  const env = parseEnv({ DATABASE_URL: database.url }, process.cwd());
  return { env, handle: openPostgres(database.url, { max: 4 }), dispose: () => database.drop() };
}

export async function openTestDatabase(
  engine: TestEngine,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const { env, handle, dispose } = await openEngine(engine, options.serverUrl);
  const cleanup = async () => {
    await handle.close();
    await dispose();
  };
  try {
    if (options.migrate ?? true) await migrateToLatest(handle.db);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { db: handle.db, engine, env, cleanup };
}

/**
 * Opens a database for the enclosing `describe` (once, in beforeAll) and drops it in afterAll.
 * Returns an accessor: when the database could not be opened (e.g. TEST_DATABASE_URL is unset),
 * every test that uses it fails with that reason instead of being reported as skipped.
 */
export function useTestDatabase(engine: TestEngine, options: { migrate?: boolean } = {}): () => TestDatabase {
  let opened: TestDatabase | undefined;
  let failure: unknown;
  beforeAll(async () => {
    try {
      opened = await openTestDatabase(engine, options);
    } catch (error) {
      failure = error;
    }
  });
  afterAll(async () => {
    await opened?.cleanup();
  });
  return () => {
    if (opened) return opened;
    throw failure ?? new Error(`The ${engine} test database was not opened (used outside a test?).`);
  };
}
