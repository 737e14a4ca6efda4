import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findPostgresBinDir, startTestPostgres } from './test-postgres';

// Read before any stubbing. Inside `npm test` a cluster already exists and only the passthrough applies;
// the cases that do not apply here are left undefined rather than skipped, so they do not show up as
// skips in every run.
const givenUrl = process.env.TEST_DATABASE_URL;
const localPostgres = !givenUrl && Boolean(findPostgresBinDir());

async function dataDirectoryOf(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const one = await client.query<{ one: number }>('select 1 as one');
    expect(one.rows[0]?.one).toBe(1);
    const setting = await client.query<{ dir: string }>(`select current_setting('data_directory') as dir`);
    return setting.rows[0]?.dir ?? '';
  } finally {
    await client.end();
  }
}

describe('startTestPostgres', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('returns TEST_DATABASE_URL unchanged when it is set', async () => {
    vi.stubEnv('TEST_DATABASE_URL', 'postgres://someone@db.invalid:5432/elsewhere');
    const db = await startTestPostgres();
    expect(db.url).toBe('postgres://someone@db.invalid:5432/elsewhere');
    await expect(db.stop()).resolves.toBeUndefined();
  });

  if (localPostgres) {
    it('starts a private cluster that serves queries and is removed on stop', async () => {
      const db = await startTestPostgres();
      let tempDir = '';
      try {
        expect(db.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/kinetic_test$/);
        tempDir = dirname(await dataDirectoryOf(db.url));
        expect(tempDir).toMatch(/kinetic-pg-/);
        expect(existsSync(tempDir)).toBe(true);
      } finally {
        await db.stop();
      }
      expect(existsSync(tempDir)).toBe(false);
    }, 60_000);
  } else if (!givenUrl) {
    it('says how to provide a database when there is no PostgreSQL', async () => {
      await expect(startTestPostgres()).rejects.toThrow(/TEST_DATABASE_URL.*apt-get install -y postgresql/s);
    });
  }
});
