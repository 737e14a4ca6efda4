import { Trophy } from 'lucide-react';
import Link from 'next/link';
import type { GlanceScore } from '@/lib/schemas/glance';
import { peerGroupMessageArgs } from '@/lib/scoring/peer-group';
import { convertDistance, formatWithUnit } from '@/lib/units/convert';
import { BigValue, GlanceCard } from './glance-card';
import type { GlanceContext } from './glance-context';

/** This week's driving score and the 30-day rank, with the way to the details. */
export function ScoreCard({
  ctx,
  score,
  vehicleId,
}: {
  ctx: GlanceContext;
  score: GlanceScore;
  vehicleId: string;
}) {
  const distance = (km: number) => {
    const converted = convertDistance(km, ctx.units.speed);
    return formatWithUnit(
      converted.value === null ? null : Math.round(converted.value),
      converted.unit,
      ctx.locale,
    );
  };
  const { week, rank, progress } = score;
  return (
    <GlanceCard title={ctx.t('score.title')} icon={Trophy} testId="glance-score">
      {week.score === null ? (
        <p className="text-muted text-sm">{ctx.t('score.noTrips')}</p>
      ) : (
        <>
          <BigValue>
            <span data-testid="glance-score-value">{Math.round(week.score)}</span>{' '}
            <span className="font-normal text-base text-muted">{ctx.t('score.outOf')}</span>
          </BigValue>
          <p className="text-muted text-sm">{ctx.t('score.week', { count: week.ratedTrips })}</p>
        </>
      )}
      <p className="text-sm" data-testid="glance-score-rank">
        {rank.percentile === null || rank.groupSize === null
          ? ctx.t('score.unranked', {
              km: distance(progress.requiredKm),
              trips: progress.requiredTrips,
              doneKm: distance(progress.ratedKm),
              doneTrips: progress.ratedTrips,
            })
          : rank.groupSize === 1
            ? ctx.t('score.alone', { group: ctx.t('score.group', peerGroupMessageArgs(rank.group)) })
            : ctx.t('score.rank', {
                percentile: ctx.format.number(Math.round(rank.percentile)),
                size: rank.groupSize,
                group: ctx.t('score.group', peerGroupMessageArgs(rank.group)),
              })}
      </p>
      <Link
        href={`/vehicles/${vehicleId}/score`}
        className="inline-flex min-h-11 items-center self-start text-accent text-sm underline-offset-4 hover:underline"
      >
        {ctx.t('score.details')}
      </Link>
    </GlanceCard>
  );
}
