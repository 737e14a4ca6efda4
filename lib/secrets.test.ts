import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseEnv } from './env-schema';
import { getAuthSecret, getTokenEncryptionKey, MissingSecretError } from './secrets';

const CONFIGURED_SECRET = 'configured-auth-secret-of-at-least-32-chars';
const CONFIGURED_KEY = Buffer.alloc(32, 9).toString('base64');

describe('secrets', () => {
  let root: string;
  let dataDir: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'kinetic-secrets-'));
    // Not created yet: the first start must create it.
    dataDir = path.join(root, 'nested', 'data');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const sqliteEnv = (extra: Record<string, string> = {}) =>
    parseEnv({ KINETIC_DATA_DIR: dataDir, ...extra }, root);

  it('generates the auth secret once, in a file only the owner can read, and reuses it', () => {
    const first = getAuthSecret(sqliteEnv());
    expect(Buffer.from(first, 'base64')).toHaveLength(32);

    const file = path.join(dataDir, 'auth-secret');
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    // The next start (a fresh Env) reads the same value back.
    expect(getAuthSecret(sqliteEnv())).toBe(first);
    expect(getAuthSecret(sqliteEnv())).toBe(first);
  });

  it('reads the file once per process: later calls touch no file', () => {
    const first = getAuthSecret(sqliteEnv());
    const reads = vi.spyOn(fs, 'readFileSync');
    const writes = vi.spyOn(fs, 'writeFileSync');
    const mkdirs = vi.spyOn(fs, 'mkdirSync');
    try {
      for (let i = 0; i < 3; i++) expect(getAuthSecret(sqliteEnv())).toBe(first);
      expect(reads).not.toHaveBeenCalled();
      expect(writes).not.toHaveBeenCalled();
      expect(mkdirs).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('generates a separate 32-byte token encryption key', () => {
    const key = getTokenEncryptionKey(sqliteEnv());
    expect(key).toBeInstanceOf(Buffer);
    expect(key).toHaveLength(32);
    const file = path.join(dataDir, 'token-encryption-key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(getTokenEncryptionKey(sqliteEnv()).equals(key)).toBe(true);
    expect(getAuthSecret(sqliteEnv())).not.toBe(key.toString('base64'));
  });

  it('two installations get different secrets', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'kinetic-secrets-other-'));
    try {
      const mine = getAuthSecret(sqliteEnv());
      const theirs = getAuthSecret(parseEnv({ KINETIC_DATA_DIR: other }, other));
      expect(theirs).not.toBe(mine);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('a configured value wins and nothing is written', () => {
    const env = sqliteEnv({ AUTH_SECRET: CONFIGURED_SECRET, TOKEN_ENCRYPTION_KEY: CONFIGURED_KEY });
    expect(getAuthSecret(env)).toBe(CONFIGURED_SECRET);
    expect(getTokenEncryptionKey(env).toString('base64')).toBe(CONFIGURED_KEY);
    expect(fs.existsSync(path.join(dataDir, 'auth-secret'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'token-encryption-key'))).toBe(false);
  });

  it('a configured value wins over an existing file', () => {
    const generated = getAuthSecret(sqliteEnv());
    expect(getAuthSecret(sqliteEnv({ AUTH_SECRET: CONFIGURED_SECRET }))).toBe(CONFIGURED_SECRET);
    expect(getAuthSecret(sqliteEnv())).toBe(generated);
  });

  it('on PostgreSQL a missing secret stops start-up and names the variable', () => {
    const env = parseEnv(
      { DATABASE_URL: 'postgres://kinetic@db.example/kinetic', KINETIC_DATA_DIR: dataDir },
      root,
    );
    expect(() => getAuthSecret(env)).toThrow(MissingSecretError);
    expect(() => getAuthSecret(env)).toThrow(/^AUTH_SECRET is not set\..*set AUTH_SECRET/);
    expect(() => getTokenEncryptionKey(env)).toThrow(MissingSecretError);
    expect(() => getTokenEncryptionKey(env)).toThrow(/^TOKEN_ENCRYPTION_KEY is not set/);
    // Nothing was generated locally: every instance must share one configured value.
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('on PostgreSQL a configured secret is used', () => {
    const env = parseEnv(
      {
        DATABASE_URL: 'postgres://kinetic@db.example/kinetic',
        AUTH_SECRET: CONFIGURED_SECRET,
        TOKEN_ENCRYPTION_KEY: CONFIGURED_KEY,
      },
      root,
    );
    expect(getAuthSecret(env)).toBe(CONFIGURED_SECRET);
    expect(getTokenEncryptionKey(env).toString('base64')).toBe(CONFIGURED_KEY);
  });

  it.each([
    ['empty', ''],
    ['truncated', Buffer.alloc(31, 1).toString('base64')],
    ['not base64', 'this is not a key at all'],
  ])('a damaged (%s) secret file is a clear error, and is not overwritten', (_kind, content) => {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'auth-secret');
    fs.writeFileSync(file, content, { mode: 0o600 });
    expect(() => getAuthSecret(sqliteEnv())).toThrow(
      `${file} is damaged: delete it to generate a new AUTH_SECRET`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
  });

  it('accepts a file with a trailing newline (edited by hand)', () => {
    fs.mkdirSync(dataDir, { recursive: true });
    const value = Buffer.alloc(32, 3).toString('base64');
    fs.writeFileSync(path.join(dataDir, 'auth-secret'), `${value}\n`, { mode: 0o600 });
    expect(getAuthSecret(sqliteEnv())).toBe(value);
  });
});
