import { getDb } from '@/lib/db';
import { getUserById, updateUserProfile } from '@/lib/db/queries/users';
import { AppError } from '@/lib/errors';
import { readJson, withAuth } from '@/lib/route-handler';
import { type AccountDto, accountUpdateSchema } from '@/lib/schemas/account';

function toAccountDto(row: {
  email: string;
  name: string | null;
  time_zone: string | null;
  is_demo: number;
}): AccountDto {
  return { email: row.email, name: row.name, timeZone: row.time_zone, isDemo: row.is_demo === 1 };
}

export const GET = withAuth(async (_request, { user }) => {
  const row = await getUserById(getDb(), user.userId);
  if (!row) throw new AppError('not_found');
  return { account: toAccountDto(row) };
});

export const PATCH = withAuth(async (request, { user }) => {
  const changes = await readJson(request, accountUpdateSchema);
  const row = await updateUserProfile(getDb(), user.userId, changes);
  if (!row) throw new AppError('not_found');
  return { account: toAccountDto(row) };
});
