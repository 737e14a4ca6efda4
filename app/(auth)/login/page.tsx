import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
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

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: PageProps<'/login'>) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const authError = typeof params.error === 'string';
  const makerApps = signInApps(await getPsaConfig());

  return (
    <Card className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="font-semibold text-2xl tracking-tight">Sign in</h1>
        <p className="text-muted text-sm">See your car, your trips and how you drive.</p>
      </div>
      {authError ? (
        <p className="rounded-lg border border-danger/40 bg-danger/10 p-3 text-danger text-sm">
          Sign-in did not work. Try again.
        </p>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} />
      {makerApps.length > 0 ? (
        <div className="flex flex-col gap-3 border-border border-t pt-6">
          <p className="text-muted text-sm">Or sign in with your car maker’s account:</p>
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
          <p className="text-muted text-sm">
            No account? Look around with a demo owner and two Peugeot cars.
          </p>
          <form action={signInToDemo}>
            <DemoButton />
          </form>
        </div>
      ) : null}
      <p className="text-center text-muted text-sm">
        New to Kinetic?{' '}
        <Link
          href="/signup"
          prefetch={false}
          className="font-medium text-accent underline-offset-4 hover:underline"
        >
          Create an account
        </Link>
      </p>
    </Card>
  );
}
