import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { boardHeading } from '@/components/leaderboards/board-heading';
import { SharedBoard } from '@/components/leaderboards/shared-board';
import { ComponentList } from '@/components/scores/component-list';
import { ScoreNumber } from '@/components/scores/score-number';
import { SharedPageLinks } from '@/components/sharing/shared-page-links';
import { Card, CardTitle } from '@/components/ui/card';
import { Logo } from '@/components/ui/logo';
import { peerGroupMessageArgs } from '@/lib/scoring/peer-group';
import { getPublicScoreCard, getSharedBoard } from '@/lib/sharing/public-card';

// A shared score card or leaderboard, for anyone holding the link: no account, nothing but the
// allow-listed fields (lib/sharing/score-card.ts, lib/leaderboards/board.ts). A malformed, unknown, revoked or expired token is the same
// 404. Never indexed (metadata here, X-Robots-Tag and Referrer-Policy in next.config.ts).

type Params = { params: Promise<{ token: string }> };

const NOT_INDEXED = { index: false, follow: false } as const;

async function describeLink(token: string): Promise<{ title: string; description: string } | null> {
  const [card, board] = await Promise.all([getPublicScoreCard(token), getSharedBoard(token)]);
  if (card) {
    const t = await getTranslations('share.page');
    return {
      title: t('title', { pseudonym: card.pseudonym }),
      description: t('description', { model: card.vehicle.model }),
    };
  }
  if (!board) return null;
  const [t, heading] = await Promise.all([getTranslations('leaderboard.shared'), boardHeading(board.title)]);
  return { title: t('title', { board: heading }), description: t('description') };
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { token } = await params;
  // The preview image's absolute URL comes from the root layout's metadataBase.
  const common = { robots: NOT_INDEXED };
  const described = await describeLink(token);
  if (!described) return common;
  const { title, description } = described;
  return {
    ...common,
    title,
    description,
    openGraph: { title, description, type: 'website' },
    twitter: { card: 'summary_large_image', title, description },
  };
}

export default async function SharedScorePage({ params }: Params) {
  const { token } = await params;
  const [card, board, t, tScores, format] = await Promise.all([
    getPublicScoreCard(token),
    getSharedBoard(token),
    getTranslations('share.page'),
    getTranslations('scores'),
    getFormatter(),
  ]);
  if (board) return <SharedBoard board={board} />;
  if (!card) notFound();
  const { ranking } = card;

  return (
    <main id="main" className="mx-auto flex min-h-dvh w-full max-w-md flex-col gap-6 px-4 py-8">
      <Logo />
      <Card className="flex flex-col gap-3" data-testid="shared-score">
        <div className="flex flex-col gap-1">
          <h1 className="font-semibold text-2xl tracking-tight">
            {t('heading', { pseudonym: card.pseudonym })}
          </h1>
          <p className="text-muted text-sm">
            {t('car', { brand: card.vehicle.brand, model: card.vehicle.model })}
          </p>
        </div>
        <p className="font-medium text-muted text-sm">{t('period')}</p>
        {card.score === null ? (
          <p className="text-sm">{t('noScore')}</p>
        ) : (
          <ScoreNumber score={card.score} testId="shared-score-value" />
        )}
        {ranking.rank !== null && ranking.groupSize !== null && ranking.percentile !== null ? (
          <p className="text-sm" data-testid="shared-rank">
            {t('rank', {
              rank: format.number(ranking.rank),
              size: format.number(ranking.groupSize),
              group: tScores('group', peerGroupMessageArgs(ranking.group)),
            })}{' '}
            {ranking.groupSize > 1
              ? t('percentile', { percentile: format.number(ranking.percentile) })
              : null}
          </p>
        ) : (
          <p className="text-muted text-sm">{t('unranked')}</p>
        )}
      </Card>
      {card.score === null ? null : (
        <Card className="flex flex-col gap-4">
          <CardTitle>{t('components')}</CardTitle>
          <ComponentList components={card.components} />
        </Card>
      )}
      <SharedPageLinks how={t('how')} own={t('own')} />
    </main>
  );
}
