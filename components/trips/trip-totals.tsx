import { getLocale, getTranslations } from 'next-intl/server';
import type { TripTotalsDto } from '@/lib/schemas/trips';
import type { UnitPreferences } from '@/lib/units/preferences';
import { distanceText, durationParts, volumeText } from './format';

/** Totals of the whole filter (not just the trips loaded so far). */
export async function TripTotals({ totals, units }: { totals: TripTotalsDto; units: UnitPreferences }) {
  const [t, locale] = await Promise.all([getTranslations('trips'), getLocale()]);
  const parts = durationParts(totals.durationS);
  const items: [string, string][] = [
    [t('totals.trips'), new Intl.NumberFormat(locale).format(totals.count)],
    [t('totals.distance'), distanceText(totals.distanceKm, units, locale) ?? '—'],
    [
      t('totals.duration'),
      parts.hours > 0 ? t('duration.hoursMinutes', parts) : t('duration.minutes', { minutes: parts.minutes }),
    ],
  ];
  if (totals.fuelUsedL > 0) items.push([t('totals.fuel'), volumeText(totals.fuelUsedL, 'L', locale) ?? '—']);
  if (totals.energyUsedKwh > 0)
    items.push([t('totals.energy'), volumeText(totals.energyUsedKwh, 'kWh', locale) ?? '—']);
  return (
    <section aria-labelledby="trip-totals" className="rounded-xl border border-border bg-surface p-4">
      <h2 id="trip-totals" className="mb-3 font-semibold text-base">
        {t('totals.heading')}
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" data-testid="trip-totals">
        {items.map(([label, value]) => (
          <div key={label} className="flex flex-col">
            <dt className="text-muted text-xs">{label}</dt>
            <dd className="font-semibold text-lg tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
