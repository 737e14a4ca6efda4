import { ArrowDown, ArrowRight, ArrowUp } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getFormatter, getLocale, getTranslations } from 'next-intl/server';
import { ComponentList } from '@/components/scores/component-list';
import { MakerEvaluationCard } from '@/components/scores/maker-evaluation-card';
import { ScoreNumber } from '@/components/scores/score-number';
import { ScoreTip } from '@/components/scores/score-tip';
import { SharePanel } from '@/components/sharing/share-panel';
import { Card, CardTitle } from '@/components/ui/card';
import { requireUser } from '@/lib/auth';
import { getDb } from '@/lib/db';
import { peersWarmUp } from '@/lib/health';
import { periodMakerEvaluation } from '@/lib/scores/maker-evaluation';
import { getVehicleScore } from '@/lib/scores/vehicle-score';
import { peerGroupMessageArgs } from '@/lib/scoring/peer-group';
import { getUserPreferences } from '@/lib/settings/preferences';
import { listShareLinks } from '@/lib/sharing/share-links';
import { convertDistance, formatWithUnit } from '@/lib/units/convert';
import { getOwnedVehicleOrNotFound } from '@/lib/vehicles/owned-vehicle';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('scores');
  return { title: t('title') };
}

export default async function ScorePage({ params }: { params: Promise<{ vehicleId: string }> }) {
  const { vehicleId } = await params;
  const now = Date.now();
  const user = await requireUser();
  const db = getDb();
  // One round of independent reads (the layout has already checked ownership; this is cached).
  const [vehicle, score, maker, links, preferences, peers, t, format, locale] = await Promise.all([
    getOwnedVehicleOrNotFound(vehicleId),
    getVehicleScore(db, user.userId, vehicleId, now),
    periodMakerEvaluation(db, user.userId, vehicleId, now),
    listShareLinks(db, user.userId, vehicleId, now),
    getUserPreferences(db, user.userId),
    peersWarmUp(),
    getTranslations('scores'),
    getFormatter(),
    getLocale(),
  ]);
  if (!score) notFound();
  const distance = (km: number) => {
    const converted = convertDistance(km, preferences.units.speed);
    return formatWithUnit(
      converted.value === null ? null : Math.round(converted.value),
      converted.unit,
      locale,
    );
  };
  const { week, standing } = score;
  const movement = standing.movement === null ? null : Math.round(standing.movement);

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">{t('title')}</h1>
        <p className="text-muted text-sm">{t('intro', { vehicle: vehicle.label })}</p>
      </div>

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Card className="flex flex-col gap-2" data-testid="score-week">
          <CardTitle>{t('week.title')}</CardTitle>
          {week.score === null ? (
            <p className="text-muted text-sm">{t('week.none')}</p>
          ) : (
            <>
              <ScoreNumber score={week.score} testId="score-week-value" />
              <p className="text-muted text-sm">
                {t('week.trips', { count: week.ratedTrips, distance: distance(week.ratedDistanceKm) })}
              </p>
            </>
          )}
        </Card>

        <Card className="flex flex-col gap-2" data-testid="score-rank">
          <CardTitle>{t('rank.title')}</CardTitle>
          {standing.eligible && standing.score !== null && standing.percentile !== null ? (
            <>
              <ScoreNumber score={standing.score} testId="score-period-value" />
              <p className="text-sm" data-testid="score-percentile">
                {standing.groupSize === 1
                  ? t('rank.alone', { group: t('group', peerGroupMessageArgs(standing.group)) })
                  : t('rank.better', {
                      percentile: format.number(Math.round(standing.percentile)),
                      size: standing.groupSize ?? 1,
                      group: t('group', peerGroupMessageArgs(standing.group)),
                    })}
              </p>
              {movement === null ? null : (
                <p className="flex items-center gap-1 text-muted text-sm" data-testid="score-movement">
                  {movement > 0 ? (
                    <ArrowUp aria-hidden="true" className="size-4 text-ok" />
                  ) : movement < 0 ? (
                    <ArrowDown aria-hidden="true" className="size-4 text-danger" />
                  ) : (
                    <ArrowRight aria-hidden="true" className="size-4" />
                  )}
                  {movement > 0
                    ? t('rank.up', { points: movement })
                    : movement < 0
                      ? t('rank.down', { points: -movement })
                      : t('rank.same')}
                </p>
              )}
            </>
          ) : (
            <p className="text-sm" data-testid="score-unranked">
              {t('rank.notYet', {
                km: distance(score.requirements.km),
                trips: score.requirements.trips,
                doneKm: distance(standing.ratedDistanceKm),
                doneTrips: standing.ratedTrips,
              })}
            </p>
          )}
          {peers !== null && peers.synced < peers.total ? (
            <p className="text-muted text-sm" data-testid="score-peers-loading">
              {t('rank.peersLoading', { synced: peers.synced, total: peers.total })}
            </p>
          ) : null}
        </Card>
      </div>

      <Card className="flex flex-col gap-4">
        <ScoreTip tip={score.tip} units={preferences.units} powertrain={vehicle.powertrain} />
      </Card>

      <Card className="flex flex-col gap-4">
        <CardTitle>{t('components.title')}</CardTitle>
        <ComponentList components={standing.components} />
      </Card>

      {maker ? <MakerEvaluationCard evaluation={maker} brand={vehicle.brand} /> : null}

      <Card className="flex flex-col gap-3">
        <CardTitle>{t('trips.title')}</CardTitle>
        {score.trips.length === 0 ? (
          <p className="text-muted text-sm">{t('trips.empty')}</p>
        ) : (
          <ol className="flex flex-col divide-y divide-border" data-testid="score-trips">
            {score.trips.map((trip) => (
              <li key={trip.id}>
                <Link
                  href={`/vehicles/${vehicle.id}/trips/${trip.id}`}
                  className="flex min-h-11 flex-wrap items-center justify-between gap-x-3 py-2 text-sm hover:underline"
                >
                  <span>
                    {format.dateTime(trip.startedAt, { dateStyle: 'medium', timeStyle: 'short' })}
                    {trip.distanceKm === null ? null : (
                      <span className="text-muted"> · {distance(trip.distanceKm)}</span>
                    )}
                  </span>
                  <span className="tabular-nums">
                    {trip.score === null
                      ? `${t('trips.notRated')} (${t(`trips.reason.${trip.notRatedReason ?? 'too_short'}`)})`
                      : format.number(Math.round(trip.score))}
                  </span>
                </Link>
              </li>
            ))}
          </ol>
        )}
      </Card>

      <SharePanel vehicleId={vehicle.id} links={links.filter((link) => link.kind === 'score_card')} />

      <Link
        href="/methodology"
        className="inline-flex min-h-11 items-center self-start text-accent text-sm underline-offset-4 hover:underline"
      >
        {t('methodologyLink')}
      </Link>
    </div>
  );
}
