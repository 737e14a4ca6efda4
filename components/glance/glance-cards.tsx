import type { GlanceDto } from '@/lib/schemas/glance';
import { ActivityCard } from './activity-card';
import { AlertsCard } from './alerts-card';
import { EnergyCard } from './energy-card';
import type { GlanceContext } from './glance-context';
import { LocationCard } from './location-card';
import { OdometerCard } from './odometer-card';
import { ScoreCard } from './score-card';
import { ServiceCard } from './service-card';
import { SilenceBanner } from './silence-banner';
import { SyncStaleBanner } from './sync-stale-banner';

/**
 * Every card of the glance, rendered on the server: one column on a phone, two on a tablet, three
 * on a desktop. The most asked-for facts come first (energy, driving now, where it is).
 */
export function GlanceCards({ ctx, glance }: { ctx: GlanceContext; glance: GlanceDto }) {
  return (
    <div className="flex flex-col gap-3">
      <SyncStaleBanner ctx={ctx} sync={glance.sync} />
      <SilenceBanner ctx={ctx} silence={glance.silence} />
      <section
        aria-label={ctx.t('cardsLabel')}
        className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3"
      >
        <EnergyCard ctx={ctx} glance={glance} />
        <ActivityCard ctx={ctx} activity={glance.activity} />
        <LocationCard ctx={ctx} location={glance.location} vehicleId={glance.vehicle.id} />
        <OdometerCard ctx={ctx} reading={glance.odometerKm} />
        <ServiceCard ctx={ctx} service={glance.service} />
        <AlertsCard ctx={ctx} alerts={glance.alerts} />
        <ScoreCard ctx={ctx} score={glance.score} vehicleId={glance.vehicle.id} />
      </section>
    </div>
  );
}
