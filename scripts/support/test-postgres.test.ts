import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findPostgresBinDir, startPrivatePostgres, startTestPostgres } from './test-postgres';

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

// Restart tests (test/long/app-crash.long-test.ts) run on a cluster of their own, whatever
// TEST_DATABASE_URL says, so this runs wherever the local binaries are.
if (findPostgresBinDir()) {
  describe('startPrivatePostgres', () => {
    it('stops and starts the server again on the same URL, keeping every commit it acknowledged', async () => {
      const db = await startPrivatePostgres({ durableCommits: true });
      const query = async (text: string) => {
        const client = new Client({ connectionString: db.url });
        await client.connect();
        try {
          return (await client.query(text)).rows;
        } finally {
          await client.end();
        }
      };
      try {
        expect(await query(`select current_setting('synchronous_commit') as value`)).toEqual([
          { value: 'on' },
        ]);
        await query('create table kept (n int)');
        await query('insert into kept values (1)');
        // A crash: no shutdown checkpoint, the commit survives through WAL recovery.
        await db.stopServer('immediate');
        await expect(query('select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
        await db.startServer();
        await query('insert into kept values (2)');
        await db.stopServer('fast');
        await db.startServer();
        expect(await query('select n from kept order by n')).toEqual([{ n: 1 }, { n: 2 }]);
      } finally {
        await db.stop();
      }
    }, 120_000);
  });
}
