import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { getCurrentUser } from '@/lib/auth';
import { signInApps } from '@/lib/auth/maker-sign-in';
import { getPsaConfig } from '@/lib/car-accounts/installation';
import { env } from '@/lib/env';
import { safeCallbackPath } from '@/lib/safe-redirect';
import { psaAppName } from '@/lib/vehicle-api/psa-config';
import { DemoButton } from '../_components/demo-button';
import { SignInForm } from '../_components/sign-in-form';
import { signInToDemo, signInWithMaker } from '../actions';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('auth.login');
  return { title: t('metaTitle') };
}

export default async function LoginPage({ searchParams }: PageProps<'/login'>) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const [user, config, t] = await Promise.all([getCurrentUser(), getPsaConfig(), getTranslations('auth')]);
  if (user) redirect(callbackUrl);
  const authError = typeof params.error === 'string';
  const makerApps = signInApps(config);

  return (
    <Card className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="font-semibold text-2xl tracking-tight">{t('login.title')}</h1>
        <p className="text-muted text-sm">{t('login.tagline')}</p>
      </div>
      {authError ? (
        <p className="rounded-lg border border-danger/40 bg-danger/10 p-3 text-danger text-sm">
          {t('login.failed')}
        </p>
      ) : null}
      <SignInForm
        callbackUrl={callbackUrl}
        labels={{
          email: t('form.email'),
          password: t('form.password'),
          submit: t('form.signIn'),
          pending: t('form.signingIn'),
        }}
      />
      {makerApps.length > 0 ? (
        <div className="flex flex-col gap-3 border-border border-t pt-6">
          <p className="text-muted text-sm">{t('login.makerIntro')}</p>
          <div className="grid grid-cols-2 gap-3">
            {makerApps.map((app) => (
              <form key={app.brand} action={signInWithMaker}>
                <input type="hidden" name="brand" value={app.brand} />
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <Button type="submit" variant="secondary" className="w-full">
                  {psaAppName(app.brand)}
                </Button>
              </form>
            ))}
          </div>
        </div>
      ) : null}
      {env.DEMO ? (
        <div className="flex flex-col gap-3 border-border border-t pt-6">
          <p className="text-muted text-sm">{t('login.demoIntro')}</p>
          <form action={signInToDemo}>
            <DemoButton label={t('demo.button')} pendingLabel={t('demo.opening')} />
          </form>
        </div>
      ) : null}
      <p className="text-center text-muted text-sm">
        {t('login.newHere')}{' '}
        <Link
          href="/signup"
          prefetch={false}
          className="font-medium text-accent underline-offset-4 hover:underline"
        >
          {t('login.createAccount')}
        </Link>
      </p>
    </Card>
  );
}
