import { Car } from 'lucide-react';
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { LAST_VEHICLE_COOKIE, vehicleToOpen } from '@/components/glance/last-vehicle';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const [user, jar] = await Promise.all([requireUser(), cookies()]);
  const vehicles = await listVehicles(getDb(), user.userId);
  // The glance of a car is the page a phone opens: go straight to the one opened last (remembered
  // in a cookie by the vehicle page) while it is still this owner's, else to the first.
  const vehicle = vehicleToOpen(vehicles, jar.get(LAST_VEHICLE_COOKIE)?.value);
  if (vehicle) redirect(`/vehicles/${encodeURIComponent(vehicle.id)}`);

  return (
    <div className="flex flex-col gap-6">
      <h1 className="font-semibold text-2xl tracking-tight">Welcome{user.name ? `, ${user.name}` : ''}</h1>
      <Card className="flex flex-col items-start gap-3" data-testid="empty-vehicles">
        <Car aria-hidden="true" className="size-8 text-muted" />
        <h2 className="font-semibold text-lg">No cars yet</h2>
        <p className="max-w-prose text-muted text-sm">
          When you connect a car account, your cars appear here with their speed, consumption and engine data,
          maintenance alerts and how your driving compares with others.
        </p>
      </Card>
    </div>
  );
}
