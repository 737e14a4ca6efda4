import 'server-only';
import type { Kysely } from 'kysely';
import { openAccountTokens, type TokenCipher } from '../crypto/token-cipher';
import {
  type CarAccount,
  disconnectCarAccount,
  getCarAccount,
  readSealedTokens,
} from '../db/queries/car-accounts';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { type PsaConfig, psaAppFor } from '../vehicle-api/psa-config';
import { unsubscribeAccount } from '../worker/callback-subscriptions';
import { appProviders } from './maker-link';
import { revokeAtIdp } from './maker-oauth';

export type DisconnectResult = {
  account: CarAccount;
  /** Whether the IdP confirmed the revocation (false: unreachable, or nothing to revoke). */
  revoked: boolean;
  deletedVehicleIds: string[];
};

/**
 * Disconnects one of the owner's car accounts: revokes its grant at the maker's IdP (best effort,
 * before the tokens are gone), then deletes the tokens and, if asked, the data (see
 * disconnectCarAccount for exactly what). Another owner's account answers like a missing one.
 */
export async function disconnectOwnerCarAccount(
  db: Kysely<Database>,
  cipher: TokenCipher,
  config: PsaConfig | null,
  owner: { userId: string; isDemo: boolean },
  accountId: string,
  options: { deleteData: boolean },
): Promise<DisconnectResult> {
  const account = await getCarAccount(db, owner.userId, accountId);
  if (!account) throw new AppError('not_found');
  if (owner.isDemo) {
    throw new AppError('forbidden', 'The demo keeps its cars: disconnecting is turned off in the demo.');
  }
  // Callbacks first: deleting them at PSA needs the tokens about to be revoked. Without it PSA
  // would go on delivering (refused with 401) until it gives up after 3 days.
  if (config && account.provider === 'psa-v4') {
    await unsubscribeAccount({ db, providers: appProviders(db, cipher, config) }, account);
  }
  let revoked = false;
  const sealed = await readSealedTokens(db, account.id);
  const app = psaAppFor(config, account.brand);
  if (sealed?.sealed && app && account.provider === 'psa-v4') {
    try {
      const tokens = openAccountTokens(cipher, account.id, sealed.sealed);
      revoked = await revokeAtIdp(app, tokens.refreshToken);
    } catch {
      // Undecryptable tokens cannot be revoked; they are deleted below all the same.
    }
  }
  const result = await disconnectCarAccount(db, owner.userId, account.id, options);
  if (!result) throw new AppError('not_found');
  return { ...result, revoked };
}
