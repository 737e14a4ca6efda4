import { getFormatter, getTranslations } from 'next-intl/server';
import { BAND_TEXT, bandOf } from '@/components/scores/score-band';
import { cn } from '@/lib/cn';
import type { BoardTitle } from '@/lib/leaderboards/board';
import { MIN_PUBLISHED_PARTICIPANTS } from '@/lib/leaderboards/board-ref';
import { boardHeading } from './board-heading';

// One board: its title, how many cars it ranks and lists, and the listed entries — or, below the
// minimum of participants, why nobody is shown. The owner's page and the shared page both use it;
// the shared page's entries never say whose they are.

type Board = {
  title: BoardTitle;
  ranked: number;
  participants: number;
  published: boolean;
  entries: ReadonlyArray<{ pseudonym: string; score: number; rank: number; mine?: boolean }>;
};

export async function BoardTable({ board }: { board: Board }) {
  const [t, format, heading] = await Promise.all([
    getTranslations('leaderboard'),
    getFormatter(),
    boardHeading(board.title),
  ]);
  const { title } = board;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <h2 className="font-semibold text-lg" data-testid="leaderboard-title">
          {heading}
        </h2>
        <p className="text-muted text-sm" data-testid="leaderboard-summary">
          {t(title.kind === 'group' ? 'groupSummary' : 'summary', {
            ranked: board.ranked,
            participants: board.participants,
          })}
        </p>
      </div>
      {!board.published ? (
        <p className="text-sm" data-testid="leaderboard-unpublished">
          {t('unpublished', { min: MIN_PUBLISHED_PARTICIPANTS, participants: board.participants })}
        </p>
      ) : board.entries.length === 0 ? (
        <p className="text-sm">{t('empty')}</p>
      ) : (
        <>
          <table className="w-full text-sm" data-testid="leaderboard-entries">
            <thead>
              <tr className="border-border border-b text-left text-muted">
                <th scope="col" className="py-2 pr-3 font-medium">
                  {t('rank')}
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  {t('driver')}
                </th>
                <th scope="col" className="py-2 text-right font-medium">
                  {t('score')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-border">
              {board.entries.map((entry) => (
                <tr
                  key={`${entry.rank}-${entry.pseudonym}`}
                  className={cn(entry.mine && 'bg-surface-2 font-semibold')}
                  aria-current={entry.mine ? 'true' : undefined}
                >
                  <td className="py-2 pr-3 tabular-nums">{format.number(entry.rank)}</td>
                  <td className="py-2 pr-3">
                    {entry.pseudonym}
                    {entry.mine ? <span className="text-muted"> ({t('you')})</span> : null}
                  </td>
                  <td className={cn('py-2 text-right tabular-nums', BAND_TEXT[bandOf(entry.score)])}>
                    {format.number(entry.score)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-muted text-xs">{t('ranksNote')}</p>
        </>
      )}
    </div>
  );
}
