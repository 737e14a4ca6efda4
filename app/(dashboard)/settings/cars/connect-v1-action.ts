'use server';

import { revalidatePath } from 'next/cache';
import { getTranslations } from 'next-intl/server';
import { requireApiUser } from '@/lib/auth';
import { connectV1Car, connectV1InputSchema } from '@/lib/car-accounts/connect-v1';
import { getPsaConfig } from '@/lib/car-accounts/installation';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { translateKnown } from './known-messages';

export type ConnectV1Field = 'brand' | 'vin' | 'contract';

export type ConnectV1State = {
  error?: string;
  fieldErrors?: Partial<Record<ConnectV1Field, string>>;
  /** What the owner typed, to refill the form after a refusal. */
  values?: Record<ConnectV1Field, string>;
  /** The car just linked: its sync starts at once (the worker's next pass); `message` says so. */
  linked?: { vehicleId: string; label: string; message: string };
};

function field(formData: FormData, name: ConnectV1Field): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value : '';
}

/** Link a car by VIN and contract over PSA Connected Car v1 (lib/car-accounts/connect-v1.ts). */
export async function connectV1CarAction(
  _previous: ConnectV1State,
  formData: FormData,
): Promise<ConnectV1State> {
  const [user, t] = await Promise.all([requireApiUser(), getTranslations('cars')]);
  const known = (message: string) => translateKnown(message, (key, v) => t(`known.${key}`, v));
  const values = {
    brand: field(formData, 'brand'),
    vin: field(formData, 'vin'),
    contract: field(formData, 'contract'),
  };
  // The demo account is shared by every visitor: a real car linked there would be shown to strangers.
  if (user.isDemo) return { error: t('errors.demoCannotLink'), values };

  const parsed = connectV1InputSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: ConnectV1State['fieldErrors'] = {};
    for (const issue of parsed.error.issues) {
      const name = issue.path[0];
      if ((name === 'brand' || name === 'vin' || name === 'contract') && !fieldErrors[name]) {
        fieldErrors[name] = known(issue.message);
      }
    }
    return { fieldErrors, values };
  }

  const config = await getPsaConfig();
  if (!config) return { error: t('errors.noService'), values };
  try {
    const { vehicle } = await connectV1Car(getDb(), config, { ownerId: user.userId, ...parsed.data });
    revalidatePath('/settings/cars');
    return {
      linked: {
        vehicleId: vehicle.vehicleId,
        label: vehicle.label,
        message: t('v1.linked', { label: vehicle.label }),
      },
    };
  } catch (error) {
    if (error instanceof AppError && error.code !== 'internal')
      return { error: known(error.message), values };
    throw error;
  }
}
