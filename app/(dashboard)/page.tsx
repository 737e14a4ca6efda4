import { Car } from 'lucide-react';
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { LAST_VEHICLE_COOKIE, vehicleToOpen } from '@/components/glance/last-vehicle';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('common.nav');
  return { title: t('overview') };
}

export default async function OverviewPage() {
  const [user, jar, t] = await Promise.all([requireUser(), cookies(), getTranslations('cars.overview')]);
  const vehicles = await listVehicles(getDb(), user.userId);
  // The glance of a car is the page a phone opens: go straight to the one opened last (remembered
  // in a cookie by the vehicle page) while it is still this owner's, else to the first.
  const vehicle = vehicleToOpen(vehicles, jar.get(LAST_VEHICLE_COOKIE)?.value);
  if (vehicle) redirect(`/vehicles/${encodeURIComponent(vehicle.id)}`);

  return (
    <div className="flex flex-col gap-6">
      <h1 className="font-semibold text-2xl tracking-tight">
        {user.name ? t('welcomeName', { name: user.name }) : t('welcome')}
      </h1>
      <Card className="flex flex-col items-start gap-3" data-testid="empty-vehicles">
        <Car aria-hidden="true" className="size-8 text-muted" />
        <h2 className="font-semibold text-lg">{t('emptyTitle')}</h2>
        <p className="max-w-prose text-muted text-sm">{t('emptyText')}</p>
      </Card>
    </div>
  );
}
