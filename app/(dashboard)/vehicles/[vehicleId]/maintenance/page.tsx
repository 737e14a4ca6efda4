import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ServiceCard } from '@/components/maintenance/service-card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { getMaintenance } from '@/lib/maintenance/service';
import { getUserPreferences } from '@/lib/settings/preferences';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('maintenance');
  return { title: t('title') };
}

export default async function MaintenancePage({ params }: { params: Promise<{ vehicleId: string }> }) {
  const { vehicleId } = await params;
  const now = Date.now();
  const user = await requireUser();
  const db = getDb();
  // One round of independent reads (the layout has already checked ownership; this is cached).
  const [vehicle, maintenance, preferences, t] = await Promise.all([
    getOwnedVehicleOrNotFound(vehicleId),
    getMaintenance(db, user.userId, vehicleId, now),
    getUserPreferences(db, user.userId),
    getTranslations('maintenance'),
  ]);
  if (!maintenance) notFound();

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
        <p className="text-muted text-sm">{t('intro', { vehicle: vehicle.label })}</p>
      </div>
      <ServiceCard maintenance={maintenance} units={preferences.units} now={now} />
    </div>
  );
}
