import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../env-schema';
import {
  createTokenCipher,
  openAccountTokens,
  sealAccountTokens,
  TokenDecryptionError,
  tokenCipherFromEnv,
} from './token-cipher';

// Expectations come from the format the module documents (`v1.<iv>.<tag>.<ciphertext>`, base64url,
// AES-256-GCM, associated data `kinetic/car-account-tokens/v1/<account id>`), checked with Node's
// crypto directly rather than with the module's own output.

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
const ACCOUNT = 'acc-1';
const AD = (accountId: string) => Buffer.from(`kinetic/car-account-tokens/v1/${accountId}`, 'utf8');
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function refused(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return null;
}

describe('token cipher', () => {
  const cipher = createTokenCipher(KEY);

  it('round-trips any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.uuid(), (text, accountId) => {
        expect(cipher.decrypt(cipher.encrypt(text, accountId), accountId)).toBe(text);
      }),
    );
  });

  it('writes v1.<12-byte iv>.<16-byte tag>.<ciphertext as long as the plaintext>, all base64url', () => {
    const plaintext = 'x'.repeat(45);
    const [version, iv, tag, ciphertext, ...rest] = cipher.encrypt(plaintext, ACCOUNT).split('.');
    expect(version).toBe('v1');
    expect(rest).toEqual([]);
    // base64url without padding: 12 bytes → 16 chars, 16 → 22 (ceil(16·4/3)), 45 → 60.
    expect(iv).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(tag).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(ciphertext).toMatch(/^[A-Za-z0-9_-]{60}$/);
  });

  it('is plain AES-256-GCM with the account id as associated data (checked with node:crypto)', () => {
    // Our blob opens with Node's decipher given the documented parameters…
    const sealed = cipher.encrypt('hello tokens', ACCOUNT);
    const [, iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
    if (!iv || !tag || !data) throw new Error('malformed blob');
    const decipher = createDecipheriv('aes-256-gcm', KEY, iv, { authTagLength: 16 });
    decipher.setAAD(AD(ACCOUNT));
    decipher.setAuthTag(tag);
    expect(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')).toBe('hello tokens');

    // …and a blob made by Node's cipher with a fixed IV opens with ours.
    const fixedIv = Buffer.from('000102030405060708090a0b', 'hex');
    const manual = createCipheriv('aes-256-gcm', KEY, fixedIv, { authTagLength: 16 });
    manual.setAAD(AD('acc-2'));
    const body = Buffer.concat([manual.update('made elsewhere', 'utf8'), manual.final()]);
    const blob = ['v1', fixedIv, manual.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
    expect(cipher.decrypt(blob, 'acc-2')).toBe('made elsewhere');
  });

  it('uses a fresh IV for every encryption of the same text', () => {
    const ivs = new Set<string>();
    const blobs = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const blob = cipher.encrypt('same access token', ACCOUNT);
      blobs.add(blob);
      ivs.add(blob.split('.')[1] ?? '');
    }
    expect(ivs.size).toBe(500);
    expect(blobs.size).toBe(500);
  });

  it('never holds the plaintext, in clear or in base64', () => {
    const token = `at-${randomBytes(24).toString('hex')}`;
    const blob = cipher.encrypt(JSON.stringify({ accessToken: token }), ACCOUNT);
    expect(blob).not.toContain(token);
    expect(blob).not.toContain(Buffer.from(token).toString('base64url'));
    expect(blob).not.toContain(Buffer.from(token).toString('base64'));
  });

  it('refuses a blob with any one character changed (tamper detection)', () => {
    const blob = cipher.encrypt('{"accessToken":"a-token","refreshToken":"r-token"}', ACCOUNT);
    fc.assert(
      fc.property(
        fc.nat({ max: blob.length - 1 }),
        fc.constantFrom(...`${BASE64URL}.`),
        (position, replacement) => {
          fc.pre(blob[position] !== replacement);
          const tampered = blob.slice(0, position) + replacement + blob.slice(position + 1);
          expect(refused(() => cipher.decrypt(tampered, ACCOUNT))).toBeInstanceOf(TokenDecryptionError);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a blob with any one bit flipped in its iv, tag or ciphertext', () => {
    const blob = cipher.encrypt('refresh-token-value', ACCOUNT);
    const parts = blob.split('.');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.nat(), fc.nat({ max: 7 }), (part, byteSeed, bit) => {
        const bytes = Buffer.from(parts[part] ?? '', 'base64url');
        const index = byteSeed % bytes.length;
        bytes[index] = (bytes[index] ?? 0) ^ (1 << bit);
        const tampered = parts
          .map((value, i) => (i === part ? bytes.toString('base64url') : value))
          .join('.');
        expect(refused(() => cipher.decrypt(tampered, ACCOUNT))).toBeInstanceOf(TokenDecryptionError);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a truncated tag, a missing part, another version or garbage', () => {
    const [, iv, tag, data] = cipher.encrypt('value', ACCOUNT).split('.');
    const shortTag = Buffer.from(tag ?? '', 'base64url')
      .subarray(0, 12)
      .toString('base64url');
    for (const bad of [
      `v1.${iv}.${shortTag}.${data}`,
      `v1.${iv}.${tag}`,
      `v2.${iv}.${tag}.${data}`,
      `v1.${iv}.${tag}.${data}.extra`,
      '',
      'not a blob',
    ]) {
      expect(refused(() => cipher.decrypt(bad, ACCOUNT))).toBeInstanceOf(TokenDecryptionError);
    }
  });

  it('refuses a blob moved to another account (associated data)', () => {
    const blob = cipher.encrypt('tokens of acc-1', 'acc-1');
    expect(refused(() => cipher.decrypt(blob, 'acc-2'))).toBeInstanceOf(TokenDecryptionError);
    expect(refused(() => cipher.decrypt(blob, 'acc-10'))).toBeInstanceOf(TokenDecryptionError);
    expect(refused(() => cipher.decrypt(blob, ''))).toBeInstanceOf(TokenDecryptionError);
  });

  it('refuses a blob sealed with another key', () => {
    const blob = createTokenCipher(OTHER_KEY).encrypt('tokens', ACCOUNT);
    expect(refused(() => cipher.decrypt(blob, ACCOUNT))).toBeInstanceOf(TokenDecryptionError);
  });

  it('says nothing about the blob or its content when it refuses', () => {
    const blob = createTokenCipher(OTHER_KEY).encrypt('secret-access-token', ACCOUNT);
    const error = refused(() => cipher.decrypt(blob, ACCOUNT));
    expect(error).toBeInstanceOf(TokenDecryptionError);
    const text = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)}`;
    expect(text).not.toContain('secret-access-token');
    expect(text).not.toContain(blob);
    expect(text).not.toContain(blob.split('.')[3]);
  });

  it('accepts only a 32-byte key', () => {
    expect(() => createTokenCipher(Buffer.alloc(16))).toThrow(/32 bytes/);
    expect(() => createTokenCipher(Buffer.alloc(33))).toThrow(/32 bytes/);
  });
});

describe('sealed account tokens', () => {
  const cipher = createTokenCipher(KEY);
  const tokens = {
    accessToken: 'at-123',
    refreshToken: 'rt-456',
    expiresAt: 1_900_000_003_599_000,
    scopes: ['openid', 'profile'],
  };

  it('round-trip through the cipher', () => {
    expect(openAccountTokens(cipher, ACCOUNT, sealAccountTokens(cipher, ACCOUNT, tokens))).toEqual(tokens);
  });

  it('refuse a blob that opens but does not hold tokens', () => {
    const notTokens = cipher.encrypt(JSON.stringify({ accessToken: 'at-123' }), ACCOUNT);
    const notJson = cipher.encrypt('at-123', ACCOUNT);
    for (const blob of [notTokens, notJson]) {
      const error = refused(() => openAccountTokens(cipher, ACCOUNT, blob));
      expect(error).toBeInstanceOf(TokenDecryptionError);
      expect((error as Error).message).not.toContain('at-123');
    }
  });

  it('refuse to seal malformed tokens, without quoting them', () => {
    const error = refused(() => sealAccountTokens(cipher, ACCOUNT, { ...tokens, refreshToken: '' }));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain('at-123');
  });
});

describe('the key', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'kinetic-cipher-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('comes from TOKEN_ENCRYPTION_KEY when configured', () => {
    const env = parseEnv(
      { KINETIC_DATA_DIR: dataDir, TOKEN_ENCRYPTION_KEY: KEY.toString('base64') },
      dataDir,
    );
    const blob = tokenCipherFromEnv(env).encrypt('configured', ACCOUNT);
    expect(createTokenCipher(KEY).decrypt(blob, ACCOUNT)).toBe('configured');
    expect(fs.existsSync(path.join(dataDir, 'token-encryption-key'))).toBe(false);
  });

  it('comes from the generated key file otherwise, the same across starts', () => {
    const env = () => parseEnv({ KINETIC_DATA_DIR: dataDir }, dataDir);
    const blob = tokenCipherFromEnv(env()).encrypt('generated', ACCOUNT);
    const file = Buffer.from(fs.readFileSync(path.join(dataDir, 'token-encryption-key'), 'utf8'), 'base64');
    expect(createTokenCipher(file).decrypt(blob, ACCOUNT)).toBe('generated');
    expect(tokenCipherFromEnv(env()).decrypt(blob, ACCOUNT)).toBe('generated');
  });
});
