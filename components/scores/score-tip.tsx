import { Lightbulb } from 'lucide-react';
import { getLocale, getTranslations } from 'next-intl/server';
import { VERY_HIGH_SPEED_KMH } from '@/lib/scoring/features';
import { engineLimitRpm, type ScoreComponent } from '@/lib/scoring/trip-score';
import { convertSpeed, formatWithUnit } from '@/lib/units/convert';
import type { UnitPreferences } from '@/lib/units/preferences';

/** The one concrete tip: for the component that cost the most points, or "keep it up". */
export async function ScoreTip({
  tip,
  units,
  powertrain,
}: {
  tip: ScoreComponent | null;
  units: UnitPreferences;
  powertrain: string;
}) {
  const [t, locale] = await Promise.all([getTranslations('scores'), getLocale()]);
  const speed = convertSpeed(VERY_HIGH_SPEED_KMH, units.speed);
  const rpm = engineLimitRpm(
    powertrain === 'petrol' || powertrain === 'diesel' || powertrain === 'hybrid' ? powertrain : null,
  );
  const text =
    tip === null
      ? t('tips.none')
      : t(`tips.${tip}`, {
          speed: formatWithUnit(speed.value === null ? null : Math.round(speed.value), speed.unit, locale),
          rpm: new Intl.NumberFormat(locale).format(rpm),
        });
  return (
    <div className="flex gap-3" data-testid="score-tip">
      <Lightbulb aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-accent" />
      <div className="flex flex-col gap-1">
        <h2 className="font-semibold text-base">{t('tipTitle')}</h2>
        <p className="text-sm">{text}</p>
      </div>
    </div>
  );
}
