import { existsSync } from 'node:fs';
import { DEBIAN_CHROMIUM } from './chromium-flags';
import { run } from './run';

const howTo = `Install Debian's Chromium as root (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`;

export async function ensureChromium(): Promise<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (existsSync(configured)) return configured;
    console.warn(`CHROMIUM_PATH=${configured} does not exist; looking for ${DEBIAN_CHROMIUM}.`);
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;

  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`No Chromium found. ${howTo}`);
  }
  console.log('Chromium not found; installing it with apt-get (about a minute).');
  // Wait for a dpkg lock held by another apt run instead of failing at once.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // A failed update is not fatal: the package lists already on the machine may be enough.
  await run('apt-get', [...lock, 'update'], { env });
  const install = await run('apt-get', [...lock, 'install', '-y', 'chromium'], { env });
  if (install.code !== 0 || !existsSync(DEBIAN_CHROMIUM)) {
    throw new Error(`Installing Chromium with apt-get failed. ${howTo}`);
  }
  return DEBIAN_CHROMIUM;
}
