import { getFormatter, getTranslations } from 'next-intl/server';
import { cn } from '@/lib/cn';
import { type ComponentScores, SCORE_COMPONENTS } from '@/lib/scoring/trip-score';
import { BAND_BAR, bandOf } from './score-band';

/**
 * The components of a score, each with its value and a bar; a component the car gives no input
 * for says "not rated" instead of showing a 0. The bars are decoration: the numbers are the text.
 */
export async function ComponentList({ components }: { components: ComponentScores }) {
  const [t, format] = await Promise.all([getTranslations('scores'), getFormatter()]);
  return (
    <ul className="flex flex-col gap-3" data-testid="score-components">
      {SCORE_COMPONENTS.map((name) => {
        const value = components[name];
        return (
          <li key={name} className="flex flex-col gap-1" data-component={name}>
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span className="font-medium">{t(`components.${name}`)}</span>
              <span className={cn('tabular-nums', value === null && 'text-muted')}>
                {value === null ? t('components.notRated') : format.number(Math.round(value))}
              </span>
            </div>
            <div aria-hidden="true" className="h-2 overflow-hidden rounded-full bg-surface-2">
              {value === null ? null : (
                <div
                  className={cn('h-full rounded-full', BAND_BAR[bandOf(value)])}
                  style={{ width: `${value}%` }}
                />
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
