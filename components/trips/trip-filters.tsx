import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { Button, buttonClasses } from '@/components/ui/button';
import type { TripFilterQuery } from '@/lib/schemas/trips';

// The trip filters as a plain GET form: the filter lives in the URL (shareable, back-button
// friendly) and works before any JavaScript has loaded.

const FIELD = 'min-h-11 rounded-lg border border-border bg-surface px-3 py-2 text-base text-fg';

export async function TripFilters({
  filter,
  vehicles,
}: {
  filter: TripFilterQuery;
  vehicles: { id: string; label: string }[];
}) {
  const t = await getTranslations('trips');
  return (
    <form method="get" action="/trips" className="rounded-xl border border-border bg-surface p-4">
      <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <legend className="mb-2 font-semibold text-base">{t('filters.legend')}</legend>
        <label className="flex flex-col gap-1.5 text-sm">
          <span className="font-medium">{t('filters.from')}</span>
          <input type="date" name="from" defaultValue={filter.from?.slice(0, 10) ?? ''} className={FIELD} />
        </label>
        <label className="flex flex-col gap-1.5 text-sm">
          <span className="font-medium">{t('filters.to')}</span>
          <input type="date" name="to" defaultValue={filter.to?.slice(0, 10) ?? ''} className={FIELD} />
        </label>
        <label className="flex flex-col gap-1.5 text-sm">
          <span className="font-medium">{t('filters.vehicle')}</span>
          <select name="vehicleId" defaultValue={filter.vehicleId ?? ''} className={FIELD}>
            <option value="">{t('filters.allVehicles')}</option>
            {vehicles.map((vehicle) => (
              <option key={vehicle.id} value={vehicle.id}>
                {vehicle.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1.5 text-sm">
          <span className="font-medium">{t('filters.tag')}</span>
          <select name="tag" defaultValue={filter.tag ?? ''} className={FIELD}>
            <option value="">{t('filters.anyTag')}</option>
            <option value="business">{t('tags.business')}</option>
            <option value="private">{t('tags.private')}</option>
            <option value="untagged">{t('tags.untagged')}</option>
          </select>
        </label>
      </fieldset>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button type="submit">{t('filters.apply')}</Button>
        <Link href="/trips" className={buttonClasses('ghost')}>
          {t('filters.clear')}
        </Link>
      </div>
    </form>
  );
}
