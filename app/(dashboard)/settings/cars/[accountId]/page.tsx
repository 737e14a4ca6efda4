import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { SyncProgress } from '@/components/car-accounts/sync-progress';
import { ClientMessages } from '@/components/i18n/client-messages';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { getCarAccountWithVehicles } from '@/lib/db/queries/car-accounts';
import { carAccountIdSchema, toCarAccountDto } from '@/lib/schemas/car-account';
import { psaAppName } from '@/lib/vehicle-api/psa-config';
import { DisconnectForm } from '../_components/disconnect-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('cars.account');
  return { title: t('metaTitle') };
}

export default async function CarAccountPage({
  params,
  searchParams,
}: PageProps<'/settings/cars/[accountId]'>) {
  const user = await requireUser();
  const [{ accountId }, query, t] = await Promise.all([params, searchParams, getTranslations('cars')]);
  const id = carAccountIdSchema.safeParse(accountId);
  const account = id.success ? await getCarAccountWithVehicles(getDb(), user.userId, id.data) : null;
  if (!account) notFound();
  const dto = toCarAccountDto(account);
  const name = psaAppName(dto.brand);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <Link href="/settings/cars" className="text-accent text-sm underline-offset-4 hover:underline">
          {t('account.back')}
        </Link>
        <h1 className="font-semibold text-2xl tracking-tight">{name}</h1>
      </div>
      {query.reauthorized ? (
        <p role="status" className="rounded-lg border border-border bg-surface-2 p-3 text-sm">
          {t('account.reauthorized')}
        </p>
      ) : null}
      {dto.status === 'reauthorization_needed' ? (
        <Card className="flex flex-col gap-3">
          <p className="text-danger text-sm">{t('account.reauthorizationNeeded', { name })}</p>
          <a
            href={`/api/car-accounts/connect/${dto.brand}?account=${dto.id}`}
            className={buttonClasses('primary', 'self-start')}
          >
            {t('account.signInAgain', { name })}
          </a>
        </Card>
      ) : null}
      <Card className="flex flex-col gap-3">
        <CardTitle>{t('account.syncTitle')}</CardTitle>
        {/* The live progress formats its counts and times in the browser: it needs the strings. */}
        <ClientMessages namespaces={['cars']}>
          <SyncProgress initial={dto} />
        </ClientMessages>
        {dto.status === 'active' && dto.provider === 'psa-v4' ? (
          <Link
            href={`/settings/cars/${dto.id}/vehicles`}
            className="text-accent text-sm underline-offset-4 hover:underline"
          >
            {t('account.chooseCars')}
          </Link>
        ) : null}
      </Card>
      {dto.status !== 'disconnected' ? (
        <Card className="flex flex-col gap-3">
          <CardTitle>{t('account.disconnectTitle')}</CardTitle>
          <p className="text-muted text-sm">{t('account.disconnectText', { name })}</p>
          {user.isDemo ? (
            <p className="text-sm">{t('account.demoKeepsCars')}</p>
          ) : (
            <DisconnectForm
              accountId={dto.id}
              labels={{
                deleteData: t('disconnect.deleteData'),
                submit: t('disconnect.submit', { name }),
                pending: t('disconnect.pending'),
              }}
            />
          )}
        </Card>
      ) : null}
    </div>
  );
}
