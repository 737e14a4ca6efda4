import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Card } from '@/components/ui/card';
import { getCurrentUser } from '@/lib/auth';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/auth/password';
import { SignUpForm } from '../_components/sign-up-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('auth.signup');
  return { title: t('metaTitle') };
}

export default async function SignUpPage() {
  const [user, t] = await Promise.all([getCurrentUser(), getTranslations('auth')]);
  if (user) redirect('/');
  return (
    <Card className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="font-semibold text-2xl tracking-tight">{t('signup.title')}</h1>
        <p className="text-muted text-sm">{t('signup.tagline')}</p>
      </div>
      <SignUpForm
        labels={{
          name: t('form.name'),
          email: t('form.email'),
          password: t('form.password'),
          passwordHint: t('form.passwordHint', { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH }),
          submit: t('form.createAccount'),
          pending: t('form.creating'),
        }}
      />
      <p className="text-center text-muted text-sm">
        {t('signup.haveAccount')}{' '}
        <Link
          href="/login"
          prefetch={false}
          className="font-medium text-accent underline-offset-4 hover:underline"
        >
          {t('signup.signIn')}
        </Link>
      </p>
    </Card>
  );
}
