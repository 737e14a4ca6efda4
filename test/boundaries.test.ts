import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Static checks of the server/client boundary (docs/style.md "Server/client boundary",
// docs/security-tests.md AC-01). Files are parsed with the TypeScript compiler, so comments and
// strings that merely mention `process.env` or an import do not count, and real uses cannot hide.

const root = fileURLToPath(new URL('..', import.meta.url));

const SERVER_ONLY_DIRS = [
  'lib/db',
  'lib/auth',
  'lib/cli',
  'lib/crypto',
  'lib/import',
  'lib/ingest',
  'lib/security',
  'lib/telemetry',
  'lib/worker',
  'lib/vehicle-api',
];
const SERVER_ONLY_FILES = [
  'lib/env.ts',
  'lib/secrets.ts',
  'lib/route-handler.ts',
  'lib/health.ts',
  'lib/setup.ts',
];
const APP_DIRS = ['app', 'components', 'lib'];
const ENV_READER = 'lib/env.ts';
const CLIENT_FORBIDDEN = [
  'lib/db',
  'lib/auth',
  'lib/env',
  'lib/secrets',
  'lib/crypto',
  'lib/security',
  'lib/vehicle-api',
];

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

function sourceFilesUnder(dir: string): string[] {
  const absolute = join(root, dir);
  if (!existsSync(absolute)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...sourceFilesUnder(path));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found.sort();
}

function parse(file: string, text = readFileSync(join(root, file), 'utf8')): ts.SourceFile {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

function startsWithServerOnly(source: ts.SourceFile): boolean {
  const first = source.statements[0];
  return (
    first !== undefined &&
    ts.isImportDeclaration(first) &&
    first.importClause === undefined &&
    ts.isStringLiteral(first.moduleSpecifier) &&
    first.moduleSpecifier.text === 'server-only' &&
    first.getText(source) === "import 'server-only';"
  );
}

function isProcess(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === 'process';
  if (ts.isPropertyAccessExpression(node)) return node.name.text === 'process';
  return false;
}

/** Lines where `process.env` (in any spelling) is read. */
function processEnvReads(source: ts.SourceFile): number[] {
  const lines: number[] = [];
  const report = (node: ts.Node) =>
    lines.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'env' && isProcess(node.expression))
      report(node);
    if (
      ts.isElementAccessExpression(node) &&
      isProcess(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      node.argumentExpression.text === 'env'
    )
      report(node);
    // const { env } = process
    if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer &&
      isProcess(node.initializer) &&
      node.name.elements.some((element) => (element.propertyName ?? element.name).getText(source) === 'env')
    )
      report(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

function isClientModule(source: ts.SourceFile): boolean {
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === 'use client') return true;
  }
  return false;
}

function importedSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** The repository path (without extension) an import points to, or null for a package. */
function importTarget(file: string, specifier: string): string | null {
  let absolute: string;
  if (specifier.startsWith('@/')) absolute = join(root, specifier.slice(2));
  else if (specifier.startsWith('.')) absolute = resolve(root, dirname(file), specifier);
  else return null;
  let path = relative(root, absolute).split(sep).join('/');
  path = path.replace(/\.(tsx?|jsx?|mjs)$/, '').replace(/\/index$/, '');
  return path;
}

/** Specifiers of the imports that bring code at run time (not `import type` / `export type`). */
function valueImports(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      if (statement.importClause?.isTypeOnly) continue;
      specifiers.push(statement.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      !statement.isTypeOnly
    ) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

function hasDirective(source: ts.SourceFile, directive: string): boolean {
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === directive) return true;
  }
  return false;
}

/** The source file behind a repository path from importTarget, or null. */
function sourceFileOf(target: string): string | null {
  for (const suffix of ['.ts', '.tsx', '/index.ts', '/index.tsx']) {
    if (existsSync(join(root, `${target}${suffix}`))) return `${target}${suffix}`;
  }
  return null;
}

/**
 * Every module the browser loads from the given client modules, following value imports through
 * the repository (server actions are references, not code, so the walk stops at 'use server'),
 * with the package specifiers each one imports.
 */
function clientGraph(entries: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (graph.has(file)) continue;
    const source = parse(file);
    if (hasDirective(source, 'use server')) continue;
    const packages: string[] = [];
    for (const specifier of valueImports(source)) {
      const target = importTarget(file, specifier);
      if (target === null) packages.push(specifier);
      else {
        const next = sourceFileOf(target);
        if (next) pending.push(next);
      }
    }
    graph.set(file, packages);
  }
  return graph;
}

function forbiddenClientImports(file: string, source: ts.SourceFile): string[] {
  return importedSpecifiers(source).filter((specifier) => {
    const target = importTarget(file, specifier);
    if (target === null) return false;
    return CLIENT_FORBIDDEN.some((forbidden) => target === forbidden || target.startsWith(`${forbidden}/`));
  });
}

describe('the detectors themselves', () => {
  it('find process.env in every spelling, and not in comments or strings', () => {
    const reads = (text: string) => processEnvReads(parse('probe.ts', text));
    expect(reads('const a = process.env.SECRET;')).toEqual([1]);
    expect(reads("const a = process['env'];")).toEqual([1]);
    expect(reads('\nconst { env } = process;')).toEqual([2]);
    expect(reads('const { env: e } = process;')).toEqual([1]);
    expect(reads('const a = globalThis.process.env.X;')).toEqual([1]);
    expect(reads("// process.env.SECRET\n/* process.env */ const s = 'process.env';")).toEqual([]);
    expect(reads('const { argv } = process; const e = env.X;')).toEqual([]);
  });

  it("recognise 'use client' and the imports it must not have", () => {
    const client = parse(
      'app/x/probe.tsx',
      "'use client';\nimport { db } from '@/lib/db';\nimport x from '../../lib/secrets';",
    );
    expect(isClientModule(client)).toBe(true);
    expect(forbiddenClientImports('app/x/probe.tsx', client)).toEqual(['@/lib/db', '../../lib/secrets']);
    const fine = parse(
      'app/probe.tsx',
      "'use client';\nimport { cn } from '@/lib/cn';\nimport { parseEnv } from '@/lib/env-schema';\nimport type { X } from '@/lib/db/schema-x';",
    );
    expect(forbiddenClientImports('app/probe.tsx', fine)).toEqual(['@/lib/db/schema-x']);
    expect(isClientModule(parse('a.ts', "import 'x';\n'use client';"))).toBe(false);
    expect(isClientModule(parse('a.ts', "'use strict';\n'use client';"))).toBe(true);
    expect(
      forbiddenClientImports('a.tsx', parse('a.tsx', "const m = await import('@/lib/auth/accounts');")),
    ).toEqual(['@/lib/auth/accounts']);
  });

  it("require `import 'server-only';` to be the first statement", () => {
    expect(startsWithServerOnly(parse('a.ts', "// why\nimport 'server-only';\nexport {};"))).toBe(true);
    expect(startsWithServerOnly(parse('a.ts', "import fs from 'node:fs';\nimport 'server-only';"))).toBe(
      false,
    );
    expect(startsWithServerOnly(parse('a.ts', "import type {} from 'server-only';"))).toBe(false);
    expect(startsWithServerOnly(parse('a.ts', 'export const x = 1;'))).toBe(false);
  });
});

describe('server/client boundary', () => {
  const serverOnly = [...SERVER_ONLY_DIRS.flatMap(sourceFilesUnder), ...SERVER_ONLY_FILES].filter(
    (file) => !isTest(file),
  );
  const appFiles = APP_DIRS.flatMap(sourceFilesUnder).filter((file) => !isTest(file));

  it('finds the files it is meant to check', () => {
    for (const file of SERVER_ONLY_FILES) expect(statSync(join(root, file)).isFile()).toBe(true);
    expect(serverOnly).toEqual(
      expect.arrayContaining(['lib/db/client.ts', 'lib/auth/index.ts', 'lib/cli/main.ts']),
    );
    expect(appFiles.length).toBeGreaterThan(serverOnly.length);
  });

  it("every server module starts with import 'server-only'", () => {
    const offenders = serverOnly.filter((file) => !startsWithServerOnly(parse(file)));
    expect(offenders).toEqual([]);
  });

  it('only lib/env.ts reads process.env in app/, components/ and lib/', () => {
    const offenders = appFiles
      .filter((file) => file !== ENV_READER)
      .flatMap((file) => processEnvReads(parse(file)).map((line) => `${file}:${line}`));
    expect(offenders).toEqual([]);
    // And lib/env.ts really is the one reader.
    expect(processEnvReads(parse(ENV_READER)).length).toBeGreaterThan(0);
  });

  it("no 'use client' module imports the data layer, auth, env or secrets", () => {
    const clientFiles = appFiles.filter((file) => isClientModule(parse(file)));
    expect(clientFiles.length).toBeGreaterThan(0);
    const offenders = clientFiles.flatMap((file) =>
      forbiddenClientImports(file, parse(file)).map((specifier) => `${file} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the browser never loads full zod: client code uses zod/mini (zod alone is ~40 kB gzip)', () => {
    const clientFiles = appFiles.filter((file) => isClientModule(parse(file)));
    const graph = clientGraph(clientFiles);
    expect(graph.size).toBeGreaterThan(clientFiles.length);
    const offenders = [...graph]
      .filter(([, packages]) => packages.some((name) => name === 'zod' || name.startsWith('zod/')))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });
});

describe('adapters and the simulator stay apart', () => {
  // The adapters must work against the real APIs by changing base URLs and credentials, and both
  // sides are written from the specs so that the contract tests check one against the other.
  const isTestSupport = (file: string) => isTest(file) || file.endsWith('-for-tests.ts');
  const importsUnder = (file: string, dir: string) =>
    importedSpecifiers(parse(file)).filter((specifier) => {
      const target = importTarget(file, specifier);
      return target !== null && (target === dir || target.startsWith(`${dir}/`));
    });

  it('no adapter module imports the simulator (only tests and *-for-tests.ts harnesses do)', () => {
    const adapters = sourceFilesUnder('lib/vehicle-api').filter((file) => !isTestSupport(file));
    expect(adapters).toEqual(expect.arrayContaining(['lib/vehicle-api/psa-v4/client.ts']));
    const offenders = adapters.filter((file) => importsUnder(file, 'lib/simulator').length > 0);
    expect(offenders).toEqual([]);
  });

  it('the simulator never imports the adapters', () => {
    const simulator = sourceFilesUnder('lib/simulator').filter((file) => !isTest(file));
    expect(simulator.length).toBeGreaterThan(50);
    expect(simulator.filter((file) => importsUnder(file, 'lib/vehicle-api').length > 0)).toEqual([]);
  });

  it('lib/scoring is pure: usable by client charts, no server-only modules', () => {
    const scoring = sourceFilesUnder('lib/scoring').filter((file) => !isTest(file));
    expect(scoring).toEqual(expect.arrayContaining(['lib/scoring/events.ts']));
    const offenders = scoring.filter(
      (file) =>
        startsWithServerOnly(parse(file)) ||
        ['lib/db', 'lib/auth', 'lib/telemetry', 'lib/vehicle-api'].some(
          (dir) => importsUnder(file, dir).length > 0,
        ),
    );
    expect(offenders).toEqual([]);
  });
});
