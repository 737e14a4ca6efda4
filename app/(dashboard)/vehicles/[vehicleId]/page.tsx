import type { Metadata } from 'next';
import { Card } from '@/components/ui/card';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

export const metadata: Metadata = { title: 'Vehicle' };

const POWERTRAIN_LABELS: Record<string, string> = {
  petrol: 'Petrol',
  diesel: 'Diesel',
  hybrid: 'Hybrid',
  electric: 'Electric',
};

export default async function VehiclePage({ params }: PageProps<'/vehicles/[vehicleId]'>) {
  const vehicle = await getOwnedVehicleOrNotFound((await params).vehicleId);

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
