import { ArrowLeft } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { PowerSparkline } from '@/components/charging/power-sparkline';
import { durationParts, volumeText } from '@/components/trips/format';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getOwnerCharge } from '@/lib/charging/sessions';
import { getDb } from '@/lib/db';
import { chargeIdSchema } from '@/lib/schemas/charging';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('charging');
  return { title: t('title') };
}

// A charge, read once on the server: it has no interactive part, so no client query either.
export default async function ChargePage({
  params,
}: {
  params: Promise<{ vehicleId: string; chargeId: string }>;
}) {
  const { vehicleId, chargeId } = await params;
  const user = await requireUser();
  const [vehicle, detail, t, tTrips, format, locale] = await Promise.all([
    getOwnedVehicleOrNotFound(vehicleId),
    chargeIdSchema.safeParse(chargeId).success
      ? getOwnerCharge(getDb(), user.userId, vehicleId, chargeId)
      : null,
    getTranslations('charging'),
    getTranslations('trips'),
    getFormatter(),
    getLocale(),
  ]);
  if (!detail) notFound();
  const { charge, power } = detail;
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const pct = (value: number | null) =>
    value === null
      ? null
      : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value / 100);
  const parts = charge.durationS === null ? null : durationParts(charge.durationS);
  const kw = (value: number | null) =>
    value === null
      ? null
      : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value)}\u202fkW`;
  const items: [string, string | null][] = [
    [t('detail.started'), when(charge.startedAt)],
    [t('detail.ended'), charge.endedAt === null ? t('detail.ongoing') : when(charge.endedAt)],
    [
      t('detail.duration'),
      parts === null
        ? null
        : parts.hours > 0
          ? tTrips('duration.hoursMinutes', parts)
          : tTrips('duration.minutes', parts),
    ],
    [t('detail.energyAdded'), volumeText(charge.energyAddedKwh, 'kWh', locale)],
    [t('detail.avgPower'), kw(charge.avgPowerKw)],
    [t('detail.startLevel'), pct(charge.startLevelPct)],
    [t('detail.endLevel'), pct(charge.endLevelPct)],
  ];
  const values = power.points.map(([, value]) => value);
  const peak = values.length > 0 ? Math.max(...values) : null;
  const peakText =
    peak === null
      ? ''
      : power.unit === 'kW'
        ? (kw(peak) ?? '')
        : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(peak)}\u202f%/h`;
  const date = when(charge.startedAt);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <Link
          href={`/vehicles/${encodeURIComponent(vehicleId)}/charging`}
          className="inline-flex min-h-11 items-center gap-1 self-start text-accent text-sm underline-offset-4 hover:underline"
        >
          <ArrowLeft aria-hidden="true" className="size-4" />
          {t('detail.back')}
        </Link>
        <h1 className="font-semibold text-2xl tracking-tight">{t('detail.title', { date })}</h1>
        <p className="text-muted text-sm">{vehicle.label}</p>
      </div>
      <Card className="flex flex-col gap-3">
        <CardTitle>{t('detail.summary')}</CardTitle>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="charge-summary">
          {items.map(([label, value]) => (
            <div key={label} className="flex flex-col">
              <dt className="text-muted text-xs">{label}</dt>
              <dd className={value === null ? 'text-muted text-sm' : 'font-semibold tabular-nums'}>
                {value ?? t('detail.notKnown')}
              </dd>
            </div>
          ))}
        </dl>
        <p className="text-muted text-xs">{t(`detail.origin.${charge.origin}`)}</p>
      </Card>
      <Card className="flex flex-col gap-3">
        <CardTitle>{t('power.heading')}</CardTitle>
        {power.points.length === 0 ? (
          <p className="text-muted text-sm">{t('power.none')}</p>
        ) : (
          <>
            <PowerSparkline
              power={power}
              label={t('power.label', {
                start: format.dateTime(new Date(power.points[0]?.[0] ?? 0), { timeStyle: 'short' }),
                end: format.dateTime(new Date(power.points.at(-1)?.[0] ?? 0), { timeStyle: 'short' }),
                peak: peakText,
              })}
            />
            <p className="text-sm">
              {t('power.peak')}: <span className="font-semibold tabular-nums">{peakText}</span>
            </p>
            <p className="text-muted text-xs">
              {power.capacityKwh === null
                ? t('power.unknownCapacity')
                : t('power.estimated', {
                    capacity: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(
                      power.capacityKwh,
                    ),
                  })}
            </p>
          </>
        )}
      </Card>
    </div>
  );
}
