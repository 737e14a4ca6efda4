import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// `npm start` rebuilds only when the sources changed since the last build: the hash of every
// file that goes into the build is stored next to it.

const INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'proxy.ts',
  'next.config.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];
const SKIP = /(^|\/)(node_modules|\.next|__fixtures__)(\/|$)|\.test\.tsx?$/;

function listFiles(root: string, entry: string): string[] {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [entry];
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((dirent) => dirent.isFile())
    .map((dirent) => path.relative(root, path.join(dirent.parentPath, dirent.name)))
    .filter((file) => !SKIP.test(file));
}

export function sourceHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((entry) => listFiles(root, entry)).sort()) {
    hash.update(file);
    hash.update(fs.readFileSync(path.join(root, file)));
  }
  return hash.digest('hex');
}

const stampFile = (root: string) => path.join(root, '.next', 'kinetic-source-hash');

export function isBuildCurrent(root: string): boolean {
  const stamp = stampFile(root);
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID')) || !fs.existsSync(stamp)) return false;
  return fs.readFileSync(stamp, 'utf8').trim() === sourceHash(root);
}

export function writeBuildStamp(root: string, hash: string): void {
  fs.writeFileSync(stampFile(root), hash);
}
