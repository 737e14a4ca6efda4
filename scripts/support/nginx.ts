import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianBinary } from './debian-package';

// nginx in front of Kinetic the way docs/deploy.md lays it out, with the project's own
// deploy/nginx/kinetic.conf — not a copy — so the tests and benchmarks prove the file a self-hoster
// installs. Only the upstream servers and the listening address are replaced; everything else
// (limits, headers, the 429 answer) runs as written.

const root = fileURLToPath(new URL('../../', import.meta.url));
export const KINETIC_NGINX_CONF = path.join(root, 'deploy', 'nginx', 'kinetic.conf');
const NGINX = '/usr/sbin/nginx';
const READY_TIMEOUT_MS = 10_000;

export type Nginx = { origin: string; stop: () => Promise<void> };

export const ensureNginx = () =>
  ensureDebianBinary({
    binary: NGINX,
    pkg: 'nginx',
    howTo: 'Install it as root: apt-get install -y nginx.',
    takes: 'about 20 seconds',
  });

/** kinetic.conf with these app instances in its upstream and listening on loopback at `port`. */
export function renderKineticConf(
  conf: string,
  input: { upstreams: readonly string[]; port: number },
): string {
  const upstream = /(upstream kinetic_app \{\n)((?:\s*#.*\n)*)(\s*server [^\n]+;\n)+/;
  const listen = /\n(\s*)listen 80;\n/;
  if (!upstream.test(conf) || !listen.test(conf))
    throw new Error(
      `${KINETIC_NGINX_CONF} no longer has the upstream servers or \`listen 80;\` this harness replaces`,
    );
  return conf
    .replace(upstream, (_all, head: string, comments: string) =>
      [head, comments, ...input.upstreams.map((server) => `    server ${server};\n`)].join(''),
    )
    .replace(listen, (_all, indent: string) => `\n${indent}listen 127.0.0.1:${input.port};\n`);
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts nginx (a master and one worker, in the foreground) in a throwaway prefix folder. */
export async function startNginx(input: { upstreams: readonly string[]; port: number }): Promise<Nginx> {
  const binary = await ensureNginx();
  const prefix = mkdtempSync(path.join(tmpdir(), 'kinetic-nginx-'));
  writeFileSync(
    path.join(prefix, 'kinetic.conf'),
    renderKineticConf(readFileSync(KINETIC_NGINX_CONF, 'utf8'), input),
  );
  const temp = (name: string) => `${name}_temp_path ${path.join(prefix, name)};`;
  writeFileSync(
    path.join(prefix, 'nginx.conf'),
    [
      // As root, nginx's workers would run as nobody, who cannot write in this private folder.
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      `pid ${path.join(prefix, 'nginx.pid')};`,
      `error_log ${path.join(prefix, 'error.log')} warn;`,
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}`,
      `  include ${path.join(prefix, 'kinetic.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    binary,
    ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await portAnswers(input.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = (() => {
        try {
          return readFileSync(path.join(prefix, 'error.log'), 'utf8');
        } catch {
          return '';
        }
      })();
      await stop();
      throw new Error(`nginx did not start: ${stderr}${log}`.trim());
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { origin: `http://127.0.0.1:${input.port}`, stop };
}
