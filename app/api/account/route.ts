import { disconnectOwnerCarAccount } from '@/lib/car-accounts/disconnect';
import { getPsaConfig, getTokenCipher } from '@/lib/car-accounts/installation';
import { getDb } from '@/lib/db';
import { cachedJson, REVALIDATE } from '@/lib/http-cache';
import { withAuth } from '@/lib/route-handler';
import { deleteAccountRoute, patchAccount, readAccount } from '@/lib/settings/account';

// Another tab may change the settings at any moment: always revalidated (ETag, 304).
export const GET = withAuth(async (request, { user }) =>
  cachedJson(request, { account: await readAccount(getDb(), user.userId) }, REVALIDATE),
);

export const PATCH = withAuth((request, { user }) => patchAccount(getDb(), user, request));

export const DELETE = withAuth(async (request, { user }) => {
  const db = getDb();
  // Asked for only when there is a car account to disconnect (it may query the simulator).
  let config: ReturnType<typeof getPsaConfig> | undefined;
  // The same disconnect as "Disconnect" on the cars page: callbacks removed, grant revoked at the
  // maker's IdP, tokens deleted. The data itself goes with the account right after.
  return deleteAccountRoute(db, user, request, async (accountId) => {
    config ??= getPsaConfig();
    await disconnectOwnerCarAccount(db, getTokenCipher(), await config, user, accountId, {
      deleteData: false,
    });
  });
});
