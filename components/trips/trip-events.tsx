import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import type { TripEventDto } from '@/lib/schemas/trips';

const KNOWN = new Set(['harsh_acceleration', 'harsh_braking']);

/** Harsh accelerations and brakings of the trip, in time order, with their strength. */
export async function TripEvents({ events }: { events: TripEventDto[] }) {
  const [t, format, locale] = await Promise.all([getTranslations('trips'), getFormatter(), getLocale()]);
  if (events.length === 0) return <p className="text-muted text-sm">{t('events.none')}</p>;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <ol className="flex flex-col divide-y divide-border" data-testid="trip-events">
      {sorted.map((event) => {
        const type = KNOWN.has(event.type)
          ? t(`events.types.${event.type as 'harsh_acceleration' | 'harsh_braking'}`)
          : t('events.types.other');
        const severity =
          event.severity === 'harsh' || event.severity === 'severe'
            ? t(`events.severity.${event.severity}`)
            : null;
        return (
          <li
            // A static list: when, what and how strong name an event.
            key={`${event.at}|${event.type}|${event.value}`}
            className="flex flex-wrap items-baseline justify-between gap-x-3 py-2 text-sm"
          >
            <span>
              <span className="font-medium">{type}</span>
              {severity ? <span className="text-muted"> · {severity}</span> : null}
            </span>
            <span className="text-muted tabular-nums">
              {format.dateTime(new Date(event.at), { timeStyle: 'medium' })} ·{' '}
              {t('events.value', { value: number.format(Math.abs(event.value)) })}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
