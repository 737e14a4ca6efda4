import { getDb } from '@/lib/db';
import { listCarAccounts } from '@/lib/db/queries/car-accounts';
import { withAuth } from '@/lib/route-handler';
import { toCarAccountDto } from '@/lib/schemas/car-account';

export const GET = withAuth(async (_request, { user }) => {
  const accounts = await listCarAccounts(getDb(), user.userId);
  return { carAccounts: accounts.map(toCarAccountDto) };
});
