import { z } from 'zod';
import { disconnectOwnerCarAccount } from '@/lib/car-accounts/disconnect';
import { getPsaConfig, getTokenCipher } from '@/lib/car-accounts/installation';
import { getDb } from '@/lib/db';
import { getCarAccountWithVehicles } from '@/lib/db/queries/car-accounts';
import { AppError } from '@/lib/errors';
import { parseWith, searchParamsOf, withAuth } from '@/lib/route-handler';
import { carAccountIdSchema, toCarAccountDto } from '@/lib/schemas/car-account';

const paramsSchema = z.object({ accountId: carAccountIdSchema });
const deleteQuerySchema = z.strictObject({ deleteData: z.enum(['true', 'false']).default('false') });

export const GET = withAuth<{ accountId: string }>(async (_request, { user, params }) => {
  const { accountId } = parseWith(paramsSchema, params);
  const account = await getCarAccountWithVehicles(getDb(), user.userId, accountId);
  if (!account) throw new AppError('not_found', 'No such car account.');
  return { carAccount: toCarAccountDto(account) };
});

/** Disconnect: revokes the grant at the maker, deletes the tokens and, with `deleteData=true`, the data. */
export const DELETE = withAuth<{ accountId: string }>(async (request, { user, params }) => {
  const { accountId } = parseWith(paramsSchema, params);
  const { deleteData } = parseWith(deleteQuerySchema, searchParamsOf(request));
  const result = await disconnectOwnerCarAccount(
    getDb(),
    getTokenCipher(),
    await getPsaConfig(),
    user,
    accountId,
    { deleteData: deleteData === 'true' },
  );
  return { disconnected: true, revoked: result.revoked, deletedVehicleIds: result.deletedVehicleIds };
});
