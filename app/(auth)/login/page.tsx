import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Card } from '@/components/ui/card';
import { getCurrentUser } from '@/lib/auth';
import { env } from '@/lib/env';
import { safeCallbackPath } from '@/lib/safe-redirect';
import { DemoButton } from '../_components/demo-button';
import { SignInForm } from '../_components/sign-in-form';
import { signInToDemo } from '../actions';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: PageProps<'/login'>) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const authError = typeof params.error === 'string';

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
