'use server';

import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireApiUser } from '@/lib/auth';
import { disconnectOwnerCarAccount } from '@/lib/car-accounts/disconnect';
import { getPsaConfig, getTokenCipher } from '@/lib/car-accounts/installation';
import { appProviders, linkMakerVehicles } from '@/lib/car-accounts/maker-link';
import { getDb } from '@/lib/db';
import { getCarAccount } from '@/lib/db/queries/car-accounts';
import { AppError } from '@/lib/errors';
import { carAccountIdSchema } from '@/lib/schemas/car-account';
import { translateKnown } from './known-messages';

export type CarActionState = { error?: string };

const linkSchema = z.object({
  accountId: carAccountIdSchema,
  vehicles: z.array(z.string().min(1).max(200)).max(100),
});

/** Connect a car, last step: link the cars the owner picked, then watch their first sync. */
export async function linkVehiclesAction(
  _previous: CarActionState,
  formData: FormData,
): Promise<CarActionState> {
  const [user, t] = await Promise.all([requireApiUser(), getTranslations('cars.errors')]);
  const parsed = linkSchema.safeParse({
    accountId: formData.get('accountId'),
    vehicles: formData.getAll('vehicle'),
  });
  if (!parsed.success) return { error: t('choiceInvalid') };
  if (parsed.data.vehicles.length === 0) return { error: t('pickOne') };
  const db = getDb();
  const account = await getCarAccount(db, user.userId, parsed.data.accountId);
  const config = await getPsaConfig();
  if (!account || !config) return { error: t('accountGone') };
  try {
    await linkMakerVehicles(
      db,
      appProviders(db, getTokenCipher(), config),
      user.userId,
      account,
      parsed.data.vehicles,
    );
  } catch {
    return { error: t('makerSilent') };
  }
  redirect(`/settings/cars/${account.id}?linked=1`);
}

const disconnectSchema = z.object({
  accountId: carAccountIdSchema,
  deleteData: z.enum(['on']).optional(),
});

export async function disconnectAction(
  _previous: CarActionState,
  formData: FormData,
): Promise<CarActionState> {
  const [user, t] = await Promise.all([requireApiUser(), getTranslations('cars')]);
  const parsed = disconnectSchema.safeParse({
    accountId: formData.get('accountId'),
    deleteData: formData.get('deleteData') ?? undefined,
  });
  if (!parsed.success) return { error: t('errors.requestInvalid') };
  try {
    await disconnectOwnerCarAccount(
      getDb(),
      getTokenCipher(),
      await getPsaConfig(),
      user,
      parsed.data.accountId,
      {
        deleteData: parsed.data.deleteData === 'on',
      },
    );
  } catch (error) {
    if (error instanceof AppError && (error.code === 'forbidden' || error.code === 'not_found')) {
      return { error: translateKnown(error.message, (key, values) => t(`known.${key}`, values)) };
    }
    throw error;
  }
  redirect('/settings/cars?disconnected=1');
}
