import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

export type TestPostgres = { url: string; stop(): Promise<void> };

/** A cluster of this process's own, which a test may also stop and start again (a server restart). */
export type PrivatePostgres = TestPostgres & {
  /** `pg_ctl stop -m <mode>`: `fast` ends every session and shuts down cleanly, `immediate` is a crash. */
  stopServer(mode: 'fast' | 'immediate'): Promise<void>;
  /** Starts the stopped server again on the same port and data (after `immediate`, with WAL recovery). */
  startServer(): Promise<void>;
};

const execFileAsync = promisify(execFile);
const databaseName = 'kinetic_test';
const howTo =
  'Set TEST_DATABASE_URL to a PostgreSQL database the tests may use, or install PostgreSQL ' +
  '(as root on Debian: apt-get install -y postgresql) so a throwaway cluster can be started.';

export function findPostgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  if (versions[0]) return join(root, versions[0], 'bin');
  try {
    const bindir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim();
    return existsSync(join(bindir, 'initdb')) ? bindir : undefined;
  } catch {
    return undefined;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('Could not find a free port.'))));
    });
  });
}

/**
 * Server settings: no fsync and no full-page writes (a test machine's OS does not crash under a
 * test; skipping them makes the suite faster). `synchronous_commit=off` answers a commit before its
 * WAL is written, so a server crash (`immediate` stop) can lose the last commits it acknowledged:
 * fine for tests that never stop the server, wrong for one that checks acknowledged writes survive.
 */
function serverOptions(port: number, durableCommits: boolean): string {
  const commits = durableCommits ? '' : ' -c synchronous_commit=off';
  return `-p ${port} -c listen_addresses=127.0.0.1 -c fsync=off${commits} -c full_page_writes=off`;
}

// Another process can take the port between probing and binding, so a failed start is retried.
async function startOnFreePort(
  start: (options: string) => Promise<unknown>,
  durableCommits: boolean,
): Promise<{ port: number; options: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const options = serverOptions(port, durableCommits);
    try {
      await start(options);
      return { port, options };
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(`Running as root, but there is no "postgres" user to run initdb as. ${howTo}`);
  }
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => {} };
  return startPrivatePostgres();
}

/**
 * A throwaway cluster from the local PostgreSQL binaries, whatever TEST_DATABASE_URL says: for
 * tests that stop and start the server, which they may not do to a server others use.
 * `durableCommits` keeps PostgreSQL's default `synchronous_commit=on` (see serverOptions).
 */
export async function startPrivatePostgres(
  settings: { durableCommits?: boolean } = {},
): Promise<PrivatePostgres> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error(`No PostgreSQL for the tests. ${howTo}`);

  // PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'kinetic-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  if (owner) await chown(dir, owner.uid, owner.gid);

  // cwd is the temp dir because the postgres user may not be allowed into the repository.
  const pgExec = (tool: string, args: string[]) =>
    asRoot
      ? execFileAsync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd: dir })
      : execFileAsync(join(bin, tool), args, { cwd: dir });

  // Keyed on the pid file rather than on our own bookkeeping, so a server left running by a failed or
  // timed-out start is stopped too.
  const stop = async () => {
    if (existsSync(join(data, 'postmaster.pid'))) {
      await pgExec('pg_ctl', ['-D', data, 'stop', '-m', 'immediate']).catch(() => {});
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    // C locale: byte-order collation, the same as SQLite's, and no dependence on installed locales.
    const cluster = ['-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'];
    await pgExec('initdb', ['-D', data, ...cluster]);
    const startWith = (options: string) =>
      pgExec('pg_ctl', ['-D', data, '-o', `${options} -k ${dir}`, '-w', '-t', '60', '-l', log, 'start']);
    const { port, options } = await startOnFreePort(startWith, settings.durableCommits ?? false);
    const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await client.connect();
    try {
      await client.query(`create database ${databaseName}`);
    } finally {
      await client.end();
    }
    return {
      url: `postgres://postgres@127.0.0.1:${port}/${databaseName}`,
      stop,
      stopServer: async (mode) => {
        await pgExec('pg_ctl', ['-D', data, 'stop', '-m', mode, '-w', '-t', '60']);
      },
      startServer: async () => {
        await startWith(options);
      },
    };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const serverLog = existsSync(log)
      ? `\n--- server log ---\n${readFileSync(log, 'utf8').slice(-2000)}`
      : '';
    await stop();
    throw new Error(`Could not start a throwaway PostgreSQL cluster: ${detail}${serverLog}\n${howTo}`);
  }
}
