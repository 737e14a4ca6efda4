import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ID_ACTIONS,
  OTHER_ACTIONS,
  PROTECTED_API,
  PROTECTED_PAGES,
  PUBLIC_API,
  PUBLIC_PAGES,
} from '../e2e/support/route-registry';

// The access-control suites (e2e/api/anonymous-access.spec.ts and the owner matrix) walk the
// registry, so a page or route missing from it would never be checked. This test reads app/ and
// fails on any page, or any method of a route, that the registry does not name.

const APP = path.resolve(__dirname, '../app');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function filesNamed(dir: string, names: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesNamed(full, names);
    return names.includes(entry.name) ? [full] : [];
  });
}

function filesEndingIn(dir: string, suffixes: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesEndingIn(full, suffixes);
    return suffixes.some((suffix) => entry.name.endsWith(suffix)) ? [full] : [];
  });
}

/** app/(dashboard)/vehicles/[vehicleId]/page.tsx → /vehicles/{vehicleId}. */
function urlOf(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment !== '' && !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/^\[(.+)\]$/, '{$1}'));
  return `/${segments.join('/')}`;
}

/** The HTTP methods a route module exports, in any of the forms this codebase uses. */
function methodsOf(file: string): string[] {
  const exported = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('export '))
    .join('\n');
  return METHODS.filter((method) => new RegExp(`\\b${method}\\b`).test(exported));
}

const pages = filesNamed(APP, ['page.tsx']).map(urlOf).sort();
const routes = filesNamed(APP, ['route.ts']).flatMap((file) =>
  methodsOf(file).map((method) => `${method} ${urlOf(file)}`),
);
// Every module that declares server actions ('use server' on its first line), whatever its name:
// connect-v1-action.ts once escaped a scan of actions.ts files only.
const actions = filesEndingIn(APP, ['.ts', '.tsx'])
  .filter((file) => /^['"]use server['"]/.test(readFileSync(file, 'utf8')))
  .flatMap((file) => {
    const folder = path.relative(APP, path.dirname(file)).split(path.sep).join('/');
    return [...readFileSync(file, 'utf8').matchAll(/^export async function (\w+)/gm)].map(
      (match) => `${folder}#${match[1]}`,
    );
  });
const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('the route registry (e2e/support/route-registry.ts)', () => {
  it('finds the pages and routes of app/', () => {
    expect(pages).toContain('/vehicles/{vehicleId}/leaderboard');
    expect(routes).toContain('DELETE /api/vehicles/{vehicleId}/share-links/{linkId}');
    expect(routes).toContain('PUT /api/{...path}');
  });

  it('names every page as protected or public', () => {
    const named = new Set([...PROTECTED_PAGES, ...PUBLIC_PAGES]);
    expect(pages.filter((page) => !named.has(page))).toEqual([]);
  });

  it('names every method of every route as protected or public', () => {
    const named = new Set([...PROTECTED_API, ...PUBLIC_API].map(key));
    expect(routes.filter((route) => !named.has(route))).toEqual([]);
  });

  it('names nothing that app/ does not have, and nothing twice', () => {
    const all = [...PROTECTED_PAGES, ...PUBLIC_PAGES];
    expect(all.filter((page) => !pages.includes(page))).toEqual([]);
    expect(new Set(all).size).toBe(all.length);
    const apis = [...PROTECTED_API, ...PUBLIC_API].map(key);
    expect(apis.filter((route) => !routes.includes(route))).toEqual([]);
    expect(new Set(apis).size).toBe(apis.length);
  });

  it('names every server action, with or without an object id, once', () => {
    expect(actions).toContain('(dashboard)/vehicles/[vehicleId]/leaderboard#leaveGroupAction');
    const named = [...ID_ACTIONS, ...OTHER_ACTIONS];
    expect([...actions].sort()).toEqual([...named].sort());
  });
});
