import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SyncProgress } from '@/components/car-accounts/sync-progress';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { getCarAccountWithVehicles } from '@/lib/db/queries/car-accounts';
import { carAccountIdSchema, toCarAccountDto } from '@/lib/schemas/car-account';
import { psaAppName } from '@/lib/vehicle-api/psa-config';
import { DisconnectForm } from '../_components/disconnect-form';

export const metadata: Metadata = { title: 'Car account' };

export default async function CarAccountPage({
  params,
  searchParams,
}: PageProps<'/settings/cars/[accountId]'>) {
  const user = await requireUser();
  const [{ accountId }, query] = await Promise.all([params, searchParams]);
  const id = carAccountIdSchema.safeParse(accountId);
  const account = id.success ? await getCarAccountWithVehicles(getDb(), user.userId, id.data) : null;
  if (!account) notFound();
  const dto = toCarAccountDto(account);
  const name = psaAppName(dto.brand);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <Link href="/settings/cars" className="text-accent text-sm underline-offset-4 hover:underline">
          ← Cars and accounts
        </Link>
        <h1 className="font-semibold text-2xl tracking-tight">{name}</h1>
      </div>
      {query.reauthorized ? (
        <p role="status" className="rounded-lg border border-border bg-surface-2 p-3 text-sm">
          Signed in again: syncing resumes.
        </p>
      ) : null}
      {dto.status === 'reauthorization_needed' ? (
        <Card className="flex flex-col gap-3">
          <p className="text-danger text-sm">
            {name} no longer accepts Kinetic’s access (it expired or was revoked), so these cars are not
            syncing.
          </p>
          <a
            href={`/api/car-accounts/connect/${dto.brand}?account=${dto.id}`}
            className={buttonClasses('primary', 'self-start')}
          >
            Sign in with {name} again
          </a>
        </Card>
      ) : null}
      <Card className="flex flex-col gap-3">
        <CardTitle>Cars and sync</CardTitle>
        <SyncProgress initial={dto} />
        {dto.status === 'active' && dto.provider === 'psa-v4' ? (
          <Link
            href={`/settings/cars/${dto.id}/vehicles`}
            className="text-accent text-sm underline-offset-4 hover:underline"
          >
            Choose which cars to link
          </Link>
        ) : null}
      </Card>
      {dto.status !== 'disconnected' ? (
        <Card className="flex flex-col gap-3">
          <CardTitle>Disconnect</CardTitle>
          <p className="text-muted text-sm">
            Kinetic asks {name} to revoke its access and deletes the tokens. The data stays unless you tick
            the box.
          </p>
          {user.isDemo ? (
            <p className="text-sm">The demo keeps its cars: disconnecting is turned off in the demo.</p>
          ) : (
            <DisconnectForm accountId={dto.id} brandLabel={name} />
          )}
        </Card>
      ) : null}
    </div>
  );
}
