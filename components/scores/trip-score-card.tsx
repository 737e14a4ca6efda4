import Link from 'next/link';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { Card, CardTitle } from '@/components/ui/card';
import type { TripScoreDetail } from '@/lib/scores/vehicle-score';
import type { CostlyMoment } from '@/lib/scoring/trip-score';
import { selectionParams } from '@/lib/telemetry-view/range';
import type { UnitPreferences } from '@/lib/units/preferences';
import { ComponentList } from './component-list';
import { scoreLimitArgs } from './limit-args';
import { ScoreNumber } from './score-number';
import { ScoreTip } from './score-tip';

/** Each moment opens the charts on a few minutes around it. */
const CHART_MARGIN_MS = 60_000;

function chartHref(vehicleId: string, moment: CostlyMoment): string {
  const params = new URLSearchParams(
    selectionParams({
      preset: 'custom',
      from: moment.from - CHART_MARGIN_MS,
      to: moment.to + CHART_MARGIN_MS,
    }),
  );
  return `/vehicles/${vehicleId}/telemetry?${params}`;
}

/**
 * A trip's score and its explanation: the components, the moments that cost points (each linked
 * to that stretch of the speed and RPM charts) and one tip. Says so when the trip is not rated
 * or not scored yet.
 */
export async function TripScoreCard({
  detail,
  vehicleId,
  powertrain,
  units,
}: {
  detail: TripScoreDetail | null;
  vehicleId: string;
  powertrain: string;
  units: UnitPreferences;
}) {
  const [t, format, locale] = await Promise.all([getTranslations('scores'), getFormatter(), getLocale()]);
  const kindArgs = scoreLimitArgs(units, powertrain, locale);
  return (
    <Card className="flex flex-col gap-4" data-testid="trip-score">
      <CardTitle>{t('trip.title')}</CardTitle>
      {detail === null ? (
        <p className="text-muted text-sm">{t('trip.pending')}</p>
      ) : detail.score === null ? (
        <p className="text-muted text-sm">
          {t('trip.notRated', { reason: t(`trips.reason.${detail.notRatedReason ?? 'too_short'}`) })}
        </p>
      ) : (
        <>
          <ScoreNumber score={detail.score} testId="trip-score-value" />
          <ComponentList components={detail.components} />
          <div className="flex flex-col gap-2">
            <h3 className="font-semibold text-sm">{t('trip.moments')}</h3>
            {detail.moments.length === 0 || detail.moments.every((moment) => moment.points < 1) ? (
              <p className="text-muted text-sm">{t('trip.noMoments')}</p>
            ) : (
              <ol className="flex flex-col divide-y divide-border" data-testid="trip-score-moments">
                {detail.moments.map((moment) => (
                  <li
                    key={`${moment.kind}|${moment.from}`}
                    className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-2 text-sm"
                  >
                    <span>
                      <span className="font-medium">{t(`trip.kind.${moment.kind}`, kindArgs)}</span>
                      <span className="text-muted">
                        {' '}
                        · {format.dateTime(moment.from, { timeStyle: 'medium' })}
                      </span>
                    </span>
                    <span className="flex items-center gap-3">
                      <span className="text-danger tabular-nums">
                        {t('trip.points', {
                          points: format.number(moment.points, { maximumFractionDigits: 1 }),
                        })}
                      </span>
                      <Link
                        href={chartHref(vehicleId, moment)}
                        className="inline-flex min-h-11 items-center text-accent underline-offset-4 hover:underline"
                      >
                        {t('trip.showOnChart')}
                      </Link>
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </div>
          <ScoreTip tip={detail.tip} units={units} powertrain={powertrain} />
        </>
      )}
    </Card>
  );
}
