import type { Metadata } from 'next';
import Link from 'next/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { buttonClasses } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { connectErrorOf } from '@/lib/car-accounts/connect-errors';
import { getPsaConfig } from '@/lib/car-accounts/installation';
import { getDb } from '@/lib/db';
import { listCarAccounts } from '@/lib/db/queries/car-accounts';
import { toCarAccountDto } from '@/lib/schemas/car-account';
import { PSA_BRAND_FACTS, psaAppName } from '@/lib/vehicle-api/psa-config';
import { ConnectV1Form } from './_components/connect-v1-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('cars.list');
  return { title: t('title') };
}

export default async function CarsPage({ searchParams }: PageProps<'/settings/cars'>) {
  const user = await requireUser();
  const params = await searchParams;
  const [accounts, config, t, format] = await Promise.all([
    listCarAccounts(getDb(), user.userId),
    getPsaConfig(),
    getTranslations('cars'),
    getFormatter(),
  ]);
  const errorCode = connectErrorOf(params.error);
  const error = errorCode ? t(`connectErrors.${errorCode}`) : null;

  return (
    <div className="flex flex-col gap-6">
      <h1 className="font-semibold text-2xl tracking-tight">{t('list.title')}</h1>
      {error ? (
        <p role="alert" className="rounded-lg border border-danger/40 bg-danger/10 p-3 text-danger text-sm">
          {error}
        </p>
      ) : null}
      {params.disconnected ? (
        <p role="status" className="rounded-lg border border-border bg-surface-2 p-3 text-sm">
          {t('list.disconnected')}
        </p>
      ) : null}

      <Card className="flex flex-col gap-4">
        <CardTitle>{t('list.connectTitle')}</CardTitle>
        {config && config.apps.length > 0 ? (
          <>
            <p className="text-muted text-sm">{t('list.connectIntro')}</p>
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
          <p className="text-muted text-sm">{t('list.noMaker')}</p>
        )}
        <details className="text-sm">
          <summary className="cursor-pointer text-accent">{t('list.v1Summary')}</summary>
          <div className="pt-3">
            <ConnectV1Form
              labels={{
                brand: t('v1.brand'),
                vin: t('v1.vin'),
                vinHint: t('v1.vinHint'),
                contract: t('v1.contract'),
                contractHint: t('v1.contractHint'),
                submit: t('v1.submit'),
                pending: t('v1.pending'),
              }}
            />
          </div>
        </details>
        <p className="text-muted text-sm">
          {t('list.noConnectedCar')}{' '}
          <Link href="/import" className="text-accent underline-offset-4 hover:underline">
            {t('list.importLink')}
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
                {dto.provider === 'psa-v1' ? t('list.v1Suffix') : ''}
              </CardTitle>
              <span className={dto.status === 'active' ? 'text-ok text-sm' : 'text-danger text-sm'}>
                {t(`list.status.${dto.status}`)}
              </span>
            </div>
            {dto.status === 'reauthorization_needed' ? (
              <p role="alert" className="text-danger text-sm">
                {t('account.reauthorizationNeeded', { name: psaAppName(dto.brand) })}
              </p>
            ) : null}
            <ul className="flex flex-col gap-1 text-sm">
              {dto.vehicles.map((vehicle) => (
                <li key={vehicle.id}>
                  {vehicle.label} <span className="text-muted">({vehicle.vin})</span>
                  {vehicle.rateLimitedUntil ? (
                    <span className="block text-muted" data-testid="rate-limited">
                      {t('list.rateLimited', {
                        name: psaAppName(dto.brand),
                        // The owner's time zone (next-intl's request config), not UTC.
                        time: format.dateTime(new Date(vehicle.rateLimitedUntil), { timeStyle: 'short' }),
                      })}
                    </span>
                  ) : null}
                </li>
              ))}
              {dto.vehicles.length === 0 ? <li className="text-muted">{t('list.noCarLinked')}</li> : null}
            </ul>
            <div className="flex flex-wrap gap-3">
              {dto.status === 'reauthorization_needed' ? (
                <a
                  href={`/api/car-accounts/connect/${dto.brand}?account=${dto.id}`}
                  className={buttonClasses('primary')}
                >
                  {t('list.signInAgain', { name: psaAppName(dto.brand) })}
                </a>
              ) : null}
              <Link href={`/settings/cars/${dto.id}`} className={buttonClasses('secondary')}>
                {t('list.details')}
              </Link>
            </div>
          </Card>
        );
      })}
    </div>
  );
}
