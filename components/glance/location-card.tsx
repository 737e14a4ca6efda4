import { EyeOff, MapPin } from 'lucide-react';
import Link from 'next/link';
import type { GlanceLocation } from '@/lib/schemas/glance';
import { GlanceCard, NoValue } from './glance-card';
import { freshnessText, type GlanceContext, shortDateTime } from './glance-context';

/** "48.85660° N, 2.35220° E" in the owner's number format (5 decimals: about a metre). */
export function coordinatesText(ctx: GlanceContext, latitude: number, longitude: number): string {
  const degrees = (value: number) =>
    ctx.format.number(Math.abs(value), { minimumFractionDigits: 5, maximumFractionDigits: 5 });
  return ctx.t('location.coordinates', {
    latitude: degrees(latitude),
    ns: latitude >= 0 ? ctx.t('location.north') : ctx.t('location.south'),
    longitude: degrees(longitude),
    ew: longitude >= 0 ? ctx.t('location.east') : ctx.t('location.west'),
  });
}

/**
 * Where the car was last seen, as text (no map tiles: nothing may load from the internet). When
 * the in-car privacy mode hides the position, the card says so instead of showing an old place.
 */
export function LocationCard({
  ctx,
  location,
  vehicleId,
}: {
  ctx: GlanceContext;
  location: GlanceLocation;
  vehicleId: string;
}) {
  if (location.hidden && location.privacy) {
    const date = shortDateTime(ctx, location.privacy.since);
    return (
      <GlanceCard
        title={ctx.t('location.title')}
        icon={EyeOff}
        testId="glance-location"
        availability={location.availability}
      >
        <p className="text-sm" data-testid="location-hidden">
          {location.privacy.state === 'full'
            ? ctx.t('location.hiddenFull', { date })
            : ctx.t('location.hidden', { date })}
        </p>
      </GlanceCard>
    );
  }
  const { value } = location;
  return (
    <GlanceCard
      title={ctx.t('location.title')}
      icon={MapPin}
      testId="glance-location"
      availability={location.availability}
      footer={freshnessText(ctx, location.availability, location.measuredAt, ctx.t('metric.location'))}
    >
      {value === null ? (
        <NoValue />
      ) : (
        <>
          <p className="text-sm">
            {ctx.t('location.lastSeen', {
              coordinates: coordinatesText(ctx, value.latitude, value.longitude),
            })}
          </p>
          {location.nearTrip ? (
            <Link
              href={`/vehicles/${encodeURIComponent(vehicleId)}/trips/${encodeURIComponent(location.nearTrip.id)}`}
              className="inline-flex min-h-11 items-center text-accent text-sm underline-offset-4 hover:underline"
            >
              {ctx.t('location.nearTrip', {
                date: ctx.format.dateTime(location.nearTrip.startedAt, { dateStyle: 'medium' }),
              })}
            </Link>
          ) : null}
        </>
      )}
    </GlanceCard>
  );
}
