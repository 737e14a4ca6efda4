import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { appSourceFiles, parseSource as parse, resolveImport, valueSpecifiers } from './import-graph';

// docs/security-tests.md AC-01 (b): the files that reach the database, listed and checked against
// the places agreed for them. Kinetic's data layer is lib/db/queries (every query takes the
// owner's id); the database handle it is given comes from one of two modules:
//   - lib/db (getDb(): this process's handle), which only server entry points may take: route
//     handlers, server components (pages and layouts), 'use server' modules, and the server-only
//     lib folders named below (the session gate, the car-account routes, health, share pages);
//   - lib/db/client (opening a database from a configuration), which only lib/db itself, the
//     command line, start-up and the ingest and telemetry paths that pick SQL by dialect may take.
// Every one of these files must be server-only: a lib module starts with `import 'server-only'`,
// an app entry is never a 'use client' module, and nothing under components/ appears at all.
// Imports of types only do not count (they vanish at build time).

/** Where getDb() may be imported: server entry points and these server-only lib modules. */
const HANDLE_AGREED: readonly RegExp[] = [
  /^app\/api\/.+\/route\.ts$/,
  /^app\/.+\/(page|layout)\.tsx$/,
  /^lib\/auth\/(index|config|maker-sign-in)\.ts$/,
  /^lib\/car-accounts\/connect-routes\.ts$/,
  /^lib\/health\.ts$/,
  /^lib\/sharing\/public-card\.ts$/,
  /^lib\/vehicles\/owned-vehicle\.ts$/,
];
/** Where a database may be opened from a configuration. */
const CLIENT_AGREED: readonly RegExp[] = [
  /^lib\/db\/(index|copy-to-postgres)\.ts$/,
  /^lib\/db\/queries\/[a-z-]+\.ts$/,
  /^lib\/cli\/[a-z-]+\.ts$/,
  /^lib\/setup\.ts$/,
  /^lib\/import\/import-obd\.ts$/,
  /^lib\/ingest\/webhooks\/process\.ts$/,
  /^lib\/telemetry\/query\/rows\.ts$/,
  /^lib\/alerts\/alerts\.ts$/,
];

/** The repository files a file imports at run time (types only do not count). */
function valueImportTargets(file: string, source: ts.SourceFile): string[] {
  return valueSpecifiers(source).flatMap((specifier) => resolveImport(file, specifier) ?? []);
}

function directive(source: ts.SourceFile): string | null {
  const first = source.statements[0];
  return first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression)
    ? first.expression.text
    : null;
}

function startsWithServerOnly(source: ts.SourceFile): boolean {
  const first = source.statements[0];
  return (
    first !== undefined &&
    ts.isImportDeclaration(first) &&
    first.importClause === undefined &&
    ts.isStringLiteral(first.moduleSpecifier) &&
    first.moduleSpecifier.text === 'server-only'
  );
}

const files = appSourceFiles();
const sources = new Map(files.map((file) => [file, parse(file)]));
const importersOf = (target: string) =>
  files.filter(
    (file) =>
      file !== target && valueImportTargets(file, sources.get(file) as ts.SourceFile).includes(target),
  );
const handleImporters = importersOf('lib/db/index.ts');
const clientImporters = importersOf('lib/db/client.ts');

describe('the detector itself', () => {
  it('follows value imports in every spelling, and skips imports of types only', () => {
    const targets = (file: string, text: string) => valueImportTargets(file, parse(file, text));
    expect(targets('app/api/x/route.ts', "import { getDb } from '@/lib/db';")).toEqual(['lib/db/index.ts']);
    expect(targets('lib/auth/x.ts', "import { getDb } from '../db';")).toEqual(['lib/db/index.ts']);
    expect(targets('lib/auth/x.ts', "const { getDb } = await import('../db/index');")).toEqual([
      'lib/db/index.ts',
    ]);
    expect(targets('lib/x.ts', "export { openDatabase } from './db/client';")).toEqual(['lib/db/client.ts']);
    expect(targets('lib/x.ts', "import type { DbHandle } from './db/client';")).toEqual([]);
    expect(targets('lib/x.ts', "import { type DbHandle } from './db/client';")).toEqual([]);
    expect(targets('lib/x.ts', "import { type DbHandle, isPostgres } from './db/client';")).toEqual([
      'lib/db/client.ts',
    ]);
  });
});

describe('who reaches the database (AC-01)', () => {
  it('finds the importers it is meant to check', () => {
    expect(handleImporters).toEqual(
      expect.arrayContaining(['lib/auth/index.ts', 'app/api/vehicles/route.ts']),
    );
    expect(clientImporters).toEqual(expect.arrayContaining(['lib/db/index.ts', 'lib/cli/main.ts']));
  });

  it('getDb() is imported only by server entry points and the agreed server-only lib modules', () => {
    const outside = handleImporters.filter((file) => {
      const source = sources.get(file) as ts.SourceFile;
      if (directive(source) === 'use server') return false;
      return !HANDLE_AGREED.some((pattern) => pattern.test(file));
    });
    expect(outside).toEqual([]);
  });

  it('a database is opened from a configuration only in the agreed modules', () => {
    expect(clientImporters.filter((file) => !CLIENT_AGREED.some((pattern) => pattern.test(file)))).toEqual(
      [],
    );
  });

  it('every agreement is in use (a module that stops reaching the database leaves the list)', () => {
    expect(HANDLE_AGREED.filter((pattern) => !handleImporters.some((file) => pattern.test(file)))).toEqual(
      [],
    );
    expect(CLIENT_AGREED.filter((pattern) => !clientImporters.some((file) => pattern.test(file)))).toEqual(
      [],
    );
  });

  it('every file that reaches the database is server-only', () => {
    const offenders = [...new Set([...handleImporters, ...clientImporters])].filter((file) => {
      const source = sources.get(file) as ts.SourceFile;
      if (file.startsWith('components/') || directive(source) === 'use client') return true;
      // lib modules say so themselves; app entries are server code by what they are.
      return file.startsWith('lib/') && !startsWithServerOnly(source);
    });
    expect(offenders).toEqual([]);
  });
});
