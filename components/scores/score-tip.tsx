import { Lightbulb } from 'lucide-react';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ScoreComponent } from '@/lib/scoring/trip-score';
import type { UnitPreferences } from '@/lib/units/preferences';
import { scoreLimitArgs } from './limit-args';

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
  const text = tip === null ? t('tips.none') : t(`tips.${tip}`, scoreLimitArgs(units, powertrain, locale));
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
