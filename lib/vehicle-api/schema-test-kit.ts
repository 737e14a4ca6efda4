import 'server-only';
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

// Test support for the adapters' schema tests (psa-v1/*schema.test.ts, psa-v4/*schema.test.ts): the
// hand-typed JSON fixtures, edits at a path inside them, and what a schema makes of a value. Imported
// by those *.test.ts files only.

export type Json = Record<string, unknown>;
export type Key = string | number;

/** Readers of the `<name>.json` fixtures in `dir`: a fresh copy on every call, so edits never leak between tests. */
export function fixturesIn(dir: URL) {
  const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'));
  return {
    fixture: (name: string) => read(name) as Json,
    fixtureArray: (name: string) => read(name) as Json[],
  };
}

function parentOf(root: unknown, path: Key[]): Record<Key, unknown> {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) throw new Error(`No object at ${path.join('.')}`);
    node = (node as Record<Key, unknown>)[key];
  }
  if (typeof node !== 'object' || node === null) throw new Error(`No object at ${path.join('.')}`);
  return node as Record<Key, unknown>;
}

function lastKey(path: Key[]): Key {
  const key = path.at(-1);
  if (key === undefined) throw new Error('Empty path');
  return key;
}

/** Sets the value at `path` (object keys and array indices) in place; returns `root`. */
export function setAt<T>(root: T, path: Key[], value: unknown): T {
  parentOf(root, path)[lastKey(path)] = value;
  return root;
}

/** Removes the key at `path` in place; returns `root`. */
export function deleteAt<T>(root: T, path: Key[]): T {
  delete parentOf(root, path)[lastKey(path)];
  return root;
}

/** Dotted paths of every issue; empty when the value parses. */
export function failedPaths(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => issue.path.join('.') || '(root)');
}

/** The parsed value; throws with every issue when the schema refuses it. */
export function parseOk<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new Error(`Expected success, got ${JSON.stringify(result.error.issues, null, 2)}`);
  return result.data;
}
