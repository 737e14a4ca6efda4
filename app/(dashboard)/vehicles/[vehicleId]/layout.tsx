import { getTranslations } from 'next-intl/server';
import { RememberVehicle } from '@/components/glance/remember-vehicle';
import { VehicleTabs } from '@/components/vehicles/vehicle-tabs';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

// The ownership check runs here, above the page's loading boundary, so that a foreign or missing
// vehicle answers with a real 404 status before anything streams.
export default async function VehicleLayout({ children, params }: LayoutProps<'/vehicles/[vehicleId]'>) {
  const [vehicle, t] = await Promise.all([
    params.then(({ vehicleId }) => getOwnedVehicleOrNotFound(vehicleId)),
    getTranslations('common'),
  ]);
  const base = `/vehicles/${vehicle.id}`;
  const tabs = [
    { href: base, label: t('vehicleTabs.overview') },
    { href: `${base}/telemetry`, label: t('vehicleTabs.telemetry') },
    { href: `${base}/score`, label: t('vehicleTabs.score') },
    { href: `${base}/leaderboard`, label: t('vehicleTabs.leaderboard') },
    { href: `${base}/maintenance`, label: t('vehicleTabs.maintenance') },
    // Only cars with a plug charge.
    ...(vehicle.powertrain === 'electric' || vehicle.powertrain === 'hybrid'
      ? [{ href: `${base}/charging`, label: t('vehicleTabs.charging') }]
      : []),
  ];
  return (
    <div className="flex flex-col gap-4">
      <VehicleTabs tabs={tabs} label={t('vehicleTabs.label', { vehicle: vehicle.label })} />
      {children}
      {/* Every page of a car makes it the one the overview opens next time. */}
      <RememberVehicle vehicleId={vehicle.id} />
    </div>
  );
}
