import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getPsaConfig, getTokenCipher } from '@/lib/car-accounts/installation';
import { appProviders, listMakerVehicles } from '@/lib/car-accounts/maker-link';
import { getDb } from '@/lib/db';
import { getCarAccountWithVehicles } from '@/lib/db/queries/car-accounts';
import { carAccountIdSchema } from '@/lib/schemas/car-account';
import { psaAppName } from '@/lib/vehicle-api/psa-config';
import { type PickableVehicle, PickVehiclesForm } from '../../_components/pick-vehicles-form';

export const metadata: Metadata = { title: 'Pick your cars' };

export default async function PickVehiclesPage({ params }: PageProps<'/settings/cars/[accountId]/vehicles'>) {
  const user = await requireUser();
  const { accountId } = await params;
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
        <h1 className="font-semibold text-2xl tracking-tight">Pick your cars</h1>
      </div>
      <Card className="flex flex-col gap-4">
        <CardTitle>Connected to {name}</CardTitle>
        {vehicles === null ? (
          <p role="alert" className="text-danger text-sm">
            {name} did not list the cars just now. Reload the page in a moment.
          </p>
        ) : vehicles.length === 0 ? (
          <p className="text-sm">This {name} account holds no car Kinetic can read.</p>
        ) : (
          <PickVehiclesForm accountId={account.id} vehicles={vehicles} />
        )}
      </Card>
    </div>
  );
}
