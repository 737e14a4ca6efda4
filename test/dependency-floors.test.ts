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

/**
 * The advisories of docs/security-tests.md (AC-18, Part 2 tables) that touch this stack, each with
 * the first fixed version on the release line installed here (Next 16, React 19.3, next-auth 5
 * beta, @auth/core 0.41). When that document gains an advisory, it gains a row here. `npm audit`
 * cannot replace this on this machine: the registry's advisory endpoint answers 405 here.
 */
const ADVISORIES: readonly { id: string; what: string; package: string; fixed: string }[] = [
  {
    id: 'CVE-2025-55182 / GHSA-9qr9-h5gf-34mp',
    what: 'RSC Flight decoding RCE',
    package: 'next',
    fixed: '16.0.7',
  },
  {
    id: 'CVE-2025-55184 / CVE-2025-55183',
    what: 'RSC DoS, Server Action source exposure',
    package: 'next',
    fixed: '16.0.10',
  },
  {
    id: 'CVE-2026-23864 / GHSA-h25m-26qc-wcjf',
    what: 'RSC deserialization CPU/OOM',
    package: 'next',
    fixed: '16.1.5',
  },
  {
    id: 'CVE-2025-59471 / CVE-2025-59472',
    what: 'image optimizer memory, PPR body buffering',
    package: 'next',
    fixed: '16.1.5',
  },
  {
    id: 'CVE-2026-44574 / GHSA-492v-c6pp-mqqv',
    what: 'proxy bypass by route parameter injection',
    package: 'next',
    fixed: '16.2.5',
  },
  {
    id: 'CVE-2026-44575 / GHSA-267c-6grr-h53f',
    what: 'proxy matcher misses .rsc and segment URLs',
    package: 'next',
    fixed: '16.2.5',
  },
  {
    id: 'CVE-2026-45109 / GHSA-26hh-7cqf-hhc6',
    what: 'the fix above missing under Turbopack',
    package: 'next',
    fixed: '16.2.6',
  },
  {
    id: 'GHSA-6gpp-xcg3-4w24',
    what: 'proxy bypass, Turbopack with one locale',
    package: 'next',
    fixed: '16.2.11',
  },
  {
    id: 'CVE-2026-64647 / GHSA-4633-3j49-mh5q',
    what: 'encoding issue (CWE-116)',
    package: 'next',
    fixed: '16.2.11',
  },
  {
    id: 'Tenable WAS 115752 (CVE-2026-94483 …)',
    what: "image optimizer SSRF, cache poisoning, 'use cache' leaks",
    package: 'next',
    fixed: '16.3.8',
  },
  {
    id: 'CVE-2026-126187 / GHSA-xqc2-xf4c-x3h3',
    what: 'RSC RCE with typed arrays (Next vendors the fixed RSC)',
    package: 'next',
    fixed: '16.4.1',
  },
  {
    id: 'CVE-2026-126187 / GHSA-xqc2-xf4c-x3h3',
    what: 'RSC RCE with typed arrays',
    package: 'react',
    fixed: '19.3.1',
  },
  {
    id: 'CVE-2026-126187 / GHSA-xqc2-xf4c-x3h3',
    what: 'RSC RCE with typed arrays',
    package: 'react-dom',
    fixed: '19.3.1',
  },
  {
    id: 'CVE-2026-73419 / GHSA-x445-f3h2-j279',
    what: 'OAuth state/nonce/PKCE cookies not bound to the provider',
    package: '@auth/core',
    fixed: '0.41.3',
  },
  {
    id: 'CVE-2026-73419 / GHSA-x445-f3h2-j279',
    what: 'OAuth state/nonce/PKCE cookies not bound to the provider',
    package: 'next-auth',
    fixed: '5.0.0-beta.32',
  },
  {
    id: 'CVE-2026-73421 / GHSA-8fpg-xm3f-6cx3',
    what: 'auth() fails open on configuration errors',
    package: 'next-auth',
    fixed: '5.0.0-beta.32',
  },
];

/** AC-18's own "at least" list, as of the research: npm `latest` of each at the time. */
const FLOORS: readonly [string, string][] = [
  ['next', '16.4.6'],
  ['react', '19.3.1'],
  ['react-dom', '19.3.1'],
  ['next-auth', '5.0.0-beta.32'],
  ['@auth/core', '0.41.3'],
];

describe('dependency floors (AC-18)', () => {
  it.each(FLOORS)('installed %s is at least %s', (name, floor) => {
    const installed = installedVersion(name);
    expect(
      compareVersions(installed, floor),
      `${name} ${installed} is below ${floor}`,
    ).toBeGreaterThanOrEqual(0);
  });

  it.each(ADVISORIES.map((advisory) => [advisory.id, advisory.package, advisory] as const))(
    '%s: installed %s has the fix',
    (_id, name, advisory) => {
      const installed = installedVersion(name);
      expect(
        compareVersions(installed, advisory.fixed),
        `${name} ${installed} lacks the fix for ${advisory.id} (${advisory.what}), first in ${advisory.fixed}`,
      ).toBeGreaterThanOrEqual(0);
    },
  );

  it('every package with an advisory has a floor at or above its newest fix', () => {
    for (const advisory of ADVISORIES) {
      const floor = FLOORS.find(([name]) => name === advisory.package)?.[1];
      expect(floor, `${advisory.package} has no floor`).toBeDefined();
      expect(compareVersions(floor as string, advisory.fixed)).toBeGreaterThanOrEqual(0);
    }
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
