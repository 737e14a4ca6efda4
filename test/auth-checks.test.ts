import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { appSourceFiles, REPO as root } from './import-graph';

// docs/security-tests.md AC-10: auth fails closed. CVE-2026-73421 showed how it fails open: a
// non-OK session answer parsed into a truthy error object, so `!!auth`, `if (session)` or
// `if (req.auth)` let anonymous callers through. Kinetic decides "signed in" in one place,
// lib/auth/index.ts getCurrentUser(): the cookie must decrypt to a non-empty string session id
// (session-cookie.ts) and that id must name a live session row of an enabled account. These
// static checks keep it that way:
//   - nothing outside lib/auth reads next-auth's session (auth(), getSession, useSession, req.auth);
//   - no code tests a session or auth value for truthiness (`!!session`, `if (auth)`, `session ?`,
//     `session &&`): only explicit checks (`=== null`, typeof, `session?.user?.id`) are allowed.
// Files are parsed with the TypeScript compiler, so comments and strings do not count.

// Charging sessions and the simulator's drives are not sign-in sessions; neither may touch auth.
const NOT_AUTH = ['lib/charging/', 'lib/simulator/'];
/** Names that hold a sign-in session or an auth answer in this codebase's vocabulary. */
const AUTH_NAME = /^(auth|session|authSession|currentSession|signInSession)$/i;

const parsed = new Map<string, ts.SourceFile>();

function parse(file: string, text?: string): ts.SourceFile {
  if (text === undefined) {
    const cached = parsed.get(file);
    if (cached) return cached;
    const source = parse(file, readFileSync(join(root, file), 'utf8'));
    parsed.set(file, source);
    return source;
  }
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

/** `session`, `req.auth`, `this.session`: an expression that IS the session, not a field of it. */
function isAuthValue(node: ts.Expression): boolean {
  const inner = ts.isParenthesizedExpression(node) ? node.expression : node;
  if (ts.isIdentifier(inner)) return AUTH_NAME.test(inner.text);
  if (ts.isPropertyAccessExpression(inner)) return AUTH_NAME.test(inner.name.text);
  if (ts.isAwaitExpression(inner)) return isAuthValue(inner.expression);
  // auth() itself, awaited or not.
  if (ts.isCallExpression(inner))
    return ts.isIdentifier(inner.expression) && inner.expression.text === 'auth';
  return false;
}

/** Lines where a session or auth value is tested for truthiness. */
function truthinessChecks(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const report = (node: ts.Node) =>
    found.push(`${source.fileName}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
  const visit = (node: ts.Node) => {
    if (
      ts.isPrefixUnaryExpression(node) &&
      node.operator === ts.SyntaxKind.ExclamationToken &&
      isAuthValue(node.operand)
    )
      report(node);
    if ((ts.isIfStatement(node) || ts.isWhileStatement(node)) && isAuthValue(node.expression)) report(node);
    if (ts.isConditionalExpression(node) && isAuthValue(node.condition)) report(node);
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        node.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
      (isAuthValue(node.left) || isAuthValue(node.right))
    )
      report(node);
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Boolean' &&
      node.arguments[0] &&
      isAuthValue(node.arguments[0])
    )
      report(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Uses of next-auth's own session readers. */
function sessionReads(file: string, source: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const from = node.moduleSpecifier.text;
      const names = node.importClause?.namedBindings;
      const imported =
        names && ts.isNamedImports(names)
          ? names.elements.map((element) => (element.propertyName ?? element.name).text)
          : [];
      if (from === 'next-auth/react') found.push(`${file} imports next-auth/react`);
      if ((from === '@/lib/auth' || /(^|\/)lib\/auth$/.test(from)) && imported.includes('auth'))
        found.push(`${file} imports auth from ${from}`);
      // next-auth's error classes are fine anywhere; its session readers only in lib/auth.
      const readers = ['auth', 'getSession', 'getServerSession', 'useSession'];
      const readsSession =
        imported.some((name) => readers.includes(name)) || node.importClause?.name !== undefined;
      if (
        from.startsWith('next-auth') &&
        !file.startsWith('lib/auth/') &&
        !node.importClause?.isTypeOnly &&
        readsSession
      )
        found.push(`${file} imports ${from}`);
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'auth' && !file.startsWith('lib/auth/'))
      found.push(
        `${file}: .auth at line ${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`,
      );
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = appSourceFiles();

describe('the detectors themselves', () => {
  it('find truthiness tests of sessions and auth answers, and let explicit checks pass', () => {
    const checks = (text: string) => truthinessChecks(parse('probe.ts', text));
    expect(checks('const ok = !!auth;')).toEqual(['probe.ts:1']);
    expect(checks('if (session) go();')).toEqual(['probe.ts:1']);
    expect(checks('if (!session) stop();')).toEqual(['probe.ts:1']);
    expect(checks('if (req.auth) go();')).toEqual(['probe.ts:1']);
    expect(checks('const x = session ? 1 : 2;')).toEqual(['probe.ts:1']);
    expect(checks('const x = session && session.user;')).toEqual(['probe.ts:1']);
    expect(checks('if (await auth()) go();')).toEqual(['probe.ts:1']);
    expect(checks('const x = Boolean(session);')).toEqual(['probe.ts:1']);
    expect(checks('if (session?.user?.id) go();')).toEqual([]);
    expect(checks('if (session === null) stop();')).toEqual([]);
    expect(checks("if (typeof sessionId === 'string' && sessionId.length > 0) go();")).toEqual([]);
    expect(checks('// if (session) go();\nconst s = "!!auth";')).toEqual([]);
  });

  it('find reads of next-auth’s session outside lib/auth', () => {
    const reads = (file: string, text: string) => sessionReads(file, parse(file, text));
    expect(reads('app/x.ts', "import { auth } from '@/lib/auth';")).toHaveLength(1);
    expect(reads('app/x.tsx', "import { useSession } from 'next-auth/react';")).toHaveLength(2);
    expect(reads('app/x.ts', 'export default (req) => req.auth;')).toHaveLength(1);
    expect(reads('app/x.ts', "import { requireUser } from '@/lib/auth';")).toEqual([]);
    expect(reads('lib/auth/index.ts', "import NextAuth from 'next-auth';")).toEqual([]);
    expect(reads('app/x.ts', "import NextAuth from 'next-auth';")).toHaveLength(1);
    expect(reads('app/x.ts', "import { AuthError } from 'next-auth';")).toEqual([]);
  });
});

describe('auth fails closed (AC-10)', () => {
  it('checks the files it is meant to', () => {
    expect(files).toEqual(expect.arrayContaining(['lib/auth/index.ts', 'lib/route-handler.ts', 'proxy.ts']));
    expect(files.length).toBeGreaterThan(200);
  });

  it('no code tests a session or auth answer for truthiness', () => {
    const offenders = files
      .filter((file) => !NOT_AUTH.some((dir) => file.startsWith(dir)))
      // Only files that name a session or auth at all can hold such a test (a cheap first pass).
      .filter((file) => /auth|session/i.test(readFileSync(join(root, file), 'utf8')))
      .flatMap((file) => truthinessChecks(parse(file)));
    expect(offenders).toEqual([]);
  });

  it('nothing outside lib/auth reads next-auth’s session; the rest asks getCurrentUser()', () => {
    const candidates = files.filter((file) =>
      /next-auth|lib\/auth|\.auth\b/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(candidates.length).toBeGreaterThan(10);
    expect(candidates.flatMap((file) => sessionReads(file, parse(file)))).toEqual([]);
    // The folders left out of the truthiness check do not touch auth at all.
    const outside = files.filter((file) => NOT_AUTH.some((dir) => file.startsWith(dir)));
    expect(outside.length).toBeGreaterThan(0);
    expect(
      outside.filter((file) =>
        /from ['"](next-auth[^'"]*|@\/lib\/auth[^'"]*)['"]/.test(readFileSync(join(root, file), 'utf8')),
      ),
    ).toEqual([]);
  });

  it('the one gate accepts a session id only as a non-empty string', () => {
    // lib/auth/session-cookie.ts: whatever getToken() answers (null, an error object, a token
    // without sid), only a non-empty string becomes a session id; lib/auth/index.ts then needs the
    // row. Read from the source, so that a later "simplification" to a truthiness test fails here.
    const gate = readFileSync(join(root, 'lib/auth/session-cookie.ts'), 'utf8');
    expect(gate).toMatch(/if \(typeof sessionId !== 'string' \|\| sessionId\.length === 0\) return null;/);
    // A kept answer (decrypted before) is only ever one that passed that check.
    expect(gate).toMatch(/remember\(key, \{ sessionId, expiresAt/);
    const index = readFileSync(join(root, 'lib/auth/index.ts'), 'utf8');
    expect(index).toMatch(
      /if \(!sessionId\) return null;\s*return getActiveSession\(getDb\(\), sessionId\);/,
    );
  });
});
