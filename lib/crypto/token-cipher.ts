import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Env } from '../env-schema';
import { getTokenEncryptionKey } from '../secrets';
import { taintAccountTokens } from '../security/taint';

// Encryption at rest of a car account's upstream OAuth tokens. AES-256-GCM (NIST SP 800-38D) with
// a fresh random 96-bit IV per encryption — the IV length GCM is specified for (SP 800-38D §8.2.2
// bounds random IVs to 2^32 encryptions per key, far beyond token refreshes) — and the full 128-bit
// tag. The account id is the associated data, so a blob copied into another row does not decrypt.
//
// Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url. The leading version names the scheme
// and key generation, so a later key rotation can add `v2` (with a key id) and still read `v1`.
//
// Errors never carry the plaintext, the blob or the key: only that decryption was refused.

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type TokenCipher = {
  /** Seals `plaintext` for the car account `accountId`. */
  encrypt(plaintext: string, accountId: string): string;
  /** Opens a blob sealed for `accountId`; throws TokenDecryptionError for anything else. */
  decrypt(sealed: string, accountId: string): string;
};

/** The blob is damaged, was sealed for another account, or with another key. */
export class TokenDecryptionError extends Error {
  constructor() {
    super('stored tokens could not be decrypted');
    this.name = 'TokenDecryptionError';
  }
}

function associatedData(accountId: string): Buffer {
  // The version is bound too, so a blob cannot be replayed under another scheme's rules.
  return Buffer.from(`kinetic/car-account-tokens/${VERSION}/${accountId}`, 'utf8');
}

/** Strict base64url: Node's decoder skips stray characters, which would make blobs malleable. */
function decodePart(part: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return null;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : null;
}

export function createTokenCipher(key: Uint8Array): TokenCipher {
  if (key.length !== KEY_BYTES) throw new Error(`the token encryption key must be ${KEY_BYTES} bytes`);
  const secret = Buffer.from(key);

  return {
    encrypt(plaintext, accountId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(accountId));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },

    decrypt(sealed, accountId) {
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) throw new TokenDecryptionError();
      const [iv, tag, ciphertext] = parts.slice(1).map(decodePart);
      if (!iv || !tag || !ciphertext || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new TokenDecryptionError();
      }
      try {
        // authTagLength pins the tag size: without it Node accepts truncated tags.
        const decipher = createDecipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(associatedData(accountId));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        // Node's message ("Unsupported state or unable to authenticate data") adds nothing useful.
        throw new TokenDecryptionError();
      }
    },
  };
}

/** The cipher with the configured TOKEN_ENCRYPTION_KEY, or the key file generated under the data folder. */
export function tokenCipherFromEnv(env: Env): TokenCipher {
  return createTokenCipher(getTokenEncryptionKey(env));
}

/** What a car account's sealed blob holds. */
export const accountTokensSchema = z.strictObject({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Epoch ms at which the access token expires. */
  expiresAt: z.number().int().nonnegative(),
  /** The scopes granted at consent (RFC 6749 §3.3); a refresh keeps them (§6). */
  scopes: z.array(z.string()),
});
export type AccountTokens = z.infer<typeof accountTokensSchema>;

export function sealAccountTokens(cipher: TokenCipher, accountId: string, tokens: AccountTokens): string {
  const valid = accountTokensSchema.safeParse(tokens);
  if (!valid.success) throw new Error('refusing to store malformed tokens');
  return cipher.encrypt(JSON.stringify(valid.data), accountId);
}

/** Throws TokenDecryptionError when the blob does not open or does not hold tokens. */
export function openAccountTokens(cipher: TokenCipher, accountId: string, sealed: string): AccountTokens {
  const plaintext = cipher.decrypt(sealed, accountId);
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext);
  } catch {
    throw new TokenDecryptionError();
  }
  const tokens = accountTokensSchema.safeParse(parsed);
  // The zod issues would quote the values, i.e. the tokens: keep them out of the error.
  if (!tokens.success) throw new TokenDecryptionError();
  // From here the tokens are plain strings in this process: React refuses to send them to the
  // client for as long as this object holds them (lib/security/taint.ts).
  return taintAccountTokens(tokens.data);
}
