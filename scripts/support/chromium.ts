import { existsSync } from 'node:fs';
import { DEBIAN_CHROMIUM } from './chromium-flags';
import { ensureDebianBinary } from './debian-package';

const howTo = `Install Debian's Chromium as root (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.`;

export async function ensureChromium(): Promise<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (existsSync(configured)) return configured;
    console.warn(`CHROMIUM_PATH=${configured} does not exist; looking for ${DEBIAN_CHROMIUM}.`);
  }
  return ensureDebianBinary({ binary: DEBIAN_CHROMIUM, pkg: 'chromium', howTo, takes: 'about a minute' });
}
