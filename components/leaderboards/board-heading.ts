import { getTranslations } from 'next-intl/server';
import type { BoardTitle } from '@/lib/leaderboards/board';
import { peerGroupMessageArgs } from '@/lib/scoring/peer-group';

/** A board's title in the reader's language: the page, the shared page, its metadata and its image. */
export async function boardHeading(title: BoardTitle): Promise<string> {
  const [t, tScores] = await Promise.all([getTranslations('leaderboard'), getTranslations('scores')]);
  if (title.kind === 'peer') return tScores('group', peerGroupMessageArgs(title));
  if (title.kind === 'model') return t('titles.model', { brand: title.brand, model: title.model });
  if (title.kind === 'everyone') return t('titles.everyone');
  return title.name;
}
