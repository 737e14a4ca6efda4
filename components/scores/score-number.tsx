import { getFormatter, getTranslations } from 'next-intl/server';
import { cn } from '@/lib/cn';
import { BAND_TEXT, bandOf } from './score-band';

/** A score in large type, "out of 100", and its band in words (never colour alone). */
export async function ScoreNumber({ score, testId }: { score: number; testId?: string }) {
  const [t, format] = await Promise.all([getTranslations('scores'), getFormatter()]);
  const band = bandOf(score);
  return (
    <p className="flex flex-wrap items-baseline gap-x-2">
      <span className={cn('font-semibold text-4xl tabular-nums', BAND_TEXT[band])} data-testid={testId}>
        {format.number(Math.round(score))}
      </span>
      <span className="text-muted text-sm">{t('outOf')}</span>
      <span className={cn('font-medium text-sm', BAND_TEXT[band])}>{t(`band.${band}`)}</span>
    </p>
  );
}
