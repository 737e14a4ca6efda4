import 'server-only';
import type { Kysely } from 'kysely';
import { openAccountTokens, sealAccountTokens, type TokenCipher } from '../../crypto/token-cipher';
import {
  markCarAccountReauthorizationNeeded,
  readSealedTokens,
  swapSealedTokens,
} from '../../db/queries/car-accounts';
import type { Database } from '../../db/schema';
import { taintAccountTokens } from '../../security/taint';
import { ReauthorizationNeededError } from '../provider';
import type { ReauthorizationReason, StoredTokens, TokenStore } from './tokens';

// The token store of one car account, over its `car_accounts` row: the tokens are sealed with
// AES-256-GCM bound to the account id (lib/crypto/token-cipher.ts), and this is the only module
// that opens them.
//
// Several workers (and a sign-in) may write the same account's tokens at once. Every write is a
// compare-and-swap on `token_version`: a save names the version its tokens were derived from, and
// when another writer has saved since, their tokens are newer — they are kept and handed back,
// never overwritten with ours.

export type CarAccountTokenStore = TokenStore & {
  /**
   * `save` that answers the tokens stored afterwards: these, or newer ones another writer saved
   * first. (TokenStore's `save` answers nothing, so the token manager cannot adopt the winner's
   * tokens yet; it keeps its own, which the IdP issued and which still work.)
   */
  saveOrKeepNewer(tokens: StoredTokens): Promise<StoredTokens>;
};

export type CarAccountTokenStoreOptions = {
  db: Kysely<Database>;
  cipher: TokenCipher;
  accountId: string;
  now?: () => number;
};

export function carAccountTokenStore(options: CarAccountTokenStoreOptions): CarAccountTokenStore {
  const { db, cipher, accountId } = options;
  const now = options.now ?? Date.now;
  /** The token_version of what we last read or wrote: the base of our next compare-and-swap. */
  let version: number | undefined;
  /** Kept across refreshes: a refresh grants the original scopes (RFC 6749 §6). */
  let scopes: string[] = [];

  async function load(): Promise<StoredTokens | null> {
    const row = await readSealedTokens(db, accountId);
    version = row?.version;
    if (row?.status !== 'active' || row.sealed === null) return null;
    const tokens = openAccountTokens(cipher, accountId, row.sealed);
    scopes = tokens.scopes;
    // A new object holds the tokens now (the token manager keeps it): the taint follows it.
    return taintAccountTokens({
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
    });
  }

  async function saveOrKeepNewer(tokens: StoredTokens): Promise<StoredTokens> {
    if (version === undefined) await load();
    if (version === undefined) throw new ReauthorizationNeededError('the car account no longer exists');
    const sealed = sealAccountTokens(cipher, accountId, { ...tokens, scopes });
    const swapped = await swapSealedTokens(db, accountId, version, sealed, now());
    if (swapped !== null) {
      version = swapped;
      return tokens;
    }
    // Another writer saved first (or the account left the active state): theirs stand.
    const current = await load();
    if (!current) throw new ReauthorizationNeededError('the car account is no longer connected');
    return current;
  }

  return {
    load,
    saveOrKeepNewer,

    save: saveOrKeepNewer,

    async markReauthorizationNeeded(reason: ReauthorizationReason) {
      await markCarAccountReauthorizationNeeded(db, accountId, reason, {
        ...(version === undefined ? {} : { expectedTokenVersion: version }),
        now: now(),
      });
    },
  };
}
