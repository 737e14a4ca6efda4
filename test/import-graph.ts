import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// TEST SUPPORT: the repository modules a file brings in at run time, read with the TypeScript
// compiler (type-only imports are erased by the build, so they are not followed).

export const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Every .ts/.tsx file under `dir` (a repository path), declaration files left out. */
export function sourceFilesUnder(dir: string): string[] {
  const absolute = join(REPO, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFilesUnder(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const isTestFile = (file: string) => /\.test\.tsx?$/.test(file) || file.endsWith('-for-tests.ts');

/** The code the app is built from: app/, components/, lib/, proxy.ts and instrumentation.ts, tests left out. */
export function appSourceFiles(): string[] {
  return [
    ...['app', 'components', 'lib'].flatMap(sourceFilesUnder),
    ...['proxy.ts', 'instrumentation.ts'].filter((file) => existsSync(join(REPO, file))),
  ].filter((file) => !isTestFile(file));
}

export function parseSource(file: string, text = readFileSync(join(REPO, file), 'utf8')): ts.SourceFile {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

/** Specifiers of value imports and re-exports, and of dynamic `import()` calls. */
export function valueSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const allTypes =
        clause?.isTypeOnly ||
        (clause !== undefined &&
          clause.name === undefined &&
          clause.namedBindings !== undefined &&
          ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 &&
          clause.namedBindings.elements.every((element) => element.isTypeOnly));
      if (!allTypes) specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      !node.isTypeOnly
    ) {
      specifiers.push(node.moduleSpecifier.text);
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

/** The repository file an import names, or null for a package. */
export function resolveImport(file: string, specifier: string): string | null {
  let absolute: string;
  if (specifier.startsWith('@/')) absolute = join(REPO, specifier.slice(2));
  else if (specifier.startsWith('.')) absolute = resolve(REPO, dirname(file), specifier);
  else return null;
  const base = relative(REPO, absolute).split(sep).join('/');
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (/\.tsx?$/.test(candidate) && existsSync(join(REPO, candidate))) return candidate;
  }
  return null;
}

/**
 * Every repository module reachable from `entries` by value imports, and the packages each imports.
 * The walk does not go past the modules in `stopAt` (they are listed, their imports are not).
 */
export function importClosure(
  entries: readonly string[],
  options: { stopAt?: readonly string[] } = {},
): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [...entries];
  const stops = new Set(options.stopAt ?? []);
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (graph.has(file)) continue;
    if (stops.has(file)) {
      graph.set(file, []);
      continue;
    }
    const packages: string[] = [];
    for (const specifier of valueSpecifiers(parseSource(file))) {
      const target = resolveImport(file, specifier);
      if (target === null) {
        if (!specifier.startsWith('@/') && !specifier.startsWith('.')) packages.push(specifier);
      } else pending.push(target);
    }
    graph.set(file, packages);
  }
  return graph;
}
