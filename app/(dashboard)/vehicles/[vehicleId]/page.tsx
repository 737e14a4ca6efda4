import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { GlanceCards } from '@/components/glance/glance-cards';
import type { GlanceContext } from '@/components/glance/glance-context';
import { GlanceRefresher } from '@/components/glance/glance-refresher';
import { VehicleSwitcher } from '@/components/glance/vehicle-switcher';
import { OfflineNotice } from '@/components/pwa/offline-notice';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { listVehicles } from '@/lib/db/queries/vehicles';
import { vehicleIdSchema } from '@/lib/schemas/vehicle';
import { getUserPreferences } from '@/lib/settings/preferences';
import { getGlance } from '@/lib/vehicles/glance';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

// The vehicle glance: the page a phone opens. Every card is rendered here, on the server, from the
// same getGlance the API answers with — no chart library, no card code in the browser. The only
// client code is two leaves that render nothing: one refreshes the page while the car drives (via
// the glance query), one remembers this vehicle for the overview. So the first paint is the final
// content: no spinner stands in for a card, and the cards' fixed minimum heights keep layout still.

const POWERTRAINS = new Set(['petrol', 'diesel', 'hybrid', 'electric']);

export async function generateMetadata({ params }: PageProps<'/vehicles/[vehicleId]'>): Promise<Metadata> {
  const [vehicle, t] = await Promise.all([
    params.then(({ vehicleId }) => getOwnedVehicleOrNotFound(vehicleId)),
    getTranslations('glance'),
  ]);
  return { title: `${vehicle.label} · ${t('metaTitle')}` };
}

export default async function VehicleGlancePage({ params }: PageProps<'/vehicles/[vehicleId]'>) {
  const [{ vehicleId }, user] = await Promise.all([params, requireUser()]);
  const parsed = vehicleIdSchema.safeParse(vehicleId);
  if (!parsed.success) notFound();
  const db = getDb();
  const now = Date.now();
  // Independent reads start together.
  const [glance, vehicles, preferences, t, format, locale] = await Promise.all([
    getGlance(db, user.userId, parsed.data, now),
    listVehicles(db, user.userId),
    getUserPreferences(db, user.userId),
    getTranslations('glance'),
    getFormatter(),
    getLocale(),
  ]);
  if (!glance) notFound();

  const ctx: GlanceContext = { t, format, locale, now, units: preferences.units };
  const { vehicle } = glance;
  // Makers do not always say (PSA v4 only says "Thermic"): then the subtitle names the model alone.
  const subtitle = POWERTRAINS.has(vehicle.powertrain)
    ? t('subtitle', {
        brand: vehicle.brand,
        model: vehicle.model,
        powertrain: t(`powertrain.${vehicle.powertrain as 'petrol' | 'diesel' | 'hybrid' | 'electric'}`),
      })
    : `${vehicle.brand} ${vehicle.model}`;

  return (
    <div className="flex flex-col gap-4">
      <OfflineNotice />
      <VehicleSwitcher
        vehicles={vehicles.map(({ id, label }) => ({ id, label }))}
        currentId={vehicle.id}
        label={t('switcher.label')}
      />
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">{vehicle.label}</h1>
        <p className="text-muted text-sm">{subtitle}</p>
      </div>
      <GlanceCards ctx={ctx} glance={glance} />
      <GlanceRefresher glance={glance} renderedAt={now} />
    </div>
  );
}
