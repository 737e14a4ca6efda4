import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { getVehicle } from '@/lib/db/queries/vehicles';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';

export const metadata: Metadata = { title: 'Vehicle' };

const POWERTRAIN_LABELS: Record<string, string> = {
  petrol: 'Petrol',
  diesel: 'Diesel',
  hybrid: 'Hybrid',
  electric: 'Electric',
};

export default async function VehiclePage({ params }: PageProps<'/vehicles/[vehicleId]'>) {
  const user = await requireUser();
  const parsed = vehicleIdSchema.safeParse((await params).vehicleId);
  // Another owner's vehicle and one that never existed are the same 404.
  const vehicle = parsed.success ? await getVehicle(getDb(), user.userId, parsed.data) : null;
  if (!vehicle) notFound();

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">{vehicle.label}</h1>
        <p className="text-muted text-sm">
          {vehicle.brand} {vehicle.model} · {POWERTRAIN_LABELS[vehicle.powertrain] ?? vehicle.powertrain}
        </p>
      </div>
      <Card>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-muted">VIN</dt>
          <dd className="font-mono">{vehicle.vin}</dd>
          <dt className="text-muted">Added</dt>
          <dd>{new Date(vehicle.created_at).toISOString().slice(0, 10)}</dd>
        </dl>
      </Card>
    </div>
  );
}
