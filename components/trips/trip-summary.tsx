import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { TripDto } from '@/lib/schemas/trips';
import type { UnitPreferences } from '@/lib/units/preferences';
import { consumptionText, distanceText, durationParts, speedText, volumeText } from './format';

/** The trip's figures in the owner's units; a figure the data cannot give says so. */
export async function TripSummary({ trip, units }: { trip: TripDto; units: UnitPreferences }) {
  const [t, format, locale] = await Promise.all([getTranslations('trips'), getFormatter(), getLocale()]);
  const unknown = t('detail.notKnown');
  const duration = (seconds: number | null) => {
    if (seconds === null) return null;
    const parts = durationParts(seconds);
    if (parts.hours > 0) return t('duration.hoursMinutes', parts);
    return parts.minutes > 0 ? t('duration.minutes', parts) : t('duration.seconds', parts);
  };
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const items: [string, string | null][] = [
    [t('detail.started'), when(trip.startedAt)],
    [t('detail.ended'), trip.endedAt === null ? t('detail.ongoing') : when(trip.endedAt)],
    [t('detail.distance'), distanceText(trip.distanceKm, units, locale)],
    [t('detail.duration'), duration(trip.durationS)],
    [t('detail.moving'), duration(trip.movingS)],
    [t('detail.idle'), duration(trip.idleS)],
    [t('detail.avgSpeed'), speedText(trip.avgSpeedKmh, units, locale)],
    [t('detail.maxSpeed'), speedText(trip.maxSpeedKmh, units, locale)],
    [t('detail.consumption'), consumptionText(trip.avgConsumption, units, locale)],
  ];
  // Only the energy the car uses: a petrol car has no kWh line, an electric car no litres.
  if (trip.fuelUsedL !== null && trip.fuelUsedL > 0)
    items.push([t('detail.fuelUsed'), volumeText(trip.fuelUsedL, 'L', locale)]);
  if (trip.energyUsedKwh !== null && trip.energyUsedKwh > 0)
    items.push([t('detail.energyUsed'), volumeText(trip.energyUsedKwh, 'kWh', locale)]);
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="trip-summary">
      {items.map(([label, value]) => (
        <div key={label} className="flex flex-col">
          <dt className="text-muted text-xs">{label}</dt>
          <dd className={value === null ? 'text-muted text-sm' : 'font-semibold tabular-nums'}>
            {value ?? unknown}
          </dd>
        </div>
      ))}
    </dl>
  );
}
