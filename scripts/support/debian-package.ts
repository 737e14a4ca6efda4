import { existsSync } from 'node:fs';
import { run } from './run';

/**
 * The path of a Debian package's binary, installing the package with apt-get when it is missing and
 * this is root on Debian (the test and benchmark commands bring what they need); otherwise an error
 * that says how.
 */
export async function ensureDebianBinary(input: {
  binary: string;
  pkg: string;
  /** What to tell someone who must install it themselves. */
  howTo: string;
  /** How long it takes, for the line announcing the install. */
  takes: string;
}): Promise<string> {
  if (existsSync(input.binary)) return input.binary;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get'))
    throw new Error(`${input.binary} not found. ${input.howTo}`);
  console.log(`${input.binary} not found; installing ${input.pkg} with apt-get (${input.takes}).`);
  // Wait for a dpkg lock held by another apt run instead of failing at once.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // A failed update is not fatal: the package lists already on the machine may be enough.
  await run('apt-get', [...lock, 'update'], { env });
  const install = await run('apt-get', [...lock, 'install', '-y', input.pkg], { env });
  if (install.code !== 0 || !existsSync(input.binary))
    throw new Error(`Installing ${input.pkg} with apt-get failed. ${input.howTo}`);
  return input.binary;
}
