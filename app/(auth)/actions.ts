'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { CredentialsSignin } from 'next-auth';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { signIn } from '@/lib/auth';
import { registerUser } from '@/lib/auth/accounts';
import { clientAddress } from '@/lib/auth/client-address';
import { makerProviderId } from '@/lib/auth/maker-sign-in';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { safeCallbackPath } from '@/lib/safe-redirect';
import { PSA_BRANDS } from '@/lib/vehicle-api/psa-config';
import { translateValidation } from './validation-messages';

export type SignInState = { error?: string; email?: string };
export type SignUpState = {
  error?: string;
  fieldErrors?: Partial<Record<'email' | 'password' | 'name', string>>;
  values?: { email: string; name: string };
};

function field(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value : '';
}

export async function signInWithPassword(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = field(formData, 'email');
  try {
    await signIn('credentials', {
      email,
      password: field(formData, 'password'),
      redirectTo: safeCallbackPath(field(formData, 'callbackUrl')),
    });
  } catch (error) {
    // A successful sign-in throws Next's redirect, which must keep propagating.
    if (error instanceof CredentialsSignin) {
      const t = await getTranslations('auth.errors');
      return { error: t(error.code === 'rate_limited' ? 'throttled' : 'wrongCredentials'), email };
    }
    throw error;
  }
  return {};
}

export async function signUpWithPassword(_previous: SignUpState, formData: FormData): Promise<SignUpState> {
  const email = field(formData, 'email');
  const name = field(formData, 'name');
  const password = field(formData, 'password');
  const values = { email, name };
  const ip = clientAddress(await headers());
  const result = await registerUser(getDb(), { email, password, name: name || undefined }, ip);
  if (!result.ok) {
    const t = await getTranslations('auth');
    if (result.reason === 'invalid') {
      const fieldErrors: SignUpState['fieldErrors'] = {};
      for (const name of ['email', 'password', 'name'] as const) {
        const message = result.fieldErrors[name];
        if (message) fieldErrors[name] = translateValidation(message, (key, v) => t(`validation.${key}`, v));
      }
      return { fieldErrors, values };
    }
    if (result.reason === 'taken') return { fieldErrors: { email: t('errors.emailTaken') }, values };
    return { error: t('errors.signUpThrottled'), values };
  }
  await signIn('credentials', { email, password, redirectTo: '/' });
  return {};
}

export async function signInToDemo(): Promise<void> {
  if (!env.DEMO) return;
  await signIn('demo', { redirectTo: '/' });
}

const makerSchema = z.object({ brand: z.enum(PSA_BRANDS), callbackUrl: z.string().max(2000).optional() });

/** "Sign in with MyPeugeot" (…): off to the brand's IdP through Auth.js (state and PKCE checked). */
export async function signInWithMaker(formData: FormData): Promise<void> {
  const parsed = makerSchema.safeParse({
    brand: formData.get('brand'),
    callbackUrl: formData.get('callbackUrl') ?? undefined,
  });
  if (!parsed.success) redirect('/login?error=maker');
  await signIn(makerProviderId(parsed.data.brand), { redirectTo: safeCallbackPath(parsed.data.callbackUrl) });
}
