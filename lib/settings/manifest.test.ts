import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import manifest from '@/app/manifest';

const PUBLIC = path.join(import.meta.dirname, '../../public');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('web app manifest', () => {
  const m = manifest();

  it('makes Kinetic installable: name, start URL, standalone, colours', () => {
    expect(m).toMatchObject({
      name: 'Kinetic',
      short_name: 'Kinetic',
      start_url: '/',
      display: 'standalone',
    });
    expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    // The light theme's tokens (app/globals.css).
    const css = readFileSync(path.join(import.meta.dirname, '../../app/globals.css'), 'utf8');
    expect(css).toContain(`--bg: ${m.background_color};`);
  });

  it('lists 192 and 512 px PNG icons, plain and maskable, that exist with those sizes', () => {
    const icons = m.icons ?? [];
    for (const purpose of ['any', 'maskable'] as const) {
      for (const size of [192, 512]) {
        const icon = icons.find(
          (i) => i.purpose === purpose && i.sizes === `${size}x${size}` && i.type === 'image/png',
        );
        expect(icon, `${purpose} ${size}`).toBeDefined();
        const file = path.join(PUBLIC, icon?.src ?? '');
        expect(existsSync(file)).toBe(true);
        expect(pngSize(file)).toEqual({ width: size, height: size });
      }
    }
  });
});
