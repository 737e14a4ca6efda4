import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ChargeList } from '@/components/charging/charge-list';
import { ClientMessages } from '@/components/i18n/client-messages';
import { Card } from '@/components/ui/card';
import { chargesInfiniteQueryOptions } from '@/lib/api-client/charging';
import { getQueryClient } from '@/lib/api-client/query-client';
import { requireUser } from '@/lib/auth';
import { canCharge } from '@/lib/charging/battery-capacity';
import { listOwnerCharges } from '@/lib/charging/sessions';
import { getDb } from '@/lib/db';
import { DEFAULT_CHARGES_PAGE } from '@/lib/schemas/charging';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('charging');
  return { title: t('title') };
}

export default async function ChargingPage({ params }: { params: Promise<{ vehicleId: string }> }) {
  const { vehicleId } = await params;
  const [user, vehicle, t] = await Promise.all([
    requireUser(),
    getOwnedVehicleOrNotFound(vehicleId),
    getTranslations('charging'),
  ]);
  if (!canCharge(vehicle.powertrain))
    return (
      <div className="flex flex-col gap-6">
        <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
        <Card>
          <p className="text-sm" data-testid="not-chargeable">
            {t('notChargeable', { label: vehicle.label })}
          </p>
        </Card>
      </div>
    );
  const list = await listOwnerCharges(getDb(), user.userId, { vehicleId, limit: DEFAULT_CHARGES_PAGE });
  if (!list) notFound();
  const queryClient = getQueryClient();
  queryClient.setQueryData(chargesInfiniteQueryOptions(vehicleId).queryKey, {
    pages: [list],
    pageParams: [null],
  });
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
        <p className="text-muted text-sm">{t('intro', { label: vehicle.label })}</p>
      </div>
      <section aria-labelledby="charge-list-heading" className="flex flex-col gap-3">
        <h2 id="charge-list-heading" className="font-semibold text-base">
          {t('list.heading')}
        </h2>
        <ClientMessages namespaces={['charging']}>
          <HydrationBoundary state={dehydrate(queryClient)}>
            <ChargeList vehicleId={vehicleId} />
          </HydrationBoundary>
        </ClientMessages>
      </section>
    </div>
  );
}
