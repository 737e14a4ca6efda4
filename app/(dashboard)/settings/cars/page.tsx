import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getPsaConfig } from '@/lib/car-accounts/installation';
import { getDb } from '@/lib/db';
import { listCarAccounts } from '@/lib/db/queries/car-accounts';
import { toCarAccountDto } from '@/lib/schemas/car-account';
import { PSA_BRAND_FACTS, psaAppName } from '@/lib/vehicle-api/psa-config';
import { ConnectV1Form } from './_components/connect-v1-form';

export const metadata: Metadata = { title: 'Cars and accounts' };

const ERRORS: Record<string, string> = {
  expired: 'The connection took too long or was started in another tab. Start again.',
  mismatch: 'The answer from the car maker did not match this connection. Start again.',
  denied: 'The sign-in with the car maker was cancelled.',
  refused: 'The car maker refused the connection. Try again.',
  taken: 'That car maker account is already connected to another Kinetic account.',
  unavailable: 'That car maker is not available on this installation.',
  upstream: 'The car maker’s service did not answer. Try again in a moment.',
  not_found: 'Not found.',
};

const STATUS_LABELS = {
  active: 'Connected',
  reauthorization_needed: 'Sign in again needed',
  disconnected: 'Disconnected',
} as const;

export default async function CarsPage({ searchParams }: PageProps<'/settings/cars'>) {
  const user = await requireUser();
  const params = await searchParams;
  const [accounts, config] = await Promise.all([listCarAccounts(getDb(), user.userId), getPsaConfig()]);
  const error = typeof params.error === 'string' ? (ERRORS[params.error] ?? ERRORS.upstream) : null;

  return (
    <div className="flex flex-col gap-6">
      <h1 className="font-semibold text-2xl tracking-tight">Cars and accounts</h1>
      {error ? (
        <p role="alert" className="rounded-lg border border-danger/40 bg-danger/10 p-3 text-danger text-sm">
          {error}
        </p>
      ) : null}
      {params.disconnected ? (
        <p role="status" className="rounded-lg border border-border bg-surface-2 p-3 text-sm">
          Disconnected. The car maker was asked to revoke Kinetic’s access and the tokens are deleted.
        </p>
      ) : null}

      <Card className="flex flex-col gap-4">
        <CardTitle>Connect a car</CardTitle>
        {config && config.apps.length > 0 ? (
          <>
            <p className="text-muted text-sm">
              Sign in with your car maker’s app account, then pick the cars Kinetic may read.
            </p>
            <div className="flex flex-wrap gap-3">
              {config.apps.map((app) => (
                // A plain link: the server answers with a redirect to the maker's sign-in page.
                <a
                  key={app.brand}
                  href={`/api/car-accounts/connect/${app.brand}`}
                  className={buttonClasses('secondary')}
                >
                  {PSA_BRAND_FACTS[app.brand].appName}
                </a>
              ))}
            </div>
          </>
        ) : (
          <p className="text-muted text-sm">No car maker is configured on this installation.</p>
        )}
        <details className="text-sm">
          <summary className="cursor-pointer text-accent">
            Connect with a VIN and contract (PSA API v1)
          </summary>
          <div className="pt-3">
            <ConnectV1Form />
          </div>
        </details>
        <p className="text-muted text-sm">
          No connected car?{' '}
          <Link href="/import" className="text-accent underline-offset-4 hover:underline">
            Import an OBD-II log file
          </Link>
          .
        </p>
      </Card>

      {accounts.map((account) => {
        const dto = toCarAccountDto(account);
        return (
          <Card key={dto.id} className="flex flex-col gap-3" data-testid="car-account">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <CardTitle>
                {psaAppName(dto.brand)}
                {dto.provider === 'psa-v1' ? ' (API v1)' : ''}
              </CardTitle>
              <span className={dto.status === 'active' ? 'text-ok text-sm' : 'text-danger text-sm'}>
                {STATUS_LABELS[dto.status]}
              </span>
            </div>
            <ul className="flex flex-col gap-1 text-sm">
              {dto.vehicles.map((vehicle) => (
                <li key={vehicle.id}>
                  {vehicle.label} <span className="text-muted">({vehicle.vin})</span>
                </li>
              ))}
              {dto.vehicles.length === 0 ? <li className="text-muted">No car linked.</li> : null}
            </ul>
            <div className="flex flex-wrap gap-3">
              {dto.status === 'reauthorization_needed' ? (
                <a
                  href={`/api/car-accounts/connect/${dto.brand}?account=${dto.id}`}
                  className={buttonClasses('primary')}
                >
                  Sign in with {psaAppName(dto.brand)} again
                </a>
              ) : null}
              <Link href={`/settings/cars/${dto.id}`} className={buttonClasses('secondary')}>
                Details
              </Link>
            </div>
          </Card>
        );
      })}
    </div>
  );
}
