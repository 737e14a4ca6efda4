import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import nextConfig from '@/next.config';
import { REPO } from './import-graph';

// docs/security-tests.md AC-17 (static half) and AC-06 (configuration half). The concurrent
// two-owner run and the cache headers of signed-in pages are in e2e/api/private-pages.spec.ts.

type CachedFunction = { file: string; name: string; exported: boolean; params: string[] };
type CacheUse = { cached: CachedFunction[]; unstableCache: string[] };

const CACHE_DIRECTIVE = /^use cache(:\s*\w+)?$/;
/** A parameter that names who is asking, or a secret: it would key a shared cache by person. */
const PERSONAL_PARAM = /user|owner|account|email|session|token|secret/i;

function directives(statements: ts.NodeArray<ts.Statement>): string[] {
  const found: string[] = [];
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    found.push(statement.expression.text);
  }
  return found;
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);

/** `export const f = async () => …`: the declaration's statement carries the export. */
const isExportedVariable = (node: ts.Node) =>
  ts.isVariableDeclaration(node) &&
  ts.isVariableDeclarationList(node.parent) &&
  ts.isVariableStatement(node.parent.parent) &&
  isExported(node.parent.parent);

/** Every `'use cache'` function (file-level or in its body) and every `unstable_cache` import. */
function findCacheUse(file: string, text: string): CacheUse {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const fileCached = directives(source.statements).some((value) => CACHE_DIRECTIVE.test(value));
  const cached: CachedFunction[] = [];
  const unstableCache: string[] = [];
  const exportedNames = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isExportSpecifier(node)) exportedNames.add((node.propertyName ?? node.name).text);
    if (ts.isImportSpecifier(node) && (node.propertyName ?? node.name).text === 'unstable_cache')
      unstableCache.push(file);
    if (ts.isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body as ts.Node)) {
      const body = node.body as ts.Block;
      const own = directives(body.statements).some((value) => CACHE_DIRECTIVE.test(value));
      const topLevel = node.parent === source || ts.isVariableDeclaration(node.parent);
      if (own || (fileCached && topLevel)) {
        let name = '(anonymous)';
        if ('name' in node && node.name && ts.isIdentifier(node.name as ts.Node))
          name = (node.name as ts.Identifier).text;
        else if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name))
          name = node.parent.name.text;
        cached.push({
          file,
          name,
          exported: isExported(node) || isExportedVariable(node.parent),
          params: node.parameters.map((parameter) => parameter.name.getText(source)),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const fn of cached) if (exportedNames.has(fn.name)) fn.exported = true;
  return { cached, unstableCache };
}

/** What AC-17 forbids of a cached function: exported, or keyed by who asks. */
function cacheRuleBreaks(use: CacheUse): string[] {
  return [
    ...use.cached
      .filter((fn) => fn.exported || fn.params.some((param) => PERSONAL_PARAM.test(param)))
      .map((fn) => `${fn.file}: ${fn.name}(${fn.params.join(', ')})${fn.exported ? ' is exported' : ''}`),
    ...use.unstableCache.map((file) => `${file}: unstable_cache (its keys are free-form)`),
  ];
}

function sourceFiles(): string[] {
  const files = ['proxy.ts', 'instrumentation.ts', 'next.config.ts'];
  for (const dir of ['app', 'components', 'lib']) {
    for (const entry of readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
        files.push(join(entry.parentPath, entry.name).slice(REPO.length).replace(/\\/g, '/'));
    }
  }
  return files.sort();
}

describe('no shared cache is keyed by user (AC-17)', () => {
  it('the checker catches a cached function that takes a user id or is exported', () => {
    const sample = `
      async function boardOf(userId: string) { 'use cache'; return userId; }
      export async function shared(id: string) { 'use cache'; return id; }
      const fine = async (vehicleModel: string) => { 'use cache'; return vehicleModel; };
      export const kept = async (ownerId: string) => { 'use cache'; return ownerId; };
      import { unstable_cache } from 'next/cache';
    `;
    expect(cacheRuleBreaks(findCacheUse('sample.ts', sample))).toEqual([
      'sample.ts: boardOf(userId)',
      'sample.ts: shared(id) is exported',
      'sample.ts: kept(ownerId) is exported',
      'sample.ts: unstable_cache (its keys are free-form)',
    ]);
    expect(findCacheUse('sample.ts', sample).cached.map((fn) => fn.name)).toContain('fine');
  });

  it("no 'use cache' function in app/, components/ or lib/ is exported or takes who is asking", () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(200);
    // Only files that mention either are parsed (parsing all of them costs seconds).
    const uses = files
      .map((file) => ({ file, text: readFileSync(join(REPO, file), 'utf8') }))
      .filter(({ text }) => /use cache|unstable_cache/.test(text))
      .map(({ file, text }) => findCacheUse(file, text));
    expect(uses.flatMap(cacheRuleBreaks)).toEqual([]);
    // Today there is no 'use cache' at all, and Cache Components are off: every signed-in page
    // renders per request (its HTML headers are asserted over HTTP).
    expect(uses.flatMap((use) => use.cached)).toEqual([]);
    expect((nextConfig as { cacheComponents?: boolean }).cacheComponents ?? false).toBe(false);
  });
});

describe('Server Actions accept our own origin only (AC-06)', () => {
  it('next.config leaves serverActions.allowedOrigins unset', () => {
    const experimental = (nextConfig.experimental ?? {}) as { serverActions?: { allowedOrigins?: unknown } };
    expect(experimental.serverActions?.allowedOrigins).toBeUndefined();
    // Nor is it set anywhere in the file's text (a spread from elsewhere would show here too).
    expect(readFileSync(join(REPO, 'next.config.ts'), 'utf8')).not.toMatch(/allowedOrigins/);
  });
});
