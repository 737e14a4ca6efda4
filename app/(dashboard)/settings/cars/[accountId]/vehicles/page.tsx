import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getPsaConfig, getTokenCipher } from '@/lib/car-accounts/installation';
import { appProviders, listMakerVehicles } from '@/lib/car-accounts/maker-link';
import { getDb } from '@/lib/db';
import { getCarAccountWithVehicles } from '@/lib/db/queries/car-accounts';
import { carAccountIdSchema } from '@/lib/schemas/car-account';
import { psaAppName } from '@/lib/vehicle-api/psa-config';
import { type PickableVehicle, PickVehiclesForm } from '../../_components/pick-vehicles-form';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('cars.pick');
  return { title: t('title') };
}

export default async function PickVehiclesPage({ params }: PageProps<'/settings/cars/[accountId]/vehicles'>) {
  const [user, { accountId }, t] = await Promise.all([requireUser(), params, getTranslations('cars.pick')]);
  const id = carAccountIdSchema.safeParse(accountId);
  const db = getDb();
  const account = id.success ? await getCarAccountWithVehicles(db, user.userId, id.data) : null;
  if (!account) notFound();
  const config = await getPsaConfig();
  let vehicles: PickableVehicle[] | null = null;
  if (config && account.status === 'active') {
    try {
      const listed = await listMakerVehicles(appProviders(db, getTokenCipher(), config), account);
      const linked = new Set(account.vehicles.map((vehicle) => vehicle.providerVehicleId));
      vehicles = listed.map((car) => ({
        id: car.providerVehicleId,
        label: car.label,
        vin: car.vin,
        linked: linked.has(car.providerVehicleId),
      }));
    } catch {
      vehicles = null;
    }
  }
  const name = psaAppName(account.brand);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <Link
          href={`/settings/cars/${account.id}`}
          className="text-accent text-sm underline-offset-4 hover:underline"
        >
          ← {name}
        </Link>
        <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
      </div>
      <Card className="flex flex-col gap-4">
        <CardTitle>{t('connectedTo', { name })}</CardTitle>
        {vehicles === null ? (
          <p role="alert" className="text-danger text-sm">
            {t('listFailed', { name })}
          </p>
        ) : vehicles.length === 0 ? (
          <p className="text-sm">{t('noCars', { name })}</p>
        ) : (
          <PickVehiclesForm
            accountId={account.id}
            vehicles={vehicles}
            labels={{
              legend: t('legend'),
              alreadyLinked: t('alreadyLinked'),
              submit: t('submit'),
              pending: t('pending'),
            }}
          />
        )}
      </Card>
    </div>
  );
}
