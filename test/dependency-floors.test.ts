import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// AC-18 (docs/security-tests.md): the installed versions of the packages with past advisories must
// be at or above the floors, checked against what is actually in node_modules rather than against
// the ranges in package.json.

const root = fileURLToPath(new URL('..', import.meta.url));

type Version = { major: number; minor: number; patch: number; prerelease: (string | number)[] };

function parseVersion(text: string): Version {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!match) throw new Error(`Not a semantic version: ${text}`);
  const [, major, minor, patch, pre] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: pre ? pre.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [],
  };
}

/** Semantic-version order (semver.org §11): negative when a < b, 0 when equal, positive when a > b. */
function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (x[key] !== y[key]) return x[key] - y[key];
  }
  // A release sorts after all of its prereleases.
  if (x.prerelease.length === 0 || y.prerelease.length === 0) {
    return (x.prerelease.length === 0 ? 1 : 0) - (y.prerelease.length === 0 ? 1 : 0);
  }
  for (let i = 0; i < Math.max(x.prerelease.length, y.prerelease.length); i++) {
    const p = x.prerelease[i];
    const q = y.prerelease[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    if (typeof p === 'number') return -1; // numeric identifiers sort before alphanumeric ones
    if (typeof q === 'number') return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function installedVersion(name: string): string {
  const version = readJson(join(root, 'node_modules', name, 'package.json')).version;
  if (typeof version !== 'string') throw new Error(`node_modules/${name}/package.json has no version`);
  return version;
}

describe('compareVersions', () => {
  it.each([
    ['1.0.0', '1.0.0', 0],
    ['1.0.1', '1.0.0', 1],
    ['1.10.0', '1.9.0', 1],
    ['16.4.6', '16.4.10', -1],
    ['2.0.0', '10.0.0', -1],
    ['5.0.0-beta.32', '5.0.0-beta.4', 1],
    ['5.0.0-beta.31', '5.0.0-beta.32', -1],
    ['5.0.0-beta.32', '5.0.0-beta.32', 0],
    ['5.0.0', '5.0.0-beta.99', 1],
    ['5.0.0-beta.99', '5.0.0', -1],
    ['5.0.0-rc.1', '5.0.0-beta.40', 1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.11', '1.0.0-rc.1', -1],
    ['4.24.15', '5.0.0-beta.1', -1],
    ['1.0.0+build.5', '1.0.0', 0],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(Math.sign(compareVersions(a, b))).toBe(expected);
    expect(Math.sign(compareVersions(b, a))).toBe(-expected || 0);
  });

  it('refuses what is not a version', () => {
    expect(() => compareVersions('latest', '1.0.0')).toThrow('Not a semantic version');
    expect(() => compareVersions('^16.4.6', '1.0.0')).toThrow('Not a semantic version');
  });
});

describe('dependency floors (AC-18)', () => {
  it.each([
    ['next', '16.4.6'],
    ['react', '19.3.1'],
    ['react-dom', '19.3.1'],
    ['next-auth', '5.0.0-beta.32'],
    ['@auth/core', '0.41.3'],
  ])('installed %s is at least %s', (name, floor) => {
    const installed = installedVersion(name);
    expect(
      compareVersions(installed, floor),
      `${name} ${installed} is below ${floor}`,
    ).toBeGreaterThanOrEqual(0);
  });

  it('next-auth and next use the @auth/core and React that were checked, not private copies', () => {
    // A nested copy would be what actually runs, and would escape the floors above.
    for (const nested of [
      'next-auth/node_modules/@auth/core',
      'next/node_modules/react',
      'next/node_modules/react-dom',
    ]) {
      expect(() => readFileSync(join(root, 'node_modules', nested, 'package.json'))).toThrow();
    }
  });

  it('package.json requires Node >= 20.9.0', () => {
    expect(readJson(join(root, 'package.json')).engines).toEqual({ node: '>=20.9.0' });
  });

  it('the running Node meets that floor', () => {
    expect(compareVersions(process.versions.node, '20.9.0')).toBeGreaterThanOrEqual(0);
  });

  it('keeps the Node 20 compatible majors: better-sqlite3 12.x and kysely 0.28.x', () => {
    expect(parseVersion(installedVersion('better-sqlite3')).major).toBe(12);
    const kysely = parseVersion(installedVersion('kysely'));
    expect([kysely.major, kysely.minor]).toEqual([0, 28]);
  });
});
